"""The PDF embeds fonts for every script an article may hold (the setup installs Debian's Noto
fonts), and is printed on the paper the settings name."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.helpers.factories import make_article, make_claim
from tests.helpers.pdf import pdf_text

pytestmark = pytest.mark.usefixtures("pdf_printer")

TEXT = ("Tolls Headline\n\n"
        "The minister said tolls paid for the bridge twice over.\n\n"
        "部长说，过路费已经两次收回了大桥的成本。大臣は通行料で橋の費用を二度回収したと述べた。\n\n"
        "قال الوزير إن الرسوم دفعت ثمن الجسر مرتين.\n\n"
        "मंत्री ने कहा कि टोल ने पुल की लागत दो बार चुका दी है।\n\n"
        "Readers reacted 👍 and 🌉 online.")
#: Scripts drawn by fonts Chromium embeds as TrueType, and a part of the name of one that draws each.
NAMED = {"Latin": ("NotoSans-", "NotoSerif-"), "Arabic": ("NotoSansArabic", "NotoNaskhArabic"),
         "Devanagari": ("NotoSansDevanagari", "NotoSerifDevanagari")}
#: CJK (Noto CJK is CFF in a collection) and colour emoji are embedded as Type 3 fonts, which carry
#: no name: their words are checked by reading them back.
UNNAMED = ["两次收回了大桥的成本", "通行料で橋の費用", "👍", "🌉"]


def embedded_fonts(pdf: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name, "yes"/"no" embedded) for each font ``pdffonts`` lists."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    # name type encoding emb sub uni object ID: the name has no spaces, "emb" is the 4th from the end.
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def page_size(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "size.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)


def printed(app, users, db_article):
    from workbench.services.exports.service import build
    from workbench.store.db import get_session
    from workbench.web.links import links

    with app.test_request_context("/"):
        db = get_session()
        return build(db, article=db_article(db), fmt="pdf", links=links(), include="all").content


@pytest.fixture
def article_id(app, users):
    from workbench.store.db import get_session
    from workbench.store.models import User

    with app.app_context():
        db = get_session()
        checker = db.get(User, users["checker"].id)
        article = make_article(db, checker, TEXT)
        make_claim(db, article, checker, "两次收回了大桥的成本", verdict="false")
        make_claim(db, article, checker, "दो बार चुका दी", verdict="false")
        return article.id


def test_pdf_embeds_a_font_for_every_script_on_a4(app, users, article_id, tmp_path):
    from workbench.store.models import Article

    pdf = printed(app, users, lambda db: db.get(Article, article_id))
    fonts = embedded_fonts(pdf, tmp_path)
    # Every font is embedded: nothing depends on the reader's machine.
    assert fonts and all(embedded == "yes" for _name, embedded in fonts), fonts
    names = [name for name, _ in fonts]
    missing = [script for script, parts in NAMED.items() if not any(p in n for n in names for p in parts)]
    assert missing == [], f"no font for {missing} among {names} (scripts/install-chromium.sh installs them)"
    assert "[none]" in names  # the Type 3 fonts of CJK and emoji
    text = pdf_text(pdf)
    for words in UNNAMED + ["قال الوزير إن الرسوم", "मंत्री ने कहा"]:
        assert words in text
    assert "(A4)" in page_size(pdf, tmp_path)


@pytest.mark.parametrize("app_config", [{"LOCALE": "en-US"}])
def test_a_us_locale_prints_on_letter(app, users, article_id, tmp_path):
    from workbench.store.models import Article

    pdf = printed(app, users, lambda db: db.get(Article, article_id))
    assert "(letter)" in page_size(pdf, tmp_path)
