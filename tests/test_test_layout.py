"""The tests' own layout: what one test module needs from another lives in tests/helpers.

A module under tests/ (a test module, a conftest, a helper) or scripts/ may import from the tests
package only ``tests.helpers`` and ``tests.corpus`` (the cleaning and re-anchoring corpora). It never
imports a test module (``test_*.py``) or a conftest: fixtures reach tests through pytest, by name.
Imports inside functions count, and so do relative ones.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = ("tests.helpers", "tests.corpus")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(source: str, module: str, is_package: bool = False) -> list[tuple[str, int]]:
    """(module or ``module.name``, line) for every import in ``source``, relative ones resolved
    against ``module``: ``from tests.http import test_x`` yields ``tests.http.test_x``."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found += [(f"{base}.{alias.name}" if base else alias.name, node.lineno) for alias in node.names]
    return found


def refused(name: str) -> bool:
    """Whether a name imported from the tests package reaches beyond tests.helpers and tests.corpus."""
    if name != "tests" and not name.startswith("tests."):
        return False
    return not any(name == allowed or name.startswith(allowed + ".") for allowed in ALLOWED)


def offences(path: Path) -> list[str]:
    module = module_name(path)
    return [f"{path.relative_to(ROOT)}:{line} imports {name}"
            for name, line in imported(path.read_text(), module, path.name == "__init__.py")
            if refused(name)]


def test_no_module_imports_a_test_module_or_a_conftest():
    paths = sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "scripts").rglob("*.py"))
    assert len([p for p in paths if p.name.startswith("test_")]) > 50  # the walk found the tests
    found = [offence for path in paths for offence in offences(path)]
    assert found == [], "move what is shared into tests/helpers (or a fixture into a conftest):\n" + "\n".join(found)


def test_the_check_sees_every_way_of_importing_a_test_module():
    module = "tests.http.test_example"
    source = """
from tests.http.test_api_articles import assert_api_error
import tests.test_durability
from tests.http import test_revisions
from . import conftest
from ..conftest import PASSWORDS
from tests import conftest as root

def later():
    from tests.browser.test_annotate import add_claim

from tests.helpers.api import annotation_for
from tests.corpus import run_corpus
from tests import helpers
import workbench.store
"""
    names = [name for name, _line in imported(source, module) if refused(name)]
    assert names == ["tests.http.test_api_articles.assert_api_error", "tests.test_durability",
                     "tests.http.test_revisions", "tests.http.conftest", "tests.conftest.PASSWORDS",
                     "tests.conftest", "tests.browser.test_annotate.add_claim"]
