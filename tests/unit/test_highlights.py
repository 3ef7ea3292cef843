"""The article text with its highlights: sanitized a paragraph at a time, same as all at once."""

from bs4 import BeautifulSoup

from workbench.memo import forget_everything
from workbench.text.highlights import Highlight, render_text
from workbench.text.sanitize import clean_html

TEXT = ('Tolls <script>alert(1)</script> paid twice over.\n\n'
        '<img src=x onerror="alert(2)"> Receipts were 830 million & rising.\n\nA last paragraph.')


def test_marks_overlaps_and_markers_in_sanitized_paragraphs():
    first, second = TEXT.index("paid twice"), TEXT.index("830 million")
    highlights = [Highlight(1, first, first + 10, "v-o1 s-draft"), Highlight(2, first + 5, first + 15, "v-o5 s-approved"),
                  Highlight(3, second, second + 11, "v-none s-draft")]
    html = str(render_text(TEXT, highlights, {1: 1, 2: 2, 3: 3}))
    assert clean_html(html) == html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert [p["data-offset"] for p in soup.find_all("p")] == ["0", str(TEXT.index("<img")), str(TEXT.index("A last"))]
    # Each paragraph takes its direction from its own words: Arabic and Hebrew run right to left.
    assert {p["dir"] for p in soup.find_all("p")} == {"auto"}
    assert [(m.text, m["data-claims"], m["class"]) for m in soup.find_all("mark")] == [
        ("paid ", "1", ["hl", "v-o1", "s-draft", "hl-start"]), ("twice", "1 2", ["hl", "overlap"]),
        (" over", "2", ["hl", "v-o5", "s-approved"]), ("830 million", "3", ["hl", "v-none", "s-draft", "hl-start"])]
    assert [a["href"] for a in soup.find_all("a")] == ["#claim-1", "#claim-2", "#claim-3"]
    # Every word of the text is there, as text: the page rebuilds the canonical text from it.
    for marker in soup.find_all("sup"):
        marker.decompose()
    assert "\n\n".join(p.get_text() for p in soup.find_all("p")) == TEXT


def test_same_input_same_output_and_a_change_shows():
    start = TEXT.index("paid")
    before = render_text(TEXT, [Highlight(1, start, start + 4, "v-o1 s-draft")])
    assert render_text(TEXT, [Highlight(1, start, start + 4, "v-o1 s-draft")]) == before
    after = render_text(TEXT, [Highlight(1, start, start + 4, "v-o5 s-draft")])
    assert 'class="hl v-o5 s-draft hl-start"' in after and 'class="hl v-o1 s-draft hl-start"' not in after


def test_every_claim_start_in_a_paragraph_is_a_named_stop_in_reading_order():
    text = 'Tolls rose 40% in "2023" & fell <b>later</b>; the board denied it.\n\nSecond paragraph here.'
    spans = [("rose 40%", "Claim 1: False, draft — ‘rose 40%’"),
             ('"2023"', 'Claim 2: True, approved — ‘"2023" & <b>’'),
             ("denied it", "Claim 3: Unrated, draft — ‘denied it’"),
             ("Second", "Claim 4: Misleading, submitted — ‘Second’")]
    highlights = [Highlight(i, text.index(words), text.index(words) + len(words), "v-none s-draft", label)
                  for i, (words, label) in enumerate(spans, 1)]
    soup = BeautifulSoup(str(render_text(text, highlights)), "html.parser")
    stops = soup.find_all("mark", attrs={"tabindex": "0"})
    assert [(m.text, m["role"], m["aria-label"]) for m in stops] == [
        (words, "button", label) for words, label in spans]


def test_typed_markup_that_looks_like_a_stop_stays_text():
    text = 'An article quoting <mark tabindex="0"> markup. Claimed here.'
    start = text.index("Claimed")
    html = str(render_text(text, [Highlight(1, start, start + 7, "v-none s-draft", "Claim 1: Unrated — ‘Claimed’")]))
    soup = BeautifulSoup(html, "html.parser")
    assert [(m.text, m.get("aria-label")) for m in soup.find_all("mark")] == [("Claimed", "Claim 1: Unrated — ‘Claimed’")]
    assert soup.p.get_text() == text


def test_footnote_markers_numbered_after_cleaning_match_markers_cleaned_in_place():
    """A report's markers are cleaned as placeholders and numbered after (so renumbering keeps the
    paragraphs' cleaning); a text holding the placeholder characters is marked the plain way. Both
    must give the same HTML, whatever the claims and the text's markup-like words."""
    import random

    from workbench.text import highlights

    rng = random.Random(3)
    shown = 0
    for _ in range(200):
        text = " ".join(rng.choice(["alpha", "<b>", "&amp;", "beta", "“q”", "\n\n", "γ", "x>y"]) for _ in range(40))
        marks = []
        for claim_id in range(1, rng.randint(2, 12)):
            start = rng.randrange(len(text))
            marks.append(Highlight(claim_id, start, min(len(text), start + rng.randint(1, 30)), "v-o1 s-approved",
                                   rng.choice(["", f"Claim {claim_id}"])))
        ordered = sorted(marks, key=lambda h: (h.start, h.end, h.claim_id))
        numbers = {h.claim_id: n for n, h in enumerate(ordered, start=1)}
        forget_everything()
        placed_after = str(highlights.render_text(text, marks, numbers))
        forget_everything()
        cleaned_in_place = str(highlights.render_text(text + "\ue000", marks, numbers)).replace("\ue000", "")
        assert placed_after == cleaned_in_place
        shown += placed_after.count('<sup><a href="#claim-')
    assert shown > 500  # the markers were there to compare


def test_a_text_rendered_from_kept_paragraphs_after_each_change_is_the_text_rendered_afresh():
    """Each paragraph is kept by its text and the highlights that touch it: a change anywhere (a
    claim added, moved, recoloured, renamed, renumbered) shows, and nothing else changes."""
    import random

    rng = random.Random(7)
    text = "\n\n".join(" ".join(rng.choice(["alpha", "<b>", "&amp;", "beta", "“q”", "γ", "x>y"])
                                for _ in range(rng.randint(0, 12))) for _ in range(8))
    marks: list[Highlight] = []
    compared = 0
    for step in range(150):
        change = rng.random()
        if change < 0.4 or not marks:
            start = rng.randrange(len(text))
            marks.append(Highlight(len(marks) + 1, start, min(len(text), start + rng.randint(1, 40)),
                                   rng.choice(["v-o1 s-draft", "v-o5 s-approved"]), rng.choice(["", "Claim"])))
        else:
            i = rng.randrange(len(marks))
            h = marks[i]
            marks[i] = rng.choice([h._replace(classes="v-o3 s-in_review"), h._replace(label=f"Claim {step}"),
                                   h._replace(end=min(len(text), h.end + rng.randint(-3, 20)))])
        ordered = sorted(marks, key=lambda h: (h.start, h.end, h.claim_id))
        numbers = {h.claim_id: n for n, h in enumerate(ordered, start=1)} if rng.random() < 0.5 else None
        kept = str(render_text(text, marks, numbers))
        forget_everything()
        assert kept == str(render_text(text, marks, numbers)), step
        compared += kept.count("<mark")
        if rng.random() < 0.7:  # most steps go on from kept paragraphs of the steps before
            render_text(text, marks[:-1], numbers)
    assert compared > 500
