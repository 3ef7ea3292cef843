"""Hundreds of malformed requests, drawn by a seeded generator, across every route of the app.

Every route in the URL map is tried with hostile path ids, query parameters, form fields, JSON
bodies and headers: wrong types, huge and negative numbers, floats, NUL, lone surrogates, JSON
nested far too deep, very long strings, garbage If-Match. No answer may be a 500, and every
4xx must carry a message in the app's error shape (API: ``{"error": {"code", "message"}}``;
pages: an error page or the form with its error). The seed makes a failure repeatable: the
assertion names the request that failed.
"""

from __future__ import annotations

import json
import random
import re
import time

from bs4 import BeautifulSoup

from tests.helpers.api import assert_api_error
from tests.helpers.apps import PASSWORDS
from tests.helpers.pages import csrf_token

REQUESTS = 300
SEED = 14

ARTICLE = "Fuzz Headline\n\nThe minister said tolls paid for the bridge twice over.\n\nReceipts were 830 million."

# Never generated: signing out would end the page clients' sessions; a PDF export starts Chromium.
SKIPPED_ENDPOINTS = {"auth.logout", "static"}

HUGE = [2**31, 2**31 - 1, 2**63, 2**64, 10**30, -1, -(2**63)]
NASTY_TEXT = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\u202e\u2066", "😀" * 3, "<script>alert(1)</script>",
    "' OR 1=1 --", "%00", "../../etc/passwd", "a" * 70_000, "\r\n=1+1", "null", "[]", "{}", "1e23", "NaN",
    "-0", "٣", "²", "0x10", "1_000", " 7 ", "true",
]
URLS = ["http://[::1", "http://[::1]:1/x", "http://127.0.0.1:1/", "javascript:alert(1)", "ftp://x/", "http://",
        "http://a b/", "https://[fe80::1%25eth0]/", "http://" + "a" * 3000, "http://localhost:99999/", "//x", "\x00"]
QUERY_NAMES = ["q", "limit", "offset", "page", "revision", "claim", "article", "checker", "verdict", "from", "to",
               "ids", "format", "include", "download", "via", "next", "url", "key"]
FORM_NAMES = ["start", "end", "exact", "verdict", "rationale", "tags", "version", "url", "title", "publisher",
              "date_published", "archived_url", "archived_date", "excerpt", "stance", "body", "comment", "action",
              "reason", "keep", "content", "via", "username", "password", "role", "display_name", "four_eyes",
              "format", "include", "from", "source_url", "byline", "published", "language", "article"]
JSON_KEYS = ["text", "html", "url", "title", "source_url", "publisher", "published", "action", "comment", "type",
             "body", "target", "selector", "start", "end", "exact", "prefix", "suffix", "value", "purpose", "source",
             "state", "bodyValue", "motivation"]


def scalar(rng: random.Random):
    """A hostile JSON scalar (or a Python value that serialises to one)."""
    return rng.choice([
        lambda: rng.choice(NASTY_TEXT), lambda: rng.choice(HUGE), lambda: rng.choice([0.5, -1.5, 1e308, 1e-308]),
        lambda: rng.choice([True, False, None]), lambda: rng.choice(URLS), lambda: rng.randint(-5, 50),
        lambda: rng.choice(["assessing", "commenting", "tagging", "linking", "TextualBody", "SpecificResource",
                            "TextQuoteSelector", "TextPositionSelector", "Annotation", "approve", "submit",
                            "request_changes", "reopen", "false"]),
    ])()


def json_value(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 3 or roll < 0.45:
        return scalar(rng)
    if roll < 0.7:
        return [json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(JSON_KEYS): json_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def valid_annotation(text: str) -> dict:
    start = text.index("tolls paid")
    return {"type": "Annotation", "motivation": "assessing",
            "body": [{"type": "TextualBody", "purpose": "assessing", "value": "false"},
                     {"type": "TextualBody", "purpose": "commenting", "value": "Because."},
                     {"type": "SpecificResource", "purpose": "linking", "source": "https://stats.example/x"}],
            "target": {"selector": [{"type": "TextQuoteSelector", "exact": "tolls paid"},
                                    {"type": "TextPositionSelector", "start": start, "end": start + 10}]}}


def mutate(rng: random.Random, value):
    """``value`` with one leaf (or one whole branch) replaced by something hostile."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        return {**value, key: mutate(rng, value[key])}
    if isinstance(value, list) and value and rng.random() < 0.8:
        index = rng.randrange(len(value))
        return value[:index] + [mutate(rng, value[index])] + value[index + 1:]
    return json_value(rng)


def json_body(rng: random.Random, text: str) -> str:
    """A request body: hostile JSON, a valid body with one part broken, or no JSON at all."""
    kind = rng.choice(["mutated_annotation", "mutated_import", "random", "deep", "raw_escape", "broken", "review"])
    if kind == "mutated_annotation":
        return json.dumps(mutate(rng, valid_annotation(text)))
    if kind == "mutated_import":
        return json.dumps(mutate(rng, {"text": ARTICLE + f" {rng.random()}", "title": "T", "source_url": None}))
    if kind == "review":
        return json.dumps(mutate(rng, {"action": "submit", "comment": "ok"}))
    if kind == "deep":
        depth = rng.choice([65, 200, 50_000])
        opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
        return opener * depth + ("1" if opener != "[" else "") + closer * depth
    if kind == "raw_escape":
        # Escapes that json.dumps would never write: a lone surrogate, a NUL.
        field = rng.choice(["title", "text", "comment", "publisher"])
        return '{"' + field + '": "a' + rng.choice(["\\ud800", "\\udfff", "\\u0000", "\\ud83d\\u0041"]) + 'b"}'
    if kind == "broken":
        return rng.choice(["{", "[1,]", '{"a": }', "\x00", "\ufeff{}", '"just a string"', "12", "null", "{" * 10])
    return json.dumps(json_value(rng))


def form_value(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(NASTY_TEXT)
    if roll < 0.7:
        return str(rng.choice(HUGE))
    if roll < 0.8:
        return rng.choice(URLS)
    return rng.choice(["1", "0", "2", "false", "approve", "submit", "reopen", "html", "csv", "md", "jsonld",
                       "claimreview", "all", "approved", "paste", "url", "upload", "viewer", "editor", "on"])


def headers(rng: random.Random) -> dict:
    found = {}
    if rng.random() < 0.3:
        found["If-Match"] = rng.choice(['"claim-1-v1"', "*", "garbage", '"claim-1-v999999999999999999999"',
                                        'W/"x", "y"', ",,,", '"' + "9" * 500 + '"', "\u00e9"])
    if rng.random() < 0.1:
        found["If-None-Match"] = rng.choice(['"claim-1-v1"', "*", "x"])
    if rng.random() < 0.1:
        found["Prefer"] = rng.choice(["return=representation;include=\"http://www.w3.org/ns/oa#PreferContainedIRIs\"",
                                      "\u00e9" * 50])
    if rng.random() < 0.2:
        found["HX-Request"] = "true"
    if rng.random() < 0.1:
        found["X-Request-Id"] = rng.choice(["\u00e9" * 300, "x" * 5000, "a b"])
    return found


def path_value(rng: random.Random, known: list[int]) -> str:
    roll = rng.random()
    if roll < 0.45 and known:
        return str(rng.choice(known))
    if roll < 0.85:
        return str(abs(rng.choice(HUGE)))
    return rng.choice(["0", "00001", "4"])


class Fuzzer:
    def __init__(self, app, rng: random.Random, clients: dict, tokens: dict, known: dict, text: str):
        self.app, self.rng, self.clients, self.tokens, self.known, self.text = app, rng, clients, tokens, known, text
        self.rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED_ENDPOINTS]

    def path(self, rule) -> str:
        values = {}
        for name in rule.arguments:
            if name == "key":
                values[name] = self.rng.choice(["abc", "a" * 300, "%00", "..", "x.json", "%F0%9F%98%80"])
            else:
                values[name] = path_value(self.rng, self.known.get(name, []))
        path = rule.rule
        for name, value in values.items():
            path = re.sub(r"<(?:[^:<>]+:)?" + name + r">", value, path)
        return path

    def query(self) -> str:
        if self.rng.random() < 0.4:
            return ""
        pairs = []
        for _ in range(self.rng.randint(1, 3)):
            name = self.rng.choice(QUERY_NAMES)
            pairs.append(f"{name}={_quote(form_value(self.rng))}")
        return "?" + "&".join(pairs)

    def one(self):
        rule = self.rng.choice(self.rules)
        method = self.rng.choice(sorted(rule.methods - {"HEAD", "OPTIONS"}))
        url = self.path(rule) + self.query()
        sent = headers(self.rng)
        is_api = url.startswith("/api/")
        kwargs = {}
        if is_api:
            role = self.rng.choice(["checker", "editor", "viewer", None])
            client = self.clients["api"]
            if role:
                sent["Authorization"] = f"Bearer {self.tokens[role]}"
            if method in ("POST", "PUT"):
                kwargs["data"] = json_body(self.rng, self.text).encode("utf-8", "surrogatepass")
                sent["Content-Type"] = self.rng.choice(["application/json", "application/ld+json",
                                                        "text/plain", "application/json; charset=latin-1"])
        else:
            role = self.rng.choice(["admin", "editor", "checker"])
            client = self.clients[role]
            if method == "POST":
                # A browser cannot send a lone surrogate in a form: it sends U+FFFD (the server decodes alike).
                data = {self.rng.choice(FORM_NAMES): form_value(self.rng).encode("utf-8", "surrogatepass")
                        .decode("utf-8", "replace") for _ in range(self.rng.randint(0, 6))}
                if self.rng.random() < 0.9:
                    data["csrf_token"] = self.clients[f"{role}_csrf"]
                kwargs["data"] = data
        return method, url, sent, client.open(url, method=method, headers=sent, **kwargs), is_api


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def assert_error_shape(response, is_api: bool, described: str) -> None:
    if is_api:

        try:
            assert_api_error(response, response.status_code)  # the shape, with a 410's extra fields
        except AssertionError as err:
            raise AssertionError(f"{described}: {err}") from None
        return
    if response.status_code == 401 and response.mimetype == "text/html":
        return  # the sign-in page, with its message
    assert response.mimetype == "text/html", described
    soup = BeautifulSoup(response.text, "html.parser")
    shown = soup.select_one(".flash-error, .error-page, [role=alert], .conflict")
    assert shown is not None and shown.get_text(strip=True), described


def sign_in(client, role: str) -> str:
    page = client.get("/login")
    token = csrf_token(page.text)
    assert client.post("/login", data={"username": role, "password": PASSWORDS[role],
                                       "csrf_token": token}).status_code == 302
    return csrf_token(client.get("/articles").text)


def test_malformed_requests_never_get_a_500(app, users, api_as, database_url):
    rng = random.Random(f"{SEED}-{database_url.split(':')[0]}")
    checker = api_as("checker")
    article = checker.post("/api/articles", json={"text": ARTICLE}).get_json()
    text = article["revision"]["text"]
    made = checker.post(f"/api/articles/{article['id']}/annotations/", json=valid_annotation(text))
    assert made.status_code == 201, made.text
    claim_id = int(made.get_json()["id"].rsplit("/", 1)[1])
    tokens = {role: api_as(role).token for role in ("checker", "editor", "viewer")}
    clients = {"api": app.test_client()}
    for role in ("admin", "editor", "checker"):
        clients[role] = app.test_client()
        clients[f"{role}_csrf"] = sign_in(clients[role], role)
    known = {"article_id": [article["id"]], "claim_id": [claim_id], "annotation_id": [claim_id],
             "number": [1], "user_id": [u.id for u in users.values()], "link_id": [1]}
    fuzzer = Fuzzer(app, rng, clients, tokens, known, text)

    started, seen = time.monotonic(), {}
    for index in range(REQUESTS):
        method, url, sent, response, is_api = fuzzer.one()
        described = f"request {index}: {method} {url[:200]} {sent} -> {response.status_code} {response.text[:300]}"
        assert response.status_code < 500, described
        if 400 <= response.status_code < 500:
            assert_error_shape(response, is_api, described)
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
    # The requests reached the views, not only the router: a spread of answers came back.
    assert {200, 404, 422} <= set(seen) and len(seen) >= 6, seen
    assert time.monotonic() - started < 60, "the fuzz run should take seconds"
