"""The JSON API from tests: a bearer-token client, annotations to post, and the error shape."""

from __future__ import annotations


class ApiClient:
    """A test client that sends a bearer token and JSON."""

    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def _headers(self, extra):
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, url, headers=None, **kw):
        return self.client.get(url, headers=self._headers(headers), **kw)

    def post(self, url, json=None, headers=None, **kw):
        return self.client.post(url, json=json, headers=self._headers(headers), **kw)

    def put(self, url, json=None, headers=None, **kw):
        return self.client.put(url, json=json, headers=self._headers(headers), **kw)

    def delete(self, url, headers=None, **kw):
        return self.client.delete(url, headers=self._headers(headers), **kw)


def assert_api_error(response, status: int, code: str | None = None):
    """Every API error has this shape: a status and {"error": {"code", "message"}}; a 410 for a
    withdrawn claim adds who withdrew it, when and why, and the claim's last quote and verdict."""
    assert response.status_code == status, response.text
    assert response.is_json, response.text
    error = response.get_json()["error"]
    if status == 410:
        assert {"code", "message", "withdrawn", "claim", "article"} <= set(error)
        assert {"kind", "by", "at", "reason"} == set(error["withdrawn"])
    else:
        assert set(error) == {"code", "message"}
    assert error["message"].strip()
    if code:
        assert error["code"] == code
    return error


def annotation_for(article, words, *, occurrence=0, verdict="false", sources=None, tags=("tolls",)):
    """A W3C annotation on ``words`` (its ``occurrence``-th time) of an article as the API returned it,
    with a verdict, a comment, tags and one source unless ``sources`` says otherwise."""
    text = article["revision"]["text"]
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    bodies = [{"type": "TextualBody", "purpose": "assessing", "value": verdict}] if verdict else []
    bodies.append({"type": "TextualBody", "purpose": "commenting", "value": "Receipts were **830m**.",
                   "format": "text/markdown"})
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in tags]
    for source in sources if sources is not None else [{
        "type": "SpecificResource", "purpose": "linking", "source": "https://stats.example/bridge-2024",
        "title": "Crossings bulletin", "publisher": "Statistics office", "datePublished": "2024-03-01",
        "stance": "contradicts", "excerpt": "Receipts: 830m",
        "state": {"type": "TimeState", "cached": "https://archive.example/bridge-2024",
                  "sourceDate": "2024-03-02T10:00:00Z"}}]:
        bodies.append(source)
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "assessing",
        "body": bodies,
        "target": {"source": article["revision"]["url"], "selector": [
            {"type": "TextQuoteSelector", "exact": words},
            {"type": "TextPositionSelector", "start": start, "end": start + len(words)},
        ]},
    }


class Reply:
    """An HTTP answer read off the wire: status, headers (case-insensitive) and the body."""

    def __init__(self, status: int, headers, raw: bytes):
        self.status, self.headers, self.raw = status, headers, raw

    @property
    def body(self):
        import json

        return json.loads(self.raw) if self.raw else None


def annotated_article(api, text: str, words) -> dict:
    """An article imported from ``text`` with one annotation on each of ``words``, through ``api``:
    the client, the article, its container's path, and the annotations' IRIs and ETags."""
    article = api.post("/api/articles", json={"text": text}).get_json()
    created = [api.post(f"/api/articles/{article['id']}/annotations/", json=annotation_for(article, w)) for w in words]
    assert all(c.status_code == 201 for c in created), [c.text for c in created if c.status_code != 201]
    return {"api": api, "article": article, "container": f"/api/articles/{article['id']}/annotations/",
            "iris": [c.headers["Location"] for c in created], "etags": [c.headers["ETag"] for c in created]}


def http_call(method: str, url: str, headers: dict | None = None, body=None, timeout: float = 20) -> Reply:
    """One request over a real connection (no redirect followed, nothing added but what is given)."""
    import http.client
    import json
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=data,
                     headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()
