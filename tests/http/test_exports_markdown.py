"""The Markdown export under hostile input: rendered by a Markdown renderer that passes raw HTML
through (as many do), it shows what people typed and runs, loads or links nothing else."""

import re

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from sqlmodel import select

from tests.helpers.factories import make_article
from workbench.services.articles import get_revision
from workbench.services.claims import add_source, create_claim
from workbench.services.schemas import ClaimFields, SourceInput
from workbench.store.db import get_session
from workbench.store.models import Article, Revision, Source, User

TEXT = "Tolls Headline\n\nThe minister said *tolls* paid for the [bridge](javascript:alert(1)) twice over."
QUOTE = "*tolls* paid for the [bridge](javascript:alert(1))"
TITLE = "Tolls\n# injected\n<script>alert(1)</script> [x](javascript:alert(1)) ![i](https://evil.example/t.png)"
RATIONALE = """Because **false**. <script>alert(2)</script> <img src=x onerror=alert(3)>

[click](javascript:alert(4)) and [ok](https://ok.example/a_(b)) and <javascript:alert(5)> and <https://auto.example/x>
![tracker](https://evil.example/pixel.png) ![local](data:image/png;base64,iVBORw0KGgo=) [ref][r]

[r]: vbscript:msgbox(1)

- item with <b>html</b> and [mail](mailto:desk@news.example)
  1. nested `code <i>`

> quoted **bold** <svg onload=alert(6)>

```html
<script>alert(7)</script>
```

| a | b |
|---|--:|
| <u>x</u> | [y](https://ok.example/y) |

<div onclick="alert(8)">raw block</div>
<a href="javascript:alert(9)">raw link</a> [spaced](<https://ok.example/a b>)
"""
#: Source URLs and archived copies as an older version may have stored them (never validated).
STORED_URLS = [
    ("https://example.org/'><script>alert(10)</script>", 'https://example.org/"onmouseover="alert(11)'),
    ("https://example.org/>)[x](javascript:alert(12))", "data:text/html,<script>alert(13)</script>"),
    ("https://example.org/a\n<script>alert(14)</script>", None),
    ("javascript:alert(15)", "https://archive.example/ok"),
]

#: What a rendered export may contain: the elements the export writes, and links of these kinds only.
ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code",
                "pre", "hr", "br", "s", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"style"}, "td": {"style"}, "ol": {"start"}}


def renderers():
    """Markdown renderers as found in the wild: CommonMark passing raw HTML through, with GFM tables."""
    return [MarkdownIt("commonmark", {"html": True}),
            MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")]


@pytest.fixture
def hostile_export(app, users, api_as):
    with app.app_context():
        db = get_session()
        checker = db.get(User, users["checker"].id)
        checker.display_name = "<b>Checker</b> *"
        db.add(checker)
        article = make_article(db, checker, TEXT, title=TITLE, publisher="Gazette <iframe src=//x>")
        revision = get_revision(db, article)
        start = revision.canonical_text.index(QUOTE)
        claim = create_claim(db, revision=revision, actor=checker, start=start, end=start + len(QUOTE), exact=QUOTE,
                             fields=ClaimFields(verdict="false", rationale=RATIONALE,
                                                tags=["<script>alert(16)</script>", "[t](javascript:alert(17))"]))
        for number, _urls in enumerate(STORED_URLS):
            add_source(db, claim=claim, actor=checker, expected_version=None, data=SourceInput(
                url=f"https://placeholder.example/{number}", title=f"Bulletin {number} <img src=x onerror=alert(1)> ]]",
                publisher="Office <b>x</b>", stance="contradicts"))
        # Write the URLs as stored data that never passed today's validation.
        for source in db.exec(select(Source).order_by(Source.id)).all():
            number = int(source.url.rsplit("/", 1)[1])
            source.url, source.archived_url = STORED_URLS[number]
            db.add(source)
        for row in (db.get(Article, article.id), db.get(Revision, revision.id)):
            row.source_url = "https://example.org/'><script>alert(18)</script>"
            db.add(row)
        db.commit()
        article_id = article.id
    response = api_as("viewer").get(f"/api/articles/{article_id}/export?format=md&include=all")
    assert response.status_code == 200, response.text
    return response.text


def test_every_angle_bracket_opens_a_clean_link_target(hostile_export):
    # Outside code (shown literally by every renderer), a "<" only opens a link target, and even a
    # renderer that knows nothing of <...> destinations finds no way out of one.
    outside_code = re.sub(r"(`+)[^`]*?\1", "", re.sub(r"(?ms)^ *(`{3,})\n.*?^ *\1$", "", hostile_export))
    for target in re.findall(r"<([^>\n]*)>", outside_code):
        assert re.fullmatch(r"(https?|mailto):[^\s<>\"'()`\\]+", target), target
    assert "<" not in re.sub(r"<(https?|mailto):[^\s<>]+>", "", outside_code)


@pytest.mark.parametrize("renderer", range(2))
def test_rendered_export_runs_loads_and_links_nothing_unintended(hostile_export, renderer):
    soup = BeautifulSoup(renderers()[renderer].render(hostile_export), "html.parser")
    for element in soup.find_all(True):
        assert element.name in ALLOWED_TAGS, element
        assert set(element.attrs) <= ALLOWED_ATTRIBUTES.get(element.name, set()), element
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert all(href.startswith(("https://", "mailto:")) for href in hrefs), hrefs
    assert not any(re.search(r"[<>\"'\s]", href) for href in hrefs), hrefs
    assert set(hrefs) == {
        "https://example.org/%27%3E%3Cscript%3Ealert%2818%29%3C/script%3E",
        "https://example.org/%27%3E%3Cscript%3Ealert%2810%29%3C/script%3E",
        "https://example.org/%22onmouseover=%22alert%2811%29",
        "https://example.org/%3E%29%5Bx%5D%28javascript:alert%2812%29%29",
        "https://example.org/a%0A%3Cscript%3Ealert%2814%29%3C/script%3E",
        "https://archive.example/ok",
        "https://ok.example/a_%28b%29", "https://auto.example/x", "https://evil.example/pixel.png",
        "mailto:desk@news.example", "https://ok.example/y", "https://ok.example/a%20b",
    }
    # The remote image is a link to click, not a picture to load.
    assert soup.find("a", href="https://evil.example/pixel.png").text == "Image: tracker"
    assert len(soup.find_all("h1")) == 1


def test_what_people_typed_is_shown_as_typed(hostile_export):
    soup = BeautifulSoup(renderers()[1].render(hostile_export), "html.parser")
    text = soup.get_text()
    assert soup.h1.get_text() == "Fact check: " + " ".join(TITLE.split())
    for typed in ["<script>alert(2)</script> <img src=x onerror=alert(3)>", "[click](javascript:alert(4))",
                  '<div onclick="alert(8)">raw block</div>', "<script>alert(16)</script>",
                  "[t](javascript:alert(17))", "<b>Checker</b> *", "Gazette <iframe src=//x>",
                  "Bulletin 0 <img src=x onerror=alert(1)> ]]", "Office <b>x</b>", "javascript:alert(15)"]:
        assert typed in text, typed
    assert soup.blockquote.get_text().strip() == QUOTE
    # The rationale keeps its Markdown: emphasis, lists, quote, code and table.
    assert soup.find("strong", string="false")
    assert soup.select_one("ul > li > ol > li code").get_text() == "code <i>"
    assert "<svg onload=alert(6)>" in soup.select("blockquote")[1].get_text()
    assert soup.find("pre").get_text() == "<script>alert(7)</script>\n"
    assert [td.get_text().strip() for td in soup.select("table td")] == ["<u>x</u>", "y"]

