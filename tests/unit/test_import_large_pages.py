"""Large pages import whole: read window by window, every paragraph of the article is kept and
the readers' comments and the related links are not (the bench times them: `make bench`)."""

import pytest

from tests.corpus.big_pages import big_page
from workbench.services.ingest import clean_input
from workbench.text.cleaning import normalize_block
from workbench.text.extraction import _parse
from workbench.text.page_windows import LARGE_PAGE_ELEMENTS, WINDOW_ELEMENTS, page_windows


def imported(page):
    result = clean_input(page.html.encode("utf-8"), "text/html")
    return result, {b.text for b in result.blocks if b.kept}


@pytest.mark.parametrize("shape", ["article", "live blog", "comments", "markup"])
def test_a_large_page_keeps_every_paragraph_of_its_article(shape):
    page = big_page(shape, size=2_000_000)
    assert page_windows(_parse(page.html)) is not None  # large enough to be read by windows
    result, kept = imported(page)
    lost = [p for p in page.article if normalize_block(p) not in kept]
    assert lost == []
    assert [o for o in page.other if normalize_block(o) in kept] == []
    assert result.meta["title"].startswith("Harbour")


def test_a_large_page_keeps_the_article_in_its_order():
    page = big_page("live blog", size=2_000_000)
    result, _kept = imported(page)
    body = [b.text for b in result.blocks if b.kept]
    assert body == [normalize_block(p) for p in page.article]


def test_every_block_of_a_large_page_is_in_a_window_of_bounded_size():
    page = big_page("comments", size=1_500_000)
    root = _parse(page.html)
    windows = page_windows(root)
    seen = set()
    for window in windows:
        assert sum(1 for _ in window.iter()) <= 2 * WINDOW_ELEMENTS
        seen.update(normalize_block(p.text_content()) for p in window.iter("p"))
    assert {normalize_block(p.text_content()) for p in root.iter("p")} <= seen
    assert len(windows) >= sum(1 for _ in root.iter()) // WINDOW_ELEMENTS


def test_a_page_of_ordinary_size_is_read_whole():
    page = big_page("article", size=200_000)
    root = _parse(page.html)
    assert sum(1 for _ in root.iter()) < LARGE_PAGE_ELEMENTS
    assert page_windows(root) is None


def test_an_article_amid_a_long_run_of_links_is_read():
    """The links before and after it are alike, and the extractor keeps none of them: the article's
    paragraphs, of another kind, are read all the same."""
    article = big_page("comments", size=10_000).article
    links = "".join(f'<div class="teaser"><a href="/news/{i}">Story {i} about the harbour</a></div>' for i in range(4000))
    middle = "".join(f"<p>{p}</p>" for p in article)
    html = (f"<html><head><title>Harbour report</title></head><body><div id='page'>{links}{middle}{links}"
            "</div></body></html>")
    assert page_windows(_parse(html)) is not None
    result = clean_input(html.encode(), "text/html")
    kept = {b.text for b in result.blocks if b.kept}
    assert [p for p in article if normalize_block(p) not in kept] == []
    assert not any(text.startswith("Story ") for text in kept)


def test_a_post_unlike_the_others_in_a_long_live_blog_is_read():
    """Groups of posts like the sampled ones are judged as those were; a group holding a post of
    another kind (a pinned quote) is read, and the quote kept."""
    page = big_page("live blog", size=2_000_000)
    quote = "The harbour master said the strike had cost the port more than it would ever admit in public."
    # Seven tenths of the way down: in a group neither at the ends nor in the middle of the feed.
    at = page.html.index(f'<div class="live-post" id="post-{page.html.count("live-post__body") * 7 // 10}">')
    html = (page.html[:at] + f'<div class="live-post live-post--key"><blockquote><p>{quote}</p></blockquote></div>'
            + page.html[at:])
    result = clean_input(html.encode("utf-8"), "text/html")
    assert quote in {b.text for b in result.blocks if b.kept}


def test_python_collects_garbage_again_after_a_large_page_is_imported(monkeypatch):
    import gc

    from workbench.text import extraction

    page = "<html><body>" + "<p>The council met again on Tuesday to discuss the ferry.</p>" * 20_000 + "</body></html>"
    assert gc.isenabled()
    assert clean_input(page.encode(), "text/html").kept_text()
    assert gc.isenabled()

    def failing(*_args):
        assert not gc.isenabled()  # paused while the page is read
        raise RuntimeError("the extractor failed")

    monkeypatch.setattr(extraction, "_extract_html", failing)
    with pytest.raises(RuntimeError):
        clean_input(page.encode(), "text/html")
    assert gc.isenabled()
