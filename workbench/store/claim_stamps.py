"""Stamps that name a revision's claims exactly, read by the database as one short row."""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.engine import Connection

from workbench.memo import memoized
from workbench.store.driver_statements import DriverStatements

_STAMP_SQL = {
    # Each claim's id, version and creation time, in id order, joined by the database. (The time
    # tells apart databases whose ids and versions coincide, as a test's fresh one does.)
    "sqlite": "SELECT count(*), group_concat(pair, ',') FROM (SELECT id || '.' || version || '.' || created AS pair "
              "FROM claim WHERE revision_id = :revision_id AND deleted = 0 ORDER BY id)",
    "postgresql": "SELECT count(*), md5(string_agg(id::text || '.' || version::text || '.' || created::text, ',' "
                  "ORDER BY id)) FROM claim WHERE revision_id = :revision_id AND NOT deleted",
}


#: An article's latest history event, by its id and time: one step of ``ix_history_event_article_latest``.
_LATEST_EVENT_SQL = ("SELECT id, at FROM history_event WHERE article_id = :article_id "
                     "ORDER BY article_id DESC, id DESC LIMIT 1")


@memoized(max_entries=32)
def _statement(sql: str) -> DriverStatements:
    """``sql`` as a statement made once and run on the driver's cursor: making one parses its
    text for parameters, and SQLAlchemy's execution layer adds as much again, which together cost
    a container read more than running its queries."""
    return DriverStatements(text(sql))


def _row(conn: Connection, sql: str, params: dict) -> tuple | None:
    """The first row ``sql`` returns, run in ``conn``'s transaction."""
    return _statement(sql).for_dialect(conn.dialect).execute(conn, params)


def revision_claims_stamp(conn: Connection, revision_id: int) -> str:
    """The ids, versions and creation times of the revision's live claims, as a digest. Every
    change to a claim raises its version (the mapper's version counter), so equal stamps mean
    equal claims."""
    count, pairs = _row(conn, _STAMP_SQL[conn.dialect.name], {"revision_id": revision_id})
    return _claims_stamp(conn, revision_id, count, pairs)


def _claims_stamp(conn: Connection, revision_id: int, count: int, pairs: str | None) -> str:
    if conn.dialect.name == "sqlite" and pairs:
        pairs = hashlib.sha256(pairs.encode()).hexdigest()
    return f"{revision_id}:{count}:{pairs or ''}"


@memoized(max_entries=8)
def _page_sql(dialect: str) -> str:
    # A claim's every change raises its version; its creation time tells apart databases whose ids
    # and versions coincide (as a test's fresh one does).
    columns = ["id", "version", "created", "modified", "creator_id", "revision_id"]
    live = "article_id = :article_id AND deleted = :no"
    page = f"SELECT id, {_row_text(dialect, 'c', columns)} AS v FROM claim c WHERE {live} ORDER BY id LIMIT :size OFFSET :skip"
    joined = "group_concat(v, ',')" if dialect == "sqlite" else "md5(string_agg(v, ',' ORDER BY id))"
    return (f"SELECT (SELECT count(*) FROM claim WHERE {live}), min(id), max(id), {joined} FROM ({page}) p")


def page_stamp(conn: Connection, article_id: int, skip: int, size: int) -> tuple[int, int | None, int | None, str]:
    """(the article's live claims, the page's first and last ids, the digest of every value of
    the page's claims) for the ``size`` claims after the first ``skip`` in id order: one short row,
    so a page of a thousand claims is named without reading a thousand rows. Any change to a claim
    raises its version and so changes the digest."""
    total, first, last, values = _row(conn, _page_sql(conn.dialect.name),
                                      {"article_id": article_id, "no": False, "size": size, "skip": skip})
    if conn.dialect.name == "sqlite" and values:
        values = hashlib.sha256(values.encode()).hexdigest()
    return total, first, last, values or ""


def history_stamp(conn: Connection, article_id: int) -> str:
    """The article's latest history event, by id and time. Events are never changed or deleted
    (the table's trigger), and every change to the article, its claims, their sources and
    approvals adds one: equal stamps, equal history. (The time tells apart databases whose ids
    coincide, as a test's fresh one does.)"""
    row = _row(conn, _LATEST_EVENT_SQL, {"article_id": article_id})
    return _history_stamp(article_id, *(row or (None, None)))


def _history_stamp(article_id: int, event_id, at) -> str:
    return f"{article_id}:{event_id or 0}:{at or ''}"


def page_stamps(conn: Connection, revision_id: int, article_id: int) -> tuple[str, str]:
    """``revision_claims_stamp`` and ``history_stamp`` read together, in one round trip."""
    latest = _LATEST_EVENT_SQL.replace("SELECT id, at", "SELECT {}")
    sql = (f"SELECT stamp.*, ({latest.format('id')}), ({latest.format('at')}) "
           f"FROM ({_STAMP_SQL[conn.dialect.name]}) AS stamp")
    count, pairs, event_id, at = _row(conn, sql, {"revision_id": revision_id, "article_id": article_id})
    return _claims_stamp(conn, revision_id, count, pairs), _history_stamp(article_id, event_id, at)


def _row_text(dialect: str, alias: str, columns: list[str]) -> str:
    """One row's values as unambiguous text: each quoted as the database quotes a literal."""
    if dialect == "sqlite":
        # A JSON array tells text, numbers and NULL apart and escapes what it holds, at a quarter of
        # the cost of quoting each value and joining them.
        return "json_array(" + ", ".join(f"{alias}.\"{c}\"" for c in columns) + ")"
    return "||'|'||".join(f"quote_nullable({alias}.\"{c}\"::text)" for c in columns)


def _digest(dialect: str, values: str, rows: str, order: str) -> str:
    """A subquery joining ``values`` of ``rows`` in ``order``, digested on PostgreSQL."""
    if dialect == "sqlite":
        return f"(SELECT group_concat(v, ',') FROM (SELECT {values} AS v {rows} ORDER BY {order}))"
    return f"(SELECT md5(string_agg({values}, ',' ORDER BY {order})) {rows})"


@memoized(max_entries=8)
def _related_sql(dialect: str) -> str:
    from workbench.store.models import ClaimSource, Revision, Source, User

    chosen = "SELECT id FROM claim WHERE article_id = :article_id AND deleted = :no AND id BETWEEN :first AND :last"
    # Each citation with the source it cites, in one pass over the chosen claims' citations (a
    # third cheaper than reading the citations and then their sources).
    cited = (f"{_row_text(dialect, 'cs', [c.name for c in ClaimSource.__table__.columns])} || ':' || "
             f"{_row_text(dialect, 's', [c.name for c in Source.__table__.columns])}")
    sources = _digest(dialect, cited,
                      f"FROM {ClaimSource.__tablename__} cs JOIN {Source.__tablename__} s ON s.id = cs.source_id "
                      f"WHERE cs.claim_id IN ({chosen})", "cs.id")
    users = _digest(dialect, _row_text(dialect, "u", ["id", "username", "display_name"]),
                    f"FROM \"{User.__tablename__}\" u WHERE u.id IN (SELECT creator_id FROM claim WHERE id IN ({chosen}))",
                    "u.id")
    numbers = _digest(dialect, _row_text(dialect, "r", ["id", "number"]),
                      f"FROM {Revision.__tablename__} r WHERE r.id IN (SELECT revision_id FROM claim WHERE id IN ({chosen}))",
                      "r.id")
    return f"SELECT {sources}, {users}, {numbers}"


def related_stamp(conn: Connection, article_id: int, first: int, last: int) -> tuple:
    """The values of the rows an article's claims ``first``..``last`` (by id) show besides their
    own: their sources as cited and as stored, their creators' names, their revisions' numbers.
    Read by the database as three short values, so a page of a thousand claims is named without
    reading a thousand sources; any change to any of those values gives another stamp."""
    values = _row(conn, _related_sql(conn.dialect.name),
                  {"article_id": article_id, "no": False, "first": first, "last": last})
    if conn.dialect.name == "sqlite":
        return tuple(hashlib.sha256(v.encode()).hexdigest() if v else "" for v in values)
    return tuple(v or "" for v in values)
