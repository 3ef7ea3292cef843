"""A revision's heavy columns (the original upload, its HTML, its preview blocks) load one at a
time, when read: showing an article's text never reads the bytes it was imported from."""

import pytest
from sqlalchemy import event

from workbench.services.articles import get_article, get_article_and_revision, get_revision
from workbench.store.db import get_session

HEAVY = ("original", "html", "blocks")


def _loads(db, read) -> list[str]:
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        read()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return statements


@pytest.mark.parametrize("load", ["article_and_revision", "article_and_revision_without_text", "revision"])
@pytest.mark.parametrize("column", ["canonical_text", "html"])
def test_reading_one_column_of_a_revision_loads_no_other_heavy_one(app, make_article, load, column):
    article_id = make_article()
    with app.test_request_context():
        db = get_session()
        if load == "revision":
            revision = get_revision(db, get_article(db, article_id))
        else:
            _article, revision = get_article_and_revision(db, article_id, with_text=load == "article_and_revision")
        statements = _loads(db, lambda: getattr(revision, column))
        assert getattr(revision, column)
        for other in HEAVY:
            if other != column:
                assert not any(f"revision.{other}" in s for s in statements), (other, statements)
