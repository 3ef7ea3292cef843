"""The CSV export under formula injection: no cell, and no line of any cell, starts a formula,
whether read by a CSV parser or by a reader that takes every line break as a new record."""

import csv
import io
import re

import pytest
from sqlmodel import select

from tests.helpers.factories import make_article
from workbench.services.articles import get_revision
from workbench.services.claims import add_source, create_claim
from workbench.services.schemas import ClaimFields, SourceInput
from workbench.store.db import get_session
from workbench.store.models import Source, User

TEXT = "Sums Headline\n\nThe total was reported.\n\n=SUM(A1:A9) was the figure given.\n\n@cmd and +x and -y."
#: A rationale as typed, and the cell a spreadsheet is given.
RATIONALES = [
    pytest.param("\r=1+1", "'\n'=1+1", id="cr_then_formula"),
    pytest.param("\n=1", "'\n'=1", id="lf_then_formula"),
    pytest.param("a\r\n=1+1", "'a\n'=1+1", id="crlf_then_formula"),
    pytest.param("a\n  -2+3", "'a\n'  -2+3", id="indented_line"),
    pytest.param(" =1", "' =1", id="leading_space"),
    pytest.param("\t=1", "'\t=1", id="leading_tab"),
    pytest.param("\tplain", "'\tplain", id="tab_alone"),
    pytest.param("@x", "'@x", id="at"),
    pytest.param("+x", "'+x", id="plus"),
    pytest.param("-x", "'-x", id="minus"),
    pytest.param("=HYPERLINK(\"https://evil.example\")", "'=HYPERLINK(\"https://evil.example\")", id="hyperlink"),
    pytest.param("a\u2028=1", "'a\u2028'=1", id="line_separator"),
    pytest.param("plain\r\nlines, kept", "plain\nlines, kept", id="harmless_lines_kept"),
    pytest.param("1 = 1 + 1", "1 = 1 + 1", id="formula_chars_inside_are_fine"),
]
FORMULA = ("=", "+", "-", "@")


def dangerous(line: str) -> bool:
    return line.startswith(("\t", "\r")) or line.lstrip().lstrip('"').lstrip().startswith(FORMULA)


@pytest.fixture
def exported_csv(app, users, api_as):
    with app.app_context():
        db = get_session()
        checker = db.get(User, users["checker"].id)
        checker.display_name = " =1+1"
        db.add(checker)
        article = make_article(db, checker, TEXT)
        revision = get_revision(db, article)
        text = revision.canonical_text
        for param in RATIONALES:
            create_claim(db, revision=get_revision(db, article), actor=checker, start=0, end=9, exact=text[:9],
                         fields=ClaimFields(verdict="false", rationale=param.values[0]))
        # A quote over a paragraph break, tags and source URLs (stored before URLs were checked).
        start = text.index("reported.")
        end = text.index(" was the figure")
        claim = create_claim(db, revision=get_revision(db, article), actor=checker, start=start, end=end,
                             exact=text[start:end], fields=ClaimFields(
                                 verdict="false", rationale="x", tags=["\r=1+1", "@x", "ok", "\n-x"]))
        for number in range(3):
            add_source(db, claim=claim, actor=checker, expected_version=None,
                       data=SourceInput(url=f"https://placeholder.example/{number}", stance="context"))
        stored = ["=HYPERLINK(\"https://evil.example\")", "https://example.org/\r=1+1", "+x"]
        for source in db.exec(select(Source).order_by(Source.id)).all():
            source.url = stored[int(source.url.rsplit("/", 1)[1])]
            db.add(source)
        db.commit()
        article_id = article.id
    response = api_as("viewer").get(f"/api/articles/{article_id}/export?format=csv&include=all")
    assert response.status_code == 200, response.text
    return response.data.decode("utf-8")


def test_no_field_nor_line_of_a_field_starts_a_formula(exported_csv):
    rows = list(csv.reader(io.StringIO(exported_csv, newline="")))
    assert len(rows) == 1 + len(RATIONALES) + 1
    for row in rows:
        for field in row:
            for line in field.splitlines() or [""]:
                assert not dangerous(line), (field, line)


def test_a_reader_that_splits_every_line_sees_no_formula(exported_csv):
    # Some importers end a record at any CR or LF, even inside quotes: every such piece is checked.
    for line in re.split(r"\r\n|\r|\n", exported_csv):
        for piece in line.split(","):
            assert not dangerous(piece), (line, piece)


def test_neutralised_cells_keep_what_was_typed(exported_csv):
    rows = list(csv.DictReader(io.StringIO(exported_csv, newline="")))
    by_rationale = [row["rationale"] for row in rows if row["quote"] == "The total"]
    assert by_rationale == [param.values[1] for param in RATIONALES]
    last = next(row for row in rows if row["quote"] != "The total")
    assert last["quote"] == "'reported.\n\n'=SUM(A1:A9)"
    assert last["tags"] == "'=1+1; @x; ok; -x"
    assert last["checker"] == "' =1+1"
    assert last["sources"].startswith("'=HYPERLINK(")
    assert "https://example.org/\n'=1+1 (context)" in last["sources"]
