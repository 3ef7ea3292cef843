"""The HTML report keeps each claim's card and history table between reports: whatever changes,
the next report shows the change, and nothing kept from before it."""

import re

import pytest
from sqlmodel import select

from tests.helpers.factories import LONG
from workbench.services.claims import get_claim, update_claim, update_source
from workbench.services.review import transition
from workbench.services.schemas import ClaimFields, SourceInput
from workbench.store.db import get_session
from workbench.store.models import ClaimSource, User

WORDS = "tolls paid for the bridge twice over"


def report(api_as, exported) -> str:
    """The report's claims and their histories: the parts kept claim by claim (the corrections
    log after them is made afresh, and would tell of some changes on its own)."""
    response = api_as("viewer").get(f"/api/articles/{exported['article_id']}/export?format=html&include=all")
    assert response.status_code == 200
    html = response.text
    return html[html.index("<h2>The claims</h2>"):html.index('<section class="corrections"')]


def _actors(db, users):
    return db.get(User, users["checker"].id), db.get(User, users["editor"].id)


def edit_rationale(db, users, exported):
    checker, editor = _actors(db, users)
    claim = get_claim(db, exported["claims"]["since it opened in 2009"])  # a draft: its checker edits it
    update_claim(db, claim=claim, actor=checker, expected_version=claim.version,
                 fields=ClaimFields(verdict=claim.verdict, rationale="A rationale **rewritten** today."))
    return "rewritten", "Because <strong>true</strong>"


def edit_shared_source(db, users, exported):
    checker, editor = _actors(db, users)
    claim = get_claim(db, exported["claims"][WORDS])
    link = db.exec(select(ClaimSource).where(ClaimSource.claim_id == claim.id)).one()
    update_source(db, claim=claim, actor=editor, link_id=link.id, expected_version=claim.version, everywhere=True,
                  data=SourceInput(url="https://stats.example/2024", title="Bulletin, corrected edition",
                                   stance="contradicts"))
    return "Bulletin, corrected edition", None


def rename_checker(db, users, exported):
    checker = db.get(User, users["checker"].id)
    checker.display_name = "Renamed Checker"
    db.add(checker)
    db.commit()
    return ["Checked by Renamed Checker", "<td>Renamed Checker</td>"], ["Checked by Checker", "<td>Checker</td>"]


def reopen_a_claim(db, users, exported):
    checker, editor = _actors(db, users)
    claim = get_claim(db, exported["claims"][LONG])
    transition(db, claim=claim, action="reopen", actor=editor, comment="The operator's figures came in.")
    return "The operator’s figures came in.", None


def change_the_scale(db, users, exported, app=None):
    scale = [(key, label.replace("Mostly false", "Largely false"), ordinal)
             for key, label, ordinal in app.config["RATING_SCALE"]]
    app.config["RATING_SCALE"] = scale
    return "Largely false", None


CHANGES = [edit_rationale, edit_shared_source, rename_checker, reopen_a_claim, change_the_scale]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_report_after_a_change_shows_it(app, api_as, users, exported, change):
    before = report(api_as, exported)
    with app.test_request_context():
        db = get_session()
        kwargs = {"app": app} if change is change_the_scale else {}
        shown, gone = change(db, users, exported, **kwargs)
    after = report(api_as, exported)
    for words in [shown] if isinstance(shown, str) else shown:
        assert words not in before.replace("&#39;", "’") and words in after.replace("&#39;", "’").replace("'", "’")
    for words in [gone] if isinstance(gone, str) else gone or []:
        assert words in before and words not in after


def test_a_claim_added_before_the_others_renumbers_every_kept_card(app, api_as, users, exported):
    """Cards and tables are kept without their numbers: a claim added at the top shifts them all,
    and every card, anchor, footnote marker and history heading says its new number."""
    from tests.helpers.factories import make_claim
    from workbench.services.articles import get_article
    from workbench.services.claims import add_source

    before = report(api_as, exported)
    count = before.count('<article class="claim')
    with app.test_request_context():
        db = get_session()
        checker, editor = _actors(db, users)
        claim = make_claim(db, get_article(db, exported["article_id"]), checker, "The minister said",
                           verdict="true", rationale="The minutes say so.")
        add_source(db, claim=claim, actor=checker, expected_version=None,
                   data=SourceInput(url="https://minutes.example/1", title="Minutes"))
        transition(db, claim=claim, action="submit", actor=checker)
        transition(db, claim=claim, action="approve", actor=editor)
    response = api_as("viewer").get(f"/api/articles/{exported['article_id']}/export?format=html&include=all")
    whole = response.text
    after = report(api_as, exported)
    numbers = list(range(1, count + 2))
    assert [int(n) for n in re.findall(r'<article class="claim [^"]*" id="claim-(\d+)"', after)] == numbers
    assert [int(n) for n in re.findall(r'<span class="num">(\d+)</span>', after)] == numbers
    assert [int(n) for n in re.findall(r"Claim (\d+): history", after)] == numbers
    assert sorted(int(n) for n in re.findall(r'<sup><a href="#claim-(\d+)"', whole)) == numbers
    first_card = after[after.index('id="claim-1"'):after.index('id="claim-2"')]
    assert "The minister said" in first_card and "The minutes say so." in first_card
    second_card = after[after.index('id="claim-2"'):after.index('id="claim-3"')]
    assert "tolls paid for the bridge twice over" in second_card
