"""API tokens: who a token lets in, and when its use is recorded."""

from datetime import timedelta

from sqlmodel import select

from tests.helpers.api import annotation_for, assert_api_error
from workbench.store.models import ApiToken, User, utcnow


def token_row(db, api) -> ApiToken:
    from workbench.services.accounts import hash_token

    db.rollback()  # a fresh look: not this session's earlier snapshot, nor what it holds
    db.expire_all()
    return db.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(api.token))).one()


def test_a_revoked_token_is_refused(api_as, db):
    api = api_as("checker")
    assert api.get("/api/articles").status_code == 200
    row = token_row(db, api)
    row.revoked = True
    db.commit()
    assert "not valid" in assert_api_error(api.get("/api/articles"), 401)["message"]
    assert_api_error(api.post("/api/articles", json={"text": "Headline\n\nWords."}), 401)


def test_the_token_of_a_deactivated_user_is_refused(api_as, db, users):
    api = api_as("checker")
    user = db.get(User, users["checker"].id)
    user.active = False
    db.commit()
    assert_api_error(api.get("/api/articles"), 401)
    assert_api_error(api.post("/api/articles", json={"text": "Headline\n\nWords."}), 401)


def test_a_tokens_use_is_recorded_now_and_then_on_reads_and_writes(api_as, db):
    api = api_as("checker")
    assert token_row(db, api).last_used is None
    article = api.post("/api/articles", json={"text": "Tolls Headline\n\nTolls paid for the bridge."}).get_json()
    first = token_row(db, api).last_used
    assert first is not None
    # Within the resolution the time is left alone (no write per request) ...
    assert api.get(f"/api/articles/{article['id']}").status_code == 200
    assert token_row(db, api).last_used == first
    # ... and after it, a write request records it again, and still does its own work.
    row = token_row(db, api)
    row.last_used = utcnow() - timedelta(hours=1)
    db.commit()
    created = api.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, "Tolls paid"))
    assert created.status_code == 201, created.text
    assert token_row(db, api).last_used.replace(tzinfo=None) > (utcnow() - timedelta(minutes=1)).replace(tzinfo=None)


def test_the_user_a_token_signs_in_is_the_requests_own(app, api_as, users, db):
    """Changes a request makes to its signed-in user are stored like any other."""
    from flask import g

    from workbench.store.db import get_session
    from workbench.web.auth import load_user

    api = api_as("checker")
    stored = db.get(User, users["checker"].id)
    expected = {column.key: getattr(stored, column.key) for column in User.__table__.columns}
    db.rollback()
    with app.test_request_context("/api/articles", method="POST", headers={"Authorization": f"Bearer {api.token}"}):
        load_user()
        for key, value in expected.items():  # as the ORM would have read it, type for type
            assert getattr(g.user, key) == value and type(getattr(g.user, key)) is type(value), key
        g.user.display_name = "Renamed Checker"
        get_session().commit()
    with app.app_context():
        assert get_session().get(User, users["checker"].id).display_name == "Renamed Checker"
