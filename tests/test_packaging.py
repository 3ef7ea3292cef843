"""A package that installs: the wheel carries the templates, static files and migrations, runs
outside the checkout with its instance folder in the current directory, and every package the
code imports is declared."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from tests.helpers.apps import ROOT
from tests.helpers.servers import free_port

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _normalise(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))


def _imported_top_level_modules() -> set[str]:
    found = set()
    for path in (ROOT / "workbench").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"workbench"}


def test_every_imported_package_is_declared():
    """Each third-party module the code imports (inside functions too) comes from a distribution
    named in [project.dependencies], not one that only happens to arrive with another."""
    declared = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    distributions = packages_distributions()
    missing = {}
    for module in sorted(_imported_top_level_modules()):
        names = {_normalise(d) for d in distributions.get(module, [module])}
        if not names & declared:
            missing[module] = sorted(names)
    assert missing == {}, f"imported but not declared in pyproject.toml: {missing}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    try:
        import hatchling  # noqa: F401  (the build backend, installed with the test tools)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("hatchling must be installed in CI (pip install -e '.[test]')")
        pytest.skip("hatchling is not installed (pip install -e '.[test]')")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(out), str(ROOT)], check=True, capture_output=True, timeout=120)
    [built] = out.glob("workbench-*.whl")
    return built


def test_the_wheel_carries_templates_static_files_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("templates", "static"):
        expected = {f"workbench/{shipped}/{p.relative_to(ROOT / shipped).as_posix()}"
                    for p in (ROOT / shipped).rglob("*") if p.is_file()}
        assert expected <= names, sorted(expected - names)[:5]
    migrations = {f"workbench/store/migrations/versions/{p.name}"
                  for p in (ROOT / "workbench" / "store" / "migrations" / "versions").glob("*.py")}
    assert migrations <= names and "workbench/store/migrations/script.py.mako" in names
    assert not any(name.startswith(("instance/", "tests/", "workbench/instance")) for name in names)


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel alone installed in it; its dependencies come from this test run's
    own environment (a path line, so nothing is downloaded again and the checkout stays out of it)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True, timeout=120)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "workbench-test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def _run(venv: Path, cwd: Path, *args: str, **kwargs):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_") and k != "PYTHONPATH"}
    return subprocess.run([str(venv / "bin" / "workbench"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60, **kwargs)


def test_the_installed_package_runs_outside_the_checkout(installed, tmp_path):
    where = subprocess.run([str(installed / "bin" / "python"), "-c", "import workbench; print(workbench.__file__)"],
                           cwd=tmp_path, check=True, capture_output=True, text=True).stdout.strip()
    assert where.startswith(str(installed)), where  # the wheel's copy, not the checkout's
    version = _run(installed, tmp_path, "--version")
    assert version.stdout.strip() == f"Workbench {PYPROJECT['project']['version']}", version.stdout + version.stderr
    made = _run(installed, tmp_path, "init-db")
    assert made.returncode == 0, made.stderr
    # The instance folder (database, secret key) is made in the current directory, not in site-packages.
    assert (tmp_path / "instance" / "workbench.sqlite3").is_file() and (tmp_path / "instance" / "secret_key").is_file()
    assert not list(installed.rglob("secret_key")) and not list(installed.rglob("workbench.sqlite3"))

    # Served as in production, with the settings the package ships (no gunicorn.conf.py here).
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env.update(WORKBENCH_BIND=f"127.0.0.1:{port}", WORKBENCH_WORKERS="1", WORKBENCH_THREADS="1")
    server = subprocess.Popen([str(installed / "bin" / "python"), "-m", "gunicorn", "-c", "python:workbench.serving",
                               "workbench:create_app()"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=env)
    try:
        page = _get(f"http://127.0.0.1:{port}/login", server)
        assert 'for="field-username"' in page or ">Username<" in page
        assert "Sign in" in page
        css = _get(f"http://127.0.0.1:{port}/static/css/app.css", server)
        assert css.strip()
        # The arbiter opens its control socket beside its first workers: it may come just after.
        deadline = time.monotonic() + 10
        while not (tmp_path / "instance" / "gunicorn.ctl").is_socket() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "instance" / "gunicorn.ctl").is_socket()
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _get(url: str, server: subprocess.Popen) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
                return response.read().decode()
        except urllib.error.HTTPError as err:  # the server answered: no point asking again
            raise AssertionError(f"{url} answered {err.code}: {err.read().decode()[:500]}") from None
        except OSError:
            if server.poll() is not None:
                raise AssertionError(f"the server stopped: {server.stderr.read().decode()[-2000:]}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
