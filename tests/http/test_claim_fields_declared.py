"""A claim field declared once is edited, checked, recorded, approved and exported everywhere.

The test declares one more plain text field, "Claimant", at run time (the declaration only: no
other code changes) and follows it through the form, the API, the history, the approval and
every export. It binds the field to an existing text column, ``withdrawn_reason`` (empty on a
live claim), so that no test table is needed: adding a field for real adds the column too.
"""

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.helpers.api import annotation_for
from workbench.services import approvals
from workbench.store.models import Claim, ClaimApproval, HistoryEvent
from workbench.text import claim_fields
from workbench.text.claim_fields import ClaimField

TEXT = ("Tolls Headline\n\n"
        "The minister said tolls paid for the bridge twice over since 2009.\n\n"
        "Receipts reached 830 million crowns.")
CLAIMANT = ClaimField("withdrawn_reason", "Claimant", "text", max_length=40, csv="claimant",
                      w3c_purpose="identifying", help="Who made the claim.")


@pytest.fixture
def claimant(monkeypatch):
    monkeypatch.setattr(claim_fields, "CLAIM_FIELDS", (*claim_fields.CLAIM_FIELDS, CLAIMANT))
    return CLAIMANT


@pytest.fixture
def article(api_as):
    return api_as("checker").post("/api/articles", json={"text": TEXT, "title": "Tolls"}).get_json()


def created(api_as, article, claimant_value="Minister Berg"):
    document = annotation_for(article, "tolls paid for the bridge twice over")
    document["body"].append({"type": "TextualBody", "purpose": "identifying", "value": claimant_value})
    response = api_as("checker").post(f"/api/articles/{article['id']}/annotations/", json=document)
    assert response.status_code == 201, response.text
    return response


def test_the_api_reads_and_writes_the_field(claimant, api_as, article, db):
    anno = created(api_as, article).get_json()
    claim = db.exec(select(Claim)).one()
    assert claim.withdrawn_reason == "Minister Berg"
    assert {"type": "TextualBody", "purpose": "identifying", "value": "Minister Berg",
            "format": "text/plain"} in anno["body"]
    # Checked as declared: its length limit, in a 422 that names it.
    document = annotation_for(article, "830 million crowns")
    document["body"].append({"type": "TextualBody", "purpose": "identifying", "value": "x" * 41})
    response = api_as("checker").post(f"/api/articles/{article['id']}/annotations/", json=document)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "withdrawn_reason_too_long"
    assert "claimant has 41 characters" in response.get_json()["error"]["message"]


def test_the_form_edits_it_and_the_history_names_it(claimant, client, auth, api_as, article, db):
    created(api_as, article)
    claim = db.exec(select(Claim)).one()
    auth.login_as("checker")
    panel = BeautifulSoup(client.get(f"/claims/{claim.id}", headers={"HX-Request": "true"}).text, "html.parser")
    field = panel.select_one(f"#edit-{claim.id}-withdrawn_reason")
    assert field["name"] == "withdrawn_reason" and field["value"] == "Minister Berg" and field["maxlength"] == "40"
    assert panel.find("label", attrs={"for": f"edit-{claim.id}-withdrawn_reason"}).text == "Claimant"
    assert panel.select_one(".claim-field-withdrawn_reason").text == "Claimant: Minister Berg"
    assert "claimant" in panel.find("summary", string=lambda s: s and s.startswith("Edit")).text

    response = auth.post(f"/claims/{claim.id}", data={"version": claim.version, "verdict": claim.verdict,
                                                      "rationale": claim.rationale, "tags": ", ".join(claim.tags),
                                                      "withdrawn_reason": "  Minister   Dahl "})
    assert response.status_code == 302, response.text
    db.rollback()
    assert db.get(Claim, claim.id).withdrawn_reason == "Minister Dahl"
    event = db.exec(select(HistoryEvent).where(HistoryEvent.action == "updated")).one()
    assert event.changes == {"withdrawn_reason": ["Minister Berg", "Minister Dahl"]}
    history = BeautifulSoup(client.get(f"/claims/{claim.id}/history").text, "html.parser").get_text(" ")
    assert "changed the claimant from Minister Berg to Minister Dahl" in " ".join(history.split())


def test_an_approval_covers_it_and_the_exports_show_it(claimant, api_as, article, db):
    url = created(api_as, article).headers["Location"]
    assert api_as("checker").post(url + "/review", json={"action": "submit"}).status_code == 200
    assert api_as("editor").post(url + "/review", json={"action": "approve"}).status_code == 200
    claim = db.exec(select(Claim)).one()
    approval = db.exec(select(ClaimApproval)).one()
    assert approval.content["withdrawn_reason"] == "Minister Berg"

    exported = {fmt: api_as("viewer").get(f"/api/articles/{article['id']}/export?format={fmt}").data
                for fmt in ("csv", "md", "html", "jsonld")}
    rows = list(csv.DictReader(io.StringIO(exported["csv"].decode())))
    assert rows[0]["claimant"] == "Minister Berg"
    assert list(rows[0])[list(rows[0]).index("tags") + 1] == "claimant"
    assert "Claimant: Minister Berg" in exported["md"].decode()
    report = BeautifulSoup(exported["html"], "html.parser")
    assert report.select_one("#claim-1 .claim-field-withdrawn_reason").text == "Claimant: Minister Berg"
    bodies = json.loads(exported["jsonld"])["first"]["items"][0]["body"]
    assert {"type": "TextualBody", "purpose": "identifying", "value": "Minister Berg",
            "format": "text/plain"} in bodies

    # Changing it withdraws the approval, which says what changed.
    etag = api_as("checker").get(url).headers["ETag"]
    document = annotation_for(article, "tolls paid for the bridge twice over")
    document["body"].append({"type": "TextualBody", "purpose": "identifying", "value": "Minister Dahl"})
    response = api_as("checker").put(url, json=document, headers={"If-Match": etag})
    assert response.status_code == 200, response.text
    db.rollback()
    withdrawn = db.exec(select(HistoryEvent).where(HistoryEvent.action == "approval_withdrawn")).one()
    assert withdrawn.changes["withdrawn_reason"] == ["Minister Berg", "Minister Dahl"]
    assert withdrawn.note.startswith("Claimant changed after approval")
    assert db.get(Claim, claim.id).status == "in_review"


def test_declaring_a_field_keeps_the_digests_of_approvals_made_before(monkeypatch):
    content = {"revision_id": 1, "start": 0, "end": 5, "exact": "tolls", "anchor_state": "anchored",
               "verdict": "false", "rationale": "Because.", "tags": [], "sources": []}
    before = approvals.content_digest(content)
    monkeypatch.setattr(claim_fields, "CLAIM_FIELDS", (*claim_fields.CLAIM_FIELDS, CLAIMANT))
    assert approvals.content_digest(content) == before
    assert approvals.content_digest({**content, "withdrawn_reason": ""}) == before
    assert approvals.content_digest({**content, "withdrawn_reason": "Minister Berg"}) != before
