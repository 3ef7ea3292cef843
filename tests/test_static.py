"""Vendored assets (htmx, Swagger UI): pinned, checksummed, served from our own static folder."""

import hashlib
import json
import re

from bs4 import BeautifulSoup

from workbench.web.static_assets import (
    CHECKSUMS_FILE,
    STATIC_DIR,
    asset_integrity,
    verify_vendored,
)


def test_vendored_files_match_their_recorded_checksums():
    assert verify_vendored() == []
    entry = json.loads(CHECKSUMS_FILE.read_text())["files"][0]
    assert entry["package"] == "htmx.org" and re.fullmatch(r"4\.0\.\d+", entry["version"])
    data = (STATIC_DIR / entry["path"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    # The library announces its own version; it must be the one recorded.
    assert f'this.version="{entry["version"]}"' in data.decode()


def test_swagger_ui_is_the_pinned_version_from_npm():
    from workbench.web.api.openapi import SWAGGER_UI_CSS, SWAGGER_UI_JS, SWAGGER_UI_VERSION

    entries = {e["path"]: e for e in json.loads(CHECKSUMS_FILE.read_text())["files"]
               if e["package"] == "swagger-ui-dist"}
    assert set(entries) == {SWAGGER_UI_JS, SWAGGER_UI_CSS}
    for entry in entries.values():
        assert entry["version"] == SWAGGER_UI_VERSION and entry["npm_integrity"].startswith("sha512-")
        assert hashlib.sha256((STATIC_DIR / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    # The bundle announces its own version; it must be the one recorded.
    assert f'PACKAGE_VERSION:"{SWAGGER_UI_VERSION}"' in (STATIC_DIR / SWAGGER_UI_JS).read_text()


def test_pages_load_htmx_locally_with_integrity(client):
    soup = BeautifulSoup(client.get("/login").text, "html.parser")
    script = soup.find("script", src=re.compile("htmx"))
    assert script["src"].startswith("/static/vendor/htmx/")
    assert script["integrity"] == asset_integrity("vendor/htmx/htmx-4.0.1.min.js")
    served = client.get(script["src"])
    assert served.status_code == 200
    served.close()


def test_the_tests_axe_core_is_pinned_and_matches_its_checksum():
    from tests.helpers.axe import VENDOR, axe_entry, axe_source

    entry = axe_entry()
    assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"]) and entry["npm_integrity"].startswith("sha512-")
    assert axe_source().startswith(f"/*! axe v{entry['version']}")
    assert (VENDOR / "axe-core" / "LICENSE").exists()
    # Only the tests use it: the app serves nothing of it.
    assert not list(STATIC_DIR.rglob("axe*"))
