"""An article's sign-off (who reported and edited it) is kept at its end, pasted or imported as HTML."""

import pytest

from workbench.services.ingest import clean_input
from workbench.text.cleaning import is_sign_off

HEADLINE = "Harbour board votes to close the Eastgate ferry terminal"
STORY = [
    "The harbour board voted on Tuesday to close the Eastgate ferry terminal for eight months of repairs.",
    "Engineers found that the steel piles under the pier had corroded far faster than anyone expected.",
    "Local traders said they feared the closure would cost them the commuters who stop for coffee.",
]
RELATED = ["Related stories", "Council approves the new cycle lane on Dock Road",
           "Why the old lighthouse is finally being restored"]
SIGN_OFFS = ["Edited by Tom Hale", "责任编辑：李华", "(Reporting by Ana Ruiz; Editing by Tom Hale)", "Редактор: Анна Петрова",
             "-- By Sam Okafor", "(AFP)", "(EFE)", "（完）", "本报记者 张三"]


def _page(sign_off: str, *, in_footer: bool = False) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    credit = f"<p>{sign_off}</p>"
    related = "".join(f"<li><a href='/n/{i}'>{t}</a></li>" for i, t in enumerate(RELATED))
    footer = f"<footer>{credit if in_footer else ''}<p>© 2026 The Harbour Courier</p></footer>"
    return (f"<html><head><meta charset='utf-8'><title>{HEADLINE}</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><h1>{HEADLINE}</h1>"
            f"<div class='story'>{paragraphs}{'' if in_footer else credit}</div>"
            f"<div class='related'><ul>{related}</ul></div>{footer}</body></html>").encode()


def _paste(sign_off: str) -> bytes:
    menu = ["Home", "News", "Politics", "Business", "Sport", "Culture"]
    return "\n".join([*menu, HEADLINE, *STORY, sign_off, *RELATED, "About us", "© 2026 The Harbour Courier"]).encode()


def _kept(data: bytes, media_type: str) -> list[str]:
    return [b.text for b in clean_input(data, media_type).blocks if b.kept]


@pytest.mark.parametrize("sign_off", SIGN_OFFS)
def test_a_pasted_article_keeps_its_sign_off(sign_off):
    assert _kept(_paste(sign_off), "text/plain") == STORY + [sign_off]


@pytest.mark.parametrize("sign_off", SIGN_OFFS)
def test_an_html_article_keeps_its_editor_credit(sign_off):
    assert _kept(_page(sign_off), "text/html") == STORY + [sign_off]


@pytest.mark.parametrize("line", ["(Courier photo)", "(Video)", "【打印】", "[Print]"])
def test_a_caption_or_a_button_in_brackets_is_no_sign_off(line):
    assert not is_sign_off(line)


def test_an_editor_credit_in_the_page_footer_is_not_the_articles():
    assert _kept(_page("责任编辑：李华", in_footer=True), "text/html") == STORY


def test_an_editor_credit_before_the_article_ends_is_still_dropped():
    """Only the sign-off at the article's end is its own; a credit line between paragraphs is the page's."""
    page = _page("x").replace(b"<p>x</p>", b"").replace(f"<p>{STORY[1]}".encode(),
                                                        f"<p>Edited by Tom Hale</p><p>{STORY[1]}".encode())
    assert _kept(page, "text/html") == STORY
    text = _paste("").replace(STORY[1].encode(), f"Edited by Tom Hale\n{STORY[1]}".encode())
    assert _kept(text, "text/plain") == STORY
