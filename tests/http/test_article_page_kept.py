"""The article page after a change, from kept paragraphs and a kept corrections log: what a reader
sees is what a page made from scratch shows."""

import re

from bs4 import BeautifulSoup

from tests.helpers.factories import make_claim
from tests.helpers.pages import AuthActions
from workbench.memo import forget_everything
from workbench.services.articles import get_article
from workbench.services.claims import add_source
from workbench.services.review import transition
from workbench.services.schemas import SourceInput
from workbench.store.db import get_session
from workbench.store.models import Claim, User

#: The headline is the article's title; the text is the paragraphs after it.
HEADLINE = "A Headline Over Tolls"
PARAGRAPHS = ["The minister said tolls paid for the bridge twice over.",
              "Receipts were 830 million crowns in the first year.",
              "Traffic more than doubled in a decade, the council said.",
              "Commuters saved twenty-five minutes on every working day."]
TEXT = "\n\n".join([HEADLINE, *PARAGRAPHS])


def _paragraphs(html: str) -> list:
    return BeautifulSoup(html, "html.parser").select_one("#article-text").find_all("p")


def _page(auth: AuthActions, article_id: int) -> str:
    response = auth._client.get(f"/articles/{article_id}")
    assert response.status_code == 200
    # What differs between two loads of one session, whatever is kept.
    return re.sub(r'("X-CSRF-Token": "|name="csrf_token" value=")[^"]+', r"\1…", response.text)


def _claim(app, users, article_id: int, words: str, **fields) -> int:
    with app.app_context():
        db = get_session()
        return make_claim(db, get_article(db, article_id), db.get(User, users["checker"].id), words, **fields).id


def test_a_new_claim_is_highlighted_in_its_paragraph_and_the_others_stay_as_they_were(app, auth, users,
                                                                                      make_article):
    article_id = make_article(TEXT)
    _claim(app, users, article_id, "tolls paid", verdict="true")
    _claim(app, users, article_id, "doubled in a decade", verdict="mostly_false")
    auth.login_as("checker")
    before = _paragraphs(_page(auth, article_id))

    added = _claim(app, users, article_id, "830 million", verdict="false")
    page = _page(auth, article_id)
    after = _paragraphs(page)

    assert len(after) == len(before) == len(PARAGRAPHS)
    changed = [i for i, (old, new) in enumerate(zip(before, after)) if str(old) != str(new)]
    assert changed == [1]
    marks = after[1].find_all("mark")
    assert [(m.text, m["data-claims"]) for m in marks] == [("830 million", str(added))]
    assert "v-o1" in marks[0]["class"] and "hl-start" in marks[0]["class"]
    assert marks[0]["aria-label"].startswith(f"Claim {added}: False, draft")
    assert after[1].get_text() == PARAGRAPHS[1]
    # The same page made from nothing kept.
    forget_everything()
    assert _page(auth, article_id) == page


def test_a_verdict_edited_shows_in_its_highlight_on_the_next_view(app, auth, users, make_article, db):
    article_id = make_article(TEXT)
    first = _claim(app, users, article_id, "tolls paid", verdict="true")
    other = _claim(app, users, article_id, "twenty-five minutes", verdict="true")
    auth.login_as("checker")

    def mark_of(claim_id: int):
        return BeautifulSoup(_page(auth, article_id), "html.parser").find("mark", attrs={"data-claims": str(claim_id)})

    assert "v-o5" in mark_of(first)["class"] and mark_of(first)["aria-label"].startswith(f"Claim {first}: True")
    claim = db.get(Claim, first)
    response = auth.post(f"/claims/{first}", data={"version": claim.version, "verdict": "false", "rationale": "",
                                                   "tags": ""})
    assert response.status_code == 302
    edited = mark_of(first)
    assert "v-o1" in edited["class"] and "v-o5" not in edited["class"]
    assert edited["aria-label"].startswith(f"Claim {first}: False")
    assert "v-o5" in mark_of(other)["class"]


def _corrections(html: str) -> list[str]:
    found = BeautifulSoup(html, "html.parser").select_one("#corrections")
    return [" ".join(item.get_text().split()) for item in found.find_all("li")] if found else []


def test_the_corrections_log_shows_a_reopened_claim_and_its_editors_new_name_on_the_next_view(
        app, auth, users, make_article):
    article_id = make_article(TEXT)
    claim_id = _claim(app, users, article_id, "tolls paid", verdict="true", rationale="The budget says so.")
    with app.app_context():
        db = get_session()
        claim = db.get(Claim, claim_id)
        add_source(db, claim=claim, actor=db.get(User, users["checker"].id), expected_version=None,
                   data=SourceInput(url="https://budget.example/2024", title="Budget"))
        transition(db, claim=db.get(Claim, claim_id), action="submit", actor=db.get(User, users["checker"].id))
        transition(db, claim=db.get(Claim, claim_id), action="approve", actor=db.get(User, users["editor"].id))
    auth.login_as("checker")
    assert not any("reopened" in line for line in _corrections(_page(auth, article_id)))

    with app.app_context():
        db = get_session()
        transition(db, claim=db.get(Claim, claim_id), action="reopen", actor=db.get(User, users["editor"].id),
                   comment="New figures were published.")
    lines = _corrections(_page(auth, article_id))
    assert any(f"Editor reopened claim {claim_id}" in line and "New figures were published." in line
               for line in lines), lines

    with app.app_context():
        db = get_session()
        db.get(User, users["editor"].id).display_name = "Chief Editor"
        db.commit()
    lines = _corrections(_page(auth, article_id))
    assert any(f"Chief Editor reopened claim {claim_id}" in line for line in lines), lines
