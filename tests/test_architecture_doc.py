"""docs/architecture.md stays true: it names every module, names no module that is gone, and its
recipe for a new claim field lists at most six files, all of which exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"
DOC = (ROOT / "docs" / "architecture.md").read_text()


def package_modules() -> set[str]:
    """Every module's path inside workbench/, as the document writes it (``services/claims.py``)."""
    return {str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
            if "versions" not in path.relative_to(PACKAGE).parts and path.name != "__init__.py"}


def named_in_doc() -> set[str]:
    return set(re.findall(r"`((?:[a-z0-9_]+/)*[a-z0-9_]+\.py)`", DOC))


def test_every_module_is_named():
    missing = sorted(package_modules() - named_in_doc())
    assert missing == [], f"docs/architecture.md does not name: {missing}"


def test_every_module_named_exists():
    gone = sorted(name for name in named_in_doc()
                  if not (PACKAGE / name).exists() and not (ROOT / name).exists())
    assert gone == [], f"docs/architecture.md names modules that do not exist: {gone}"


def test_adding_a_claim_field_touches_at_most_six_files():
    section = DOC.split("## How to add a claim field", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^\d+\. .*?`([^`]+)`", section, re.M)
    assert 1 <= len(steps) <= 6, steps
    for step in steps:
        assert (ROOT / step).exists() or list(ROOT.glob(step)), f"{step} does not exist"
