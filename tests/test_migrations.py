"""Alembic migrations: from empty to head, and the result matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from workbench.store import models  # noqa: F401
from workbench.store.db import get_engine, upgrade_database


def test_migrated_schema_matches_the_models(app):
    engine = get_engine(app)
    upgrade_database(engine)  # already at head: a no-op that must not fail
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []


def test_every_table_exists(app):
    names = set(inspect(get_engine(app)).get_table_names())
    assert set(SQLModel.metadata.tables) <= names and "alembic_version" in names


def test_upgrade_from_empty(tmp_path):
    from workbench.store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    upgrade_database(engine)
    assert "revision" in inspect(engine).get_table_names()
    engine.dispose()


def _fresh_database(backend: str, tmp_path):
    """An empty database of ``backend``, and how to drop it afterwards."""
    import os

    from sqlalchemy import text

    from workbench.store.db import make_engine

    if backend == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}"), lambda: None
    url = os.environ["WORKBENCH_TEST_DATABASE_URL"]
    schema = f"workbench_migrate_{os.getpid()}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}")

    def drop():
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()

    return engine, drop


def test_approved_claims_keep_their_approval_across_the_upgrade(database_url, tmp_path):
    """From the schema before approvals: an approved claim gets a snapshot of its content and stays
    published; a deleted one gets its withdrawal details from its history."""
    from datetime import datetime, timezone

    from sqlalchemy import text
    from sqlmodel import Session, select

    from workbench.services.approvals import content_digest, content_of
    from workbench.store.models import Claim, ClaimApproval

    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    engine, drop = _fresh_database(backend, tmp_path)
    try:
        upgrade_database(engine, "0004")
        now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO \"user\" (id, username, display_name, password_hash, role, active, created) "
                              "VALUES (1, 'ed', 'Ed', 'x', 'editor', :t, :now)"), {"t": True, "now": now})
            conn.execute(text("INSERT INTO article (id, title, created, modified, current_revision) "
                              "VALUES (1, 'A', :now, :now, 1)"), {"now": now})
            conn.execute(text("INSERT INTO revision (id, article_id, number, original, original_media_type, origin, "
                              "canonical_text, html, sha256, blocks, blocks_kept, blocks_dropped, title, created) "
                              "VALUES (1, 1, 1, :b, 'text/plain', 'paste', 'Tolls rose.', '<p>Tolls rose.</p>', "
                              "'0', '[]', 1, 0, 'A', :now)"), {"b": b"Tolls rose.", "now": now})
            for claim_id, status, deleted in ((1, "approved", False), (2, "draft", True)):
                conn.execute(text(
                    "INSERT INTO claim (id, article_id, revision_id, start, \"end\", exact, prefix, suffix, verdict, "
                    "rationale, tags, status, version, anchor_state, creator_id, last_editor_id, created, modified, "
                    "deleted) VALUES (:id, 1, 1, 0, 5, 'Tolls', '', ' rose.', 'true', 'Yes.', '[\"money\"]', "
                    ":status, 3, 'anchored', 1, 1, :now, :now, :deleted)"),
                    {"id": claim_id, "status": status, "deleted": deleted, "now": now})
            conn.execute(text("INSERT INTO source (id, url, title, date_published, archived_url, archived_date, "
                              "created) VALUES (1, 'https://s.example/', 'S', :d, 'https://a.example/', :now, :now)"),
                         {"d": now.date(), "now": now})
            conn.execute(text("INSERT INTO claim_source (claim_id, source_id, stance, excerpt, position) "
                              "VALUES (1, 1, 'supports', 'ex', 0)"))
            conn.execute(text("INSERT INTO history_event (article_id, claim_id, actor_id, at, action, changes, note) "
                              "VALUES (1, 1, 1, :now, 'transition', '{\"status\": [\"in_review\", \"approved\"]}', ''),"
                              " (1, 2, 1, :now, 'deleted', '{}', 'Duplicate')"), {"now": now})
        upgrade_database(engine)
        with Session(engine) as db:
            claim = db.get(Claim, 1)
            approval = db.exec(select(ClaimApproval).where(ClaimApproval.claim_id == 1)).one()
            assert claim.status == "approved" and approval.approved_by_id == 1 and approval.withdrawn_at is None
            assert approval.content["sources"][0]["stance"] == "supports" and approval.content["exact"] == "Tolls"
            # The snapshot is exactly what the app computes from the claim now: it stays published.
            assert claim.approved_digest == approval.digest == content_digest(content_of(db, claim))
            deleted = db.get(Claim, 2)
            assert deleted.withdrawn_kind == "deleted" and deleted.withdrawn_reason == "Duplicate"
            assert deleted.withdrawn_by_id == 1
    finally:
        engine.dispose()
        drop()


def test_users_from_before_the_session_version_get_one(tmp_path):
    from sqlalchemy import text

    from workbench.store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade_database(engine, "0005")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO user (username, display_name, password_hash, role, active, created) "
                          "VALUES ('ana', 'Ana', 'x', 'checker', 1, '2025-01-01 00:00:00')"))
    upgrade_database(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT session_version FROM user WHERE username = 'ana'")).scalar_one() == 0
    engine.dispose()


def test_tokens_from_before_scopes_keep_writing_after_the_upgrade(database_url, tmp_path):
    """A token made before tokens had a scope stays a read-and-write token, not revoked, with its
    times kept; the new columns take what the Tokens page writes."""
    from datetime import datetime, timezone

    from sqlalchemy import text
    from sqlmodel import Session

    from workbench.services.accounts import hash_token, token_and_user
    from workbench.store.models import ApiToken, utcnow

    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    engine, drop = _fresh_database(backend, tmp_path)
    try:
        upgrade_database(engine, "0006")
        now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO \"user\" (id, username, display_name, password_hash, role, active, created) "
                              "VALUES (1, 'ana', 'Ana', 'x', 'checker', :t, :now)"), {"t": True, "now": now})
            conn.execute(text("INSERT INTO api_token (id, user_id, token_hash, prefix, label, created, last_used, "
                              "revoked) VALUES (1, 1, :hash, 'wbt_old', 'CMS', :now, :now, :f)"),
                         {"hash": hash_token("wbt_old-token"), "now": now, "f": False})
        upgrade_database(engine)
        with Session(engine) as db:
            token = db.get(ApiToken, 1)
            assert (token.read_only, token.revoked, token.revoked_at, token.label) == (False, False, None, "CMS")
            assert token.created.replace(tzinfo=timezone.utc) == now
            use, user = token_and_user(db, "wbt_old-token")
            assert user.username == "ana" and use.read_only is False
            token.revoked, token.revoked_at, token.revoked_by_id = True, utcnow(), 1
            db.add(token)
            db.commit()
            assert token_and_user(db, "wbt_old-token") is None
    finally:
        engine.dispose()
        drop()


def test_an_old_sqlite_is_refused_naming_what_is_needed(monkeypatch, tmp_path):
    import sqlite3

    import pytest

    from workbench.store.db import make_engine

    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(RuntimeError, match=r"needs SQLite 3\.38 or newer; this Python has 3\.31\.1"):
        make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    assert not (tmp_path / "old.sqlite3").exists()
