"""The article page's claim list comes in pages of 100, searched and filtered on the server, with or
without JavaScript; the article's text keeps every claim's highlight whatever page the list shows."""

import re

import pytest

from tests.helpers.factories import make_article
from workbench.services.articles import get_revision
from workbench.services.claims import create_claim
from workbench.services.schemas import ClaimFields
from workbench.store.db import get_session
from workbench.store.models import User

CLAIMS = 250
VERDICTS = ("true", "false", None)


@pytest.fixture
def busy_article(app, users):
    """An article of 250 one-word claims: word N is "wN", claims in text order, every third without a verdict."""
    text = "Transcript\n\n" + "\n\n".join(" ".join(f"w{n}" for n in range(p * 25, p * 25 + 25)) for p in range(CLAIMS // 25))
    with app.app_context():
        db = get_session()
        checker = db.get(User, users["checker"].id)
        article = make_article(db, checker, text)
        revision = get_revision(db, article)
        ids = []
        for n in range(CLAIMS):
            start = re.search(rf"\bw{n}\b", revision.canonical_text).start()
            word = f"w{n}"
            ids.append(create_claim(db, revision=revision, actor=checker, start=start, end=start + len(word),
                                    exact=word, fields=ClaimFields(verdict=VERDICTS[n % 3])).id)
        return article.id, ids


def listed(html: str) -> list[str]:
    """The quotes in the claim list, in order."""
    box = html[html.index('id="claims-box"'):]
    return re.findall(r'<span class="claim-quote">“<bdi>([^<]*)</bdi>”', box)


def position(html: str) -> str:
    found = re.search(r'id="claims-position" role="status">\s*(.*?)\s*</p>', html, re.S)
    return re.sub(r"\s+", " ", found.group(1)) if found else ""


def test_the_list_shows_a_hundred_claims_a_page_and_the_text_keeps_them_all(auth, busy_article):
    article_id, _ = busy_article
    auth.login_as("viewer")
    first = auth._client.get(f"/articles/{article_id}").text
    assert listed(first) == [f"w{n}" for n in range(100)]
    assert position(first) == "Claims 1–100 of 250"
    assert first.count("<mark") >= CLAIMS  # every claim is highlighted in the text
    assert f'href="/articles/{article_id}?page=2"' in first and "Next 100 →" in first
    second = auth._client.get(f"/articles/{article_id}?page=2").text
    assert listed(second) == [f"w{n}" for n in range(100, 200)] and position(second) == "Claims 101–200 of 250"
    assert 'rel="prev"' in second and "Next 50 →" in second
    last = auth._client.get(f"/articles/{article_id}?page=3").text
    assert listed(last) == [f"w{n}" for n in range(200, 250)] and 'rel="next"' not in last
    # A page past the last shows the last, as a bookmark kept after claims were deleted would expect.
    assert listed(auth._client.get(f"/articles/{article_id}?page=9").text) == listed(last)


@pytest.mark.parametrize("query, keeps", [
    ("q=w12", lambda n: str(n).startswith("12")),
    ("q=W249", lambda n: n == 249),  # the search ignores case
    ("q=w1+w2", lambda n: False),  # every word must be in the quote
    ("verdict=false&q=w1", lambda n: n % 3 == 1 and str(n).startswith("1")),
    ("verdict=none", lambda n: n % 3 == 2),
    ("verdict=true&status=draft", lambda n: n % 3 == 0),
    ("status=approved", lambda n: False),
])
def test_search_and_filters_keep_only_matching_claims(auth, busy_article, query, keeps):
    article_id, _ = busy_article
    auth.login_as("viewer")
    html = auth._client.get(f"/articles/{article_id}?{query}").text
    expected = [f"w{n}" for n in range(CLAIMS) if keeps(n)]
    assert listed(html) == expected[:100]
    if expected:
        assert position(html) == f"Claims 1–{min(100, len(expected))} of {len(expected)} found (250 in all)"
    else:
        assert position(html) == "No claims match this search."
    # The form shows what was asked, so the reader sees why the list is short.
    for name, value in (pair.split("=") for pair in query.split("&")):
        if name == "q":
            assert f'name="q" value="{value.replace("+", " ")}"' in html
        else:
            assert f'<option value="{value}" selected>' in html


def test_a_claim_number_finds_that_claim(auth, busy_article):
    article_id, ids = busy_article
    auth.login_as("viewer")
    assert listed(auth._client.get(f"/articles/{article_id}?q=%23{ids[180]}").text)[0] == "w180"


def test_an_open_claim_shows_the_page_that_holds_it(auth, busy_article):
    article_id, ids = busy_article
    auth.login_as("viewer")
    html = auth._client.get(f"/articles/{article_id}?claim={ids[230]}").text
    assert position(html) == "Claims 201–250 of 250" and "w230" in listed(html)
    # Its links keep the open claim, so paging does not close it.
    assert f'href="/articles/{article_id}?claim={ids[230]}&amp;page=2"' in html


@pytest.mark.parametrize("query, named", [
    ("verdict=bogus", "bogus"), ("status=published", "published"), ("page=0", "page"), ("page=two", "page"),
    ("q=" + "x" * 201, "201 characters"),
])
def test_a_list_query_it_cannot_use_is_refused_by_name(auth, busy_article, query, named):
    article_id, _ = busy_article
    auth.login_as("viewer")
    response = auth._client.get(f"/articles/{article_id}?{query}")
    assert response.status_code == 422 and named in response.text


def test_htmx_gets_the_list_alone_and_the_page_address_to_show(auth, busy_article):
    article_id, _ = busy_article
    auth.login_as("viewer")
    response = auth._client.get(f"/articles/{article_id}/claims?q=w1&page=2", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="claims-box" id="claims-box"')
    assert "article-text" not in response.text
    assert response.headers["HX-Push-Url"] == f"/articles/{article_id}?q=w1&page=2"
    assert position(response.text) == "Claims 101–111 of 111 found (250 in all)"
    # Without htmx the same address leads to the article page showing that list.
    plain = auth._client.get(f"/articles/{article_id}/claims?q=w1&page=2")
    assert plain.status_code == 302 and plain.headers["Location"] == f"/articles/{article_id}?q=w1&page=2"


def test_the_list_is_for_readers_only(client, busy_article):
    article_id, _ = busy_article
    response = client.get(f"/articles/{article_id}/claims", headers={"HX-Request": "true"})
    assert response.status_code in (302, 401)


def test_an_earlier_revisions_list_keeps_its_revision_in_every_link(auth, api_as, busy_article):
    from tests.helpers.revisions import new_revision

    article_id, _ = busy_article
    api = api_as("checker")
    assert new_revision(api_as, {"id": article_id}, text="Transcript\n\nAll new words here.").status_code in (200, 201)
    auth.login_as("viewer")
    html = auth._client.get(f"/articles/{article_id}?revision=1&page=2").text
    assert position(html) == "Claims 101–200 of 250"
    assert f'href="/articles/{article_id}?revision=1&amp;page=3"' in html
    assert api.get(f"/api/articles/{article_id}").status_code == 200
