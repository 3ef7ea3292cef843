"""The ``workbench`` console script (and ``python -m workbench``): the same commands as
``flask --app workbench``, and ``--version`` printing Workbench's own version."""

from importlib.metadata import PackageNotFoundError, version

import click
from flask.cli import FlaskGroup

from workbench import create_app


def workbench_version() -> str:
    try:
        return version("workbench")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def main() -> None:
    group = FlaskGroup(create_app=create_app, add_version_option=False,
                       help="Workbench: fact-check and annotation workbench.")
    # Flask's own --version prints Flask's and Python's versions; an operator asks for Workbench's.
    click.version_option(workbench_version(), "--version", prog_name="Workbench",
                         message="%(prog)s %(version)s")(group)
    group(prog_name="workbench")


if __name__ == "__main__":
    main()
