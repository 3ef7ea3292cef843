"""Units of work: `writing` commits or rolls back as a whole and does not nest; `reading` only reads."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from tests.helpers.databases import write_lock_is_free
from workbench.store.db import get_session
from workbench.store.models import Article
from workbench.store.unit_of_work import reading, writing


def test_writing_commits_at_the_end_and_keeps_what_it_loaded(app, make_article, db):
    article_id = make_article()
    with app.app_context():
        session = get_session()
        with writing(session):
            article = session.get(Article, article_id)
            article.title = "Changed"
        assert not inspect(article).expired and article.title == "Changed"
        assert not session.in_transaction()
    assert db.get(Article, article_id).title == "Changed"


def test_writing_rolls_back_on_an_error_and_the_session_goes_on(app, make_article, db):
    article_id = make_article()
    with app.app_context():
        session = get_session()
        article = session.get(Article, article_id)
        with pytest.raises(ZeroDivisionError), writing(session):
            article.title = "Changed"
            session.flush()
            1 / 0
        assert article.title == "A Headline"  # read again: what is stored
    assert db.get(Article, article_id).title == "A Headline"


def test_units_of_work_do_not_nest_wrongly(app, make_article):
    make_article()
    with app.app_context():
        session = get_session()
        with writing(session):
            with pytest.raises(RuntimeError, match="open already"), writing(session):
                pass
        with reading(session):
            with pytest.raises(RuntimeError, match="inside reading"), writing(session):
                pass


def test_reading_inside_writing_is_part_of_the_write_transaction(app, make_article):
    article_id = make_article()
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite only")
    path = app.config["DATABASE_URL"][len("sqlite:///"):]
    with app.app_context():
        session = get_session()
        with reading(session):
            session.get(Article, article_id)
            assert write_lock_is_free(path)
        with writing(session):
            with reading(session):
                session.get(Article, article_id, populate_existing=True)
                assert not write_lock_is_free(path)
        assert write_lock_is_free(path)
