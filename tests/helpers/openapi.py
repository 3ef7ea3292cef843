"""The API's OpenAPI description from tests: checking that an answer is one it describes."""

from __future__ import annotations

import jsonschema


def described_response(description: dict, path: str, method: str, status: int) -> dict:
    """The description of ``method path`` answering ``status`` (fails when it names no such answer)."""
    operation = description["paths"][path][method.lower()]
    assert str(status) in operation["responses"], f"{method} {path} is not described as answering {status}"
    return operation["responses"][str(status)]


def assert_described(description: dict, path: str, method: str, response) -> None:
    """``response`` (a test client's) is an answer the description gives for ``method path``: its
    status, the headers it must carry, its media type and, for JSON, a body valid against the
    schema described for it."""
    described = described_response(description, path, method, response.status_code)
    for name, header in described.get("headers", {}).items():
        assert not header.get("required") or response.headers.get(name), f"{method} {path}: no {name} header"
    content = described.get("content")
    if not content:
        assert not response.data, response.text
        return
    media_type = response.mimetype
    assert media_type in content, f"{method} {path} {response.status_code}: {media_type} not in {list(content)}"
    schema = content[media_type]["schema"]
    if media_type.endswith("json"):
        # The schema's references point into the description's components.
        root = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema,
                "components": description["components"]}
        errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(response.get_json()), key=str)
        assert not errors, f"{method} {path} {response.status_code}: " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])
