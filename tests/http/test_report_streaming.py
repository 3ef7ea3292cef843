"""The HTML report through the API is sent as it is made: the same document as the one the PDF
prints and the export panel keeps, under its own policy, in pieces a long report starts with."""

import re

from workbench.services.articles import get_article
from workbench.services.exports.service import build
from workbench.store.db import get_session
from workbench.web.links import links


def _without_time(html: str) -> str:
    return re.sub(r"Report generated [^<]*", "Report generated …", html)


def test_the_streamed_report_is_the_report(app, api_as, exported):
    response = api_as("viewer").get(f"/api/articles/{exported['article_id']}/export?format=html&include=all")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'; style-src 'sha256-")
    with app.test_request_context("/"):
        db = get_session()
        made = build(db, article=get_article(db, exported["article_id"]), fmt="html", include="all", links=links())
    assert _without_time(response.text) == _without_time(made.content.decode("utf-8"))


def test_a_long_report_comes_in_pieces(app, api_as, users, make_article):
    from tests.helpers.factories import make_claim
    from workbench.store.models import User

    words = [f"word{n}" for n in range(400)]
    article_id = make_article("Long Headline\n\n" + " ".join(words) + ".")
    with app.app_context():
        db = get_session()
        checker = db.get(User, users["checker"].id)
        article = get_article(db, article_id)
        for word in words[::2]:
            make_claim(db, article, checker, word, verdict="false", rationale="Checked against the ledger.")
    response = api_as("viewer").get(f"/api/articles/{article_id}/export?format=html&include=all",
                                    buffered=False)
    pieces = list(response.response)
    assert len(pieces) > 2
    html = b"".join(pieces).decode("utf-8")
    assert html.count('<article class="claim') == 200 and html.rstrip().endswith("</html>")
    # The stylesheet, which the policy is made from, comes whole in the first piece.
    assert b"</style>" in pieces[0]
