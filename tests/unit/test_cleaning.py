"""The line-level cleaner and canonical text."""

from datetime import date

import pytest

from tests.helpers.apps import shared_path
from workbench.text.cleaning import canonicalize, find_date, text_sha256
from workbench.text.paste_cleaning import clean_text


@pytest.mark.parametrize(
    "paragraphs, expected",
    [
        pytest.param(["One.", "Two."], "One.\n\nTwo.", id="one_blank_line_between_paragraphs"),
        pytest.param(["  spaced   out \t text  "], "spaced out text", id="whitespace_runs_fold"),
        pytest.param(["wrapped\nline"], "wrapped line", id="newlines_inside_paragraph_fold"),
        pytest.param(["A", "", "   ", "B"], "A\n\nB", id="empty_paragraphs_vanish"),
        pytest.param(["Cafe\u0301"], "Caf\u00e9", id="nfc_composes_accents"),
        pytest.param(["👩‍👩‍👧 family"], "👩‍👩‍👧 family", id="zwj_sequences_survive"),
        pytest.param(["\u00a0non\u00a0breaking\u00a0"], "non breaking", id="nbsp_folds_like_space"),
    ],
)
def test_canonicalize(paragraphs, expected):
    assert canonicalize(paragraphs) == expected


def test_sha256_is_of_the_utf8_canonical_text():
    import hashlib

    assert text_sha256("Tolls\n\né") == hashlib.sha256("Tolls\n\né".encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    "line, role",
    [
        pytest.param('"); jQuery("#212 h3").html("', "junk", id="jquery_fragment"),
        pytest.param('"); });', "junk", id="closing_script_fragment"),
        pytest.param("var ad = googletag.defineSlot('/123', [300, 250]);", "junk", id="ad_script"),
        pytest.param("Share this story", "junk", id="share_line"),
        pytest.param("facebook", "junk", id="lone_network_name"),
        pytest.param("Facebook Twitter WhatsApp Email", "junk", id="row_of_networks"),
        pytest.param("分享到：微信", "junk", id="chinese_share"),
        pytest.param("Поделиться", "junk", id="russian_share"),
        pytest.param("Advertisement", "junk", id="advertisement"),
        pytest.param("We use cookies to give you the best experience. Accept all", "junk", id="cookie_notice"),
        pytest.param("Home > World > Asia", "junk", id="breadcrumb"),
        pytest.param("Sign up for our morning newsletter", "junk", id="newsletter"),
        pytest.param("© 2024 Daily Example. All rights reserved.", "junk", id="copyright"),
        pytest.param("Tags: politics, budget", "junk", id="tag_list"),
        pytest.param("The mayor at the opening. Photo: Reuters", "junk", id="photo_credit"),
        pytest.param("IMG_2034.JPG", "junk", id="photo_file_name"),
        pytest.param("Some headline text here... Read more", "junk", id="read_more_teaser"),
        pytest.param("2022-07-20 HKT 11:49", "dateline", id="iso_dateline"),
        pytest.param("Published: 4 March 2023, 10:00 GMT", "dateline", id="english_dateline"),
        pytest.param("2024年3月5日 08:30", "dateline", id="chinese_dateline"),
        pytest.param("12 марта 2024 года, 14:05", "dateline", id="russian_dateline"),
        pytest.param("By Jane Roe", "byline", id="byline"),
        pytest.param("The council said on 4 March 2023 that spending would rise by 12 percent next year.", "body",
                     id="sentence_with_a_date_is_text"),
        pytest.param("By the end of the year, the figure had doubled to 830 million crowns.", "body",
                     id="sentence_starting_with_by_is_text"),
        pytest.param("Print media lost half their readers in a decade, the survey found.", "body",
                     id="sentence_starting_with_network_word_is_text"),
        pytest.param("He said the report (published in June) was \"biased\" and unfair.", "body",
                     id="quotes_and_brackets_are_not_code"),
    ],
)
def test_single_lines_are_judged(line, role):
    body = "Headline Here\n\nFirst real paragraph of the story, which says something checkable.\n\n" + line
    result = clean_text(body)
    assert result.blocks[-1].text == line
    assert result.blocks[-1].role == role, result.blocks[-1].reason


def test_teaser_list_after_heading_is_dropped_until_prose_resumes():
    text = "\n\n".join([
        "Headline", "The story begins here and says a thing that can be checked.",
        "Related", "Another Story Title", "A Third Story Title",
        "The story continues after the box with another full sentence.",
    ])
    roles = [(b.role, b.text) for b in clean_text(text).blocks]
    assert roles == [
        ("title", "Headline"),
        ("body", "The story begins here and says a thing that can be checked."),
        ("junk", "Related"), ("junk", "Another Story Title"), ("junk", "A Third Story Title"),
        ("body", "The story continues after the box with another full sentence."),
    ]


def test_repeated_paragraph_keeps_its_first_copy():
    para = "The minister repeated that the figures were accurate and had been audited."
    blocks = clean_text(f"Headline\n\n{para}\n\nAnother paragraph here.\n\n{para}").blocks
    assert [b.role for b in blocks if b.text == para] == ["body", "junk"]


def test_hard_wrapped_paragraphs_are_joined():
    text = ("Headline\n\nThis paragraph was wrapped by an email client at a fixed\n"
            "width, so its lines must be joined again into one paragraph.\n\nSecond paragraph.")
    body = [b.text for b in clean_text(text).blocks if b.kept]
    assert body[0] == ("This paragraph was wrapped by an email client at a fixed width, so its lines must be "
                       "joined again into one paragraph.")


def test_markdown_heading_and_links():
    result = clean_text("# The Headline\n\nSee [the report](https://example.org/r) for details.", markdown=True)
    assert result.meta["title"] == "The Headline"
    assert result.kept_text() == "See the report for details."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022-07-20 HKT 11:49", date(2022, 7, 20)),
        ("July 20, 2022", date(2022, 7, 20)),
        ("20 July 2022", date(2022, 7, 20)),
        ("Sept. 3, 2021", date(2021, 9, 3)),
        ("2024年3月5日", date(2024, 3, 5)),
        ("5 марта 2024", date(2024, 3, 5)),
        ("5 مارس 2024", date(2024, 3, 5)),
        ("20.07.2022", date(2022, 7, 20)),
        ("2022-13-45", None),
        ("no date here", None),
    ],
)
def test_find_date(text, expected):
    assert find_date(text) == expected


def test_sample_article_is_cleaned_without_losing_a_word():
    raw = shared_path("samples", "hk-trafficking-response.txt").read_text(encoding="utf-8")
    result = clean_text(raw)
    text = result.kept_text()
    assert result.meta["title"] == "US Report On Human Trafficking In Hong Kong 'biased'"
    assert result.meta["published"] == "2022-07-20"
    paragraphs = text.split("\n\n")
    assert paragraphs[0].startswith("The government on Wednesday objected")
    assert paragraphs[-1].endswith("it added.")
    # Every body paragraph of the input is there, word for word.
    source_paragraphs = [p.strip() for p in raw.split("\n\n")]
    start = next(i for i, p in enumerate(source_paragraphs) if p.startswith("The government on Wednesday"))
    end = next(i for i, p in enumerate(source_paragraphs) if p.endswith("it added."))
    assert paragraphs == [" ".join(p.split()) for p in source_paragraphs[start:end + 1]]
    for junk in ["jQuery", "Share this story", "facebook", "File photo: AFP", "RECENT NEWS", "Read more",
                 "HashKey", "RedotPay", "Related News Programmes", "HKT 11:49"]:
        assert junk not in text


@pytest.mark.parametrize(
    "pattern, pieces",
    [
        pytest.param(r"(cookies?\b.*\bpolicy|var\s+\w+\s*=)", (("cookie", "policy"), ("var", "=")), id="every_literal_run"),
        pytest.param(r"c(?<=\bc)ookies?", (("cookie",),), id="assertions_take_no_characters"),
        pytest.param(r"(photo|image)s?( credit)?\s*(:|by\b)", (("photo",), ("image",)), id="the_rarer_group"),
        pytest.param(r"[a-z]+\d", None, id="classes_alone_tell_nothing"),
        pytest.param(r"(read more|[0-9]+)", None, id="one_alternative_without_literals"),
    ],
)
def test_required_pieces(pattern, pieces):
    import re

    from workbench.text.cleaning import required_pieces

    assert required_pieces(re.compile(pattern)) == pieces


def test_keyword_rules_find_what_their_patterns_find():
    """The rules look for their words as plain text before searching: a text lacking them never
    matches, so skipping the search changes no verdict."""
    import re

    from tests.corpus import CORPUS_DIR
    from workbench.text import cleaning
    from workbench.text.cleaning import required_pieces

    texts = [line for path in sorted(CORPUS_DIR.glob("*/input.*"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["We use cookies. Manage preferences", "Photo: Getty Images", "var x = 1;", "© 2026 Courier",
              "Subscribe now to continue reading", "Read more »", "Press Ctrl + Enter"]
    names = ["COOKIE_RE", "READ_MORE_RE", "ERROR_REPORT_RE", "PAYWALL_RE", "PROMO_RE", "FOOTER_RE", "CREDIT_RE",
             "BYLINE_ROLE_RE", "CODE_RE"]
    for name in names:
        original = getattr(cleaning, name)
        pattern = re.compile(original.pattern, original.flags & ~re.IGNORECASE)
        pieces = required_pieces(pattern)
        assert pieces, name
        for text in texts:
            low = text if name == "CODE_RE" else text.lower()
            if pattern.search(low):
                assert any(all(piece in low for piece in alternative) for alternative in pieces), (name, text)
            if name != "CODE_RE":
                assert cleaning._search(original, low) == bool(pattern.search(low)), (name, text)


@pytest.mark.parametrize("label", ["“Share this story”", "Share — this story", "‘Share’ this story…", "« Share this story »"])
def test_a_widget_label_in_typographic_punctuation_is_dropped_as_in_plain_punctuation(label):
    from workbench.text.cleaning import Block, classify_blocks, plain_key, word_count

    assert plain_key(label) == "share this story"
    assert word_count("“We cannot,” she said — “not now.”") == 7
    assert classify_blocks([Block(label)])[0].role == "junk"
