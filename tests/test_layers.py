"""The package's layers, read from every import in its source (function-level ones included).

    workbench (the app factory, the CLI)
      └ web       blueprints, API presenters, links, sessions, error pages
          └ services  what users can do, each in its own unit of work
              └ store     models, engine, units of work, migrations, fast statements, caches
                  └ text      cleaning, extraction, anchoring, diffing, highlights, sanitizing

A module may import its own layer and the layers below it. Four base modules stand outside the
layers, for all of them: ``workbench.errors`` (what services raise), ``workbench.config`` (the
settings and their defaults), ``workbench.memo`` (the one cache) and ``workbench.waits`` (requests
waiting outside the process); they import only each other. ``text``
imports neither Flask nor SQLAlchemy. No import cycle exists between modules, whether the
imports are at the top of a file or inside a function.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "workbench"
LAYERS = ["text", "store", "services", "web", ""]  # lowest first; "" is the package's root modules
BASE = {"workbench.errors", "workbench.config", "workbench.memo", "workbench.waits"}
NOT_IN_TEXT = {"flask", "sqlalchemy", "sqlmodel", "alembic", "werkzeug", "jinja2", "psycopg"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))
            if "versions" not in path.relative_to(PACKAGE).parts}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or (len(parts) == 2 and module not in modules() and module + ".__init__" not in modules()):
        return ""
    return parts[1] if parts[1] in LAYERS else ""


@cache
def imports_of(module: str) -> list[tuple[str, int]]:
    """(imported module, line) for every import in ``module``: a name imported from a package is
    the submodule when there is one."""
    path = modules()[module]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.append((name if name in modules() else node.module, node.lineno))
    return found


def project_imports(module: str) -> list[tuple[str, int]]:
    return [(name, line) for name, line in imports_of(module)
            if name.split(".")[0] == "workbench" and name in modules() and name != module]


def test_every_module_is_in_a_layer_or_the_base():
    root = {name for name in modules() if layer_of(name) == ""}
    assert root <= {"workbench", "workbench.__main__", "workbench.cli", "workbench.serving"} | BASE, sorted(root)


def test_no_module_imports_a_layer_above_its_own():
    broken = []
    for module in modules():
        if module in BASE:
            continue
        rank = LAYERS.index(layer_of(module))
        for name, line in project_imports(module):
            if name not in BASE and LAYERS.index(layer_of(name)) > rank:
                broken.append(f"{module}:{line} imports {name}")
    assert broken == []


def test_the_base_modules_import_only_each_other():
    broken = [f"{module}:{line} imports {name}" for module in BASE for name, line in project_imports(module)
              if name not in BASE]
    assert broken == []


def test_text_needs_no_web_and_no_database():
    broken = [f"{module}:{line} imports {name}" for module in modules() if layer_of(module) == "text"
              for name, line in imports_of(module) if name.split(".")[0] in NOT_IN_TEXT]
    assert broken == []


def test_no_import_cycle():
    graph = {module: sorted({name for name, _line in project_imports(module)}) for module in modules()}
    # A package's __init__ is imported with each of its modules: an import of the package from
    # inside it is no cycle unless __init__ itself imports back.
    cycles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for name in graph[module]:
            if state.get(name) == "open":
                cycles.append(path[path.index(name):] + [name])
            elif name not in state:
                visit(name, path + [name])
        state[module] = "done"

    for module in graph:
        if module not in state:
            visit(module, [module])
    assert [" -> ".join(cycle) for cycle in cycles] == []
