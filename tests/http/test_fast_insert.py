"""The claim insert on the driver writes the very row the ORM would, and fails the way SQLAlchemy does."""

from datetime import datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, inspect, select
from sqlalchemy.exc import DBAPIError

from workbench.services.claims import create_claim
from workbench.services.schemas import ClaimFields
from workbench.store.db import get_session
from workbench.store.driver_statements import DriverStatements
from workbench.store.fast_insert import FastInsert
from workbench.store.models import Claim, HistoryEvent, User
from workbench.store.revision_text import current_revision


def _row(db, model, row_id):
    table = model.__table__
    return dict(db.connection().execute(select(table).where(table.c.id == row_id)).mappings().one())


def test_a_claim_made_on_the_fast_path_equals_the_one_the_orm_makes(app, users, make_article):
    article_id = make_article()
    with app.test_request_context(method="POST"):
        db = get_session()
        checker = db.get(User, users["checker"].id)
        revision = current_revision(db, article_id)
        start = revision.canonical_text.index("The first")
        fast = create_claim(db, revision=revision, actor=checker, start=start, end=start + 9, exact="The first",
                            fields=ClaimFields(verdict="false", rationale="", tags=[]))
        fast_id = fast.id
        given = {key: value for key, value in _row(db, Claim, fast_id).items()
                 if key in ("article_id", "revision_id", "start", "end", "exact", "prefix", "suffix", "verdict",
                            "creator_id", "last_editor_id")}
        by_orm = Claim(**given)
        db.add(by_orm)
        db.commit()
        fast_row, orm_row = _row(db, Claim, fast_id), _row(db, Claim, by_orm.id)
        event = db.connection().execute(select(HistoryEvent.__table__)
                                        .where(HistoryEvent.claim_id == fast_id)).mappings().one()
    for key in ("created", "modified"):
        assert isinstance(fast_row[key], datetime) and fast_row[key] <= orm_row[key]
    assert fast_row["version"] == orm_row["version"] == 1
    assert fast_row.keys() == orm_row.keys()
    differ = {key for key in fast_row if fast_row[key] != orm_row[key]}
    assert differ == {"id", "created", "modified"}
    assert event["action"] == "created" and event["note"] == "" and event["at"] == fast_row["created"]
    # Each column's default came from the model: nothing was left to chance.
    assert fast_row["tags"] == [] and fast_row["status"] == "draft" and fast_row["anchor_state"] == "anchored"
    assert fast_row["deleted"] is False and fast_row["re_review"] is False and fast_row["withdrawn_reason"] == ""


def test_the_builder_fills_in_what_a_new_instance_would_hold():
    claims = FastInsert(Claim)
    row = claims.row({"article_id": 1, "revision_id": 2, "start": 0, "end": 3, "exact": "abc", "creator_id": 4,
                      "last_editor_id": 4})
    made = Claim(article_id=1, revision_id=2, start=0, end=3, exact="abc", creator_id=4, last_editor_id=4)
    columns = [column.key for column in Claim.__table__.columns if column.key != "id"]
    assert list(row) == columns == list(claims.keys)
    expected = {key: getattr(made, key) for key in columns}
    expected["version"] = inspect(Claim).version_id_generator(None)
    assert {k: v for k, v in row.items() if k not in ("created", "modified")} == \
        {k: v for k, v in expected.items() if k not in ("created", "modified")}
    assert all(isinstance(row[key], datetime) and row[key].tzinfo is not None for key in ("created", "modified"))
    assert claims.row({**row, "tags": None})["tags"] is None  # what is given is kept
    with pytest.raises(TypeError, match="needs article_id"):
        claims.row({"revision_id": 2})
    with pytest.raises(TypeError, match="no column"):
        claims.row({**row, "nonsense": 1})


def test_a_new_rows_mutable_default_is_its_own():
    claims = FastInsert(Claim)
    given = {"article_id": 1, "revision_id": 2, "start": 0, "end": 3, "exact": "abc", "creator_id": 4,
             "last_editor_id": 4}
    first, second = claims.row(given), claims.row(given)
    first["tags"].append("x")
    assert second["tags"] == []


def test_the_drivers_errors_come_wrapped_as_sqlalchemy_wraps_them(app):
    missing = Table("no_such_table", MetaData(), Column("id", Integer, primary_key=True))
    statement = DriverStatements(insert(missing), column_keys=["id"])
    with app.app_context():
        conn = get_session().connection()
        compiled = statement.for_dialect(conn.dialect)
        with pytest.raises(DBAPIError) as caught:
            compiled.execute(conn, compiled.convert({"id": 1}))
        assert isinstance(caught.value.orig, conn.dialect.loaded_dbapi.Error)
        assert "no_such_table" in str(caught.value)


def test_none_given_for_a_column_with_a_default_gets_the_default_as_the_flush_gives_it():
    row = FastInsert(Claim).row({"article_id": 1, "revision_id": 2, "start": 0, "end": 3, "exact": "abc",
                                 "creator_id": 4, "last_editor_id": 4, "status": None, "verdict": None})
    assert row["status"] == "draft" and row["verdict"] is None
