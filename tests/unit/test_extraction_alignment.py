"""How HTML blocks are matched against what the extractor kept (workbench.text.extraction)."""

from workbench.text.cleaning import Block, classify, classify_blocks
from workbench.text.extraction import extract_html

STORY = [
    "The council met on Wednesday to discuss the new harbour wall and its rising cost.",
    "The stabbing happened shortly after two in the morning outside the station, police said.",
    "Residents were told to keep their windows closed because of the smoke over the town.",
]


def _page(body: str) -> str:
    return f"<html><head><meta charset='utf-8'><title>Harbour wall</title></head><body>{body}</body></html>"


def _kept(html: str) -> str:
    return extract_html(html).kept_text()


def test_paragraphs_split_by_line_breaks_are_kept():
    assert _kept(_page(f"<h1>Harbour wall</h1><div>{'<br>'.join(STORY)}</div>")) == "\n\n".join(STORY)


def test_an_article_inside_a_button_is_found():
    body = f"<h1>Harbour wall</h1><button type='button'><div>{''.join(f'<p>{p}</p>' for p in STORY)}</div></button>"
    assert _kept(_page(body)) == "\n\n".join(STORY)


def test_a_real_button_stays_out():
    body = f"<h1>Harbour wall</h1>{''.join(f'<p>{p}</p>' for p in STORY)}<button>Load more stories</button>"
    assert "Load more" not in _kept(_page(body))


def test_short_japanese_paragraphs_are_kept():
    story = ["大阪市は二十日、市内の公立小学校で給食費を無償化すると発表した。", "対象は約十万人。", "来年四月から実施する。"]
    assert _kept(_page(f"<h1>給食費を無償化</h1>{''.join(f'<p>{p}</p>' for p in story)}")) == "\n\n".join(story)


def test_sentences_mentioning_newsletters_are_kept_when_the_extractor_keeps_them():
    reported = "The paper added 680,000 newsletter subscribers in a single year, its editor said on Monday."
    assert classify(reported) is None and classify(reported, vouched=True) is None
    # Worded like a prompt, but a sentence the extractor kept as the article's.
    sentence = "Sign up for the newsletter, which the paper says reached 680,000 readers this year."
    assert classify(sentence) == ("junk", "newsletter or subscription prompt")
    assert classify(sentence, vouched=True) is None
    assert classify("Sign up for our newsletter", vouched=True) is not None  # not a sentence


def test_a_repeated_lead_keeps_its_first_kept_copy():
    first, second = Block(STORY[0], role="junk", reason="not part of the article"), Block(STORY[0])
    classify_blocks([first, second, Block(STORY[1])])
    assert second.kept and first.reason == "not part of the article"
    third = Block(STORY[0])
    classify_blocks([Block(STORY[0]), third])
    assert third.reason == "repeated text"


def test_runs_of_words_match_alike_before_and_after_they_are_listed():
    """A block matches by its runs of three words whether the extractor's words are searched
    (the first questions) or listed (once many blocks have asked)."""
    from lxml import etree

    from workbench.text.extraction import ExtractorText

    body = etree.Element("body")
    for text in STORY:
        etree.SubElement(body, "p").text = text
    evidence = ExtractorText(body)
    most = "Yesterday the council met on Wednesday to discuss the new harbour wall and its rising price"
    backwards = " ".join(reversed(STORY[1].split()))
    # Two of its four runs of three words run from one paragraph into the next: those do not count.
    across = "its rising cost. The stabbing happened"
    first = [evidence.keeps(t) for t in (most, backwards, across)]
    for i in range(40):  # each block asked once: a block asked again is answered from before
        evidence.keeps(f"{most} number {i}")
    assert evidence._trigrams is not None  # listed by now
    assert first == [evidence.keeps(t) for t in (most, backwards, across)] == [True, False, False]


def test_a_very_long_page_is_read_by_the_extractor_alone(monkeypatch):
    import trafilatura

    from workbench.text import extraction

    asked = []
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **options: asked.append(options["fast"]))
    paragraph = "<p>" + " ".join(["The harbour wall will cost more than planned, the council said."] * 10) + "</p>"
    extract_html(_page(paragraph))
    extract_html(_page(paragraph * (extraction.FAST_EXTRACTION_CHARS // 600 + 1)))
    assert asked == [False, True]
