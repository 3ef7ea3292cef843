"""The ``workbench`` console script (and ``python -m workbench``): the same commands as
``flask --app workbench``."""

from flask.cli import FlaskGroup

from workbench import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, help="Workbench: fact-check and annotation workbench.")(prog_name="workbench")


if __name__ == "__main__":
    main()
