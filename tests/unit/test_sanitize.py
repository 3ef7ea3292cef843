"""The sanitizer: what passes through, and what is neutralized."""

import pytest
from bs4 import BeautifulSoup

from workbench.text.sanitize import clean_html, render_markdown, render_paragraphs


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param("<p>plain</p>", "<p>plain</p>", id="paragraph"),
        pytest.param("<strong>b</strong> <em>i</em>", "<strong>b</strong> <em>i</em>", id="emphasis"),
        pytest.param('<a href="https://example.org/x">x</a>',
                     '<a href="https://example.org/x" rel="nofollow noopener noreferrer">x</a>', id="https_link"),
        pytest.param('<a href="mailto:desk@example.org">m</a>',
                     '<a href="mailto:desk@example.org" rel="nofollow noopener noreferrer">m</a>', id="mailto_link"),
        pytest.param("<blockquote>q</blockquote>", "<blockquote>q</blockquote>", id="blockquote"),
        pytest.param("<ul><li>a</li></ul>", "<ul><li>a</li></ul>", id="list"),
    ],
)
def test_allowed_through(source, expected):
    assert clean_html(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("<script>alert(1)</script>", id="script_tag"),
        pytest.param('<img src="https://tracker.example/p.gif" onerror="alert(1)">', id="remote_image"),
        pytest.param('<p onclick="alert(1)">x</p>', id="event_handler"),
        pytest.param('<a href="javascript:alert(1)">x</a>', id="javascript_url"),
        pytest.param('<a href="data:text/html,<script>alert(1)</script>">x</a>', id="data_url"),
        pytest.param('<a href="  JaVaScRiPt:alert(1)">x</a>', id="javascript_url_obfuscated"),
        pytest.param('<iframe src="https://example.org"></iframe>', id="iframe"),
        pytest.param('<p style="background:url(https://x/y)">x</p>', id="style_attribute"),
        pytest.param("<style>body{display:none}</style>", id="style_tag"),
        pytest.param('<svg><script>alert(1)</script></svg>', id="svg_script"),
        pytest.param('<form action="https://evil.example"><input></form>', id="form"),
        pytest.param("<!-- <script>alert(1)</script> -->", id="comment"),
    ],
)
def test_neutralized(source):
    soup = BeautifulSoup(clean_html(source), "html.parser")
    assert not soup.find_all(["script", "img", "iframe", "style", "svg", "form", "input"])
    for tag in soup.find_all(True):
        assert not any(name.startswith("on") or name == "style" for name in tag.attrs)
        href = tag.get("href", "")
        assert not href or href.startswith(("http://", "https://", "mailto:"))


def test_markdown_renders_but_raw_html_is_text():
    html = render_markdown("**bold** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://a.example)")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.strong.text == "bold"
    assert soup.find("script") is None and "<script>" in soup.text
    assert [a["href"] for a in soup.find_all("a")] == ["https://a.example"]


def test_paragraph_rendering_escapes_text():
    soup = BeautifulSoup(render_paragraphs("a <b>not bold</b>\n\nsecond & last"), "html.parser")
    assert [p.text for p in soup.find_all("p")] == ["a <b>not bold</b>", "second & last"]
    assert soup.find("b") is None


def test_sanitizing_from_many_threads_at_once():
    """Web servers sanitize in several threads at once; each must get the single-threaded result."""
    import threading

    fragments = [f"<p>Paragraph {i} with <mark class='hl'>marks</mark> and <a href='https://x.example/{i}'>a link</a>"
                 f"<script>alert({i})</script></p>" * 200 for i in range(8)]
    expected = [clean_html(f) for f in fragments]
    results, errors = {}, []

    def work(index):
        try:
            for _ in range(5):
                results[index] = clean_html(fragments[index])
                assert results[index] == expected[index]
        except Exception as err:  # noqa: BLE001 - report any failure from the thread
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and [results[i] for i in range(8)] == expected
