"""The rating scale comes from a setting; keys stay stable when labels change."""

import pytest
from bs4 import BeautifulSoup

from tests.helpers.api import assert_api_error

CUSTOM = [("accurate", "Accurate", 5), ("inaccurate", "Inaccurate", 1), ("satire", "Satire", None)]


@pytest.fixture
def app_config():
    return {"RATING_SCALE": CUSTOM}


def test_pages_offer_the_configured_verdicts(client, auth, make_article):
    article_id = make_article()
    auth.login_as("checker")
    soup = BeautifulSoup(client.get(f"/articles/{article_id}").text, "html.parser")
    options = [(o["value"], o.text) for o in soup.select("#new-verdict option")]
    assert options == [("", "No verdict yet (draft)"), ("accurate", "Accurate"), ("inaccurate", "Inaccurate"),
                       ("satire", "Satire")]


def test_api_validates_against_the_configured_scale(api_as, make_article, app):
    article_id = make_article("H\n\nThe rate rose by 40% last year.")
    api = api_as("checker")

    def anno(verdict):
        return {"type": "Annotation", "body": [{"type": "TextualBody", "purpose": "assessing", "value": verdict}],
                "target": {"selector": [{"type": "TextQuoteSelector", "exact": "rose by 40%"}]}}

    assert_api_error(api.post(f"/api/articles/{article_id}/annotations/", json=anno("false")), 422, "bad_verdict")
    created = api.post(f"/api/articles/{article_id}/annotations/", json=anno("satire")).get_json()
    assessing = next(b for b in created["body"] if b["purpose"] == "assessing")
    assert assessing == {"type": "TextualBody", "purpose": "assessing", "value": "satire", "format": "text/plain",
                         "verdictLabel": "Satire"}
    # Relabel the verdict: the stored key is untouched, the label follows the setting.
    app.config["RATING_SCALE"] = [("satire", "Parody or satire", None)] + CUSTOM[:2]
    again = api.get(created["id"].replace("http://localhost", "")).get_json()
    assessing = next(b for b in again["body"] if b["purpose"] == "assessing")
    assert assessing["value"] == "satire" and assessing["verdictLabel"] == "Parody or satire"
