"""The test app, its passwords, and the paths tests read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench import create_app

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
PASSWORDS = {role: f"{role}-password" for role in ("admin", "editor", "checker", "viewer")}


def shared_path(*parts: str) -> Path:
    """A file under ../shared; skips the test where it is absent, except under CI where it must exist."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing, and CI must run the tests that read ../shared")
        pytest.skip(f"{path} is not here (a clone without ../shared)")
    return path


def make_test_app(database_url: str, instance: Path, **overrides):
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "FETCH_ALLOW_PRIVATE": True,
        "FETCH_TIMEOUT": 5.0,
    }
    config.update(overrides)
    return create_app(config)
