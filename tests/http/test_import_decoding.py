"""Pages in any encoding, declared rightly, wrongly or not at all, read the same through every way in:
file upload, URL fetch (a real HTTP server on loopback) and the API (a JSON string, or raw bytes)."""

import io
import re

import pytest
from bs4 import BeautifulSoup

from tests.corpus.encodings.pages import ARTICLES, KEY_WORDS, page
from workbench.text.decoding import codec_for

MOJIBAKE = ("Â£", "â€™", "â€”", "Ã©", "\ufffd", "\x92", "\x97")

# (article, charset label, where it is declared)
CASES = [
    ("english", "utf-8", "nothing"),          # UTF-8 with ’ — £ é, declared nowhere
    ("english", "iso-8859-1", "wrong"),       # UTF-8 bytes, declared as Latin-1
    ("english", "windows-1252", "meta"),
    ("english", "windows-1252", "header"),
    ("english", "windows-1252", "nothing"),
    ("russian", "koi8-r", "meta"),
    ("russian", "koi8-r", "header"),
    ("russian", "koi8-r", "nothing"),
    ("japanese", "shift_jis", "meta"),
    ("japanese", "shift_jis", "header"),
    ("japanese", "shift_jis", "nothing"),
    ("chinese", "gb18030", "meta"),
    ("chinese", "gb2312", "header"),
    ("chinese", "gb18030", "nothing"),
]
IDS = [f"{name}-{label}-{where}" for name, label, where in CASES]
UPLOADS = [case for case in CASES if case[2] != "header"]  # a file comes with no header


def encoded(name: str, label: str, where: str) -> tuple[bytes, str]:
    """The page's bytes and the Content-Type a server would send with them."""
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">' if where == "meta" else ""
    if where == "wrong":
        return page(name, '<meta charset="iso-8859-1">').encode("utf-8"), f"text/html; charset={label}"
    data = page(name, head).encode(codec_for(label))
    return data, (f"text/html; charset={label}" if where == "header" else "text/html")


def assert_reads_right(name: str, text: str):
    assert KEY_WORDS[name] in text
    for paragraph in ARTICLES[name]["paragraphs"]:
        assert paragraph in text, paragraph
    for garbage in MOJIBAKE:
        assert garbage not in text


def preview_and_save(client, auth, response) -> str:
    """The preview's kept text (checked as the user sees it), then the stored article's text."""
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    soup = BeautifulSoup(client.get(location).text, "html.parser")
    kept = [li for li in soup.select("li.block") if li.find("input").has_attr("checked")]
    preview_text = "\n".join(li.find(class_="block-text").text for li in kept)
    title = soup.find(id="field-title")["value"]
    saved = auth.post(location, data={"keep": [li.find("input")["value"] for li in kept], "title": title})
    assert saved.status_code == 302, saved.text
    article = re.search(r"/articles/(\d+)", saved.headers["Location"]).group(1)
    return preview_text, title, int(article)


def stored_text(api_as, article_id: int) -> dict:
    response = api_as("viewer").get(f"/api/articles/{article_id}")
    assert response.status_code == 200, response.text
    return response.get_json()["revision"]


@pytest.mark.parametrize("name, label, where", UPLOADS, ids=[f"{n}-{c}-{w}" for n, c, w in UPLOADS])
def test_uploaded_page(client, auth, api_as, name, label, where):
    data, _content_type = encoded(name, label, where)
    auth.login_as("checker")
    response = auth.post("/import", data={"via": "upload", "file": (io.BytesIO(data), "story.html")},
                         content_type="multipart/form-data")
    preview_text, title, article_id = preview_and_save(client, auth, response)
    assert_reads_right(name, preview_text)
    assert title == ARTICLES[name]["title"]
    revision = stored_text(api_as, article_id)
    assert_reads_right(name, revision["text"])
    assert revision["title"] == ARTICLES[name]["title"]


@pytest.mark.parametrize("name, label, where", CASES, ids=IDS)
def test_fetched_page(client, auth, api_as, site, name, label, where):
    data, content_type = encoded(name, label, where)
    url = site.route(f"/{name}-{where}", data, content_type=content_type)
    auth.login_as("checker")
    response = auth.post("/import", data={"via": "url", "url": url})
    preview_text, title, article_id = preview_and_save(client, auth, response)
    assert_reads_right(name, preview_text)
    assert title == ARTICLES[name]["title"]
    assert_reads_right(name, stored_text(api_as, article_id)["text"])


@pytest.mark.parametrize("name, label, where", CASES, ids=IDS)
def test_api_url_import(api_as, site, name, label, where):
    data, content_type = encoded(name, label, where)
    url = site.route(f"/{name}-{where}", data, content_type=content_type)
    response = api_as("checker").post("/api/articles", json={"url": url})
    assert response.status_code == 201, response.text
    revision = response.get_json()["revision"]
    assert_reads_right(name, revision["text"])
    assert revision["title"] == ARTICLES[name]["title"]


@pytest.mark.parametrize("name, label, where", CASES, ids=IDS)
def test_api_raw_bytes(api_as, name, label, where):
    data, content_type = encoded(name, label, where)
    response = api_as("checker").post("/api/articles", data=data, headers={"Content-Type": content_type})
    assert response.status_code == 201, response.text
    article_id = response.get_json()["id"]
    revision = stored_text(api_as, article_id)
    assert_reads_right(name, revision["text"])
    assert revision["title"] == ARTICLES[name]["title"]


@pytest.mark.parametrize("name", list(ARTICLES))
@pytest.mark.parametrize("stale", ["windows-1252", "koi8-r", "shift_jis", "gbk"])
def test_api_json_string_is_not_redecoded_by_its_meta(api_as, name, stale):
    # The JSON string is Unicode already: the <meta> it kept from its original page is stale.
    html = page(name, f'<meta charset="{stale}">')
    response = api_as("checker").post("/api/articles", json={"html": html})
    assert response.status_code == 201, response.text
    revision = stored_text(api_as, response.get_json()["id"])
    assert_reads_right(name, revision["text"])


def test_api_raw_bytes_take_metadata_from_the_query(api_as):
    data = page("russian").encode("koi8_r")
    response = api_as("checker").post("/api/articles?title=Парк&publisher=Вести", data=data,
                                      headers={"Content-Type": "text/html; charset=koi8-r"})
    assert response.status_code == 201, response.text
    revision = response.get_json()["revision"]
    assert revision["title"] == "Парк" and revision["publisher"] == "Вести"
    assert_reads_right("russian", revision["text"])
