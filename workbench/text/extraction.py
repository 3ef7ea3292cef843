"""Article extraction from HTML: trafilatura decides what is the article, we list every block.

The preview needs the dropped blocks as well as the kept ones, so the page is walked into
blocks in document order; a block is kept when trafilatura kept its text and the line rules of
:mod:`workbench.text.cleaning` do not call it junk. Title, byline, date and site name come from
trafilatura's metadata.
"""

from __future__ import annotations

import gc
import re
import unicodedata
import warnings
from contextlib import contextmanager

import lxml.html

from workbench.text.cleaning import (
    Block,
    VOUCHABLE_REASONS,
    CleanResult,
    classify,
    classify_blocks,
    drop_control_characters,
    ends_sentence,
    guess_language,
    is_sign_off,
    normalize_block,
    plain_key,
    reads_as_prose,
    word_count,
)
from workbench.text.decoding import declare_utf8
from workbench.text.page_windows import read_by_windows

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul", "br",
}
INVISIBLE_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "head", "button",
                  "select", "option", "input", "textarea", "canvas", "video", "audio", "picture", "img", "meta",
                  "link"}
# Structural hints shown in the preview when a block is dropped.
CONTEXT_HINTS = [
    ("nav", "navigation"),
    ("footer", "page footer"),
    ("aside", "sidebar"),
    ("form", "form"),
    ("figcaption", "photo caption"),
]
_TAG_HINTS = dict(CONTEXT_HINTS)
_CLASS_HINTS = re.compile(r"(share|social|related|recommend|cookie|consent|newsletter|promo|paywall|subscri|advert"
                          r"|\bad-|comment|menu|breadcrumb)", re.I)
# Where a short label is a control, whatever the extractor kept: a menu item, a share button.
_CONTROL_BOXES = {"navigation": "navigation", "menu box": "navigation", "breadcrumb box": "navigation",
                  "share box": "share or social widget", "social box": "share or social widget"}
# A page with more text than this (a long live blog or transcript) is read by trafilatura's own pass
# alone, without its comparison with readability and jusText: that second reading of the whole page
# costs a quarter of the import and is there to rescue pages where the own pass found little text.
FAST_EXTRACTION_CHARS = 1_000_000
# Boxes whose text an extractor's word does not rescue from the prompt and caption rules.
_PROMPT_BOXES = {"newsletter box", "promo box", "paywall box", "subscri box", "advert box"}


def html_blocks(document: str | bytes) -> list[Block]:
    """Every visible block of text in document order, with a hint of where it stood."""
    return _blocks_of(_parse(document))


def _blocks_of(root) -> list[Block]:
    blocks: list[Block] = []
    buffer: list[str] = []
    context_stack: list[str] = []
    known: dict = {}

    def flush():
        if not buffer:
            return
        text = normalize_block("".join(buffer))
        buffer.clear()
        if text:
            blocks.append(Block(text=text, context=context_stack[-1] if context_stack else ""))

    def walk(element):
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        hidden = tag in INVISIBLE_TAGS and not (tag == "button" and _holds_blocks(element))
        if hidden or not isinstance(element.tag, str):
            if element.tail:
                buffer.append(element.tail)
            return
        is_block = tag in BLOCK_TAGS
        if is_block:
            flush()
        # Each element's context: its own hint, else the nearest one around it.
        context_stack.append(_hint(element, tag, known) or (context_stack[-1] if context_stack else ""))
        if element.text:
            buffer.append(element.text)
        for child in element:
            walk(child)
        if is_block:
            flush()
        context_stack.pop()
        if element.tail:
            buffer.append(element.tail)

    body = root.find(".//body")
    walk(body if body is not None else root)
    flush()
    return blocks


def _structural_verdict(block: Block) -> tuple[str, str] | None:
    """Junk told by where a block stands and its shape, for what the extractor may keep by mistake."""
    if block.context in _CONTROL_BOXES and word_count(block.text) <= 4 and not ends_sentence(block.text):
        return "junk", _CONTROL_BOXES[block.context]
    if block.context in ("newsletter box", "subscri box") and not reads_as_prose(block.text):
        return "junk", "newsletter or subscription prompt"
    return None


def _keep_gallery_captions(blocks: list[Block]) -> None:
    """On a gallery ("In pictures"), the captions tell the story: keep them when they read as prose,
    there are at least two, and they carry at least half as many words as the rest of the article.

    The extractor leaves captions out; on an ordinary article they are not part of the text.
    """
    captions = [b for b in blocks if b.context == "photo caption" and b.role == "junk"
                and b.reason.startswith("not part of the article") and reads_as_prose(b.text)]
    if len(captions) < 2:
        return
    rest = sum(word_count(b.text) for b in blocks if b.role == "body")
    if 2 * sum(word_count(b.text) for b in captions) >= rest:
        for block in captions:
            block.role, block.reason = "body", "a gallery's caption (the captions tell the story)"


def _drop_comment_tail(blocks: list[Block]) -> None:
    """Readers' comments after the article: what stands in a comment box once the article's own
    text has ended is dropped, even where the extractor kept it as text.

    A page whose whole article stands in such a box (a "commentary" column) keeps it: only a box
    that follows article text outside it is the readers'.
    """
    last_article = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].role == "body"
                         and blocks[i].context != "comment box" and reads_as_prose(blocks[i].text)), -1)
    if last_article < 0:
        return
    for block in blocks[last_article + 1:]:
        if block.kept and block.context == "comment box":
            block.role, block.reason = "junk", "readers' comments"


def _keep_sign_off(blocks: list[Block]) -> None:
    """The article's sign-off just after its last paragraph, in the same box ("责任编辑：李华",
    "Edited by Tom Hale"), is part of it as published, as a pasted article's is; the extractor
    and the editor-credit rule leave it out."""
    last = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].kept), -1)
    if last < 0:
        return
    box = blocks[last].context
    while last + 1 < len(blocks) and blocks[last + 1].context == box and is_sign_off(blocks[last + 1].text):
        last += 1
        blocks[last].role, blocks[last].reason = "body", "article text"


def _holds_blocks(element) -> bool:
    """A <button> wrapped around paragraphs (an expandable card, a parser's repair) is content, not a control."""
    return any(isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS - {"br"} for child in element.iter())


def _parse(document: str | bytes):
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    if isinstance(document, bytes):
        return lxml.html.fromstring(document, parser=parser)
    # lxml refuses str input that declares an encoding; encode it so the declaration agrees.
    return lxml.html.fromstring(document.encode("utf-8"), parser=lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, encoding="utf-8"))


def _hint(element, tag: str, known: dict | None = None) -> str:
    """The element's own hint: by its tag or role, else by a word of its class or its id.

    ``known``: hints already found, by tag, role and class (a page repeats its classes on every
    post and comment; its ids differ).
    """
    role, classes = element.get("role"), element.get("class")
    key = (tag, role, classes)
    hint = known.get(key) if known is not None else None
    if hint is None:
        hint = _hint_by(tag, role, classes)
        if known is not None:
            known[key] = hint
    if hint:
        return hint
    # No match reaches from the class into the id: the words the hint looks for hold no space.
    match = _CLASS_HINTS.search(element.get("id") or "")
    return f"{match.group(1).lower()} box" if match else ""


def _hint_by(tag: str, role: str | None, classes: str | None) -> str:
    if role is None:
        hint = _TAG_HINTS.get(tag)
        if hint:
            return hint
    else:
        for name, hint in CONTEXT_HINTS:
            if tag == name or role == ("navigation" if name == "nav" else name):
                return hint
    match = _CLASS_HINTS.search(classes) if classes else None
    return f"{match.group(1).lower()} box" if match else ""


def _extractor_reading(document: str, root, blocks: list[Block], url: str | None):
    """trafilatura's reading of the page: its document (with the metadata) and what it kept, as
    one or more bodies; (None, []) when it found nothing.

    A large page is read window by window (:mod:`workbench.text.page_windows`): the metadata
    from the first window, the text from every one.
    """
    import trafilatura
    from trafilatura.settings import set_date_params

    # trafilatura's own defaults: on real pages, asking it for images or for recall makes it
    # drop the text that follows a figure and keep more of the page's furniture.
    options = dict(url=url, include_comments=False, include_tables=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # trafilatura's dependencies warn about lxml internals
        readings = []

        def read(window, first: bool):
            # The date without htmldate's extensive search, which reads the whole page's markup
            # with a dozen expressions (a 2 MB script takes it a second).
            reading = trafilatura.bare_extraction(window, with_metadata=first, fast=True,
                                                  date_extraction_params=set_date_params(False), **options)
            readings.append(reading)
            return reading.body if reading is not None else None

        bodies = read_by_windows(root, read)
        if bodies is None:
            extracted = trafilatura.bare_extraction(
                document, with_metadata=True, fast=sum(len(b.text) for b in blocks) > FAST_EXTRACTION_CHARS, **options)
            return extracted, [extracted.body] if extracted is not None else []
    return (readings[0] if readings[0] is not None else next((r for r in readings if r is not None), None)), bodies


def extract_html(document: str, *, url: str | None = None) -> CleanResult:
    """Clean an HTML page into judged blocks and metadata.

    Text only: given bytes, trafilatura inflates whatever looks gzip-, zlib- or zstd-compressed,
    up to 20 MB whatever our import cap (:func:`workbench.services.ingest.clean_input` decodes the page).
    """
    if not isinstance(document, str):
        raise TypeError("extract_html takes the page as text; decode it first (workbench.services.ingest.decode_html)")
    if len(document) <= PAUSED_COLLECTION_CHARS:
        return _extract_html(document, url)
    with _collection_paused():
        return _extract_html(document, url)


#: A page longer than this is read with Python's cycle collector paused: reading it makes hundreds
#: of thousands of objects, nearly all kept until the end, which the collector would go over
#: again and again (a tenth of a 5 MB page's import). It runs again once the page is read.
PAUSED_COLLECTION_CHARS = 1_000_000


@contextmanager
def _collection_paused():
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _extract_html(document: str, url: str | None) -> CleanResult:
    # Before parsing: lxml would end the text at a NUL, losing the rest of the page.
    document = drop_control_characters(document)
    # The text is decoded already: a legacy <meta charset> left in it would make lxml misread it.
    document = declare_utf8(document)
    root = _parse(document)
    blocks = _blocks_of(root)
    extracted, bodies = _extractor_reading(document, root, blocks, url)
    evidence = None
    meta: dict = {}
    if extracted is not None:
        evidence = ExtractorText(*bodies)
        meta = {
            "title": (extracted.title or "").strip(),
            "byline": (extracted.author or "").strip(),
            "published": extracted.date or "",
            "publisher": (extracted.sitename or "").strip(),
        }
    meta = {k: v for k, v in meta.items() if v}
    title_key = plain_key(meta.get("title", ""))

    vouched: set[int] = set()
    for i, block in enumerate(blocks):
        if title_key and plain_key(block.text) == title_key:
            block.role, block.reason = "title", "headline (used as the title)"
            continue
        verdict = classify(block.text)
        kept = False
        # What the extractor kept matters to a block no rule drops, or one the extractor's word rescues.
        if verdict is None or verdict[1] in VOUCHABLE_REASONS:
            kept = evidence is not None and evidence.keeps(block.text)
            if kept and block.context not in _PROMPT_BOXES:
                vouched.add(i)
                if verdict is not None:
                    verdict = classify(block.text, vouched=True)
        verdict = verdict or _structural_verdict(block)
        if verdict:
            block.role, block.reason = verdict
        elif evidence is not None and not kept:
            where = f" ({block.context})" if block.context else ""
            block.role, block.reason = "junk", f"not part of the article{where}"
    if evidence is not None and not any(b.kept for b in blocks):
        blocks, vouched = _with_extractor_paragraphs(blocks, evidence)
    _keep_gallery_captions(blocks)
    _drop_comment_tail(blocks)
    classify_blocks(blocks, vouched=vouched, judged=True)
    _keep_sign_off(blocks)
    # A title from metadata wins over whatever headline-like block the line rules picked.
    if "title" in meta:
        for block in blocks:
            if block.role == "title" and plain_key(block.text) != title_key:
                block.role, block.reason = "body", "article text"
    else:
        meta.update({k: v for k, v in _meta_from_roles(blocks).items() if k not in meta})

    language = _declared_language(root) or guess_language(" ".join(b.text for b in blocks if b.kept))
    if language:
        meta["language"] = language
    return CleanResult(blocks=blocks, meta=meta)


_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_CJK_CHARS}]|[^\W_{_CJK_CHARS}]+")


# What _TOKEN_RE leaves out: the letters of a text are its tokens run together.
_NOT_TOKEN_RE = re.compile(rf"[^\w{_CJK_CHARS}]|_")
# Over many lines at once, joined by line breaks (folding case and compatibility forms never
# reaches across one). Python's regular expressions take a while over every character of a long
# text: the ASCII characters that are not letters or digits go first, by a byte table, and the
# expression is left the rest. The break is kept as a word of its own, "\x00", which no text holds.
_ASCII_WORD = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_ASCII_NON_WORD = bytes(b for b in range(128) if b not in _ASCII_WORD and b not in b"\n\x00")
_ASCII_TO_SPACE = bytes(b if b in _ASCII_WORD or b in b"\n\x00" or b >= 128 else 32 for b in range(256))
_OTHER_NOT_TOKEN_RE = re.compile(rf"[^\w\x00-\x7f{_CJK_CHARS}]")
_CJK_RE = re.compile(rf"[{_CJK_CHARS}]")


def _lines_letters(folded: str) -> list[str]:
    """The letters of each line of ``folded`` (NFKC and lower-cased already)."""
    kept = folded.encode("utf-8").translate(None, _ASCII_NON_WORD).decode("utf-8")
    return (kept if kept.isascii() else _OTHER_NOT_TOKEN_RE.sub("", kept)).split("\n")


def _lines_words(folded: str) -> list[str]:
    """The tokens of every line of ``folded``, a "\x00" between lines."""
    spaced = folded.replace("\n", " \x00 ").encode("utf-8").translate(_ASCII_TO_SPACE).decode("utf-8")
    if not spaced.isascii():
        spaced = _OTHER_NOT_TOKEN_RE.sub(" ", spaced)
        if _CJK_RE.search(spaced):
            spaced = _CJK_RE.sub(r" \g<0> ", spaced)
    return spaced.split()


def _tokens(text: str) -> list[str]:
    """Runs of letters and digits, lower-cased; each Chinese or Japanese character is one."""
    return _TOKEN_RE.findall(unicodedata.normalize("NFKC", text).lower())


def _letters(text: str) -> str:
    """``"".join(_tokens(text))``, without listing the tokens."""
    return _NOT_TOKEN_RE.sub("", unicodedata.normalize("NFKC", text).lower())


_SEARCHES_BEFORE_LISTING = 64
#: Up to this many letters of what the extractor kept, a block is looked for in all of them.
SUBSTRING_SEARCH_CHARS = 200_000


class ExtractorText:
    """What the extractor kept, in forms a block can be matched against whatever the spacing.

    trafilatura glues paragraphs ("Wednesday.The stabbing"), splits or merges them and resolves
    entities differently: blocks are compared by their letters and digits alone, and by runs of
    three words in order, not by exact text.
    """

    def __init__(self, *bodies):
        paragraphs = _paragraphs(bodies[0]) if bodies else []
        if len(bodies) > 1:
            # Windows of one page (see workbench.text.page_windows): each shows the page's skeleton
            # again, whose paragraphs are listed once.
            seen = {tuple(lines) for lines in paragraphs}
            for body in bodies[1:]:
                for lines in _paragraphs(body):
                    if tuple(lines) not in seen:
                        seen.add(tuple(lines))
                        paragraphs.append(lines)
        #: The paragraphs' lines, in order: the article when no block of the page matches.
        self.lines = [line for lines in paragraphs for line in lines]
        # Each line's letters are found once, all lines in one pass; a paragraph's letters are its
        # lines' letters run together.
        self._folded = unicodedata.normalize("NFKC", "\n".join(self.lines)).lower()
        self._line_letters = letters = dict(zip(self.lines, _lines_letters(self._folded)))
        self.pieces = {"".join(letters[line] for line in lines) for lines in paragraphs} | set(letters.values())
        self.letters = "\n".join(letters[line] for line in self.lines)
        self._trigrams: set[tuple[str, ...]] | None = None
        self._word_text: str | None = None
        self._searches = 0
        self._kept: dict[str, bool] = {}  # a page repeats its widgets' labels on every post

    @property
    def trigrams(self) -> set[tuple[str, ...]]:
        """Every run of three words of a line, in order; listed the first time it is needed."""
        if self._trigrams is None:
            # The runs that span a line break hold the break as a word, which no block's words match.
            words = _lines_words(self._folded)
            self._trigrams = set(zip(words, words[1:], words[2:]))
        return self._trigrams

    def _has_run(self, gram: tuple[str, str, str]) -> bool:
        """Whether a line has these three words in a row.

        Listing every run of a long article takes a while, and few blocks ever ask: the first
        questions are answered by searching the lines' words, written out one space apart (a word
        holds no space, so the three match only whole words in a row).
        """
        if self._trigrams is None and self._searches < _SEARCHES_BEFORE_LISTING:
            self._searches += 1
            if self._word_text is None:
                self._word_text = f" {' '.join(_lines_words(self._folded))} "
            return f" {gram[0]} {gram[1]} {gram[2]} " in self._word_text
        return gram in self.trigrams

    def keeps(self, text: str) -> bool:
        found = self._kept.get(text)
        if found is None:
            found = self._kept[text] = self._keeps(text)
        return found

    def _keeps(self, text: str) -> bool:
        # Most blocks the extractor kept are one of its lines, whose letters are known already.
        letters = self._line_letters.get(text)
        if letters is None:
            letters = _letters(text)
        if not letters:
            return False
        if letters in self.pieces:
            return True
        # Short blocks must match a whole paragraph of the extractor's, or "Home" would pass for
        # being somewhere in the story; longer ones may sit inside a merged paragraph, or have
        # most of their words, in order, in what it kept.
        if word_count(text) < 6:
            return False
        # Searching all of a long article's letters for each block would cost the square of the
        # page: past a bound, a block inside a merged paragraph is found by its runs of words.
        if len(self.letters) <= SUBSTRING_SEARCH_CHARS and letters in self.letters:
            return True
        words = _tokens(text)
        grams = list(zip(words, words[1:], words[2:]))
        if not grams:
            return False
        if self._trigrams is None and self._searches < _SEARCHES_BEFORE_LISTING:
            return _most_found(self._has_run, grams)
        return _most_found(self.trigrams.__contains__, grams)


def _most_found(found, grams: list) -> bool:
    """Whether ``found`` holds for at least 60% of ``grams``, asked no further than it takes to tell."""
    hits, left = 0, len(grams)
    for gram in grams:
        left -= 1
        hits += bool(found(gram))
        if hits / len(grams) >= 0.6:
            return True
        if (hits + left) / len(grams) < 0.6:
            return False
    return hits / len(grams) >= 0.6


_PARAGRAPH_TAGS = {"p", "head", "item", "cell", "quote", "code"}


def _paragraphs(body) -> list[list[str]]:
    """The extractor's text: for each paragraph of it, its lines (split at its line breaks)."""
    found = []
    for element in body.iter(*_PARAGRAPH_TAGS):
        if element.getparent() is not body and any(parent.tag in _PARAGRAPH_TAGS for parent in element.iterancestors()):
            continue
        lines = (_text_with_breaks(element) if len(element) else element.text or "").split("\n")
        lines = [line for line in (normalize_block(line) for line in lines) if line]
        if lines:
            found.append(lines)
    loose = [normalize_block(t) for t in [body.text] + [child.tail for child in body] if t and not t.isspace()]
    found.extend([t] for t in loose if t)
    return found


def _text_with_breaks(element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text_with_breaks(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _with_extractor_paragraphs(blocks: list[Block], evidence: ExtractorText) -> tuple[list[Block], set[int]]:
    """When no block matched what the extractor kept, its own paragraphs stand in for the article.

    They follow the title; the page's blocks stay, dropped, after them.
    """
    top = [line for line in evidence.lines if plain_key(line)]
    at = next((i + 1 for i, b in enumerate(blocks) if b.role == "title"), 0)
    added = [Block(text=text, reason="article text (as the extractor read it)") for text in top]
    for block in added:
        verdict = classify(block.text, vouched=True)
        if verdict:
            block.role, block.reason = verdict
    return blocks[:at] + added + blocks[at:], set(range(at, at + len(added)))


def _meta_from_roles(blocks: list[Block]) -> dict:
    from workbench.text.cleaning import meta_from_blocks

    found = meta_from_blocks(blocks)
    found.pop("language", None)
    return found


def _declared_language(root) -> str | None:
    lang = (root.get("lang") or "").strip()
    return lang.split("-")[0].lower() or None if lang else None
