"""How writes take turns: SQLite's write lock only around writes, a queue for writers, fresh re-checks.

The SQLite tests look at the lock itself, from a second raw connection that refuses to wait.
"""

import fcntl
import sqlite3
import threading
import time

import pytest
from sqlmodel import func, select

from tests.helpers.api import annotation_for, assert_api_error
from tests.helpers.databases import sqlite_path, write_lock_is_free
from workbench.errors import ConflictError
from workbench.services.articles import get_article_and_revision
from workbench.services.claims import create_claim
from workbench.services.imports import import_article
from workbench.services.schemas import ClaimFields
from workbench.store.db import get_session, make_engine
from workbench.store.models import Article, Claim, HistoryEvent, User
from workbench.store.unit_of_work import reading, writing


def test_reads_before_a_write_leave_the_lock_free_and_the_write_takes_it(app, users, make_article):
    path = sqlite_path(app)
    article_id = make_article()
    with app.test_request_context(method="POST"):
        db = get_session()
        with reading(db):
            article, revision = get_article_and_revision(db, article_id)
            assert write_lock_is_free(path)
        checker = db.get(User, users["checker"].id)
        start = revision.canonical_text.index("The first")
        claim = create_claim(db, revision=revision, actor=checker, start=start, end=start + 9,
                             exact="The first", fields=ClaimFields())
        assert claim.id is not None and write_lock_is_free(path)
        # A unit of work that writes holds the lock from its first statement.
        with pytest.raises(ZeroDivisionError), writing(db):
            db.get(Claim, claim.id)
            db.exec(select(func.count()).select_from(Claim)).one()
            assert not write_lock_is_free(path)
            1 / 0
        assert write_lock_is_free(path)


def test_a_read_phase_refuses_to_write_and_stores_nothing(app, users, make_article, db):
    sqlite_path(app)
    article_id = make_article()
    with app.test_request_context(method="POST"):
        session = get_session()
        with pytest.raises(RuntimeError, match="must not write"):
            with reading(session):
                article, _ = get_article_and_revision(session, article_id)
                article.title = "Changed"
    assert db.exec(select(func.count()).select_from(Claim)).one() == 0
    from workbench.store.models import Article

    assert db.get(Article, article_id).title != "Changed"


def test_writes_after_a_read_phase_are_one_transaction(app, users, make_article, db):
    """The reads ran outside a transaction; the writes after them must not: a rollback undoes all."""
    from workbench.store.models import Article

    article_id = make_article()
    with app.test_request_context(method="POST"):
        session = get_session()
        with reading(session):
            article = session.get(Article, article_id)
        article.title = "Changed"
        session.flush()
        session.add(HistoryEvent(article_id=article_id, action="note", changes={}))
        session.flush()
        session.rollback()
    assert db.get(Article, article_id).title == "A Headline"
    assert db.exec(select(func.count()).select_from(HistoryEvent).where(HistoryEvent.action == "note")).one() == 0


def test_a_connection_that_only_read_goes_back_to_the_pool_as_it_came(app, users, make_article, db):
    """After a request whose read phase was all it did, the next user of the pooled connection
    gets transactions again (not PostgreSQL's autocommit)."""
    from workbench.store.db import get_engine
    from workbench.store.models import Article

    article_id = make_article()
    get_engine(app).dispose()  # one pooled connection, reused below
    with app.test_request_context(method="POST"):
        with reading(get_session()) as session:
            session.get(Article, article_id)
    with app.app_context():
        session = get_session()
        session.get(Article, article_id).title = "Changed"
        session.flush()
        session.rollback()
    assert db.get(Article, article_id).title == "A Headline"


def test_a_read_phase_on_postgresql_leaves_no_transaction_open(app, users, make_article, db):
    """Reads before the write run in autocommit: the server sees the connection idle, not idle in
    a transaction; the write afterwards runs in one."""
    from sqlalchemy import text

    from workbench.store.models import Article

    if not app.config["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    article_id = make_article()

    def state_of(pid: int) -> str:
        return db.execute(text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).scalar_one()

    with app.test_request_context(method="POST"):
        session = get_session()
        with reading(session):
            session.get(Article, article_id)
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            assert state_of(pid) == "idle"
        session.get(Article, article_id).title = "Changed"
        session.flush()
        assert state_of(pid) == "idle in transaction"
        session.rollback()


def test_a_claim_on_a_revision_that_is_no_longer_current_is_refused(app, users, make_article, db):
    """The article was read before the write; a new revision arrived in between."""
    article_id = make_article()
    with app.test_request_context(method="POST"):
        session = get_session()
        with reading(session):
            article, revision = get_article_and_revision(session, article_id)
        with app.app_context():  # another request stores revision 2 meanwhile
            other = get_session()
            import_article(other, actor=other.get(User, users["editor"].id), data=b"A Headline\n\nNew words.",
                           media_type="text/plain", origin="test", max_bytes=10_000,
                           article=other.get(type(article), article_id))
        checker = session.get(User, users["checker"].id)
        with pytest.raises(ConflictError, match="now shows revision 2") as refused:
            create_claim(session, revision=revision, actor=checker, start=0, end=9,
                         exact="The first", fields=ClaimFields())
    assert refused.value.status == 409 and refused.value.code == "revision_changed"
    assert db.exec(select(func.count()).select_from(Claim)).one() == 0
    assert db.exec(select(func.count()).select_from(HistoryEvent).where(HistoryEvent.action == "created")).one() == 0


def test_the_created_annotation_is_what_reading_it_back_gives(api_as):
    """The 201 body is built from what was written; it must equal the stored annotation."""
    api = api_as("checker")
    article = api.post("/api/articles", json={"text": "Tolls Headline\n\nTolls paid for the bridge twice."}).get_json()
    for words, tags in (("Tolls paid for the bridge", ("tolls", "bridge")), ("twice", ())):
        body = annotation_for(article, words, sources=[], tags=tags)
        created = api.post(f"/api/articles/{article['id']}/annotations/", json=body)
        assert created.status_code == 201, created.text
        read = api.get(created.headers["Location"])
        assert created.get_json() == read.get_json()
        assert created.headers["ETag"] == read.headers["ETag"]


def test_writers_wait_in_the_queue_until_the_holder_is_done(app, api_as):
    """A writer holding the queue (here: another process's lock on the queue file) makes claim
    creation wait, not fail; it proceeds as soon as the queue is released."""
    path = sqlite_path(app)
    api = api_as("checker")
    article = api.post("/api/articles", json={"text": "Queue Headline\n\nWriters take turns here."}).get_json()
    body = annotation_for(article, "Writers take turns", sources=[], tags=())
    result = {}

    def create():
        result["response"] = api.post(f"/api/articles/{article['id']}/annotations/", json=body)
        result["done"] = time.monotonic()

    with open(path + ".writers", "a+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        writer = threading.Thread(target=create)
        writer.start()
        time.sleep(0.5)
        waiting = writer.is_alive() and "response" not in result
        released = time.monotonic()
        fcntl.flock(holder, fcntl.LOCK_UN)
    writer.join(10)
    assert waiting
    assert result["response"].status_code == 201
    assert result["done"] - released < 2


def test_a_thread_already_holding_the_queue_does_not_wait_for_itself(app, users, make_article):
    """A second connection in the same thread skips the queue; SQLite's busy timeout answers instead."""
    path = sqlite_path(app)
    impatient = make_engine(app.config["DATABASE_URL"], sqlite_busy_timeout_ms=200)
    article_id = make_article()
    outcome = {}

    def nested_writes():
        with app.test_request_context(method="POST"):
            session = get_session()
            with writing(session):
                session.exec(select(User)).all()  # holds the queue and the lock
                try:
                    with impatient.connect() as second:
                        second.exec_driver_sql("UPDATE article SET title = 'x' WHERE id = ?", (article_id,))
                        second.commit()
                    outcome["second"] = "wrote"
                except Exception as err:  # noqa: BLE001 - the error is what is checked
                    outcome["second"] = str(err)
                session.rollback()

    thread = threading.Thread(target=nested_writes)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the second connection waited for its own thread"
    impatient.dispose()
    assert "locked" in outcome["second"]
    assert write_lock_is_free(path)


def test_a_created_claim_reads_back_column_for_column(app, users, make_article, db):
    """Claim creation writes through the driver: every column must read back as the ORM would have it."""
    article_id = make_article()
    with app.test_request_context(method="POST"):
        session = get_session()
        article, revision = get_article_and_revision(session, article_id)
        checker = session.get(User, users["checker"].id)
        start = revision.canonical_text.index("second one")
        made = create_claim(session, revision=revision, actor=checker, start=start, end=start + 10,
                            exact="second one", fields=ClaimFields(verdict="false", rationale="Ünïcode **md**",
                                                                   tags=["a tag", "ещё"]))
    stored = db.get(Claim, made.id)
    for column in Claim.__table__.columns:
        assert getattr(stored, column.name) == getattr(made, column.name), column.name
    assert stored.tags == ["a tag", "ещё"] and stored.deleted is False and stored.version == 1
    event = db.exec(select(HistoryEvent).where(HistoryEvent.claim_id == made.id)).one()
    assert event.action == "created" and event.actor_id == checker.id and event.at == stored.created
    assert event.changes["quote"] == [None, "second one"] and event.changes["tags"] == [None, ["a tag", "ещё"]]


@pytest.mark.parametrize("end", ["commit", "rollback", "close", "drop"])
def test_the_queue_is_left_however_a_transaction_ends(tmp_path, end):
    import gc

    from workbench.store.writer_queue import queue_for_writing, writer_queue_connection

    path = tmp_path / "q.sqlite3"
    conn = sqlite3.connect(path, factory=writer_queue_connection(f"{path}.writers"), isolation_level=None)
    queue_for_writing(conn)
    conn.execute("BEGIN IMMEDIATE")

    def queue_is_free() -> bool:
        with open(f"{path}.writers", "a+") as probe:
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(probe, fcntl.LOCK_UN)
            return True

    assert not queue_is_free()
    if end == "drop":
        del conn
        gc.collect()
    else:
        getattr(conn, end)()
    assert queue_is_free()


def test_a_claim_whose_sources_fail_is_not_stored(api_as, db):
    """The claim's row is written before its sources; when a source is refused, neither stays."""
    api = api_as("checker")
    article = api.post("/api/articles", json={"text": "Tolls Headline\n\nTolls paid for the bridge twice."}).get_json()
    source = {"type": "SpecificResource", "purpose": "linking", "source": "https://stats.example/bridge",
              "title": "Crossings", "stance": "contradicts"}
    body = annotation_for(article, "Tolls paid", sources=[source, dict(source)])
    assert_api_error(api.post(f"/api/articles/{article['id']}/annotations/", json=body), 422, "duplicate_source")
    assert db.exec(select(func.count()).select_from(Claim)).one() == 0
    assert db.exec(select(func.count()).select_from(HistoryEvent).where(HistoryEvent.claim_id.is_not(None))).one() == 0


def test_a_claim_made_after_another_server_stored_a_new_revision_lands_on_it(app, api_as, db, users):
    """A server may still take revision 1 for the current one when another has stored revision 2
    meanwhile: the write's check catches it, and the claim is made on revision 2 all the same."""
    api = api_as("checker")
    article = api.post("/api/articles", json={"text": "Tolls Headline\n\nTolls paid for the bridge twice."}).get_json()
    assert api.post(f"/api/articles/{article['id']}/annotations/",
                    json=annotation_for(article, "Tolls paid", sources=[])).status_code == 201
    with app.app_context():  # revision 2, stored the way another server would: unseen by this one
        session = get_session()
        import_article(session, actor=session.get(User, users["editor"].id), media_type="text/plain",
                       data=b"Tolls Headline\n\nA new first line.\n\nTolls paid for the bridge twice.",
                       origin="test", max_bytes=10_000, article=session.get(Article, article["id"]))
    second = api.get(f"/api/articles/{article['id']}").get_json()
    assert second["revision"]["number"] == 2
    created = api.post(f"/api/articles/{article['id']}/annotations/",
                       json=annotation_for(second, "bridge twice", sources=[]))
    assert created.status_code == 201, created.text
    assert created.get_json()["target"]["source"] == second["revision"]["url"]
    stored = db.get(Claim, int(created.headers["Location"].rsplit("/", 1)[1]))
    start = second["revision"]["text"].index("bridge twice")
    assert (stored.start, stored.exact) == (start, "bridge twice")
    # Words that are in no revision are still refused, after one fresh look.
    missing = annotation_for(second, "bridge twice", sources=[])
    missing["target"]["selector"][0]["exact"] = "bridge thrice"
    assert_api_error(api.post(f"/api/articles/{article['id']}/annotations/", json=missing), 422, "quote_mismatch")


def test_a_refused_source_leaves_nothing_behind_for_the_caller_to_commit(app, users, make_article, db):
    """The claim's row is already written when a source is refused: the error rolls it back, so a
    caller that goes on and commits other work does not store half a claim."""
    from workbench.errors import InvalidContentError
    from workbench.services.schemas import SourceInput

    article_id = make_article()
    with app.test_request_context(method="POST"):
        session = get_session()
        with reading(session):
            _, revision = get_article_and_revision(session, article_id)
        checker = session.get(User, users["checker"].id)
        source = SourceInput(url="https://stats.example/bridge", title="Crossings", stance="contradicts")
        with pytest.raises(InvalidContentError, match="already a source"):
            create_claim(session, revision=revision, actor=checker, start=0, end=9, exact="The first",
                         fields=ClaimFields(), sources=[source, source])
        session.commit()
    assert db.exec(select(func.count()).select_from(Claim)).one() == 0
    assert db.exec(select(func.count()).select_from(HistoryEvent).where(HistoryEvent.claim_id.is_not(None))).one() == 0
