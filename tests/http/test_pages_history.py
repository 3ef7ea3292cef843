"""Claim history as people read it, in the claim panel and in the published report, after real edits."""

import re

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.helpers.api import annotation_for
from tests.helpers.revisions import V1, V2, new_revision
from workbench.store.models import Claim

TEXT = "Bridge Tolls\n\nThe minister said tolls paid for the bridge twice over.\n\nReceipts were 830 million."
WORDS = "tolls paid for the bridge twice over"
SOURCE = "https://stats.example/tolls-2024"
#: What a person must never see: Python's own writing of lists, dicts, None and dates, and keys.
RAW = ("['", "{'", "None", "datetime.", "mostly_false", "in_review", "source_added", "context")


@pytest.fixture
def edited(auth, db, make_article, client):
    """A claim made and edited through the pages: verdict, tags, a source with a stance, the
    rationale; then submitted and approved."""
    article_id = make_article(TEXT)
    start = TEXT.split("\n\n", 1)[1].index(WORDS)
    auth.login_as("checker")
    htmx = {"HX-Request": "true", "X-CSRF-Token": auth.csrf}
    auth.post(f"/articles/{article_id}/claims", data={"start": start, "end": start + len(WORDS), "exact": WORDS,
                                                       "verdict": "true", "tags": "bridge",
                                                       "rationale": "Receipts show the tolls paid for it once."})
    steps = [("/claims/{id}", {"verdict": "mostly_false"}),
             ("/claims/{id}", {"tags": "bridge, <i>tolls</i>"}),
             ("/claims/{id}/sources", {"url": SOURCE, "title": "Toll receipts 2024", "stance": "supports"}),
             ("/claims/{id}", {"rationale": "Receipts show the tolls paid for it twice over."})]
    for path, change in steps:
        claim = current(db)
        data = {"version": claim.version, "verdict": claim.verdict, "rationale": claim.rationale,
                "tags": ", ".join(claim.tags), **change}
        assert auth.post(path.format(id=claim.id), data=data, headers=htmx).status_code == 200
    claim = current(db)
    assert auth.post(f"/claims/{claim.id}/review", data={"action": "submit", "version": claim.version},
                     headers=htmx).status_code == 200
    auth.post("/logout")
    auth.login_as("editor")
    claim = current(db)
    assert auth.post(f"/claims/{claim.id}/review", data={"action": "approve", "version": claim.version},
                     headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf}).status_code == 200
    return {"article_id": article_id, "claim_id": claim.id}


def current(db) -> Claim:
    db.rollback()  # see what the requests committed
    return db.exec(select(Claim)).one()


SENTENCES = [
    "Checker created the claim",
    "Checker changed the verdict from True to Mostly false",
    "Checker changed the tags from bridge to bridge, <i>tolls</i>",
    "Checker added a source: Toll receipts 2024 (supports)",
    "Checker changed the rationale",
    "Checker submitted the claim for review",
    "Editor approved the claim",
]


def flat(node, between=" ") -> str:
    return " ".join(node.get_text(between).split())


def check_readable(entries, sentences):
    """Each entry's sentence, its link, the rationale's word difference, and no raw data anywhere."""
    assert [flat(e.select_one(".what")) for e in entries] == sentences
    added = entries[3].select_one(".what a")
    assert (added.text, added["href"]) == ("Toll receipts 2024", SOURCE)
    created = [flat(li.select_one(".field")) for li in entries[0].select(".changes li")]
    assert created == ["Quote", "Position", "Verdict", "Rationale", "Tags"]
    start = TEXT.split("\n\n", 1)[1].index(WORDS)
    lines = [flat(li, "") for li in entries[0].select(".changes li")]
    assert lines[1:3] == [f"Position: characters {start}–{start + len(WORDS)}", "Verdict: True"]
    rationale = entries[4].select_one(".changes li")
    assert flat(rationale.select_one(".field")) == "Rationale"
    assert [d.text for d in rationale.select("del")] == ["once."]
    assert [i.text for i in rationale.select("ins")] == ["twice over."]
    text = " ".join(flat(e) for e in entries)
    for raw in RAW:
        assert raw not in text
    # The tag typed as markup is shown as text, not made an element.
    assert not any(e.find("i") for e in entries)


def test_claim_panel_history_reads_as_sentences_and_labels(client, edited):
    response = client.get(f"/claims/{edited['claim_id']}", headers={"HX-Request": "true"})
    soup = BeautifulSoup(response.text, "html.parser")
    entries = soup.select(".history .timeline > li")
    check_readable(entries, SENTENCES)
    # Who did it is in the sentence; the time beside it.
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", flat(entries[1].select_one(".meta")))


def test_published_report_appendix_reads_the_same(client, edited, api_as):
    response = api_as("viewer").get(f"/api/articles/{edited['article_id']}/export?format=html")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    rows = soup.select(".appendix tbody tr")
    entries = [row.select("td")[2] for row in rows]
    check_readable(entries, SENTENCES)
    assert [flat(row.select("td")[1]) for row in rows][:2] == ["Checker", "Checker"]


def test_long_values_fold_in_the_report_and_print_whole(client, auth, db, edited, api_as):
    import os
    import shutil
    import subprocess

    auth.post("/logout")
    auth.login_as("editor")
    claim = current(db)
    rationale = "Receipts show " + " ".join(f"figure{n}" for n in range(120)) + " and that is all."
    assert auth.post(f"/claims/{claim.id}", data={"version": claim.version, "verdict": claim.verdict,
                                                  "rationale": rationale, "tags": ", ".join(claim.tags)},
                     headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf}).status_code == 200
    api = api_as("viewer")
    soup = BeautifulSoup(api.get(f"/api/articles/{edited['article_id']}/export?format=html&include=all").text,
                         "html.parser")
    # The edit, then the approval it took away.
    last, withdrawn = soup.select(".appendix tbody tr")[-2:]
    assert flat(last.select_one(".what")) == "Editor changed the rationale"
    assert flat(withdrawn.select_one(".what")).startswith("Approval withdrawn: Rationale changed after approval")
    assert "…" in last.select_one(".preview").text and last.select_one("details summary").text == "show all"
    assert "and that is all." in last.select_one("details .whole").text
    if shutil.which("chromium") is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium and pdftotext must be installed in CI")
        pytest.skip("Chromium or pdftotext is not installed")
    # On paper nothing unfolds: the printed report holds the whole value and no "show all".
    pdf = api.get(f"/api/articles/{edited['article_id']}/export?format=pdf&include=all").data
    printed = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                      check=True).stdout.decode().split())
    assert "figure119 and that is all." in printed and "show all" not in printed


def test_reanchoring_reads_as_what_happened_to_the_words(client, auth, api_as):

    api = api_as("checker")
    body = api.post("/api/articles", json={"text": V1}).get_json()
    ids = {}
    for words in ["tolls paid for the bridge twice over", "830 million crowns by the end of last year",
                  "the concession favoured the operator"]:
        response = api.post(f"/api/articles/{body['id']}/annotations/", json=annotation_for(body, words))
        ids[words] = int(response.headers["Location"].rsplit("/", 1)[1])
    assert new_revision(api_as, {"id": body["id"]}, V2).status_code == 201
    auth.login_as("viewer")

    def last_entry(words):
        soup = BeautifulSoup(client.get(f"/claims/{ids[words]}", headers={"HX-Request": "true"}).text, "html.parser")
        return soup.select(".history .timeline > li")[-1]

    changed = last_entry("830 million crowns by the end of last year")
    assert re.fullmatch(r"Words changed in revision 2, similarity 0\.\d\d", flat(changed.select_one(".what")))
    assert "Checker" in flat(changed.select_one(".meta"))  # who added the revision, beside the sentence
    quote = next(li for li in changed.select(".changes li") if flat(li.select_one(".field")) == "Quote")
    assert ([d.text for d in quote.select("del")], [i.text for i in quote.select("ins")]) == (["million"], ["milion"])
    moved = last_entry("tolls paid for the bridge twice over")
    assert re.fullmatch(r"Re-anchored in revision 2: moved, similarity \d\.\d\d", flat(moved.select_one(".what")))
    orphan = last_entry("the concession favoured the operator")
    assert flat(orphan.select_one(".what")) == "Orphaned by revision 2: its words are gone"
    lines = [flat(li, "") for li in orphan.select(".changes li")]
    assert "Anchoring: in place → orphaned" in lines and any(line.endswith("→ none") for line in lines)
