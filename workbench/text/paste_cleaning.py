"""Cleaning pasted or uploaded plain text (and Markdown): text copied from a browser, a line per
visible block, where the article stands among the page's menus, teaser lists and widgets.

>>> [(b.role, b.text) for b in clean_text("Big Headline\\n\\nShare this story\\n\\nThe mayor said so.").blocks]
[('title', 'Big Headline'), ('junk', 'Share this story'), ('body', 'The mayor said so.')]

Each line is first judged on its own text by :mod:`workbench.text.cleaning`; then the article's
region is found (the densest run of prose) and what lies around it is judged by its shape: runs
of short lines, teaser lists (headline, snippet, author), galleries' captions and counters.
"""

from __future__ import annotations

import re
import unicodedata

from workbench.text.cleaning import (
    _CJK_RE, _NUMBERED_RE, BULLETS, PROMPT_RE, Block, CleanResult, classify_blocks, ends_sentence, is_comment_widget,
    is_sign_off, is_teaser_heading, looks_like_headline, meta_from_blocks, normalize_block, plain_key, strip_bullet,
    word_count,
)


_MD_HEADING_RE = re.compile(r"^#{1,6}\s+")
_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_PREFIX_RE = re.compile(r"^(>\s?)+|^([-*+]|\d{1,3}[.)])\s+")
_MD_EMPHASIS_RE = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])[*_](?![\s*_])(.+?)(?<![\s*_])[*_](?![\w*])")


def strip_markdown(line: str) -> str:
    """The words of a Markdown line without its markup (headings, quotes, bullets, emphasis, links)."""
    line = _MD_PREFIX_RE.sub("", _MD_HEADING_RE.sub("", line))
    line = _MD_LINK_RE.sub(r"\1", line)
    return _MD_EMPHASIS_RE.sub(lambda m: m.group(2) or m.group(3), line)


def split_blocks(text: str, *, markdown: bool = False) -> list[Block]:
    """Split plain text into blocks: paragraphs at blank lines, lines where a scrape put one item a line.

    A chunk of consecutive lines is one paragraph when it looks hard-wrapped (every line but the
    last is long); otherwise each line is its own block.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if markdown:
            lines = [strip_markdown(line) for line in lines]
        wrapped = len(lines) > 1 and all(len(line) >= 50 for line in lines[:-1]) and not any(
            line[:1] in BULLETS and line[1:2] == " " for line in lines
        )
        pieces = [" ".join(lines)] if wrapped else lines
        for piece in pieces:
            piece = normalize_block(strip_bullet(piece)) if piece.lstrip()[:1] in "•·▪‣◦●■►" else normalize_block(piece)
            if piece:
                blocks.append(Block(text=piece))
    return blocks


def clean_text(text: str, *, markdown: bool = False) -> CleanResult:
    """Clean pasted or uploaded plain text (or Markdown) into judged blocks and metadata."""
    blocks = classify_blocks(split_blocks(text, markdown=markdown))
    _untitle_prose(blocks)
    _keep_reported_sentences(blocks)
    _drop_paste_widgets(blocks)
    _drop_credit_lines(blocks)
    _drop_captions_after_credits(blocks)
    _drop_gallery_captions(blocks)
    _drop_teaser_lists(blocks)
    _keep_article_region(blocks)
    _drop_credit_lines(blocks)
    return CleanResult(blocks=blocks, meta=meta_from_blocks(blocks, body_text=" ".join(b.text for b in blocks)))


def _keep_article_region(blocks: list[Block]) -> None:
    """A whole page copied from a browser: keep the article, the densest run of prose, and drop the
    menus, link lists and widgets around it.

    Each block scores its words when it reads as prose and a loss when it is a short line (a menu
    item, a headline in a list) or was judged junk; the article is the run with the highest sum
    (the body-text extraction of Finn et al., by lines). A short line between paragraphs (a
    subheading) costs less than the paragraphs after it bring, so the article runs on past it. What
    lies outside is dropped only where it looks like a page's furniture: a run of three short lines
    or more, or one next to a block already judged junk; a list announced by a colon stays.
    """
    scores = []
    for block in blocks:
        # A repeat counts as text here: the copy that stands in the article may be the second one.
        if block.role == "junk" and block.reason != "repeated text":
            scores.append(-2)
        elif block.role not in ("body", "junk"):
            scores.append(0)
        elif _reads_as_text(block.text):
            cjk = len(_CJK_RE.findall(block.text))
            scores.append(word_count(block.text) - cjk // 2)  # about two characters to a word
        else:
            scores.append(-1 - min(word_count(block.text), 8) // 2)
    # A paragraph alone between two short lines is more often a teaser's snippet (headline, snippet,
    # author) than a story's: it counts a third, so a list of teasers does not carry the article on.
    for i in range(1, len(scores) - 1):
        if scores[i] > 0 > max(scores[i - 1], scores[i + 1]) and blocks[i - 1].role == blocks[i + 1].role == "body":
            scores[i] //= 3
    # Readers' comments are prose too, and may outweigh a short story: a comment widget ("17
    # comments", "Leave a reply") bounds the article, and the first stretch that holds two
    # paragraphs, or half the page's prose, is the article's.
    bounds = [-1] + [i for i, b in enumerate(blocks) if b.role == "junk" and (
        b.reason == "comment widget" or is_comment_widget(b.text))] + [len(blocks)]
    stretches = [_densest(scores, a + 1, b) for a, b in zip(bounds, bounds[1:]) if b > a + 1]
    stretches = [s for s in stretches if s]
    if not stretches:
        return
    # Two paragraphs are a story; one before a comment widget is a standfirst or a teaser.
    best = max(total for total, _span in stretches)
    first, last = next(span for total, span in stretches
                       if total * 2 >= best or sum(1 for v in scores[span[0]:span[1] + 1] if v > 0) >= 2)
    # A live report's first entry: its time stamp and heading stand just above its text.
    if first >= 2 and blocks[first - 2].reason == "time stamp" and blocks[first - 1].role == "body" \
            and looks_like_headline(blocks[first - 1].text):
        first -= 1
    # Its opening line may be too short to read as a paragraph ("It was a wet night."): a sentence
    # just above its first paragraph is its own, as a menu's or a headline's line never is.
    while first > 0 and _is_short_sentence(blocks[first - 1]):
        first -= 1
    # Its summary above its first paragraph, a list under a lead-in ("Key points:"), is its own too.
    top = first
    while top > 0 and first - top < _LIST_ITEMS and blocks[top - 1].role == "body" and _is_list_item(blocks[top - 1]) \
            and not _is_lead_in(blocks[top - 1].text):
        top -= 1
    if top > 0 and blocks[top - 1].role == "body" and _is_lead_in(blocks[top - 1].text):
        first = top - 1
    # A list the article announces ("What we know:") belongs to it, marked or not (a browser copies
    # a list's items without their bullets): its items run on to the first line judged junk.
    announced = 0
    while last + 1 < len(blocks) and blocks[last + 1].role == "body" and (
            _continues_a_list(blocks, last + 1) or 0 < announced <= _LIST_ITEMS and _is_list_item(blocks[last + 1])):
        last += 1
        if announced or any(b.text.rstrip().endswith((":", "：")) for b in blocks[last - 1:last + 1]):
            announced += 1
    # Its closing lines, printed right after its last paragraph, are the article's as published: a
    # short last sentence ("No one was injured."), who reported and who edited it, and a link to a
    # follow-up story (extractors keep them too).
    while last + 1 < len(blocks) and _closes_the_article(blocks[last + 1]):
        last += 1
        blocks[last].role, blocks[last].reason = "body", "article text"
    # After the article, a teaser's date or author stands between its headline and snippet: the
    # run of the list goes on through them.
    outside = [i for i in range(len(blocks)) if (i < first and blocks[i].role == "body")
               or (i > last and blocks[i].role in ("body", "dateline", "byline"))]
    for run in _runs(outside):
        near_junk = any(0 <= j < len(blocks) and blocks[j].role == "junk" for j in (run[0] - 1, run[-1] + 1))
        if len(run) >= 3 or near_junk:
            for i in (i for i in run if blocks[i].role == "body"):
                blocks[i].role, blocks[i].reason = "junk", "outside the article (the page's menus and lists around it)"
    _retitle(blocks, first)
    # A paragraph dropped as a repeat of one that now stands outside is the article's own copy;
    # a teaser's headline or a photo's credit printed again is not.
    shown = {plain_key(strip_bullet(b.text)) for b in blocks[:first] if b.kept}
    teasers = {plain_key(strip_bullet(b.text)) for b in blocks if b.role == "junk" and b.reason in _NOT_RESTORED}
    for block in blocks[first:last + 1]:
        key = plain_key(strip_bullet(block.text))
        if block.reason == "repeated text" and key not in shown and key not in teasers:
            block.role, block.reason = "body", "article text"
        if block.kept:
            shown.add(key)
    _drop_widget_lines(blocks)


# A photo's credit on a line of its own: a label and a name ("Credit: Riot Games", "Screenshot by
# Amanda Tan/ONE Esports", "Foto: dpa", "Фото: ТАСС", "写真：共同"), never a sentence.
_CREDIT_LINE_RE = re.compile(
    r"(credits?|photo(graph)?s?|pictures?|images?|screenshots?|illustrations?|video|source|fotos?|fotografía|imagen"
    r"|crédits?|crédito|bild|quelle|фото|изображение|صورة|المصدر|φωτογραφία|zdjęcie|kuva|写真|画像|图片|圖片|사진|ภาพ)"
    r"(\s*(:|：|/)|\s+(by|courtesy|de|von|par)\b)\s*\S", re.IGNORECASE
)


# Rules that go by the words of a prompt: a long sentence that uses them without speaking to the
# reader reports on cookies or newsletters ("The regulator found the cookie banners hid the reject
# button.", "Subscribe buttons were not part of the investigation.").
_WORDED_REASONS = {"cookie notice", "newsletter or subscription prompt"}
_READER_RE = re.compile(
    r"\b(you|your|yours|we|our|us|vous|votre|vos|nous|notre|nos|usted|ustedes|tu|tus|su|sus|nuestro|nuestra"
    r"|nosotros|você|vocês|seu|sua|nosso|nossa|sie|ihr|ihre|ihren|wir|unser|unsere|du|dein|deine|вы|ваш|ваша|ваши"
    r"|вас|вам|мы|наш|наша|наши|нас|ty|twój|my|nasz|jij|je|uw|wij|ons|onze|voi|vostro|noi|nostro)\b"
    r"|您|你|我们|我們|あなた|당신|귀하|ท่าน|คุณ", re.IGNORECASE
)


# A prompt's verb and what it asks for ("Sign up for", "Subscribe to", "Suscríbete a"): an imperative.
_IMPERATIVE_RE = re.compile(r"\s*(for|to|up|our|the|now|today|here|and|at|a|al|à|au|auf|zu|на|в|:|!)\b", re.IGNORECASE)


def _untitle_prose(blocks: list[Block]) -> None:
    """A line taken for the headline that reads as prose (a Thai paragraph has no full stop to
    tell it from one) is the article's first paragraph when prose follows it."""
    for i, block in enumerate(blocks[:-1]):
        if block.role == "title":
            if _reads_as_text(block.text) and _is_prose(blocks[i + 1]):
                block.role, block.reason = "body", "article text"
            return


def _keep_reported_sentences(blocks: list[Block]) -> None:
    for block in blocks:
        if not (block.role == "junk" and block.reason in _WORDED_REASONS and word_count(block.text) >= 12
                and ends_sentence(block.text) and not _READER_RE.search(block.text)):
            continue
        prompt = PROMPT_RE.match(block.text.lstrip())
        if prompt is None or not _IMPERATIVE_RE.match(block.text.lstrip(), prompt.end()):
            block.role, block.reason = "body", "article text"
    # A sentence between two paragraphs that speaks of photographs ("Photographs by the board
    # show…") is the story's; a caption's credit names an agency or ends without a full stop.
    for i in range(1, len(blocks) - 1):
        block = blocks[i]
        text = block.text.strip()
        if (block.role == "junk" and block.reason == "photo caption or credit" and word_count(text) >= 12
                and text.endswith((".", "!", "?", "。")) and not _AGENCY_RE.search(text)
                and _is_prose(blocks[i - 1]) and _is_prose(blocks[i + 1]) and not _READER_RE.search(text)):
            block.role, block.reason = "body", "article text"


_AGENCY_RE = re.compile(r"getty|reuters|\bafp\b|\bap\b|\bdpa\b|shutterstock|alamy|©|\bepa\b|/", re.IGNORECASE)


# Whole lines of the widgets a copied page prints around an article: a live entry's time stamp
# ("14:32 GMT", "3h ago", "Hace 2 horas"), a share button's label, a paywall's notice.
_TIME_STAMP_RE = re.compile(
    r"(\d{1,2}[:.h]\d{2}(\s?[ap]\.?m\.?)?(\s[a-z]{2,5}([+-]\d{1,2})?)?"
    r"|\d{1,3}\s?(s|m|min|mins|minutes?|h|hrs?|hours?|d|days?)\s+ago"
    r"|(hace|il y a|vor|há)\s\d{1,3}\s\w+|\d{1,3}\s\w+\s(назад|fa|geleden|temu|sitten|sedan|siden)"
    r"|\d{1,3}\s?(分|時間|日)前|\d{1,3}\s?(分钟|小时|天)前|\d{1,3}\s?(분|시간|일)\s?전)",
    re.IGNORECASE,
)
_SHARE_WORDS = {
    "共有", "シェア", "ツイート", "分享", "转发", "收藏", "공유", "공유하기", "แชร์", "compartir", "comparte", "partager",
    "teilen", "condividi", "compartilhar", "compartilhe", "partilhar", "поделиться", "مشاركة", "شارك", "κοινοποίηση",
    "udostępnij", "delen", "dela", "del", "jaa", "paylaş", "chia sẻ", "bagikan", "kopírovat odkaz", "copy link",
}
_PAYWALL_NOTICE_RE = re.compile(
    r"(réservée? aux abonnés|il vous reste \d{1,3}\s?% de cet article|reservado (para|a) (suscriptores|abonados)"
    r"|exclusivo para (suscriptores|assinantes)|conteúdo exclusivo|nur für abonnenten|abonnenten lesen"
    r"|только для подписчиков|доступно подписчикам|for (paying )?subscribers only|subscriber[- ]only|premium article"
    r"|this (article|story) is (for|available to) (subscribers|members)|riservato agli abbonati|tylko dla prenumeratorów"
    r"|alleen voor abonnees|للمشتركين فقط|仅限会员|会员专享|有料記事|구독자 전용)",
    re.IGNORECASE,
)


def _drop_paste_widgets(blocks: list[Block]) -> None:
    for block in blocks:
        if block.role not in ("body", "dateline"):
            continue
        text = block.text.strip()
        if _TIME_STAMP_RE.fullmatch(text):
            block.role, block.reason = "junk", "time stamp"
        elif block.role == "body" and plain_key(text) in _SHARE_WORDS:
            block.role, block.reason = "junk", "share or social widget"
        elif block.role == "body" and word_count(text) <= 30 and _PAYWALL_NOTICE_RE.search(text.lower()):
            block.role, block.reason = "junk", "paywall prompt"


# What a line is dropped for that its repeat inside the article is dropped for too.
_NOT_RESTORED = {"related or recent news list", "teaser headline", "numbered headline list", "photo caption or credit"}


# A caption or credit that a player or a gallery labels ("Image caption Protesters outside…",
# "Image copyright Getty Images", "ဓာတ်ပုံ မူပိုင်" – image copyright – on Burmese pages).
_CAPTION_LABEL_RE = re.compile(r"(image|media|photo|picture|video) (caption|copyright|source)\b|ဓာတ်ပုံ\s?မူပိုင်",
                               re.IGNORECASE)


def _drop_credit_lines(blocks: list[Block]) -> None:
    for block in blocks:
        text = block.text.strip()
        if block.role == "body" and (word_count(text) <= 10 and not ends_sentence(text) and _CREDIT_LINE_RE.match(text)
                                     or word_count(text) <= 45 and _CAPTION_LABEL_RE.match(text)):
            block.role, block.reason = "junk", "photo caption or credit"


# A caption may start with a shop's label ("ADD TO CART: …"): a link, not a caption.
_LABEL_RE = re.compile(r"^[^\sa-z]{2,}(\s[^\sa-z]+)*\s?[:：]")


def _drop_captions_after_credits(blocks: list[Block]) -> None:
    """A photo's credit ("© Alamy") and then its caption, a line that is no sentence, between paragraphs."""
    for i in range(1, len(blocks) - 1):
        credit, block = blocks[i - 1], blocks[i]
        if not (credit.role == "junk" and (credit.reason == "photo caption or credit" or (
                credit.reason == "copyright footer" and credit.text.lstrip().startswith("©")
                and word_count(credit.text) <= 6))):
            continue
        text = block.text.strip()
        if (block.role == "body" and 4 <= word_count(text) <= 30 and not _TEXT_END_RE.search(text)
                and not _LABEL_RE.match(text) and _is_prose(blocks[i + 1])):
            block.role, block.reason = "junk", "photo caption or credit"


# A gallery's controls: its slides' numbers, arrows, a caption toggle.
_GALLERY_CONTROL_RE = re.compile(r"\d{1,3}|\d{1,3} (of|/) \d{1,3}|[<>«»‹›]{1,2}|hide caption|show caption|previous|next|prev")


def _drop_gallery_captions(blocks: list[Block]) -> None:
    """A photo gallery copied whole: its captions (a sentence each) and then its controls, the
    slides numbered 1 to N. The N lines of prose just before the numbers are the captions when
    the article's prose after the gallery outweighs them."""
    repeated = {plain_key(b.text) for b in blocks if b.reason == "repeated text"}
    prose_after: list[int] | None = None
    i = 0
    while i < len(blocks):
        if blocks[i].text.strip() != "1":
            i += 1
            continue
        j, n = i, 0
        while j < len(blocks) and blocks[j].text.strip() == str(n + 1):
            j, n = j + 1, n + 1
        if n < 3:
            i = j
            continue
        # Back over the gallery's other controls and its slides' repeated title.
        # (as many as a title for each slide and a few controls: no further).
        k, stop = i - 1, max(i - 1 - (2 * n + 8), -1)
        while k > stop and (blocks[k].role == "junk" or _GALLERY_CONTROL_RE.fullmatch(blocks[k].text.strip().lower())
                            or plain_key(blocks[k].text) in repeated):
            k -= 1
        if k == stop and k >= 0:
            i = j
            continue
        captions = []
        while k >= 0 and (_is_prose(blocks[k]) and word_count(blocks[k].text) <= 80
                          or blocks[k].reason == "photo caption or credit" and not _reads_as_text(blocks[k].text)):
            if blocks[k].role == "body":
                captions.append(k)
            k -= 1
        if prose_after is None:  # the words of prose from each block to the end, counted once
            prose_after = [0] * (len(blocks) + 1)
            for m in range(len(blocks) - 1, -1, -1):
                prose_after[m] = prose_after[m + 1] + (word_count(blocks[m].text) if _is_prose(blocks[m]) else 0)
        after = prose_after[j]
        if captions and len(captions) <= n and (k < 0 or not _is_prose(blocks[k])) \
                and after > sum(word_count(blocks[c].text) for c in captions):
            for c in captions:
                blocks[c].role, blocks[c].reason = "junk", "photo caption or credit"
        i = j


def _drop_teaser_lists(blocks: list[Block]) -> None:
    """A list of teasers under its label ("More from the Courier", "Читайте также"), once the
    article has begun: each teaser a headline, a one-paragraph snippet, an author or a date.

    The line-level rules stop such a list at its first snippet, which reads as prose; here a list
    of two snippets or more goes whole, up to where two paragraphs follow each other (the
    article resuming). A lone paragraph after the label may be the story's own, and stays.
    """
    begun = next((i for i in range(len(blocks) - 1) if _is_prose(blocks[i]) and _is_prose(blocks[i + 1])), None)
    if begun is None:
        return
    i = begun
    while i < len(blocks):
        if not (blocks[i].role == "junk" and is_teaser_heading(blocks[i].text)):
            i += 1
            continue
        run, snippets, j = [], 0, i + 1
        while j < len(blocks):
            block = blocks[j]
            if block.role == "junk" and is_teaser_heading(block.text):
                break
            if _is_prose(block):
                following = blocks[j + 1] if j + 1 < len(blocks) else None
                headed = bool(run) and not _is_prose(blocks[run[-1]])
                if not headed or word_count(block.text) > 60 or (following is not None and _is_prose(following)):
                    break
                snippets += 1
            run.append(j)
            j += 1
        # Two snippets under a label may be the story's last sections under short subheadings
        # ("What happens next"); a list is one of three, or of two whose teasers carry an author
        # or a date, or whose every headline is a headline's length.
        signed = any(blocks[k].role in ("dateline", "byline") or blocks[k].reason == "time stamp"
                     or _is_name(blocks[k]) for k in run)
        headlines = [blocks[k - 1].text for k in run if _is_prose(blocks[k])]
        long_headlines = all(_headline_length(h) >= 5 for h in headlines)
        if snippets >= 3 or snippets == 2 and (signed or long_headlines):
            for k in run:
                if blocks[k].role in ("body", "dateline", "byline"):
                    blocks[k].role, blocks[k].reason = "junk", "related or recent news list"
        i = j


def _headline_length(text: str) -> int:
    """Words, or for Chinese and Japanese about two characters to a word."""
    cjk = len(_CJK_RE.findall(text))
    words = word_count(text)
    return words - cjk + cjk // 2 if cjk * 2 > words else words


def _is_name(block: Block) -> bool:
    """An author's name on its own line: two or three capitalised words, nothing else."""
    words = block.text.split()
    return block.role == "body" and 2 <= len(words) <= 3 and all(
        w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words)


def _is_prose(block: Block) -> bool:
    return block.role == "body" and _reads_as_text(block.text)


# Whole lines a page's widgets print: a reading time, a video player's feedback link and clip
# length, a caption toggle, a comment link, a gallery's slide number.
_WIDGET_LINE_RE = re.compile(
    r"\d{1,3}|\d{1,2} min(ute)?s? read|\d{1,2}:\d{2} - source: .{1,40}|video ad feedback"
    r"|(view/post|view|post|show) comments|(hide|show) caption|story highlights"
)


_CLIP_LENGTH_RE = re.compile(r"\d{1,2}:\d{2} - (source|quelle|fuente|fonte|источник): .{1,40}")

# A button's label run together with its link's script ("保存javascript:void(0)").
_SCRIPT_LINK_RE = re.compile(r"^\S{0,20}javascript:\S*$")


def _drop_widget_lines(blocks: list[Block]) -> None:
    """Drop lines that are a widget's whole text; a sentence using the same words stays. A video's
    title stands just above its clip's length ("02:12 - Source: CNN")."""
    for i, block in enumerate(blocks[:-1]):
        if (block.role == "body" and _CLIP_LENGTH_RE.fullmatch(blocks[i + 1].text.strip().lower())
                and looks_like_headline(block.text)):
            block.role, block.reason = "junk", "page widget (reading time, video player, caption or comment link)"
    for block in blocks:
        low = block.text.strip().lower()
        if block.role == "body" and (_WIDGET_LINE_RE.fullmatch(low) or _SCRIPT_LINK_RE.search(low)):
            block.role, block.reason = "junk", "page widget (reading time, video player, caption or comment link)"


_UNPUNCTUATED_RE = re.compile(r"[\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f]")
_CJK_PUNCTUATION_RE = re.compile(r"[、。，．！？；：「」『』（）,.!?;:]")

# Sentence ends of the scripts in the corpus: Latin, CJK, the Indic danda, Burmese, Arabic and Urdu.
_TEXT_END_RE = re.compile(r"[.!?。！？…:：;；।॥။؟۔](\s*[\"”’»」』)\]])*$")


def _reads_as_text(text: str) -> bool:
    """A line of the article's own text: a sentence or a list's lead-in of six words or more, or
    any long line (a paragraph whose full stop was lost); Chinese and Japanese count characters."""
    words = word_count(text)
    if words >= 6 and _TEXT_END_RE.search(text.rstrip()):
        return True
    # Thai, Lao, Khmer and Burmese write no full stop between sentences: a long line is prose.
    if len(_UNPUNCTUATED_RE.findall(text)) >= 60:
        return True
    cjk = len(_CJK_RE.findall(text))  # each a word in word_count, where Thai's words are four characters
    if words < (50 if cjk * 2 > words else 25):
        return False
    # Chinese and Japanese prose has its commas and full stops; a long run of characters without
    # any is a keyword list's words run together ("北朝鮮政府中朝関係米国政府習近平…").
    if cjk * 2 > words and not _CJK_PUNCTUATION_RE.search(text):
        return False
    # A long line of capitalised words is a menu's ("SOTT Focus Best of the Web Puppet Masters…").
    cased = [w for w in text.split() if w[:1].isalpha() and w[:1].lower() != w[:1].upper()]
    return len(cased) < 8 or sum(w[:1].isupper() for w in cased) / len(cased) < 0.6


def _retitle(blocks: list[Block], first: int) -> None:
    """The headline stands just above the article (past its byline, date and share buttons), not
    at the top of a copied page, where the first short line is a menu's. Where a byline or a date
    stands before the article, the headline is the line just above them."""
    credits = [i for i in range(first) if blocks[i].role in ("byline", "dateline")]
    if credits:
        i = credits[-1]
        # Back over the credits, and the share buttons or labels dropped between them and the
        # headline ("Share this article" is headline-shaped too).
        while i > 0 and (blocks[i].role in ("byline", "dateline") or _CREDITED_RE.match(blocks[i].text)
                         or (blocks[i].role == "junk" and not blocks[i].reason.startswith("outside"))):
            i -= 1
        # Past a one-word label between the headline and its date ("Live", "Exclusive").
        for j in (i, i - 1):
            if j >= 0 and blocks[j].role != "title" and _is_headline(blocks[j].text):
                _make_title(blocks, j)
                return
            if j < 0 or word_count(blocks[j].text) > 1:
                break
    for i in range(first - 1, max(first - 8, -1), -1):
        block = blocks[i]
        if block.role in ("byline", "dateline", "title") or (block.role == "junk" and not block.reason.startswith("outside")) \
                or _CREDITED_RE.match(block.text):
            if block.role == "title":
                return  # the title found before is the headline above the article
            continue
        if i > 0 and blocks[i - 1].reason == "time stamp":
            return  # a live report's entry: its heading is the entry's, not the page's
        if _is_headline(block.text):
            _make_title(blocks, i)
            return


# "Read more: <headline>", "See also: <headline>": a link the article prints to another story.
_LINK_LINE_RE = re.compile(
    r"^(read more|read also|also read|see also|more on this|lire aussi|à lire aussi|lee también|leia também"
    r"|leggi anche|lesen sie auch|читайте также|смотрите также|اقرأ أيضا|اقرأ ايضا|相关阅读|延伸阅读|関連記事)\s*[:：]\s*(?=\S|$)",
    re.IGNORECASE,
)


def _closes_the_article(block: Block) -> bool:
    return is_sign_off(block.text) or _is_link_line(block.text) or _is_short_sentence(block)


def _is_short_sentence(block: Block) -> bool:
    """A line that ends a sentence but is too short to score as prose ("He was 84.")."""
    text = block.text
    return block.role == "body" and word_count(text) >= 2 and ends_sentence(text) and not _reads_as_text(text) \
        and not _CREDITED_CAPTION_RE.search(text)


def _is_link_line(text: str) -> bool:
    """A link to another story; its label alone ("Lesen Sie auch:") heads a list of links, not of the story's points."""
    match = _LINK_LINE_RE.match(text.strip())
    return word_count(text) <= 20 and match is not None and match.end() < len(text.strip())


def _is_lead_in(text: str) -> bool:
    """A short line announcing a list ("Key points:", "What we know so far:"), not a list of links."""
    text = text.rstrip()
    return text.endswith((":", "：")) and _headline_length(text) >= 2 and word_count(text) <= 12 \
        and not _is_link_label(text)


def _is_link_label(text: str) -> bool:
    match = _LINK_LINE_RE.match(text.strip())
    return match is not None and match.end() == len(text.strip())


# "Interview by Laura Chen", "Words and pictures by Sam Okafor": a byline with its kind of work;
# "National Desk By National Desk The Plain Dealer": an author's box, with the desk and the paper.
_CREDITED_RE = re.compile(r"^(\w+\s){1,3}(by|von|par|por|di|door|av)\s+\w+(\s\w+){0,5}$", re.IGNORECASE)


# "The pier at low tide. (Courier photo)": a photo's caption and its credit, not a headline.
_CREDITED_CAPTION_RE = re.compile(r"[.!?]\s*\([^()]{2,60}\)$")


def _is_headline(text: str) -> bool:
    """Headline-shaped, of three words or more (eight characters in Chinese or Japanese)."""
    cjk = len(_CJK_RE.findall(text))
    return looks_like_headline(text) and not _CREDITED_CAPTION_RE.search(text) and (word_count(text) >= 3 if cjk * 2 <= word_count(text) else cjk >= 8)


def _make_title(blocks: list[Block], i: int) -> None:
    for other in blocks:
        if other.role == "title":
            other.role, other.reason = "junk", "outside the article (the page's menus and lists around it)"
    blocks[i].role, blocks[i].reason = "title", "headline (used as the title)"


def _densest(scores: list[int], begin: int, end: int) -> tuple[int, tuple[int, int]] | None:
    """The run of ``scores[begin:end]`` with the highest sum, as (sum, (first, last)); None when no run gains."""
    best, span, total, start = 0, None, 0, begin
    for i in range(begin, end):
        if total <= 0:
            total, start = 0, i
        total += scores[i]
        if total > best:
            best, span = total, (start, i)
    return (best, span) if span else None


def _continues_a_list(blocks: list[Block], i: int) -> bool:
    """Whether block ``i``, just after the article, carries on a list it announces ("What happens next:")."""
    previous = blocks[i - 1].text.rstrip()
    if previous.endswith((":", "：")):
        return True
    following = blocks[i + 1] if i + 1 < len(blocks) else None
    if blocks[i].text.rstrip().endswith((":", "：")) and following is not None and (_is_item(following.text) or (
            _headline_length(blocks[i].text) >= 3 and not _is_link_label(blocks[i].text) and following.role == "body"
            and _is_list_item(following))):
        return True
    return _is_item(blocks[i].text) and _is_item(previous)


#: The most items an announced list runs on for when they are not marked as items.
_LIST_ITEMS = 12


def _is_list_item(block: Block) -> bool:
    """An item of a list without its bullet: a line of three words to forty, where a menu's or a list
    of links' are shorter ("About us", "央广网")."""
    return 3 <= _headline_length(block.text) and word_count(block.text) <= 40 and not is_teaser_heading(block.text) \
        and not _is_link_line(block.text)


def _is_item(text: str) -> bool:
    return strip_bullet(text) != text.lstrip() or bool(_NUMBERED_RE.match(text))


def _runs(indices: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


