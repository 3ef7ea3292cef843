"""Stamps that name a revision's claims exactly, read by the database as one short row."""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.engine import Connection

_STAMP_SQL = {
    # Each claim's id, version and creation time, in id order, joined by the database. (The time
    # tells apart databases whose ids and versions coincide, as a test's fresh one does.)
    "sqlite": "SELECT count(*), group_concat(pair, ',') FROM (SELECT id || '.' || version || '.' || created AS pair "
              "FROM claim WHERE revision_id = :revision_id AND deleted = 0 ORDER BY id)",
    "postgresql": "SELECT count(*), md5(string_agg(id::text || '.' || version::text || '.' || created::text, ',' "
                  "ORDER BY id)) FROM claim WHERE revision_id = :revision_id AND NOT deleted",
}


def revision_claims_stamp(conn: Connection, revision_id: int) -> str:
    """The ids, versions and creation times of the revision's live claims, as a digest. Every
    change to a claim raises its version (the mapper's version counter), so equal stamps mean
    equal claims."""
    count, pairs = conn.execute(text(_STAMP_SQL[conn.dialect.name]), {"revision_id": revision_id}).one()
    if conn.dialect.name == "sqlite" and pairs:
        pairs = hashlib.sha256(pairs.encode()).hexdigest()
    return f"{revision_id}:{count}:{pairs or ''}"
