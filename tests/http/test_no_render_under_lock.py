"""No state-changing route renders a template or serialises a response while it holds SQLite's
write lock: the lock is for the writes only, and every other writer waits while it is held.

Every POST, PUT, PATCH and DELETE rule of the app is probed (a new route needs an entry in
``EXAMPLES``, or this test fails), with a second connection checking at each render and each
response that the lock is free.
"""

from __future__ import annotations

import re
import shutil

import flask
import pytest
from flask import before_render_template
from sqlmodel import select

from tests.helpers.api import annotation_for
from tests.helpers.databases import sqlite_path, write_lock_is_free
from workbench.services.claims import claim_sources
from workbench.store.db import get_session
from workbench.store.models import ApiToken, Claim

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
HTMX = {"HX-Request": "true"}


def _import_key(page) -> str:
    response = page.post("/import", data={"via": "paste", "content": "A Headline\n\nSome words."})
    return re.search(r"/import/([^/?#]+)$", response.headers["Location"]).group(1)


# endpoint -> (client: "page" or "api", url arguments, body) where the arguments and the body
# are functions of the world made for the probe (an article, a claim on it with a source).
EXAMPLES = {
    "admin.settings": ("page", lambda w: {}, lambda w: {"four_eyes": "on"}),
    "admin.create_user": ("page", lambda w: {}, lambda w: {"username": "newcomer", "password": "long enough",
                                                           "role": "viewer"}),
    "admin.set_active": ("page", lambda w: {"user_id": w["viewer"]}, lambda w: {"active": "0"}),
    "admin.set_password": ("page", lambda w: {"user_id": w["viewer"]}, lambda w: {"password": "another long one"}),
    "admin.change_role": ("page", lambda w: {"user_id": w["viewer"]}, lambda w: {"role": "checker"}),
    "api.replace_annotation": ("api", lambda w: {"article_id": w["article_id"], "annotation_id": w["claim"]},
                               lambda w: ("json", annotation_for(w["article"], "The first", verdict="true"),
                                          {"If-Match": w["etag"]})),
    "api.delete_annotation": ("api", lambda w: {"article_id": w["article_id"], "annotation_id": w["claim"]},
                              lambda w: ("json", None, {"If-Match": w["etag"]})),
    "api.review_annotation": ("api", lambda w: {"article_id": w["article_id"], "annotation_id": w["claim"]},
                              lambda w: ("json", {"action": "submit"}, {})),
    "api.moved_annotation": ("api", lambda w: {"annotation_id": w["claim"]}, lambda w: ("json", None, {})),
    "api.moved_review": ("api", lambda w: {"annotation_id": w["claim"]},
                         lambda w: ("json", {"action": "submit"}, {})),
    "api.create_article": ("api", lambda w: {}, lambda w: ("json", {"text": "Title\n\nBody words here."}, {})),
    "api.create_annotation": ("api", lambda w: {"article_id": w["article_id"]},
                              lambda w: ("json", annotation_for(w["article"], "second one"), {})),
    "api.create_revision": ("api", lambda w: {"article_id": w["article_id"]},
                            lambda w: ("json", {"text": "A Headline\n\nThe first paragraph says a thing, anew."}, {})),
    "claims.create": ("page", lambda w: {"article_id": w["article_id"]},
                      lambda w: {"exact": "second one", "verdict": "true", "rationale": "Checked."}),
    "exports.create": ("page", lambda w: {"article_id": w["article_id"]},
                       lambda w: {"format": "html", "include": "all"}),
    "revisions.refetch": ("page", lambda w: {"article_id": w["article_id"]}, lambda w: {}),
    "claims.update": ("page", lambda w: {"claim_id": w["claim"]},
                      lambda w: {"version": w["version"], "verdict": "true", "rationale": "Edited."}),
    "claims.add_comment": ("page", lambda w: {"claim_id": w["claim"]}, lambda w: {"body": "A comment."}),
    "claims.delete": ("page", lambda w: {"claim_id": w["claim"]},
                      lambda w: {"version": w["version"], "reason": "Wrong."}),
    "claims.purge": ("page", lambda w: {"claim_id": w["claim"]}, lambda w: {"reason": "Takedown."}),
    "revisions.reattach": ("page", lambda w: {"claim_id": w["claim"]},
                           lambda w: {"version": w["version"], "start": "0", "end": "9", "exact": "The first",
                                      "confirm": "1"}),
    "revisions.retire": ("page", lambda w: {"claim_id": w["claim"]},
                         lambda w: {"version": w["version"], "reason": "Gone."}),
    "review.act": ("page", lambda w: {"claim_id": w["claim"]},
                   lambda w: {"version": w["version"], "action": "submit"}),
    "claims.add_source": ("page", lambda w: {"claim_id": w["claim"]},
                          lambda w: {"version": w["version"], "url": "https://other.example/a", "title": "Another",
                                     "stance": "supports"}),
    "claims.update_source": ("page", lambda w: {"claim_id": w["claim"], "link_id": w["link"]},
                             lambda w: {"version": w["version"], "url": "https://stats.example/bridge-2024",
                                        "title": "Crossings, corrected", "stance": "contradicts"}),
    "claims.remove_source": ("page", lambda w: {"claim_id": w["claim"], "link_id": w["link"]},
                             lambda w: {"version": w["version"]}),
    "articles.import_preview": ("page", lambda w: {},
                                lambda w: {"via": "paste", "content": "A Headline\n\nSome words.", "title": "Named"}),
    "articles.save_import": ("page", lambda w: {"key": w["draft"]()}, lambda w: {"title": "Saved", "keep": ["0", "1"]}),
    "articles.discard_import": ("page", lambda w: {"key": w["draft"]()}, lambda w: {}),
    "auth.login": ("login", lambda w: {}, lambda w: {"username": "admin", "password": w["admin_password"]}),
    "auth.logout": ("page", lambda w: {}, lambda w: {}),
    "claims.markdown_preview": ("page", lambda w: {}, lambda w: {"rationale": "Some *words*."}),
    "tokens.create": ("page", lambda w: {}, lambda w: {"name": "CMS import", "access": "read"}),
    "tokens.revoke": ("page", lambda w: {"token_id": w["token"]}, lambda w: {}),
}


def state_changing_rules(app):
    return sorted(((rule, method) for rule in app.url_map.iter_rules()
                   for method in sorted((rule.methods or set()) & STATE_CHANGING)), key=lambda r: r[0].rule)


@pytest.fixture
def database_url(tmp_path, sqlite_template) -> str:
    """SQLite alone: its write lock is what the probe looks at."""
    path = tmp_path / "workbench.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def lock_probe(app, monkeypatch):
    """Records, at every template render and response made, whether the write lock was held."""
    path = sqlite_path(app)
    held: list[str] = []

    def check(where: str) -> None:
        if not write_lock_is_free(path):
            held.append(where)

    def on_render(_sender, template, context, **_extra):
        check(f"rendering {template.name}")

    before_render_template.connect(on_render, app)
    original_init = flask.Response.__init__

    def response_init(self, *args, **kwargs):
        check("making the response")
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(flask.Response, "__init__", response_init)
    original_dumps = app.json.dumps
    monkeypatch.setattr(app.json, "dumps", lambda obj, **kw: (check("serialising JSON"), original_dumps(obj, **kw))[1])
    yield held
    before_render_template.disconnect(on_render, app)


def test_every_state_changing_route_has_an_example(app):
    missing = [rule.endpoint for rule, _ in state_changing_rules(app) if rule.endpoint not in EXAMPLES]
    assert not missing, f"add these routes to EXAMPLES: {missing}"


@pytest.mark.parametrize("endpoint", sorted(EXAMPLES))
def test_no_route_renders_while_holding_the_write_lock(endpoint, app, client, auth, api_as, users, make_article,
                                                         lock_probe):
    from tests.helpers.apps import PASSWORDS

    rules = {rule.endpoint: (rule, method) for rule, method in state_changing_rules(app)}
    assert endpoint in rules, f"{endpoint} is no longer a state-changing route: drop its example"
    rule, method = rules[endpoint]
    article_id = make_article()
    api = api_as("admin")
    article = api.get(f"/api/articles/{article_id}").get_json()
    created = api.post(f"/api/articles/{article_id}/annotations/", json=annotation_for(article, "The first"))
    assert created.status_code == 201, created.text
    claim_id = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        db = get_session()
        claim = db.get(Claim, claim_id)
        link_id = claim_sources(db, claim)[0][0].id
        version = claim.version
        token_id = db.exec(select(ApiToken.id)).first()
    if rules[endpoint][0].endpoint != "auth.login":
        auth.login_as("admin")
    world = {"article_id": article_id, "article": article, "claim": claim_id, "link": link_id, "version": version,
             "token": token_id, "etag": created.headers["ETag"], "viewer": users["viewer"].id, "admin_password": PASSWORDS["admin"],
             "draft": lambda: _import_key(auth)}
    kind, url_args, body = EXAMPLES[endpoint]
    with app.test_request_context():
        url = flask.url_for(endpoint, **url_args(world))
    lock_probe.clear()
    if kind == "api":
        _, data, headers = body(world)
        response = api.client.open(url, method=method, json=data, headers={**api._headers(headers)})
    elif kind == "login":
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = client.post(url, data={**body(world), "csrf_token": token}, headers=HTMX)
    else:
        response = auth.post(url, data=body(world), headers=HTMX)
    assert response.status_code < 500, response.text
    assert not lock_probe, f"{method} {rule.rule} held SQLite's write lock while {', '.join(lock_probe)}"
