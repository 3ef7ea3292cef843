"""The preview's layout: dropped blocks near the article in place, far junk folded, readable reasons."""

from tests.helpers.rescue_page import BLOCKS, block
from workbench.text.rescue import present, readable_reason

KEPT = [i for i, b in enumerate(BLOCKS) if b["kept"]]


def layout(preview):
    return [(item.kind, item.indexes) for item in preview.items]


def test_runs_near_the_article_stay_in_place_and_far_ones_are_grouped():
    preview = present(BLOCKS, KEPT)
    assert layout(preview) == [
        ("head", [0, 1]), ("dropped", [2, 3, 4]), ("meta", [5]), ("kept", [6]), ("dropped", [7, 8]),
        ("kept", [9]), ("dropped", [10]), ("kept", [11]), ("dropped", [12, 13, 14]), ("tail", [15, 16, 17, 18, 19]),
    ]
    head, tail = preview.items[0], preview.items[-1]
    assert head.folded and tail.folded and not preview.items[4].folded
    assert preview.items[4].restore == "7-8"
    assert tail.reasons == "page footer (not in the article the extractor found) ×4, copyright footer"


def test_counts_words_kept_and_dropped():
    preview = present(BLOCKS, KEPT)
    kept_words = sum(len(BLOCKS[i]["text"].split()) for i in KEPT)
    all_words = sum(len(b["text"].split()) for b in BLOCKS)
    assert (preview.kept_blocks, preview.dropped_blocks) == (3, 17)
    assert (preview.kept_words, preview.dropped_words) == (kept_words, all_words - kept_words)
    # Ticking a run moves its words across.
    more = present(BLOCKS, KEPT + [7, 8])
    assert more.kept_words == kept_words + 3 + 11 and layout(more)[4:6] == [("kept", [7]), ("kept", [8])]


def test_reasons_read_as_what_the_block_is():
    reasons = [readable_reason(b, BLOCKS, i) for i, b in enumerate(BLOCKS)]
    assert reasons[0] == "navigation menu"
    assert reasons[1] == "navigation menu (not in the article the extractor found)"
    assert reasons[3] == "newsletter prompt" and reasons[4] == "share buttons"
    assert reasons[5] == "the headline, moved to Title"
    assert reasons[7] == "photo caption or credit"
    assert reasons[8] == "not in the article the extractor found"
    assert reasons[10] == "repeated text (same as block 7)"
    assert reasons[12] == "related-stories list"
    assert readable_reason(block("x", "junk", "share box", "")) == "share box"  # unknown: as given
    assert readable_reason(block("x", "junk", "not part of the article (related box)", "related box")) == (
        "related-stories list (not in the article the extractor found)")
    assert readable_reason(block("Yes.", "body")) == "article text"


def test_a_page_with_nothing_kept_is_one_run_in_place():
    blocks = [block(f"Line {i}", "junk", "navigation") for i in range(10)]
    preview = present(blocks, [])
    assert layout(preview) == [("dropped", list(range(10)))] and preview.items[0].folded


def test_far_means_more_than_near_blocks_away():
    blocks = [block(f"Menu {i}", "junk", "navigation") for i in range(5)] + [block("Body text here.")]
    assert layout(present(blocks, [5], near=2)) == [("head", [0, 1, 2]), ("dropped", [3, 4]), ("kept", [5])]
    assert layout(present(blocks, [5], near=5)) == [("dropped", [0, 1, 2, 3, 4]), ("kept", [5])]
