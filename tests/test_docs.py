"""The README stays true: its commands exist and every CLI command is documented."""

import re
from pathlib import Path

import click

from workbench.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _command_names():
    for command in COMMANDS:
        if isinstance(command, click.Group):
            for sub in command.commands:
                yield f"{command.name} {sub}"
        else:
            yield command.name


def test_every_cli_command_is_in_the_readme():
    for name in _command_names():
        assert f"`{name}" in README, f"README does not document `{name}`"


def test_the_two_commands_are_make_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_setting_in_the_readme_is_read_and_every_app_setting_documented():
    from workbench.config import ENV_SETTINGS

    documented = set(re.findall(r"\b(WORKBENCH_[A-Z_]+)\b", README))
    readers = [ROOT / "workbench" / "serving.py", ROOT / "workbench" / "config.py", ROOT / "tests" / "conftest.py",
               *(ROOT / "tests" / "helpers").glob("*.py"), *(ROOT / "scripts").glob("*.py")]
    read_elsewhere = {name for path in readers for name in re.findall(r"\b(WORKBENCH_[A-Z_]+)\b", path.read_text())}
    assert documented <= set(ENV_SETTINGS) | read_elsewhere, documented - set(ENV_SETTINGS) - read_elsewhere
    assert set(ENV_SETTINGS) <= documented
