"""Writing Markdown back (``exports.markdown_text``): two tables, what keeps its meaning and what is
neutralised, each checked by rendering the result."""

from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from workbench.text.markdown_text import (
    escape,
    link,
    quote_block,
    url_text,
    user_markdown,
)
from workbench.text.sanitize import render_markdown

#: The checker's Markdown that must read the same after it is written back.
KEPT = [
    pytest.param("Plain *em* **strong** ~~gone~~ `code` and a \\* star.", id="inline"),
    pytest.param("A [link](https://example.org/a_(b)?q=1&r=2 \"title\") and <https://auto.example/>.", id="links"),
    pytest.param("Write to <desk@news.example> or [us](mailto:desk@news.example).", id="mail"),
    pytest.param("one\ntwo  \nthree\\\nfour", id="soft_and_hard_breaks"),
    pytest.param("# Top\n\n## Second\n\nSetext\n===", "### Top\n\n#### Second\n\n### Setext",
                 id="headings_go_under_the_exports_own"),
    pytest.param("Two\\\nlines\n---", "#### Two lines", id="setext_heading_over_lines"),
    pytest.param("- a\n- b\n  - c\n    1. d\n\n* e", id="tight_lists"),
    pytest.param("1. a\n\n   more of a\n\n2. b", id="loose_list"),
    pytest.param("3) three\n4) four", id="ordered_from_three"),
    pytest.param("> quoted\n> > nested **bold**\n\n---\n\nafter", id="quotes_and_rule"),
    pytest.param("```python\nx = '<b>' ``` \n```\n\n    indented <i>", id="code_blocks"),
    pytest.param("`` a ` b `` and ` `` `", id="code_with_backticks"),
    pytest.param("| a | `b|c` |\n|:--|:-:|\n| *x* | [y](https://y.example/) |", id="table"),
    pytest.param("5 > 3 & 2 < 4, a_b_c, 1. not a list\n+ not a list either", id="metacharacters_in_text"),
    pytest.param("Line\n= not a heading\n\n1986\\. A great year.", id="line_start_escapes"),
    pytest.param("<b>typed</b> &amp; &copy; <!-- x -->", id="html_stays_text"),
    pytest.param("[ref] use\n\n[ref]: https://example.org/ref", id="reference_link"),
    pytest.param('[t](https://example.org/ "say \\"hi\\" <b> & \'so\'")', id="link_title_with_quotes"),
]


def normalised(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for anchor in soup.find_all("a"):
        anchor["href"] = unquote(anchor["href"])  # "(" is written %28, which means the same
    return " ".join(soup.decode().split())


@pytest.mark.parametrize("text, same_as", [p if len(p.values) == 2 else pytest.param(*p.values, p.values[0], id=p.id)
                                           for p in KEPT])
def test_written_back_it_renders_the_same(text, same_as):
    assert normalised(render_markdown(user_markdown(text))) == normalised(render_markdown(same_as))


#: Renderers that pass raw HTML through, as many Markdown viewers do.
PERMISSIVE = [MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough"),
              MarkdownIt("commonmark", {"html": True})]

#: Hostile Markdown: what must not come out of a permissive renderer, and what the reader sees instead.
NEUTRALISED = [
    pytest.param("<script>alert(1)</script>", "<script>alert(1)</script>", id="script"),
    pytest.param("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>", id="img_onerror"),
    pytest.param('<a href="javascript:alert(1)">x</a>', '<a href="javascript:alert(1)">x</a>', id="raw_link"),
    pytest.param("[x](javascript:alert(1))", "[x](javascript:alert(1))", id="javascript_link"),
    pytest.param("[x](JaVaScRiPt:alert(1))", "[x](JaVaScRiPt:alert(1))", id="javascript_mixed_case"),
    pytest.param("[x](data:text/html;base64,PHNjcmlwdD4=)", "[x](data:text/html;base64,PHNjcmlwdD4=)", id="data_link"),
    pytest.param("[x](vbscript:msgbox)", "[x](vbscript:msgbox)", id="vbscript_link"),
    pytest.param("[x](file:///etc/passwd)", "x", id="file_link_becomes_text"),
    pytest.param("<javascript:alert(1)>", "<javascript:alert(1)>", id="javascript_autolink"),
    pytest.param("![t](https://evil.example/p.png)", "Image: t", id="remote_image_becomes_a_link"),
    pytest.param("![t](data:image/png;base64,iVBORw0KGgo=)", "t", id="data_image_becomes_text"),
    pytest.param("[![t](https://evil.example/p.png)](https://ok.example/)", "t", id="image_inside_link"),
    pytest.param("[x](https://ok.example/'onmouseover='alert(1))", "x", id="quotes_in_href"),
    pytest.param('[x](<https://ok.example/"><script>alert(1)</script>>)', "x", id="breakout_in_href"),
    pytest.param("<div onclick=alert(1)>\n\n*md*\n\n</div>", "<div onclick=alert(1)>", id="html_block"),
    pytest.param("<style>body{display:none}</style>", "<style>body{display:none}</style>", id="style"),
    pytest.param("<iframe src=https://evil.example/>", "<iframe src=https://evil.example/>", id="iframe"),
    pytest.param("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>", id="entities_stay_text"),
    pytest.param("`</code><script>alert(1)</script>`", "</code><script>alert(1)</script>", id="code_breakout"),
    pytest.param("| <b>a</b> |\n|---|\n| <i>x</i> |", "<i>x</i>", id="html_in_table"),
    pytest.param("x\r<script>alert(1)</script>\r\n<img src=x>", "<img src=x>", id="carriage_returns"),
    pytest.param('[x](https://ok.example/ "a\\" onmouseover=\\"alert(1)")', "x", id="quotes_in_title"),
]
ALLOWED_TAGS = {"h3", "h4", "h5", "h6", "p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre",
                "hr", "br", "s", "table", "thead", "tbody", "tr", "th", "td"}


@pytest.mark.parametrize("renderer", range(len(PERMISSIVE)))
@pytest.mark.parametrize(("text", "shown"), NEUTRALISED)
def test_written_back_it_is_inert_in_a_permissive_renderer(text, shown, renderer):
    soup = BeautifulSoup(PERMISSIVE[renderer].render(user_markdown(text)), "html.parser")
    for element in soup.find_all(True):
        assert element.name in ALLOWED_TAGS, element
        allowed = {"href", "title"} if element.name == "a" else {"style"} if element.name in ("td", "th") else set()
        assert set(element.attrs) <= allowed, element
    for anchor in soup.find_all("a"):
        assert anchor["href"].startswith(("https://", "mailto:")), anchor
        assert anchor.get("title") in (None, 'a" onmouseover="alert(1)'), anchor
    assert shown in soup.get_text()


@pytest.mark.parametrize(("url", "written"), [
    pytest.param("https://example.org/a b'c\"d<e>f(g)h[i]j`k\\l\nm", "<https://example.org/a%20b%27c%22d%3Ce%3Ef%28g%29h"
                 "%5Bi%5Dj%60k%5Cl%0Am>", id="everything_that_could_end_a_link"),
    pytest.param("https://[2001:db8::1]:8080/ü", "<https://[2001:db8::1]:8080/%C3%BC>", id="ipv6_host_and_utf8"),
    pytest.param("  HTTPS://Example.org/x  ", "<HTTPS://Example.org/x>", id="scheme_case"),
    pytest.param("javascript:alert(1)", "javascript:alert\\(1\\)", id="javascript_as_text"),
    pytest.param(" javascript:alert(1)//https://x", "javascript:alert\\(1\\)//https://x", id="leading_space_trick"),
    pytest.param("data:text/html,<b>", "data:text/html,&lt;b&gt;", id="data_as_text"),
])
def test_urls_are_written_so_nothing_can_end_them(url, written):
    assert url_text(url) == written


def test_link_text_is_the_callers_and_other_schemes_are_not_linked():
    assert link("a \\[b\\]", "https://example.org/") == "[a \\[b\\]](<https://example.org/>)"
    assert link("a", "ftp://example.org/") == "a"


def test_escape_is_one_line_shown_as_typed():
    text = "Title\n# not a heading\r\n<b>*x*</b> [y](z)"
    written = escape(text)
    assert "\n" not in written and "\r" not in written
    soup = BeautifulSoup(PERMISSIVE[0].render(written), "html.parser")
    assert [e.name for e in soup.find_all(True)] == ["p"]
    assert soup.get_text().strip() == " ".join(text.split())


def test_quote_block_splits_every_kind_of_line_break():
    block = quote_block("a\rb\r\nc\u2028d\n\n<i>e</i>")
    soup = BeautifulSoup(PERMISSIVE[0].render(block), "html.parser")
    assert [e.name for e in soup.find_all(True)] == ["blockquote", "p", "p"]
    assert all(line.startswith(">") for line in block.split("\n"))


def test_right_to_left_lines_keep_their_direction():
    from workbench.text.markdown_text import directed, quote_block, user_markdown

    arabic, hebrew = "قال الوزير إن المشروع سيكتمل في مارس.", "השר אמר שהפרויקט יושלם במרץ."
    assert quote_block(arabic) == f"> \u2067{arabic[:-1]}\\.\u2069"
    assert directed(hebrew) == f"\u2067{hebrew}\u2069"
    assert user_markdown(f"{arabic}\n\nThe minister said so.") == f"\u2067{arabic[:-1]}\\.\u2069\n\nThe minister said so\\."
    # A left-to-right line quoting Arabic keeps its own direction; nothing is added to it.
    assert quote_block(f"He said «{arabic}»") == f"> He said «{arabic[:-1]}\\.»"
