"""A paste's HTML flavour goes through the HTML path; its plain text is the fallback."""

from bs4 import BeautifulSoup
from sqlmodel import select

from workbench.store.models import ImportDraft

ARTICLE = [
    "The harbour board approved a plan on Monday to dredge the eastern channel before the winter storms arrive.",
    "Dredging will cost 4.2 million and take eleven weeks, the board said, with work starting in September.",
    "Fishing crews had asked for the work for three years, saying silt had closed the channel at low tide.",
    "The board expects larger ferries to use the eastern berth again from January next year.",
]

PASTED_HTML = (
    "<meta charset='utf-8'><html><body>"
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li><li><a href='/sport'>Sport</a></li>"
    "<li><a href='/weather'>Weather</a></li></ul></nav>"
    "<article><h1>Harbour Board Approves Channel Dredging</h1>"
    + "".join(f"<p>{p}</p>" for p in ARTICLE)
    + "</article>"
    "<aside><h2>Trending now</h2><ul><li><a href='/a'>Cat rescued from crane</a></li>"
    "<li><a href='/b'>Bakery wins national prize</a></li></ul></aside>"
    "<footer>© 2025 Harbour Gazette. All rights reserved.</footer></body></html>"
)
PASTED_TEXT = "Home News Sport Weather\n\nHarbour Board Approves Channel Dredging\n\n" + "\n\n".join(ARTICLE)


def preview(client, auth, **data):
    response = auth.post("/import", data={"via": "paste", **data})
    assert response.status_code == 302, response.text
    soup = BeautifulSoup(client.get(response.headers["Location"]).text, "html.parser")
    kept = [li.find(class_="block-text").text for li in soup.select("li.block") if li.find("input").has_attr("checked")]
    return kept, soup


def test_the_html_flavour_is_cleaned_as_a_web_page(client, auth, db):
    auth.login_as("checker")
    kept, soup = preview(client, auth, content=PASTED_TEXT, content_html=PASTED_HTML)
    assert kept == ARTICLE
    assert soup.find(id="field-title")["value"] == "Harbour Board Approves Channel Dredging"
    draft = db.exec(select(ImportDraft)).one()
    assert draft.original_media_type == "text/html" and draft.origin == "paste"
    assert draft.original.decode("utf-8") == PASTED_HTML


def test_html_that_yields_nothing_falls_back_to_the_plain_text(client, auth, db):
    auth.login_as("checker")
    kept, _ = preview(client, auth, content=PASTED_TEXT, content_html="<div><script>var a = 1;</script></div>")
    assert kept == ARTICLE
    draft = db.exec(select(ImportDraft)).one()
    assert draft.original_media_type == "text/plain" and draft.original.decode("utf-8") == PASTED_TEXT


def test_without_html_the_plain_text_is_cleaned(client, auth, db):
    auth.login_as("checker")
    kept, _ = preview(client, auth, content=PASTED_TEXT, content_html="  ")
    assert kept == ARTICLE
    assert db.exec(select(ImportDraft)).one().original_media_type == "text/plain"


def test_an_error_keeps_the_pasted_html_and_its_note(client, auth):
    auth.login_as("checker")
    response = auth.post("/import", data={"via": "paste", "content": " ", "content_html": PASTED_HTML})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("input", attrs={"name": "content_html"})["value"] == PASTED_HTML
    assert not soup.find(id="paste-note").has_attr("hidden")
    assert soup.find("script", src=lambda s: s and s.endswith("/js/import.js"))
