"""The IRIs in annotations and exports, made from patterns, are exactly what url_for makes."""

import pytest
from flask import url_for

from workbench.web.links import links


@pytest.mark.parametrize("base_url", ["http://localhost", "https://news.example:8443/desk/workbench"])
def test_iris_match_url_for_on_any_host_and_root(app, base_url):
    with app.test_request_context("/", base_url=base_url):
        made = links()
        assert made.annotation(12, 7) == url_for("api.get_annotation", article_id=12, annotation_id=7, _external=True)
        assert made.revision(12, 3) == url_for("api.get_revision", article_id=12, number=3, _external=True)
        assert made.user(40) == url_for("api.get_user", user_id=40, _external=True)
        assert made.annotation(12, 7) == base_url + "/api/articles/12/annotations/7"
