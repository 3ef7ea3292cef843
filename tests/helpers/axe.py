"""axe-core, vendored for the tests (tests/vendor, checksummed like htmx), run in a page.

It lives under tests/ because only the tests use it: the app never serves it. The page's CSP forbids
inline scripts, so the library goes in through the browser's own evaluation, as a devtools console
would; nothing about the page is relaxed for it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "vendor"
CHECKSUMS = VENDOR / "CHECKSUMS.json"
#: Failures that block a reader; "moderate" and "minor" are advice.
BLOCKING = ("serious", "critical")


def axe_entry() -> dict:
    return next(e for e in json.loads(CHECKSUMS.read_text())["files"] if e["package"] == "axe-core")


def axe_source() -> str:
    """The library's text, refused if its bytes are not the ones recorded."""
    entry = axe_entry()
    data = (VENDOR / entry["path"]).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert digest == entry["sha256"], f"{entry['path']} differs from its recorded checksum"
    return data.decode("utf-8")


RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.split("\\n").slice(0, 3).join(" "))}));
}"""


def blocking_violations(page, state: str) -> list[str]:
    """The serious and critical axe violations on the page as it stands, one line each (``state`` names it)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    found = page.evaluate(RUN)
    return [f"{state}: {v['id']} ({v['impact']}) {v['help']}: {'; '.join(v['nodes'][:4])}"
            for v in found if v["impact"] in BLOCKING]
