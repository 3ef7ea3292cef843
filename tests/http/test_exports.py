"""Exports: each format parsed and checked field by field, conformance, round trip, safety."""

import csv
import io
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.helpers.api import assert_api_error
from tests.helpers.apps import make_test_app
from tests.helpers.conformance import assert_conforms
from tests.helpers.factories import EXPORT_TEXT, LONG, PAYLOAD
from tests.helpers.pdf import hold_pdf_turn
from workbench.services.articles import get_revision
from workbench.services.claims import create_claim
from workbench.services.imports import import_article
from workbench.services.schemas import ClaimFields
from workbench.store.db import get_session
from workbench.store.models import Claim, ClaimSource, Source, User


def get_export(api, article_id, fmt, include="approved"):
    response = api.get(f"/api/articles/{article_id}/export?format={fmt}&include={include}")
    assert response.status_code == 200, response.text
    return response


def test_html_report(api_as, exported):
    response = get_export(api_as("viewer"), exported["article_id"], "html")
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    soup = BeautifulSoup(response.text, "html.parser")
    # Self-contained: no external resources, no scripts that run, a CSP that forbids them.
    assert soup.find("link") is None and soup.find("img") is None
    assert [s.get("type") for s in soup.find_all("script")] == ["application/ld+json"] * 3
    assert "default-src 'none'" in soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert not any(a.startswith("on") for tag in soup.find_all(True) for a in tag.attrs)
    # The article with highlights and numbered markers, in text order.
    assert [m.text for m in soup.select(".article mark")] == [
        "tolls paid for the bridge twice over", LONG, "830 million crowns"]
    assert [a.text for a in soup.select(".article sup a")] == ["1", "2", "3"]
    # Each claim: quote, verdict, rationale (rendered), sources with stance and archive, checker, reviewer.
    cards = soup.select("article.claim")
    assert [c.select_one("blockquote").text for c in cards] == [
        "tolls paid for the bridge twice over", LONG, "830 million crowns"]
    first = cards[0]
    assert first.select_one(".badge").text == "False"
    assert first.select_one(".rationale strong").text == "false"
    assert first.select_one(".stance").text == "contradicts"
    links = [a["href"] for a in first.select(".sources a")]
    assert links == ["https://stats.example/2024", "https://archive.example/2024"]
    assert "Checked by Checker" in first.text and "approved by Editor on" in first.text
    # The verdict chart: one bar per verdict present, with its count.
    bars = {g.find("text").text: g.find_all("text")[1].text for g in soup.select("svg g")}
    assert bars == {"Mostly false": "1", "False": "1", "Misleading": "1"}
    # Provenance appendix: revision hash and each claim's transitions, in words.
    appendix = soup.select_one(".appendix").text
    assert get_sha(api_as, exported) in appendix and "Editor approved the claim" in appendix
    # Embedded ClaimReview JSON-LD for each approved claim with a verdict.
    reviews = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert sorted(r["reviewRating"]["alternateName"] for r in reviews) == ["False", "Misleading", "Mostly false"]


def get_sha(api_as, exported):
    return api_as("viewer").get(f"/api/articles/{exported['article_id']}").get_json()["revision"]["sha256"]


def test_html_report_include_all_shows_status(api_as, exported):
    soup = BeautifulSoup(get_export(api_as("viewer"), exported["article_id"], "html", "all").text, "html.parser")
    # In text order: the draft ("since it opened in 2009") is the second claim.
    assert [c.select_one(".status").text for c in soup.select("article.claim")] == [
        "approved", "draft", "approved", "approved"]
    assert len(soup.find_all("script", type="application/ld+json")) == 3  # drafts never get a ClaimReview


def test_no_payload_runs_anywhere_in_the_html(api_as, exported):
    soup = BeautifulSoup(get_export(api_as("viewer"), exported["article_id"], "html", "all").text, "html.parser")
    assert soup.find("img") is None
    for script in soup.find_all("script"):
        assert script.get("type") == "application/ld+json" and "</script" not in script.string
    assert PAYLOAD.replace('"', "") not in str(soup).replace('"', "")  # never verbatim markup
    assert "Bulletin <img" in soup.select_one(".sources a").text  # shown as text


def test_inline_report_is_served_under_a_policy_allowing_only_its_stylesheet(api_as, exported):
    import base64
    import hashlib

    from workbench.web.security import CONTENT_SECURITY_POLICY

    api = api_as("viewer")
    inline = api.get(f"/api/articles/{exported['article_id']}/export?format=html&include=all")
    style = BeautifulSoup(inline.text, "html.parser").head.style.string
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    directives = dict(part.strip().split(" ", 1) for part in inline.headers["Content-Security-Policy"].split(";"))
    assert directives == {"default-src": "'none'", "style-src": f"'sha256-{digest}'", "img-src": "data:",
                          "script-src": "'none'", "base-uri": "'none'", "form-action": "'none'",
                          "frame-ancestors": "'none'"}
    assert inline.headers["X-Frame-Options"] == "DENY" and inline.headers["X-Content-Type-Options"] == "nosniff"
    # A download is not rendered by the browser, and other formats are not HTML: the app's policy stays.
    download = api.get(f"/api/articles/{exported['article_id']}/export?format=html&download=1")
    assert download.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    markdown = api.get(f"/api/articles/{exported['article_id']}/export?format=md")
    assert markdown.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_w3c_export_conforms_and_holds_the_claims(api_as, exported):
    response = get_export(api_as("viewer"), exported["article_id"], "jsonld", "all")
    assert response.headers["Content-Type"].startswith("application/ld+json")
    collection = response.get_json(force=True)
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 4
    page = collection["first"]
    assert page["type"] == "AnnotationPage" and len(page["items"]) == 4
    assert_conforms(collection)
    for item in page["items"]:
        assert_conforms(dict(item, **{"@context": collection["@context"]}))
    statuses = sorted(item["reviewStatus"] for item in page["items"])
    assert statuses == ["approved", "approved", "approved", "draft"]
    approved_only = get_export(api_as("viewer"), exported["article_id"], "jsonld").get_json(force=True)
    assert approved_only["total"] == 3


def test_claimreview(api_as, exported):
    reviews = get_export(api_as("viewer"), exported["article_id"], "claimreview", "all").get_json(force=True)
    by_label = {r["reviewRating"]["alternateName"]: r for r in reviews}
    assert set(by_label) == {"False", "Mostly false", "Misleading"}
    false = by_label["False"]
    assert false["@context"] == "https://schema.org" and false["@type"] == "ClaimReview"
    assert false["claimReviewed"] == "tolls paid for the bridge twice over"
    assert false["reviewRating"] == {"@type": "Rating", "alternateName": "False", "ratingValue": 1,
                                     "bestRating": 5, "worstRating": 1}
    assert false["itemReviewed"] == {"@type": "Claim", "author": {"@type": "Organization", "name": "Northern Gazette"},
                                     "datePublished": "2025-03-14",
                                     "appearance": {"@type": "CreativeWork", "url": "https://gazette.example/bridge"}}
    assert false["author"] == {"@type": "Organization", "name": "Workbench Fact Check"}
    assert len(false["datePublished"]) == 10 and false["url"].startswith("http")
    assert len(by_label["Mostly false"]["claimReviewed"]) <= 75
    assert by_label["Mostly false"]["claimReviewed"].endswith("…")
    assert "ratingValue" not in by_label["Misleading"]["reviewRating"]


def test_claimreview_author_is_the_configured_org(app, api_as, exported):
    app.config["ORG_NAME"] = "Harbour Fact Desk"
    reviews = get_export(api_as("viewer"), exported["article_id"], "claimreview").get_json(force=True)
    assert {r["author"]["name"] for r in reviews} == {"Harbour Fact Desk"}


def test_markdown(api_as, exported):
    text = get_export(api_as("viewer"), exported["article_id"], "md", "all").text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## 1. False", "## 2. True", "## 3. Mostly false", "## 4. Misleading", "## Corrections and updates"]
    assert "> tolls paid for the bridge twice over" in text
    assert "<script" not in text and "<img" not in text
    assert "(<https://stats.example/2024>) — contradicts" in text


def test_csv(api_as, exported):
    rows = list(csv.DictReader(io.StringIO(get_export(api_as("viewer"), exported["article_id"], "csv", "all").text)))
    assert [r["quote"] for r in rows] == ["tolls paid for the bridge twice over", "since it opened in 2009", LONG,
                                          "830 million crowns"]
    assert [r["number"] for r in rows] == ["1", "2", "3", "4"]
    first = rows[0]
    assert (first["verdict"], first["verdict_label"], first["status"], first["checker"], first["reviewer"]) == \
        ("false", "False", "approved", "Checker", "Editor")
    assert first["sources"] == "https://stats.example/2024 (contradicts)"
    assert first["approved"].startswith("20")
    assert (rows[1]["status"], rows[1]["approved"], rows[1]["reviewer"]) == ("draft", "", "")


def test_csv_neutralizes_formulas(app, api_as, users):
    with app.app_context():
        db = get_session()
        checker = db.get(User, users["checker"].id)
        article = import_article(db, actor=checker, data=b"H\n\n=HYPERLINK(\"x\") is the claim here.",
                                 media_type="text/plain", origin="t", max_bytes=10**6)
        create_claim(db, revision=get_revision(db, article), actor=checker, start=0, end=14,
                     exact='=HYPERLINK("x"', fields=ClaimFields(verdict="false"))
        article_id = article.id
    rows = list(csv.DictReader(io.StringIO(get_export(api_as("viewer"), article_id, "csv", "all").text)))
    assert rows[0]["quote"] == "'=HYPERLINK(\"x\""


def test_pdf_reads_back_with_the_claims(api_as, exported):
    if shutil.which("chromium") is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium and pdftotext must be installed in CI")
        pytest.skip("Chromium or pdftotext is not installed")
    response = get_export(api_as("viewer"), exported["article_id"], "pdf")
    assert response.headers["Content-Type"] == "application/pdf" and response.data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    for quote in ["tolls paid for the bridge twice over", "830 million crowns", "Provenance"]:
        assert quote in flat


@pytest.fixture
def busy_printer(app):
    """Every PDF turn held by another process; an export waits a fifth of a second for one."""
    app.config["PDF_QUEUE_WAIT"] = 0.2
    holder = hold_pdf_turn(Path(app.instance_path) / "pdf-printers", app.config["PDF_CONCURRENCY"])
    yield
    holder.communicate("")


def test_pdf_export_waits_its_turn_then_says_the_printer_is_busy(api_as, exported, busy_printer):
    started = time.monotonic()
    response = api_as("viewer").get(f"/api/articles/{exported['article_id']}/export?format=pdf")
    assert 0.2 <= time.monotonic() - started < 2
    error = assert_api_error(response, 503, "pdf_busy")
    assert "busy" in error["message"] and "try again" in error["message"]
    assert response.headers["Retry-After"] == "1"


def test_export_panel_says_the_printer_is_busy_in_place(client, auth, exported, busy_printer):
    auth.login_as("viewer")
    response = auth.post(f"/articles/{exported['article_id']}/exports", data={"format": "pdf"},
                         headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    message = BeautifulSoup(response.text, "html.parser").select_one("#export-result [role=alert]").text
    assert "The PDF printer is busy" in message


def test_bad_options_are_400(api_as, exported):
    api = api_as("viewer")
    assert_api_error(api.get(f"/api/articles/{exported['article_id']}/export?format=docx"), 400)
    assert_api_error(api.get(f"/api/articles/{exported['article_id']}/export?format=html&include=some"), 400)
    assert_api_error(api.get("/api/articles/999/export?format=html"), 404)


def test_round_trip_into_a_fresh_instance(api_as, exported, tmp_path, sqlite_template, client):
    """Posting each annotation of a W3C export to the same article in a fresh instance recreates the claims."""
    collection = get_export(api_as("viewer"), exported["article_id"], "jsonld", "all").get_json(force=True)
    shutil.copy(sqlite_template, tmp_path / "fresh.sqlite3")
    fresh = make_test_app(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path / "fresh-instance")
    from workbench.services.accounts import create_token
    from workbench.services.users import create_user

    with fresh.app_context():
        token = create_token(get_session(), create_user(get_session(), username="importer", password="password-1",
                                                        role="checker"))
    fresh_client = fresh.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    article = fresh_client.post("/api/articles", json={"text": EXPORT_TEXT}, headers=headers).get_json()
    for item in collection["first"]["items"]:
        item = dict(item, **{"@context": collection["@context"]})
        response = fresh_client.post(f"/api/articles/{article['id']}/annotations/", json=item, headers=headers)
        assert response.status_code == 201, response.text

    def snapshot(app):
        with app.app_context():
            db = get_session()
            result = []
            for claim in db.exec(select(Claim).order_by(Claim.start)).all():
                sources = [(s.url, s.title, s.publisher, s.date_published, s.archived_url, link.stance, link.excerpt)
                           for link, s in db.exec(select(ClaimSource, Source).join(Source)
                                                  .where(ClaimSource.claim_id == claim.id)).all()]
                result.append((claim.start, claim.end, claim.exact, claim.prefix, claim.suffix, claim.verdict,
                               claim.rationale, claim.tags, sources))
            return result

    original = snapshot(client.application)
    assert snapshot(fresh) == original and len(original) == 4


def test_export_panel_builds_then_downloads(client, auth, exported):
    auth.login_as("viewer")
    page = BeautifulSoup(client.get(f"/articles/{exported['article_id']}").text, "html.parser")
    assert [o["value"] for o in page.select("#export-format option")] == ["html", "md", "csv", "jsonld",
                                                                          "claimreview", "pdf"]
    assert page.select_one("#export-progress [role=status]").text.strip() == "Building the export…"
    assert page.select_one("#export-progress [data-cancel-request]").text == "Cancel"
    response = auth.post(f"/articles/{exported['article_id']}/exports", data={"format": "csv", "include": "all"},
                         headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    link = BeautifulSoup(response.text, "html.parser").select_one("#export-result a")["href"]
    download = client.get(link)
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert len(list(csv.DictReader(io.StringIO(download.data.decode())))) == 4
    download.close()
    # Someone else cannot fetch it by its link.
    auth.post("/logout")
    auth.login_as("editor")
    assert client.get(link).status_code == 404


def test_export_panel_reports_errors_in_place(client, auth, exported):
    auth.login_as("viewer")
    response = auth.post(f"/articles/{exported['article_id']}/exports", data={"format": "docx"},
                         headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    assert response.status_code == 400 and "Unknown format" in response.text


def test_cli_export(runner, exported, tmp_path):
    target = tmp_path / "report.md"
    result = runner.invoke(args=["export", str(exported["article_id"]), "--format", "md", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("# Fact check: Bridge Tolls Headline")
    missing = runner.invoke(args=["export", "999", "--format", "md"])
    assert missing.exit_code != 0 and "no article 999" in missing.output


def test_command_line_pdf_export_takes_its_turn_too(runner, exported, busy_printer, tmp_path):
    result = runner.invoke(args=["export", str(exported["article_id"]), "--format", "pdf",
                                 "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code != 0 and "The PDF printer is busy" in result.output
    assert not (tmp_path / "out.pdf").exists()


def test_a_long_report_prints_in_parts_into_one_pdf_with_every_claim(app, api_as, users, make_article, monkeypatch):
    """A report past a part's claims is laid out a part at a time (so Chromium holds one part's
    layout, not thousands of claims'), and the parts' pages are joined in text order."""
    if shutil.which("chromium") is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium and pdftotext must be installed in CI")
        pytest.skip("Chromium or pdftotext is not installed")
    from tests.helpers.factories import make_claim
    from workbench.services.articles import get_article
    from workbench.services.exports import html_report
    from workbench.store.db import get_session
    from workbench.store.models import User

    words = [f"item{n:03d}" for n in range(12)]
    article_id = make_article("Council Headline\n\n" + " ".join(words) + ".")
    with app.app_context():
        db = get_session()
        checker = db.get(User, users["checker"].id)
        for word in words:
            make_claim(db, get_article(db, article_id), checker, word, verdict="false",
                       rationale=f"Ledger entry for {word}.")
    printed = []
    monkeypatch.setattr(html_report, "PRINT_PART_CLAIMS", 5)
    parts = html_report.print_parts
    monkeypatch.setattr(html_report, "print_parts", lambda data: printed.append(parts(data)) or printed[-1])
    response = get_export(api_as("viewer"), article_id, "pdf", "all")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert len(printed[0]) == 1 + 3 + 3  # the article, cards 5 + 5 + 2, tables 5 + 5 + 2 with the rest
    assert all(part.rstrip().endswith("</html>") and "application/ld+json" not in part for part in printed[0][1:])
    flat = " ".join(subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True,
                                   check=True).stdout.decode().split())
    rationales = [flat.index(f"Ledger entry for {word}.") for word in words]
    assert rationales == sorted(rationales)  # every card, in text order across the parts
    assert flat.index("Council Headline") < rationales[0] < rationales[-1] < flat.index("Provenance")
    assert [int(n) for n in re.findall(r"Claim (\d+): history", flat)] == list(range(1, 13))
