"""Article pages: the list, reading view, and import with its preview."""

import gzip
import io
import re
import time
import zlib

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.helpers.apps import shared_path
from workbench.store.models import Article, ImportDraft

MESSY = """Bridge Tolls Paid For Themselves, Minister Says

Share this article

2025-03-14 11:02 GMT

The minister told the assembly that tolls had paid for the bridge twice over.

Opposition members questioned the figure on Thursday.

MORE STORIES

Ferry Union Calls Strike

The union said members would walk out for 48 hours... Read more
"""


def preview(client, auth, **data):
    response = auth.post("/import", data={"via": "paste", **data})
    assert response.status_code == 302, response.text
    page = client.get(response.headers["Location"])
    return response.headers["Location"], BeautifulSoup(page.text, "html.parser")


def blocks(soup):
    return [(li.find("input")["value"], li.find("input").has_attr("checked"), li.find(class_="block-text").text)
            for li in soup.select("li.block")]


def test_list_shows_newest_first_and_searches(client, auth, make_article):
    make_article("Older Story\n\nFirst text of the older story.")
    make_article("Newer Story\n\nFirst text of the newer story.")
    auth.login_as("viewer")
    soup = BeautifulSoup(client.get("/articles").text, "html.parser")
    assert [a.text for a in soup.select(".article-link")] == ["Newer Story", "Older Story"]
    soup = BeautifulSoup(client.get("/articles?q=older").text, "html.parser")
    assert [a.text for a in soup.select(".article-link")] == ["Older Story"]


def test_htmx_search_returns_only_the_rows(client, auth, make_article):
    make_article("Only One\n\nSome text.")
    auth.login_as("viewer")
    response = client.get("/articles?q=only", headers={"HX-Request": "true"})
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("html") is None and soup.find(id="article-rows") is not None
    assert "HX-Request" in response.headers["Vary"]
    # A history restore must get the whole page.
    restore = client.get("/articles?q=only", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_article_page_has_one_article_element_with_the_text(client, auth, make_article):
    article_id = make_article(MESSY, source_url="https://news.example/bridge", publisher="Gazette")
    auth.login_as("viewer")
    response = client.get(f"/articles/{article_id}")
    soup = BeautifulSoup(response.text, "html.parser")
    articles = soup.find_all("article")
    assert len(articles) == 1
    assert [p.text for p in articles[0].find_all("p")] == [
        "The minister told the assembly that tolls had paid for the bridge twice over.",
        "Opposition members questioned the figure on Thursday.",
    ]
    assert soup.h1.text == "Bridge Tolls Paid For Themselves, Minister Says"
    assert soup.find("a", href="https://news.example/bridge") is not None
    assert "2025-03-14" in soup.find(class_="facts").text


def test_every_page_has_a_csp_without_inline_script(client, auth, make_article):
    article_id = make_article()
    auth.login_as("admin")
    for path in ["/login", "/articles", f"/articles/{article_id}", "/import", "/admin/users"]:
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]+)", csp).group(1)
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp and script_src.strip() == "'self'"
        soup = BeautifulSoup(response.text, "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src") and not script.string, path
        assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs), path
        assert soup.find(style=True) is None, path


def test_paste_preview_flip_and_save(client, auth):
    auth.login_as("checker")
    url, soup = preview(client, auth, content=MESSY)
    listed = blocks(soup)
    kept = [text for _, checked, text in listed if checked]
    assert kept == ["The minister told the assembly that tolls had paid for the bridge twice over.",
                    "Opposition members questioned the figure on Thursday."]
    assert soup.find(id="field-title")["value"] == "Bridge Tolls Paid For Themselves, Minister Says"
    assert soup.find(id="field-published")["value"] == "2025-03-14"
    # Flip: drop the second paragraph, keep the teaser headline.
    keep = [value for value, checked, text in listed if text.startswith("The minister") or text == "Ferry Union Calls Strike"]
    response = auth.post(url, data={"keep": keep, "title": "Edited title", "published": "2025-03-14"})
    assert response.status_code == 302
    soup = BeautifulSoup(client.get(response.headers["Location"]).text, "html.parser")
    assert soup.h1.text == "Edited title"
    assert [p.text for p in soup.article.find_all("p")] == [
        "The minister told the assembly that tolls had paid for the bridge twice over.", "Ferry Union Calls Strike"]
    facts = {dt.text: dt.find_next_sibling("dd").text for dt in soup.select(".facts dt")}
    assert facts["Cleaning"] == f"2 blocks kept, {len(listed) - 2} dropped"
    # The draft is gone once saved.
    assert client.get(url).status_code == 404


def test_saving_with_nothing_kept_keeps_the_draft(client, auth):
    auth.login_as("checker")
    url, _ = preview(client, auth, content=MESSY)
    response = auth.post(url, data={"title": "T"})
    assert response.status_code == 422 and "Nothing is left" in response.text
    assert client.get(url).status_code == 200


def test_typed_title_wins_over_headline(client, auth):
    auth.login_as("checker")
    _, soup = preview(client, auth, content=MESSY, title="My own title")
    assert soup.find(id="field-title")["value"] == "My own title"


def test_upload_html_file(client, auth):
    auth.login_as("checker")
    paragraphs = "".join(f"<p>Paragraph {i} of the uploaded story has enough words to be kept by the "
                         f"extractor as article text.</p>" for i in range(5))
    html = f"<html><head><title>Uploaded</title></head><body><article><h1>Uploaded</h1>{paragraphs}</article></body></html>"
    response = auth.post("/import", data={"via": "upload", "file": (io.BytesIO(html.encode()), "story.html")},
                         content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    soup = BeautifulSoup(client.get(response.headers["Location"]).text, "html.parser")
    assert sum(1 for _, checked, _ in blocks(soup) if checked) == 5


def test_upload_of_wrong_type_is_refused(client, auth):
    auth.login_as("checker")
    response = auth.post("/import", data={"via": "upload", "file": (io.BytesIO(b"%PDF-1.4"), "story.pdf")},
                         content_type="multipart/form-data")
    assert response.status_code == 422 and "story.pdf" in response.text


@pytest.mark.parametrize("name, packed", [
    ("story.html", lambda page: gzip.compress(page, 9)),
    ("story.htm", lambda page: zlib.compress(page, 9)),
    ("story.txt", lambda page: gzip.compress(page, 9)),
])
def test_a_compressed_upload_is_refused_at_once(client, auth, db, name, packed):
    # A 20 MB page packs into some 20 KB: far under the upload cap, and the extractor would unpack it.
    paragraph = b"<p>The minister said the figures were right and the opposition said they were not.</p>\n"
    data = packed(b"<html><body>" + paragraph * (19_900_000 // len(paragraph)) + b"</body></html>")
    assert len(data) < 200_000
    auth.login_as("checker")
    started = time.monotonic()
    response = auth.post("/import", data={"via": "upload", "file": (io.BytesIO(data), name)},
                         content_type="multipart/form-data")
    assert time.monotonic() - started < 2
    assert response.status_code == 422
    assert "compressed" in BeautifulSoup(response.text, "html.parser").find(role="alert").text
    assert db.exec(select(ImportDraft)).all() == [] and db.exec(select(Article)).all() == []


def test_an_upload_in_utf8_without_a_declared_charset_reads_as_utf8(client, auth):
    auth.login_as("checker")
    paragraphs = "".join(f"<p>Paragraph {i}: the café on the Straße sold crème brûlée to 2,000 people, "
                         f"the survey found.</p>" for i in range(4))
    html = f"<html><head><title>Café survey</title></head><body><article><h1>Café survey</h1>{paragraphs}</article></body></html>"
    response = auth.post("/import", data={"via": "upload", "file": (io.BytesIO(html.encode()), "story.html")},
                         content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    soup = BeautifulSoup(client.get(response.headers["Location"]).text, "html.parser")
    kept = [text for _, checked, text in blocks(soup) if checked]
    assert len(kept) == 4 and all("café on the Straße sold crème brûlée" in text for text in kept)


def test_import_from_url(client, auth, site):
    url = site.route("/story.txt", MESSY, content_type="text/plain; charset=utf-8")
    auth.login_as("checker")
    _, soup = preview(client, auth, via="url", url=url)
    assert soup.find(id="field-source_url")["value"] == url


def test_url_fetch_error_is_shown_in_the_form(client, auth, site, app):
    app.config["FETCH_ALLOW_PRIVATE"] = False
    auth.login_as("checker")
    response = auth.post("/import", data={"via": "url", "url": site.route("/x", "hi")})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "loopback, private or link-local" in soup.find(role="alert").text
    assert soup.find(id="field-url")["value"].endswith("/x")  # what the user typed is kept


def test_htmx_import_error_swaps_the_form(client, auth):
    auth.login_as("checker")
    response = client.post("/import", data={"via": "paste", "content": "  "},
                           headers={"HX-Request": "true", "X-CSRF-Token": auth.csrf})
    assert response.status_code == 422
    assert BeautifulSoup(response.text, "html.parser").find(id="import-form") is not None


def test_someone_elses_draft_is_not_found(client, auth):
    auth.login_as("checker")
    url, _ = preview(client, auth, content=MESSY)
    auth.post("/logout")
    auth.login_as("editor")
    assert client.get(url).status_code == 404


def test_discard_removes_the_draft(client, auth):
    auth.login_as("checker")
    url, _ = preview(client, auth, content=MESSY)
    assert auth.post(url + "/discard").status_code == 302
    assert client.get(url).status_code == 404


def test_original_bytes_are_kept_unchanged(client, auth, db):
    from sqlmodel import select

    from workbench.store.models import Revision

    auth.login_as("checker")
    raw = "Headline\r\n\r\nCafe\u0301 text with  odd   spacing.\r\n"
    url, soup = preview(client, auth, content=raw)
    keep = [value for value, checked, _ in blocks(soup) if checked]
    auth.post(url, data={"keep": keep, "title": "Headline"})
    revision = db.exec(select(Revision)).one()
    assert revision.original == raw.encode("utf-8")
    assert revision.canonical_text == "Caf\u00e9 text with odd spacing."


def test_sample_import_preview(client, auth):
    raw = shared_path("samples", "hk-trafficking-response.txt").read_text(encoding="utf-8")
    auth.login_as("checker")
    _, soup = preview(client, auth, content=raw)
    kept = [text for _, checked, text in blocks(soup) if checked]
    assert kept[0].startswith("The government on Wednesday objected") and kept[-1].endswith("it added.")
    assert len(kept) == 9


@pytest.mark.parametrize("role", ["viewer"])
def test_viewer_sees_no_import_link(client, auth, role):
    auth.login_as(role)
    soup = BeautifulSoup(client.get("/articles").text, "html.parser")
    assert soup.find("a", string="Import") is None
