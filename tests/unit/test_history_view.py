"""History entries as people read them: every action and field the code writes, and hostile values,
rendered through the templates' own macros and read back as the text a person sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup

from workbench.config import DEFAULT_RATING_SCALE
from workbench.services.rating import Verdict
from workbench.text.history_view import LONG, SENTENCES, present, present_all

SCALE = [Verdict(key, label, ordinal) for key, label, ordinal in DEFAULT_RATING_SCALE]
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: Python's own writing of values, which a person must never see.
RAW = ("['", "{'", "None", "datetime.", "datetime(", "Decimal(")
#: The elements the history may produce; anything else came from a value.
ELEMENTS = {"p", "ul", "li", "span", "a", "del", "ins", "details", "summary"}
SOURCE = {"url": "https://stats.example/2024", "title": "Statistics bulletin", "stance": "contradicts"}
AT = datetime(2024, 5, 31, 14, 2, tzinfo=timezone.utc)


@dataclass
class Event:
    action: str
    changes: dict = field(default_factory=dict)
    note: str = ""
    at: datetime = AT


def macros():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True)
    return env.get_template("macros/history.html").module


MACROS = macros()


def rendered(event: Event, actor: str | None = "Ana"):
    """The entry as the page renders it: (sentence as seen, [field lines as seen], soup)."""
    entry = present(event, actor, SCALE)
    html = f'<p class="what">{MACROS.sentence(entry)}</p>{MACROS.changes(entry)}'
    soup = BeautifulSoup(html, "html.parser")
    return seen(soup.select_one(".what")), [seen(li) for li in soup.select(".changes li")], soup


def seen(node) -> str:
    """The text a person sees before unfolding anything: a closed <details> shows its summary only."""
    node = BeautifulSoup(str(node), "html.parser")
    for details in node.find_all("details"):
        summary = details.find("summary")
        details.replace_with(summary.get_text() if summary else "")
    return " ".join(node.get_text().split())


# Every action and field the code writes today (grep `record(` and `action=` in workbench/), and
# the actions the review workflow will add.
CASES = [
    pytest.param(Event("created", {"quote": [None, "tolls paid"], "start": [None, 4], "end": [None, 14],
                                   "verdict": [None, "mostly_false"], "rationale": [None, "Because."],
                                   "tags": [None, ["bridge", "tolls"]]}),
                 "Ana created the claim",
                 ["Quote: tolls paid", "Position: characters 4–14", "Verdict: Mostly false", "Rationale: Because.",
                  "Tags: bridge, tolls"], id="created"),
    pytest.param(Event("updated", {"verdict": ["true", "mostly_false"]}),
                 "Ana changed the verdict from True to Mostly false", [], id="updated_verdict"),
    pytest.param(Event("updated", {"verdict": [None, "mixed"]}),
                 "Ana changed the verdict from none to Half true", [], id="updated_verdict_from_none"),
    pytest.param(Event("updated", {"tags": [["bridge"], ["bridge", "tolls"]]}),
                 "Ana changed the tags from bridge to bridge, tolls", [], id="updated_tags"),
    pytest.param(Event("updated", {"tags": [["bridge"], []]}),
                 "Ana changed the tags from bridge to none", [], id="updated_tags_removed"),
    pytest.param(Event("updated", {"rationale": ["It was paid once.", "It was paid twice."]}),
                 "Ana changed the rationale", ["Rationale: It was paid once. twice."], id="updated_rationale"),
    pytest.param(Event("updated", {"verdict": ["true", "false"], "rationale": ["", "New reason"],
                                   "tags": [[], ["a"]]}),
                 "Ana changed the verdict, rationale and tags",
                 ["Verdict: True → False", "Rationale: none → New reason", "Tags: none → a"], id="updated_several"),
    pytest.param(Event("updated", {"start": [4, 20], "end": [14, 31], "quote": ["tolls paid", "twice over!"]}),
                 "Ana changed the position and quote",
                 ["Position: characters 4–14 → characters 20–31", "Quote: tolls paid twice over!"],
                 id="updated_moved_by_api"),
    pytest.param(Event("source_added", {"source": [None, SOURCE]}),
                 "Ana added a source: Statistics bulletin (contradicts)", [], id="source_added"),
    pytest.param(Event("source_added", {"source": [None, dict(SOURCE, title="", stance="context")]}),
                 "Ana added a source: https://stats.example/2024 (gives context)", [], id="source_added_untitled"),
    pytest.param(Event("source_removed", {"source": [SOURCE, None]}),
                 "Ana removed a source: Statistics bulletin (contradicts)", [], id="source_removed"),
    pytest.param(Event("source_removed", {"source": ["https://stats.example/2024", None]}),
                 "Ana removed a source: https://stats.example/2024", [], id="source_removed_by_api"),
    pytest.param(Event("source_updated", {"stance": ["contradicts", "context"], "excerpt": ["", "It says so."],
                                          "title": ["Bulletin", "Statistics bulletin"], "publisher": [None, "Office"],
                                          "date_published": [None, "2024-03-01"],
                                          "archived_url": [None, "https://archive.example/x"],
                                          "archived_date": [None, "2024-03-02T00:00:00+00:00"]},
                       note="https://stats.example/2024"),
                 "Ana changed the source https://stats.example/2024",
                 ["Stance: contradicts → gives context", "Excerpt: none → It says so.",
                  "Title: Bulletin → Statistics bulletin", "Publisher: none → Office",
                  "Date published: none → 2024-03-01", "Archived copy: none → https://archive.example/x",
                  "Archived on: none → 2024-03-02"], id="source_updated"),
    pytest.param(Event("comment", {"comment": [None, 12]}, note="Check the **receipts**."),
                 "Ana commented: Check the **receipts**.", [], id="comment"),
    pytest.param(Event("transition", {"status": ["draft", "in_review"]}),
                 "Ana submitted the claim for review", [], id="submit"),
    pytest.param(Event("transition", {"status": ["changes_requested", "in_review"]}),
                 "Ana submitted the claim for review", [], id="resubmit"),
    pytest.param(Event("transition", {"status": ["in_review", "approved"]}),
                 "Ana approved the claim", [], id="approve"),
    pytest.param(Event("transition", {"status": ["in_review", "changes_requested"]}, note="Cite the receipts."),
                 "Ana requested changes: Cite the receipts.", [], id="request_changes"),
    pytest.param(Event("transition", {"status": ["approved", "draft"]}, note="New figures."),
                 "Ana reopened the claim: New figures.", [], id="reopen"),
    pytest.param(Event("transition", {"status": ["approved", "on_hold"]}),
                 "Ana set the status to On hold", [], id="transition_to_an_unknown_status"),
    pytest.param(Event("deleted", {"deleted": [False, True]}), "Ana deleted the claim", [], id="deleted"),
    pytest.param(Event("retired", {"deleted": [False, True]}, note="The sentence is gone."),
                 "Ana retired the claim: The sentence is gone.", [], id="retired"),
    pytest.param(Event("reanchored", {"revision": [1, 2], "state": ["anchored", "anchored"], "start": [4, 4],
                                      "end": [14, 14]}, note="kept; score 1.00"),
                 "Kept in place in revision 2",
                 ["Revision: 1 → 2", "Anchoring: in place → in place", "Position: characters 4–14 → characters 4–14"],
                 id="reanchored_kept"),
    pytest.param(Event("reanchored", {"revision": [1, 2], "state": ["anchored", "anchored"], "start": [4, 9],
                                      "end": [14, 19]}, note="moved; score 0.97"),
                 "Re-anchored in revision 2: moved, similarity 0.97",
                 ["Revision: 1 → 2", "Anchoring: in place → in place", "Position: characters 4–14 → characters 9–19"],
                 id="reanchored_moved"),
    pytest.param(Event("reanchored", {"revision": [2, 3], "state": ["anchored", "changed"], "start": [4, 4],
                                      "end": [16, 16], "quote": ["412 million", "420 million"]},
                       note="changed; score 0.86"),
                 "Words changed in revision 3, similarity 0.86",
                 ["Revision: 2 → 3", "Anchoring: in place → words changed",
                  "Position: characters 4–16 → characters 4–16", "Quote: 412 420 million"], id="reanchored_changed"),
    pytest.param(Event("reanchored", {"revision": [2, 3], "state": ["anchored", "orphan"], "start": [4, None],
                                      "end": [16, None]}, note="orphan; score 0.12"),
                 "Orphaned by revision 3: its words are gone",
                 ["Revision: 2 → 3", "Anchoring: in place → orphaned", "Position: characters 4–16 → none"],
                 id="reanchored_orphan"),
    pytest.param(Event("reattached", {"revision": [2, 3], "quote": ["412 million", "420 million crowns"],
                                      "start": [4, 30], "end": [16, 48], "state": ["orphan", "anchored"]}),
                 "Ana re-attached the claim to words in revision 3",
                 ["Revision: 2 → 3", "Quote: 412 420 million crowns",
                  "Position: characters 4–16 → characters 30–48", "Anchoring: orphaned → in place"], id="reattached"),
    pytest.param(Event("imported", {"revision": [None, 1]}, note="paste"),
                 "Ana imported the article", ["Revision: 1"], id="imported"),
    pytest.param(Event("revision", {"revision": [1, 2]}, note="https://news.example/story"),
                 "Ana added revision 2", ["Revision: 1 → 2"], id="revision"),
    pytest.param(Event("approval_withdrawn", {"status": ["approved", "in_review"]},
                       note="Words changed in revision 3, similarity 0.86"),
                 "Approval withdrawn: Words changed in revision 3, similarity 0.86",
                 ["Status: approved → in review"], id="approval_withdrawn"),
    pytest.param(Event("approval_kept", note="Moved in revision 3, words kept"),
                 "Approval kept: Moved in revision 3, words kept", [], id="approval_kept"),
    pytest.param(Event("withdrawn", {"deleted": [False, True]}, note="Duplicate of claim 4."),
                 "Ana withdrew the claim: Duplicate of claim 4.", ["Withdrawn: no → yes"], id="withdrawn"),
    pytest.param(Event("purged", note="Legal request."), "Ana purged the claim: Legal request.", [], id="purged"),
    pytest.param(Event("approved_again", {"status": ["in_review", "approved"]}),
                 "Ana approved the claim again", ["Status: in review → approved"], id="approved_again"),
    pytest.param(Event("embargo_lifted", {"embargoUntil": ["2024-06-01T09:30:00Z", None], "flags": [["a"], {"b": 1}]},
                       note="Cleared."),
                 "Ana: Embargo lifted: Cleared.",
                 ["Embargo until: 2024-06-01 09:30 UTC → none", "Flags: a → B: 1"], id="unknown_action_and_fields"),
]


@pytest.mark.parametrize(("event", "sentence", "lines"), CASES)
def test_every_event_reads_as_a_sentence_with_labelled_fields(event, sentence, lines):
    said, listed, soup = rendered(event)
    assert said == sentence
    assert listed == lines
    assert_readable(soup)


def assert_readable(soup):
    text = soup.get_text(" ")
    for raw in RAW:
        assert raw not in text
    assert {tag.name for tag in soup.find_all(True)} <= ELEMENTS
    for link in soup.find_all("a"):
        assert link["href"].startswith(("http://", "https://")) and link["rel"] == ["nofollow", "noopener",
                                                                                   "noreferrer"]
    # Whatever is cut short says so, and the whole of it is one click away.
    for cut in soup.select(".preview"):
        assert "…" in cut.get_text()
        details = cut.find_next_sibling("details")
        assert details.summary.get_text() == "show all" and details.select_one(".whole")


def test_every_sentence_in_the_table_is_covered():
    covered = {p.values[0].action for p in CASES}
    assert {key.split(":")[0] for key in SENTENCES} <= covered


def test_the_sentence_names_who_acted_or_the_page_does():
    entry = present(Event("updated", {"verdict": ["true", "false"]}), None, SCALE)
    assert entry.actor == "Someone" and entry.names_actor
    assert not present(Event("reanchored", {"revision": [1, 2]}, note="kept; score 1.00"), "Ana", SCALE).names_actor


def test_rows_of_events_and_users():
    @dataclass
    class User:
        username: str
        display_name: str = ""

    entries = present_all([(Event("deleted"), User("ana", "Ana Silva")), (Event("deleted"), User("bo")),
                           (Event("deleted"), None)], SCALE)
    assert [e.actor for e in entries] == ["Ana Silva", "bo", "Someone"]


PAYLOAD = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
HUGE = "word " * 3000


@pytest.mark.parametrize("event", [
    pytest.param(Event("updated", {"tags": [[PAYLOAD], [PAYLOAD, "b"]]}), id="markup_in_tags"),
    pytest.param(Event("comment", {"comment": [None, 1]}, note=PAYLOAD), id="markup_in_note"),
    pytest.param(Event("source_added", {"source": [None, {"url": "javascript:alert(1)", "title": PAYLOAD}]}),
                 id="script_url_in_source"),
    pytest.param(Event("source_updated", {"archived_url": [None, "data:text/html,<b>x</b>"]},
                       note="javascript:alert(1)"), id="script_urls_as_values"),
    pytest.param(Event("updated", {"rationale": [None, HUGE]}), id="very_long_text"),
    pytest.param(Event("comment", note=HUGE), id="very_long_note"),
    pytest.param(Event("updated", {"tags": [[], [f"tag {n}" for n in range(200)]]}), id="very_long_list"),
    pytest.param(Event("updated", {"rationale": [HUGE + "end.", HUGE + "finish."]}), id="very_long_diff"),
    pytest.param(Event("updated", {"nested": [[["a", ["b", {"c": [1, 2]}]]], {"x": {"y": None}}]}), id="nested"),
    pytest.param(Event("updated", {"verdict": [None, None], "tags": [None, []], "publisher": ["", None]}),
                 id="nothing_values"),
    pytest.param(Event("updated", {"when": [datetime(2024, 1, 2, 3, 4), date(2024, 1, 2)],
                                   "archived_date": ["2024-03-02T10:00:00Z", "2024-03-02"]}), id="dates"),
    pytest.param(Event("updated", {"score": [0.8571428, 1.0], "flag": [True, False], "count": [3, 4]}),
                 id="numbers_and_flags"),
    pytest.param(Event("updated", {"verdict": ["pants_on_fire", "true"]}), id="verdict_no_longer_on_the_scale"),
    pytest.param(Event("updated", "not a dict", note=None), id="changes_not_a_dict"),
    pytest.param(Event("updated", {"verdict": "false", "tags": ["only", "new", "three"]}), id="changes_not_pairs"),
    pytest.param(Event("", {}), id="no_action"),
])
def test_hostile_values_still_read_as_text(event):
    said, listed, soup = rendered(event)
    assert said
    assert_readable(soup)
    assert not soup.find_all(["img", "script", "b"])


def test_markup_is_shown_as_written():
    said, listed, _soup = rendered(Event("comment", note=PAYLOAD))
    assert said == f"Ana commented: {PAYLOAD}"


def test_script_urls_are_not_links():
    _said, _listed, soup = rendered(Event("source_added", {"source": [None, {"url": "javascript:alert(1)",
                                                                              "title": "x"}]}))
    assert soup.find("a") is None and "javascript:alert(1)" in soup.get_text()


def test_a_long_value_shows_its_start_and_the_whole_behind_show_all():
    text = " ".join(f"w{n}" for n in range(400))
    _said, listed, soup = rendered(Event("updated", {"rationale": [None, text]}))
    assert listed[0].startswith("Rationale: none → w0 w1") and listed[0].endswith("… show all")
    assert len(listed[0]) < LONG + 40
    assert soup.select_one(".changes .whole").get_text() == text


def test_a_long_difference_shows_the_change_in_context_and_the_whole():
    words = [f"w{n}" for n in range(500)]
    old, new = " ".join(words), " ".join(words[:250] + ["changed"] + words[251:])
    _said, listed, soup = rendered(Event("updated", {"rationale": [old, new]}))
    assert listed[0] == "Rationale: … w244 w245 w246 w247 w248 w249 w250 changed w251 w252 w253 w254 w255 w256 … show all"
    assert [d.get_text() for d in soup.select(".preview del")] == ["w250"]
    whole = soup.select_one(".whole")
    assert [d.get_text() for d in whole.select("del")] == ["w250"] and [i.get_text() for i in whole.select("ins")] == [
        "changed"]
    assert whole.get_text().replace("changed", "").replace("w250", "").split() == words[:250] + words[251:]


def test_paragraph_breaks_in_a_difference_are_kept():
    _said, _listed, soup = rendered(Event("updated", {"rationale": ["One.\n\nTwo.", "One.\n\nTwo more."]}))
    assert soup.select_one(".diff").get_text() == "One.\n\nTwo. Two more."


def test_dates_are_written_as_the_pages_write_them():
    _said, listed, _soup = rendered(Event("updated", {"when": [datetime(2024, 1, 2, 3, 4), date(2024, 1, 2)],
                                                      "archived_date": ["2024-03-02T10:00:00Z", "2024-03-02"]}))
    assert listed == ["When: 2024-01-02 03:04 UTC → 2024-01-02", "Archived on: 2024-03-02 10:00 UTC → 2024-03-02"]


def test_numbers_flags_and_nesting():
    _said, listed, _soup = rendered(Event("updated", {"score": [0.8571428, 1.0], "flag": [True, False],
                                                      "nested": [None, [["a", ["b", {"c": [1, 2]}]]]]}))
    assert listed == ["Similarity: 0.86 → 1.00", "Flag: yes → no", "Nested: none → a; b; C: 1, 2"]


def test_long_texts_are_compared_in_moments():
    """A rationale of the longest kind, rewritten or edited in one place: the page must not wait."""
    import time

    words = [f"w{n % 300}" for n in range(3300)]  # about 20,000 characters, words repeating
    old = " ".join(words)
    cases = [" ".join(reversed(words)), old.replace(" w7 ", " seven ", 1), " ".join(words[:1400]) + " end",
             " ".join(reversed(words[:1400]))]
    started = time.perf_counter()
    for new in cases:
        entry = present(Event("updated", {"rationale": [old if len(new) > 10_000 else " ".join(words[:1400]), new]}),
                        "Ana", SCALE)
        assert entry.changes[0].diff is not None
    assert time.perf_counter() - started < 1.5
