"""Large pages of several shapes, made up on the spot: each with the article's paragraphs and the
readers' or the site's text that is not the article.

A shape is the way real large pages are large: one very long article (a report, a transcript),
a live blog of thousands of posts, a short article under a huge comment section, a page of
markup with little text. The paragraphs are written from a seeded word list, so every one is
different (no repetition rule applies) and a run gives the same page every time.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass

SHAPES = ("article", "live blog", "comments", "markup")

_SUBJECTS = ["The council", "A spokesperson for the port", "The regional minister", "Residents of the old town",
             "The ferry operator", "An independent inspector", "The harbour master", "Local shopkeepers",
             "The union representing dock workers", "A group of volunteers", "The transport committee",
             "Engineers from the university", "The coastguard", "Two former directors", "The mayor's office"]
_VERBS = ["said on Tuesday that", "confirmed in a statement that", "warned last week that", "told reporters that",
          "argued at the hearing that", "wrote in a letter that", "had expected that", "denied claims that",
          "announced on Friday that", "insisted during the meeting that"]
_CLAIMS = ["the repairs to the northern quay would cost more than {n} million euros",
           "{n} passengers had been turned away during the strike",
           "the new timetable would add {n} sailings a week",
           "the inspection found {n} faults in the loading ramps",
           "the budget for the harbour wall had been cut by {n} per cent",
           "about {n} households had signed the petition",
           "the crossing would be suspended for {n} days in March",
           "the tender attracted {n} bids from abroad",
           "a survey of {n} commuters showed strong support for the plan",
           "the ferry had been running {n} minutes late on average"]
_TAILS = ["", " The figures were published on the authority's website.", " Critics called the decision rushed.",
          " A final vote is expected next month.", " Nobody was injured.", " The report has not been made public.",
          " Officials declined to give further details.", " The opposition has asked for an inquiry."]


def _sentence(rng: random.Random, i: int) -> str:
    claim = rng.choice(_CLAIMS).format(n=rng.randint(2, 9_999))
    return f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {claim} (item {i}).{rng.choice(_TAILS)}"


@dataclass
class BigPage:
    shape: str
    html: str
    #: The article's paragraphs, as a reader sees them.
    article: list[str]
    #: Text on the page that is not the article (comments, links, menus).
    other: list[str]


def _short_story(rng) -> tuple[list[str], str]:
    """A short article's twelve paragraphs, and their markup."""
    article = [_sentence(rng, i) + " " + _sentence(rng, i + 1000) for i in range(12)]
    return article, "".join(f"<p>{_marked_up(rng, t)}</p>" for t in article)


def _frame(title: str, body: str, *, head: str = "") -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)} | The Harbour Courier</title>"
            f"<meta property=\"og:title\" content=\"{html.escape(title)}\">{head}</head><body>"
            "<header class=\"site-header\"><nav class=\"primary-nav\"><ul><li><a href=\"/\">Home</a></li>"
            "<li><a href=\"/news\">News</a></li><li><a href=\"/sport\">Sport</a></li></ul></nav></header>"
            f"{body}<footer class=\"site-footer\"><p>&copy; 2026 The Harbour Courier Media Group.</p></footer>"
            "</body></html>")


def _marked_up(rng: random.Random, text: str) -> str:
    """A paragraph as a newsroom writes it: a link and some emphasis inside."""
    words = html.escape(text).split(" ")
    at = rng.randrange(1, len(words) - 2)
    words[at] = f'<a href="/news/{rng.randint(1, 99_999)}">{words[at]} {words[at + 1]}</a>'
    del words[at + 1]
    if len(words) > 6:
        words[2] = f"<em>{words[2]}</em>"
    return " ".join(words)


def big_page(shape: str, size: int = 5_000_000, seed: int = 7) -> BigPage:
    """A page of about ``size`` bytes of the given shape."""
    rng = random.Random(seed)
    title = "Harbour crossing: the full report"
    article: list[str] = []
    other: list[str] = []
    parts: list[str] = []
    length = 0

    def add(markup: str) -> None:
        nonlocal length
        parts.append(markup)
        length += len(markup)

    if shape == "article":
        while length < size:
            text = " ".join(_sentence(rng, len(article) * 3 + k) for k in range(rng.randint(1, 3)))
            article.append(text)
            add(f"<p>{_marked_up(rng, text)}</p>\n")
            if len(article) % 40 == 0:
                heading = f"Part {len(article) // 40}: the hearing resumes"
                article.append(heading)
                add(f"<h2>{heading}</h2>\n")
        body = f"<main><article class=\"article\"><h1>{title}</h1><div class=\"article-body\">{''.join(parts)}</div></article></main>"
    elif shape == "live blog":
        title = "Harbour strike: live updates"
        while length < size:
            n = len(parts)
            texts = [_sentence(rng, n * 4 + k) for k in range(rng.randint(1, 3))]
            article.extend(texts)
            paragraphs = "".join(f"<p>{_marked_up(rng, t)}</p>" for t in texts)
            add(f'<div class="live-post" id="post-{n}"><div class="live-post__time"><time datetime="2026-03-0{1 + n % 9}">'
                f'{n % 24:02d}:{n % 60:02d}</time></div><div class="live-post__body">{paragraphs}</div>'
                '<div class="share-tools social"><a href="#">Share</a><a href="#">Facebook</a><a href="#">Email</a></div></div>\n')
        body = f"<main><h1>{title}</h1><div class=\"live-feed\">{''.join(parts)}</div></main>"
    elif shape == "comments":
        article, story = _short_story(rng)
        while length < size:
            n = len(parts)
            text = f"Comment {n}: I live by the harbour and {rng.choice(_CLAIMS).format(n=rng.randint(2, 999))}, or so my neighbour says."
            other.append(text)
            add(f'<li class="comment" id="comment-{n}"><div class="comment-author"><a href="/u/{n}">reader{n}</a></div>'
                f'<div class="comment-body"><p>{html.escape(text)}</p></div>'
                '<div class="comment-actions"><a href="#">Reply</a> <a href="#">Report</a></div></li>\n')
        body = (f"<main><article class=\"article\"><h1>{title}</h1><div class=\"article-body\">{story}</div></article>"
                f"<section class=\"comments\" id=\"comments\"><h3>Comments</h3><ol class=\"comment-list\">{''.join(parts)}"
                "</ol></section></main>")
    elif shape == "markup":
        article, story = _short_story(rng)
        state = json.dumps([{"id": i, "title": f"Story {i}", "url": f"/news/{i}", "body": "x" * 300} for i in range(size // 800)])
        add(f'<script type="application/json" id="state">{state}</script>')
        icon = '<svg viewBox="0 0 24 24" class="icon"><path d="M12 2L2 7l10 5 10-5-10-5z"></path></svg>'
        while length < size:
            n = len(parts)
            label = f"Related story number {n} on the harbour"
            other.append(label)
            add(f'<li class="card" data-id="{n}" style="display:flex"><div class="card__inner"><div class="card__media">'
                f'<span class="card__icon">{icon}</span></div><div class="card__text"><a href="/news/{n}">'
                f'<span>{label}</span></a></div></div></li>\n')
        body = (f"<main><article class=\"article\"><h1>{title}</h1><div class=\"article-body\">{story}</div></article>"
                f"<aside class=\"related\"><ul>{''.join(parts)}</ul></aside></main>")
    else:
        raise ValueError(f"no such shape: {shape}")
    return BigPage(shape=shape, html=_frame(title, body), article=article, other=other)
