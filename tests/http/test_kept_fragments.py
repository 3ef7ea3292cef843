"""Kept fragments are made from their memo key alone, so no reader's role reaches another's page."""

import re

import pytest
from jinja2 import UndefinedError, meta

from tests.helpers.pages import AuthActions
from workbench.memo import forget_everything
from workbench.services.claims import create_claim
from workbench.services.schemas import ClaimFields
from workbench.store.db import get_session
from workbench.store.models import User
from workbench.store.revision_text import current_revision
from workbench.web import fragments

FRAGMENT_TEMPLATES = ["claims/_list.html"]
ROLE_MARKUP = ['id="new-claim"', 'id="keyboard-select"', 'id="annotate-bar"', 'class="edit-box"', 'class="delete-claim"']


@pytest.mark.parametrize("name", FRAGMENT_TEMPLATES)
def test_a_fragments_template_names_nothing_but_its_value(app, name):
    environment = fragments.environment(app)
    source = environment.loader.get_source(environment, name)[0]
    assert meta.find_undeclared_variables(environment.parse(source)) <= fragments.NAMES


def test_a_fragment_cannot_reach_the_request_or_the_reader(app):
    with app.test_request_context():
        for name in ("current_user", "can", "request", "session", "g", "config", "csrf_token", "url_for"):
            with pytest.raises(UndefinedError):
                fragments.environment(app).from_string("{{ %s }}" % name).render(view=None)


def _signed_in(app, role: str) -> AuthActions:
    actions = AuthActions(app.test_client())
    actions.login_as(role)
    return actions


def _page(actions: AuthActions, url: str) -> str:
    response = actions._client.get(url)
    assert response.status_code == 200
    # What differs between two sessions of one user, whatever is cached.
    return re.sub(r'("X-CSRF-Token": "|name="csrf_token" value=")[^"]+', r"\1…", response.text)


def test_pages_from_warm_memos_show_each_reader_only_what_their_role_allows(app, users, make_article):
    article_id = make_article()
    with app.test_request_context(method="POST"):
        db = get_session()
        revision = current_revision(db, article_id)
        start = revision.canonical_text.index("The first")
        claim_id = create_claim(db, revision=revision, actor=db.get(User, users["checker"].id), start=start,
                                end=start + 9, exact="The first", fields=ClaimFields(verdict="false")).id
    readers = {role: _signed_in(app, role) for role in ("viewer", "checker", "editor")}
    for url in (f"/articles/{article_id}", f"/articles/{article_id}?claim={claim_id}"):
        cold = {}
        for role, actions in readers.items():
            forget_everything()
            cold[role] = _page(actions, url)
        for first in readers:
            forget_everything()
            _page(readers[first], url)  # warms every memo for one reader ...
            for role, actions in readers.items():  # ... then each reader, the others' work at hand
                warm = _page(actions, url)
                assert warm == cold[role], (first, role)
        assert 'id="claims-box"' in cold["viewer"] and "claim-1" in cold["viewer"]
        for markup in ROLE_MARKUP:
            assert markup not in cold["viewer"]
        for markup in ROLE_MARKUP[:3]:
            assert markup in cold["checker"] and markup in cold["editor"]
        if "claim=" in url:
            for markup in ROLE_MARKUP[3:]:
                assert markup in cold["checker"] and markup in cold["editor"]


def test_every_cache_is_a_memo_that_forget_everything_empties(app, users, make_article):
    """The revision texts, the links, the rendered texts and claim lists all go."""
    from workbench.memo import _every_memo, forget_everything
    from workbench.store import revision_text
    from workbench.text import highlights
    from workbench.web import links
    from workbench.web.html import claims

    article_id = make_article()
    client = app.test_client()
    assert client.get(f"/articles/{article_id}").status_code in (200, 302)
    with app.test_request_context():
        from workbench.store.db import get_session

        revision_text.current_revision(get_session(), article_id)
        links.links()
    kept = [revision_text._texts, revision_text._current, links._made]
    assert all(memo in _every_memo for memo in kept + [highlights._rendered, claims._claim_lists])
    assert all(len(memo) for memo in kept)
    forget_everything()
    assert not any(len(memo) for memo in kept)
