"""The import preview helps the rescue: dropped blocks in place with their reasons, far junk
folded, word counts, and one button (a plain form post) that keeps a whole run."""

from bs4 import BeautifulSoup

from tests.helpers.rescue_page import BLOCKS, LOST, put_blocks

KEPT = [str(i) for i, b in enumerate(BLOCKS) if b["kept"]]


def open_preview(client, auth, db):
    auth.login_as("checker")
    response = auth.post("/import", data={"via": "paste", "content": "Placeholder\n\nSome text of the story."})
    url = response.headers["Location"]
    put_blocks(db, url)
    return url, BeautifulSoup(client.get(url).text, "html.parser")


def top_level(soup):
    """What the preview's list shows in order: a block's number, or a run's numbers."""
    shown = []
    for li in soup.find(id="import-preview").find("ol", class_="blocks").find_all("li", recursive=False):
        numbers = [int(b["id"].removeprefix("block-")) for b in ([li] if "block" in li["class"] else li.select("li.block"))]
        shown.append(("run" if "run" in li["class"] else "block", numbers))
    return shown


def test_dropped_blocks_sit_in_place_and_far_junk_is_folded(client, auth, db):
    url, soup = open_preview(client, auth, db)
    assert top_level(soup) == [
        ("run", [1, 2]), ("run", [3, 4, 5]), ("block", [6]), ("block", [7]), ("run", [8, 9]), ("block", [10]),
        ("block", [11]), ("block", [12]), ("run", [13, 14, 15]), ("run", [16, 17, 18, 19, 20]),
    ]
    runs = soup.select("li.run")
    head, tail = runs[0], runs[-1]
    assert head.find("details").has_attr("open") is False and tail.find("details").has_attr("open") is False
    assert " ".join(head.find(class_="run-title").text.split()) == "2 blocks dropped above the article"
    assert " ".join(tail.find(class_="run-title").text.split()) == "5 blocks dropped below the article"
    assert "page footer" in tail.find(class_="run-reasons").text
    # The run between two kept paragraphs is open, one line per block, each with its reason.
    lost_run = runs[2]
    assert lost_run.find("details").has_attr("open")
    reasons = [li.find(class_="block-reason").text for li in lost_run.select("li.block")]
    assert reasons == ["photo caption or credit", "not in the article the extractor found"]
    assert lost_run.select("li.block")[1].find(class_="block-text").text == LOST
    button = lost_run.find("button", attrs={"name": "restore"})
    assert button.text.strip() == "Keep these 2 blocks" and button["value"] == "7-8" and button["type"] == "submit"
    repeat = soup.find(id="block-11")
    assert repeat.find(class_="block-reason").text == "repeated text (same as block 7)"
    assert not repeat.find("input").has_attr("checked")


def test_counts_give_the_words_kept_and_dropped(client, auth, db):
    _, soup = open_preview(client, auth, db)
    kept = sum(len(b["text"].split()) for b in BLOCKS if b["kept"])
    dropped = sum(len(b["text"].split()) for b in BLOCKS) - kept
    assert soup.find(attrs={"data-count": "kept-words"}).text == str(kept)
    assert soup.find(attrs={"data-count": "dropped-words"}).text == str(dropped)
    assert " ".join(soup.find(id="block-count").text.split()) == "20 blocks: 3 kept, 17 dropped."
    assert soup.find("script", src="/static/js/preview.js") is not None


def test_the_run_button_keeps_the_run_without_javascript(client, auth, db):
    url, _ = open_preview(client, auth, db)
    form = {"keep": KEPT, "title": "Council Raises Bridge Tolls", "restore": "7-8"}
    response = auth.post(url, data=form)
    assert response.status_code == 200  # shown again, not saved
    soup = BeautifulSoup(response.text, "html.parser")
    checked = [li.find("input")["value"] for li in soup.select("li.block") if li.find("input").has_attr("checked")]
    assert checked == ["6", "7", "8", "9", "11"]
    assert "2 blocks put back" in soup.find(class_="notice").text
    assert soup.find(id="keep-7").has_attr("autofocus")
    assert soup.find(id="field-title")["value"] == "Council Raises Bridge Tolls"
    # Saving that form keeps the rescued sentence in the article, in its place.
    response = auth.post(url, data={"keep": checked, "title": "Council Raises Bridge Tolls"})
    assert response.status_code == 302
    article = BeautifulSoup(client.get(response.headers["Location"]).text, "html.parser").article
    assert [p.text for p in article.find_all("p")] == [
        "The council voted on Tuesday to raise tolls on the old bridge by a fifth.", "Photo: City Archive", LOST,
        "Drivers' groups said they would challenge the decision.", "The new tolls start in March."]


def test_a_bad_run_value_restores_nothing(client, auth, db):
    url, _ = open_preview(client, auth, db)
    for value in ["", "x-y", "9-2", "-", "100-200"]:
        response = auth.post(url, data={"keep": KEPT, "title": "T", "restore": value})
        soup = BeautifulSoup(response.text, "html.parser")
        assert response.status_code == 200, value
        checked = [li.find("input")["value"] for li in soup.select("li.block") if li.find("input").has_attr("checked")]
        assert checked == KEPT, value
