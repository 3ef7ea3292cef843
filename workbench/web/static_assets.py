"""Vendored static assets and their recorded checksums (``static/vendor/CHECKSUMS.json``)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from workbench.config import STATIC_DIR
from workbench.memo import memoized

CHECKSUMS_FILE = STATIC_DIR / "vendor" / "CHECKSUMS.json"


@memoized(max_entries=1)
def recorded_checksums() -> dict:
    return json.loads(CHECKSUMS_FILE.read_text())


def sha256_hex(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@memoized(max_entries=64)
def asset_integrity(relative_path: str) -> str:
    """Subresource Integrity value for a vendored file, so the browser verifies it too."""
    digest = hashlib.sha384((STATIC_DIR / relative_path).read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode()


def verify_vendored() -> list[str]:
    """Names of vendored files whose bytes differ from the recorded SHA-256 (empty when all match)."""
    bad = []
    for entry in recorded_checksums()["files"]:
        path = STATIC_DIR / entry["path"]
        if not path.exists() or sha256_hex(path) != entry["sha256"]:
            bad.append(entry["path"])
    return bad
