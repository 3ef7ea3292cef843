"""Verdicts told apart without colour: the report printed in grayscale keeps every verdict's sample
distinct (pattern and shape, not hue alone), and every fill keeps AA contrast with the text."""

from __future__ import annotations

import base64
import itertools

from tests.helpers.axe import blocking_violations
from tests.helpers.factories import make_article, make_claim

VERDICTS = ["true", "mostly_true", "mixed", "mostly_false", "false", "misleading", "unproven"]
TEXT = "Verdicts Headline\n\n" + " ".join(f"Sentence {i} says something checkable." for i in range(len(VERDICTS)))

# Gray levels of a PNG, read back through a canvas in a blank page (no image library needed).
GRAY_JS = """async (pngs) => {
  const out = [];
  for (const png of pngs) {
    const img = new Image();
    img.src = "data:image/png;base64," + png;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const gray = [];
    for (let i = 0; i < data.length; i += 4) gray.push(data[i]);   // grayscale: R = G = B
    out.push({w: img.width, h: img.height, gray});
  }
  return out;
}"""

CONTRAST_JS = """(els) => els.map(el => getComputedStyle(el).getPropertyValue('--hl-bg').trim())"""


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def features(sample) -> tuple[float, float, list[int]]:
    """Mean and spread of the sample's inner gray levels (its edges dropped), and the levels themselves."""
    w, h, gray = sample["w"], sample["h"], sample["gray"]
    inner = [gray[y * w + x] for y in range(2, h - 4) for x in range(2, w - 2)]
    mean = sum(inner) / len(inner)
    spread = (sum((g - mean) ** 2 for g in inner) / len(inner)) ** 0.5
    return mean, spread, inner


def test_verdict_samples_stay_distinct_in_a_grayscale_print(browser, live_server, tmp_path):
    from sqlmodel import select

    from workbench.services.exports.service import build
    from workbench.store.db import get_session
    from workbench.store.models import User
    from workbench.web.links import links

    app = live_server.app
    with app.app_context():
        db = get_session()
        checker = db.exec(select(User).where(User.username == "checker")).one()
        article = make_article(db, checker, TEXT)
        for i, verdict in enumerate(VERDICTS):
            make_claim(db, article, checker, f"Sentence {i} says", verdict=verdict)
        with app.test_request_context("/", base_url=live_server.url):
            report = build(db, article=article, fmt="html", links=links(), include="all").content
    path = tmp_path / "report.html"
    path.write_bytes(report)

    # The report's own policy forbids any added style; the grayscale filter goes in past it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.goto(path.as_uri())
    swatches = page.locator(".legend .swatch")
    assert swatches.count() == len(VERDICTS)
    assert blocking_violations(page, "report") == []

    # Every fill keeps AA contrast (4.5:1) with the text drawn over it.
    ink = "#1d2330"
    fills = swatches.evaluate_all(CONTRAST_JS)
    assert all(contrast(ink, fill) >= 4.5 for fill in fills), fills
    # Each verdict has its own marker shape, in the legend, the badges and before each highlight.
    shapes = swatches.evaluate_all("els => els.map(el => getComputedStyle(el, '::after').content)")
    assert len(set(shapes)) == len(VERDICTS), shapes
    marks = page.locator(".article mark.hl-start")
    assert len(set(marks.evaluate_all("els => els.map(el => getComputedStyle(el, '::before').content)"))) == len(VERDICTS)

    # Printed in grayscale: every pair of samples differs in level or in pattern.
    page.emulate_media(media="print")
    page.add_style_tag(content="html { filter: grayscale(1); }")
    pngs = [base64.b64encode(swatches.nth(i).screenshot()).decode() for i in range(len(VERDICTS))]
    reading = browser.new_context()
    samples = reading.new_page().evaluate(GRAY_JS, pngs)
    reading.close()
    assert all(max(s["gray"]) - min(s["gray"]) < 256 and s["w"] > 20 for s in samples)
    found = [features(s) for s in samples]
    labels = page.locator(".legend li").all_inner_texts()
    alike = []
    for (a, fa), (b, fb) in itertools.combinations(zip(labels, found), 2):
        pixels = min(len(fa[2]), len(fb[2]))
        apart = sum(abs(x - y) for x, y in zip(fa[2][:pixels], fb[2][:pixels])) / pixels
        if abs(fa[0] - fb[0]) < 8 and abs(fa[1] - fb[1]) < 6 and apart < 10:
            alike.append(f"{a.strip()} / {b.strip()}: mean {fa[0]:.0f}/{fb[0]:.0f}, spread {fa[1]:.0f}/{fb[1]:.0f}, "
                         f"apart {apart:.0f}")
    context.close()
    assert alike == [], alike
