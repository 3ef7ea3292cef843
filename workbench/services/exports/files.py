"""Built exports kept as files for a day, for the user who built them to download."""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import NotFoundError

KEEP_SECONDS = 24 * 3600
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
EXPIRED = "This export has expired; build it again from the article page."


@dataclass(frozen=True)
class KeptFile:
    path: Path
    media_type: str
    filename: str


def folder(instance_path: str | Path) -> Path:
    """The folder of kept exports under the instance folder (made when missing)."""
    found = Path(instance_path) / "exports"
    found.mkdir(parents=True, exist_ok=True)
    return found


def keep(instance_path: str | Path, export, *, user_id: int) -> str:
    """Write ``export`` (content, media type, file name) for ``user_id``; the key to fetch it by.
    Files older than ``KEEP_SECONDS`` go meanwhile."""
    where = folder(instance_path)
    _forget_old(where)
    key = secrets.token_urlsafe(18)
    try:
        (where / key).write_bytes(export.content)
        (where / f"{key}.json").write_text(json.dumps({"media_type": export.media_type,
                                                       "filename": export.filename, "user_id": user_id}))
    except OSError:
        # A full disk fails either write (503, see workbench.store.storage): leave no half of an export.
        for path in (where / key, where / f"{key}.json"):
            path.unlink(missing_ok=True)
        raise
    return key


def find(instance_path: str | Path, key: str, *, user_id: int) -> KeptFile:
    """The export kept under ``key`` for ``user_id``; NotFoundError for any other key or user."""
    where = folder(instance_path)
    meta_path = where / f"{key}.json"
    # Keys are token_urlsafe(18): anything else names no export (and no other file, nor too long a name).
    if not _KEY.fullmatch(key) or not meta_path.exists():
        raise NotFoundError(EXPIRED)
    meta = json.loads(meta_path.read_text())
    if meta["user_id"] != user_id:
        raise NotFoundError(EXPIRED)
    return KeptFile(path=where / key, media_type=meta["media_type"], filename=meta["filename"])


def _forget_old(where: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in where.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
