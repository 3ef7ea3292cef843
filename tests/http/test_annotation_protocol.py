"""Every assertion of the W3C's own Web Annotation Protocol server tests (web-platform-tests,
``annotation-protocol/server/server-manual.html``: 45 of them, MUSTs and SHOULDs), replayed one
test each, named after it, against the app behind a real HTTP server on loopback.

The W3C tests are written for a server that takes any annotation; Workbench takes claims on an
article's text. Where a test sends an annotation, it sends one in the project's mapping (a
commenting body, a target on the article's words) that keeps what the W3C test looks at: the
``canonical`` IRI, and on PUT a target other than before. A change carries If-Match, as the
contract requires (428 without). The server stands behind a TLS-ending proxy, as in production:
it names itself with https (``PROXY_FIX`` believes the proxy's X-Forwarded-Proto).
"""

from __future__ import annotations

import re
import shutil
import threading
import uuid
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from tests.helpers.api import Reply, annotation_for, http_call
from tests.helpers.apps import make_test_app
from workbench.services.accounts import create_token
from workbench.services.users import create_user
from workbench.store.db import get_engine, get_session

MEDIA_TYPE_REGEX = re.compile(r"application/ld\+json")
MEDIA_TYPE = "application/ld+json"
CONTAINER_LINK_TYPE_WITH_REL_REGEX = re.compile(
    r"<http://www.w3.org/ns/(ldp#BasicContainer|oa#AnnotationCollection)>; *rel=\"type\"")
ANNOTATION_LINK_TYPE_WITH_REL_REGEX = re.compile(r"<http://www.w3.org/ns/ldp#Resource>; *rel=\"type\"")
MINIMAL = 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'
TEXT = ("Harbour Headline\n\n"
        "The harbour fee doubled in 2021, the council said.\n\n"
        "Ferry crossings fell by a third while the fee stood.\n\n"
        "The council spent the receipts on the quay, its report says.")
WORDS = ["harbour fee doubled", "Ferry crossings fell", "spent the receipts", "the council said"]


@dataclass
class Live:
    root: str  # where the server listens (http, loopback)
    token: str
    article: dict
    container_url: str  # the container's IRI as the server names it (https, behind the proxy)
    annotation_url: str

    def request(self, method: str, iri: str, headers: list | None = None, content=None) -> Reply:
        """The W3C tests' ``request(method, url, headers, content)``, sent through the proxy."""
        url = re.sub(r"^https://[^/]+", self.root, iri)
        sent = {"Authorization": f"Bearer {self.token}", "X-Forwarded-Proto": "https"}
        sent.update(dict(headers or []))
        return http_call(method, url, sent, content)


@pytest.fixture(scope="module")
def live(tmp_path_factory, sqlite_template):
    folder = tmp_path_factory.mktemp("protocol")
    shutil.copy(sqlite_template, folder / "db.sqlite3")
    # Two annotations a page, so that the container has several pages with next and prev.
    app = make_test_app(f"sqlite:///{folder / 'db.sqlite3'}", folder / "instance", PROXY_FIX=1,
                        ANNOTATION_PAGE_SIZE=2)
    with app.app_context():
        checker = create_user(get_session(), username="checker", password="checker-password", role="checker")
        token = create_token(get_session(), checker)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_port}"
    made = Live(root=root, token=token, article={}, container_url="", annotation_url="")
    made.article = made.request("POST", f"{root}/api/articles", [("Content-Type", "application/json")],
                                {"text": TEXT}).body
    made.container_url = f"https://127.0.0.1:{server.server_port}/api/articles/{made.article['id']}/annotations/"
    for words in WORDS[:3]:
        created = made.request("POST", made.container_url, [("Content-Type", MEDIA_TYPE)],
                               annotation_for(made.article, words))
        assert created.status == 201, created.raw
    made.annotation_url = created.body["id"]
    yield made
    server.shutdown()
    server.server_close()
    get_engine(app).dispose()


def the_annotation(live: Live) -> dict:
    """The W3C test's annotation ("I like this page!", a fresh urn:uuid canonical IRI) in the
    project's mapping."""
    made = annotation_for(live.article, WORDS[3], verdict=None, sources=[], tags=())
    made["body"] = {"type": "TextualBody", "purpose": "commenting", "value": "I like this page!"}
    made["canonical"] = f"urn:uuid:{uuid.uuid4()}"
    return made


@pytest.fixture(scope="module")
def the_container(live):
    return live.request("GET", live.container_url)


@pytest.fixture(scope="module")
def the_request(live):
    return live.request("GET", live.annotation_url)


@pytest.fixture(scope="module")
def the_creation(live):
    sent = the_annotation(live)
    return sent, live.request("POST", live.container_url, [("Content-Type", MEDIA_TYPE)], sent)


@pytest.fixture(scope="module")
def the_pref_request(live):
    return live.request("GET", live.container_url, [("Prefer", MINIMAL)])


def header(res: Reply, name: str) -> str:
    """``checkHeader``: the header's value, failing as the W3C test does when it is absent."""
    value = res.headers.get(name)
    assert value, f"{name} not found in response"
    return value


def page_iri(value) -> str:
    """A page named by the container: its IRI, or the id of the page embedded there."""
    return value["id"] if isinstance(value, dict) else value


# --- 4. Annotation Containers ---------------------------------------------------------------------

def test_container_must_end_in_a_slash_character(live):
    assert live.container_url.endswith("/"), 'Container URL did not end in a "/" character'


def test_containers_must_support_get_check_allow_on_get(the_container):
    assert re.search("GET", header(the_container, "Allow"))


def test_containers_must_support_head_check_allow_on_get(the_container):
    assert re.search("HEAD", header(the_container, "Allow"))


def test_containers_must_support_options_check_allow_on_get(the_container):
    assert re.search("OPTIONS", header(the_container, "Allow"))


def test_containers_must_have_a_content_type_header_with_the_application_ld_json_media_type(the_container):
    assert MEDIA_TYPE_REGEX.search(header(the_container, "Content-Type"))


def test_containers_must_response_with_the_json_ld_representation_by_default(the_container):
    assert MEDIA_TYPE_REGEX.search(header(the_container, "Content-Type"))


def test_containers_must_return_a_description_of_the_container_with_basiccontainer(the_container):
    assert "type" in the_container.body and "BasicContainer" in the_container.body["type"]


def test_containers_must_return_a_description_of_the_container_with_annotationcollection(the_container):
    assert "type" in the_container.body and "AnnotationCollection" in the_container.body["type"]


def test_containers_must_return_a_link_header_rfc5988_on_all_responses(the_container):
    assert re.search("(.*)", header(the_container, "Link"))


def test_containers_must_have_an_etag_header(the_container):
    assert re.search("(.*)", header(the_container, "ETag"))


def test_containers_must_have_a_vary_header_with_accept_in_the_value(the_container):
    assert re.search("Accept", header(the_container, "Vary"))


def test_containers_must_advertise_its_type_by_including_a_link_where_the_rel_parameter_value_is_type_and_the_target_iri_is_the_appropriate_container_type(the_container):  # noqa: E501
    assert CONTAINER_LINK_TYPE_WITH_REL_REGEX.search(header(the_container, "Link"))


def test_containers_must_advertise_that_it_imposes_annotation_protocol_specific_constraints_by_including_a_link_where_the_target_iri_is_http_www_w3_org_tr_annotation_protocol_and_the_rel_parameter_value_is_the_iri_http_www_w3_org_ns_ldp_constrainedby(the_container):  # noqa: E501
    # The W3C test's own pattern is loose (any rel="type" passes it); the link itself is checked.
    link = header(the_container, "Link")
    assert re.search(r"rel\=\"type\"|/ns/ldp#|Container", link)
    assert ('<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
            in link)


def test_containers_must_support_head_method(live):
    res = live.request("HEAD", live.container_url)
    assert res.status == 200, f"HEAD request returned {res.status}"


def test_containers_must_support_options_method(live):
    res = live.request("OPTIONS", live.container_url)
    assert res.status == 200, f"OPTIONS request returned {res.status}"


def test_containers_must_include_a_content_location_header_with_the_iri_as_its_value(the_container):
    assert re.search("(.*)", header(the_container, "Content-Location"))


def test_containers_content_location_and_id_must_match(the_container):
    assert the_container.headers.get("Content-Location") == the_container.body["id"]


def test_annotation_pages_must_have_a_link_to_the_container_they_are_part_of_using_the_partof_property(
        live, the_container):
    first = the_container.body.get("first")
    assert first not in (None, ""), "no 'first' in response from Container"
    page = live.request("GET", page_iri(first)).body
    assert "partOf" in page and page["partOf"]["id"] == live.container_url, "No partOf in response"


def test_annotation_pages_must_have_a_link_to_the_previous_page_in_the_sequence_using_the_prev_property_if_not_the_first_page(live, the_container):  # noqa: E501
    last = live.request("GET", the_container.body["last"]).body
    assert "prev" in last, "No link to the previous page in response"


def test_annotation_pages_must_have_a_link_to_the_next_page_in_the_sequence_using_the_next_property_if_not_the_last_page(live, the_container):  # noqa: E501
    first = live.request("GET", page_iri(the_container.body["first"])).body
    assert "next" in first, "No link to the next page in response"


# --- 5. Annotations -----------------------------------------------------------------------------

def test_annotations_must_support_get_check_allow_on_get(the_request):
    assert re.search("GET", header(the_request, "Allow"))


def test_annotations_must_support_head_check_allow_on_get(the_request):
    assert re.search("HEAD", header(the_request, "Allow"))


def test_annotations_must_support_options_check_allow_on_get(the_request):
    assert re.search("OPTIONS", header(the_request, "Allow"))


def test_annotations_must_have_a_content_type_header_with_the_application_ld_json_media_type(the_request):
    assert MEDIA_TYPE_REGEX.search(header(the_request, "Content-Type"))


def test_annotations_must_have_a_link_header_entry_where_the_target_iri_is_ldp_resource_and_the_rel_parameter_value_is_type(the_request):  # noqa: E501
    assert ANNOTATION_LINK_TYPE_WITH_REL_REGEX.search(header(the_request, "Link"))


def test_annotations_must_have_an_etag_header(the_request):
    assert re.search("(.*)", header(the_request, "ETag"))


def test_annotations_must_have_a_vary_header_with_accept_in_the_value(the_request):
    assert re.search("Accept", header(the_request, "Vary"))


def test_annotations_must_support_head_method(live):
    res = live.request("HEAD", live.annotation_url)
    assert res.status == 200, f"HEAD request returned {res.status}"


def test_annotations_must_support_options_method(live):
    res = live.request("OPTIONS", live.annotation_url)
    assert res.status == 200, f"OPTIONS request returned {res.status}"


# --- creation, update and deletion ------------------------------------------------------------------

def test_created_annotation_must_have_an_id_property(the_creation):
    _, res = the_creation
    assert "id" in res.body


def test_created_annotation_must_have_an_id_that_starts_with_the_container_iri(live, the_creation):
    _, res = the_creation
    assert "id" in res.body and res.body["id"].startswith(live.container_url)


def test_created_annotation_must_preserve_any_canonical_iri(the_creation):
    sent, res = the_creation
    assert "canonical" in res.body and res.body["canonical"] == sent["canonical"]


def test_annotation_server_must_respond_with_a_201_created_code_if_the_creation_is_successful(the_creation):
    _, res = the_creation
    assert res.status == 201


def test_recommended_location_header_should_match_the_id_of_the_new_annotation(the_creation):
    _, res = the_creation
    assert res.body["id"] == res.headers.get("Location")


def test_annotation_update_must_be_done_with_the_put_method(live):
    created = live.request("POST", live.container_url, [("Content-Type", MEDIA_TYPE)], the_annotation(live))
    new_annotation = created.body
    text = live.article["revision"]["text"]
    start = text.index(WORDS[2])
    end = start + len(WORDS[2])
    new_annotation["target"] = {"type": "SpecificResource", "source": live.article["revision"]["url"], "selector": [
        {"type": "TextQuoteSelector", "exact": WORDS[2], "prefix": text[max(0, start - 32):start],
         "suffix": text[end:end + 32]},
        {"type": "TextPositionSelector", "start": start, "end": end}]}
    res = live.request("PUT", new_annotation["id"], [("Content-Type", MEDIA_TYPE),
                                                     ("If-Match", created.headers["ETag"])], new_annotation)
    assert res.status == 200, "Update of annotation failed"
    assert res.body["target"] == new_annotation["target"], "Annotation did not update"


def test_annotation_deletion_with_delete_method_must_return_a_204_status(live):
    created = live.request("POST", live.container_url, [("Content-Type", MEDIA_TYPE)], the_annotation(live))
    res = live.request("DELETE", created.body["id"], [("If-Match", created.headers["ETag"])])
    assert res.status == 204, f"DELETE of {created.body['id']} did not return a 204 Status"


# --- SHOULDs ----------------------------------------------------------------------------------------

def test_recommended_annotation_server_should_use_https_rather_than_http(live):
    assert live.container_url.lower()[:5] == "https", "Server is not using HTTPS"


def test_should_return_the_full_annotation_descriptions(live, the_pref_request):
    page = live.request("GET", the_pref_request.body["first"]).body
    assert page["items"]
    for item in page["items"]:
        assert "@context" in item, "Annotation does not contain `@context`"


def test_recommended_should_include_the_total_property_with_the_total_number_of_annotations_in_the_container(
        the_pref_request):
    assert "total" in the_pref_request.body


def test_recommended_should_have_a_link_to_the_first_page_of_its_contents_using_first(the_pref_request):
    assert "first" in the_pref_request.body


def test_recommended_should_have_a_link_to_the_last_page_of_its_contents_using_last(the_pref_request):
    assert "last" in the_pref_request.body


def test_recommended_response_contains_annotations_via_items_when_it_should_not(the_pref_request):
    assert "items" not in the_pref_request.body
    assert isinstance(the_pref_request.body["first"], str)  # nor in an embedded first page


def test_recommended_response_contains_annotations_via_ldp_contains_when_it_should_not(the_pref_request):
    assert "ldp:contains" not in the_pref_request.body and "contains" not in the_pref_request.body


def test_recommended_should_include_prefer_in_the_vary_header(the_pref_request):
    assert re.search("Prefer", header(the_pref_request, "Vary"))


def test_recommended_should_not_receive_the_prefer_header_when_requesting_the_page(the_pref_request):
    assert the_pref_request.headers.get("Prefer") is None, "Reponse contains the `Prefer` header when it SHOULD NOT"
