"""The W3C annotation model checker from ../shared/conformance."""

from __future__ import annotations

import importlib
import sys

from tests.helpers.apps import shared_path


def conformance_kit():
    """The checker's module (skips or fails like shared_path where ../shared is absent)."""
    path = shared_path("conformance", "w3c_model_check.py")
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    return importlib.import_module("w3c_model_check")


def assert_conforms(document: dict) -> None:
    """0 MUST failures for an annotation, page or collection (and every annotation inside)."""
    kit = conformance_kit()
    kind = document.get("type")
    report = kit.check_annotation(document) if kind == "Annotation" else kit.check_document(document)
    assert report.ok, [(r.title, r.message) for r in report.must_failures]
