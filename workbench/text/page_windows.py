"""A large page cut into windows the extractor reads one at a time.

trafilatura's reading of a page grows faster than the page: several of its XPath queries (and
htmldate's, for the date) merge node sets in a way that costs the square of the number of
paragraphs, so a 5 MB live blog takes it many seconds. A page is large when it has more than
:data:`LARGE_PAGE_ELEMENTS` elements; it is then read as windows of a bounded size, each a page
of its own with the same structure:

- the *skeleton*, every element outside the long runs (head, header, headline, byline, footer,
  and the containers themselves with their classes and ids), is in every window;
- a *long run* is a container whose children outweigh :data:`WINDOW_ELEMENTS`: a live blog's
  feed, a long article's body, a comment list, a list of related links. Its children are cut
  into consecutive groups of at most that many elements. Each window shows one group of one
  run with the run's wordiest children beside it (:data:`ANCHOR_CHILDREN`), and the first
  children of every other run (:data:`PREVIEW_ELEMENTS`), so the extractor sees each window as
  the page it is: an article with its comment section, a feed of posts, a story amid links.

A long run the extractor keeps nothing of in its first windows and its last (comments, links to
other stories) is not read further where its children are all alike (see :func:`read_by_windows`).

What the extractor keeps of each window is put together in window order. The cut follows the
page's own structure, so a paragraph is never split, and what a window keeps depends only on
where the paragraph stands in the page, as on the whole page.
"""

from __future__ import annotations

import heapq
import re
from copy import deepcopy
from typing import Callable

from lxml import etree

#: A page with more elements than this is read window by window.
LARGE_PAGE_ELEMENTS = 12_000
#: The elements of a long run's children one window shows at most (a child larger than this is
#: cut in its turn, along its own children).
WINDOW_ELEMENTS = 2000
#: A window of a long run shows, besides its group, the run's wordiest children: this many at
#: most, until they hold this many characters.
ANCHOR_CHILDREN = 12
ANCHOR_CHARS = 3_000
#: A long run of more than twice this many groups is sampled first (see read_by_windows).
SAMPLED_GROUPS = 4
#: The share of a kind's sampled paragraphs the reader must have kept (or dropped) for the
#: paragraphs of that kind in the groups not read to be judged kept (or dropped).
UNANIMOUS = 0.9
#: The elements of each other long run a window shows, from its start.
PREVIEW_ELEMENTS = 200


_COUNT = etree.XPath("count(descendant-or-self::*)")


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _size(element) -> int:
    """The element and every element inside it (counted by libxml2: walking them from Python
    would make an object for each)."""
    return int(_COUNT(element))


class _Plan:
    """Where the page is cut: the long runs, each with its groups of children."""

    def __init__(self, root):
        self.root = root
        #: Each long run (in document order): its groups of children, consecutive.
        self.groups: dict = {}
        #: Each long run's first children, up to PREVIEW_ELEMENTS.
        self.previews: dict = {}
        #: Each long run's anchors (its wordiest children) and the position of each child.
        self.anchors: dict = {}
        #: The long runs and every element around one: they are rebuilt, not copied, in a window.
        self.around: set = set()
        self._cut(root, _size(root))

    def _cut(self, element, size: int) -> None:
        children = [(child, _size(child) if len(child) else 1) for child in element]
        small = sum(s for _c, s in children if s <= WINDOW_ELEMENTS)
        if small > WINDOW_ELEMENTS:
            groups, group, weight = [], [], 0
            preview, shown = [], 0
            for child, child_size in children:
                if shown + child_size <= PREVIEW_ELEMENTS or not preview:
                    preview.append(child)
                    shown += child_size
                if group and (weight + child_size > WINDOW_ELEMENTS or child_size > WINDOW_ELEMENTS):
                    # The extractor drops a heading that ends what it kept: one that ends a group
                    # opens the next one, above the text it heads.
                    carried = []
                    while len(group) > 1 and isinstance(group[-1].tag, str) and group[-1].tag.lower() in _HEADINGS:
                        carried.insert(0, group.pop())
                    groups.append(group)
                    group, weight = carried, sum(_size(c) for c in carried)
                group.append(child)
                weight += child_size
                if child_size > WINDOW_ELEMENTS:  # a group of its own, cut along its own children
                    groups.append(group)
                    group, weight = [], 0
            if group:
                groups.append(group)
            self.groups[element] = groups
            self.previews[element] = preview
            # The children with the most text, shown in every window of the run: a window of
            # the run's links alone would leave the extractor nothing to read but them, and it
            # would fall back on keeping them.
            order = {child: i for i, (child, _s) in enumerate(children)}
            # The wordiest first, in document order among equals (no two children share a position).
            wordy = heapq.nsmallest(ANCHOR_CHILDREN, (
                (-len(child.text_content() if child_size > 1 else child.text or ""), i, child)
                for i, (child, child_size) in enumerate(children) if child_size <= PREVIEW_ELEMENTS))
            anchors, chars = [], 0
            for negative_length, _i, child in wordy:
                if chars >= ANCHOR_CHARS:
                    break
                anchors.append(child)
                chars -= negative_length
            self.anchors[element] = (anchors, order)
            self.around.add(element)
            self.around.update(element.iterancestors())
        for child, child_size in children:
            if child_size > WINDOW_ELEMENTS:
                self._cut(child, child_size)

    def choices(self):
        """For each long run, in document order: the choice of group of every run that shows it,
        one per group of its own."""
        for run, groups in self.groups.items():
            # The runs around this one show the group that holds it.
            outer, around_run = {}, {run, *run.iterancestors()}
            for ancestor in run.iterancestors():
                if ancestor in self.groups:
                    outer[ancestor] = next(i for i, g in enumerate(self.groups[ancestor]) if any(c in around_run for c in g))
            yield run, [{**outer, run: i} for i in range(len(groups))]

    def _build(self, element, choice: dict):
        copy = element.makeelement(element.tag, dict(element.attrib))
        copy.text, copy.tail = element.text, element.tail
        if element in self.groups:
            if element in choice:
                anchors, order = self.anchors[element]
                children = sorted({*self.groups[element][choice[element]], *anchors}, key=order.__getitem__)
            else:
                children = self.previews[element]
        else:
            children = element
        for child in children:
            copy.append(self._build(child, choice) if child in self.around else deepcopy(child))
        return copy


_NOT_LETTERS = re.compile(r"[\W_]+")


# The ASCII characters _NOT_LETTERS matches, deleted by a byte table before the expression sees
# the rest (none at all in most English text).
_ASCII_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalnum())


def _letters(text: str) -> str:
    kept = text.lower().encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_LETTERS)
    letters = kept.decode("utf-8", "surrogatepass")
    return letters if letters.isascii() else _NOT_LETTERS.sub("", letters)


def _signature(element) -> tuple:
    return element.tag, element.get("class")


def page_windows(root) -> list | None:
    """Every window of a large page (parsed by lxml.html), in order; None for a page of ordinary size."""
    plan = _plan(root)
    if plan is None:
        return None
    return [plan._build(root, choice) for _run, choices in plan.choices() for choice in choices]


def _plan(root) -> _Plan | None:
    if _size(root) <= LARGE_PAGE_ELEMENTS:
        return None
    plan = _Plan(root)
    return plan if plan.groups else None


def read_by_windows(root, read: Callable) -> list | None:
    """What ``read`` (a window, and whether it is the first) keeps of each window of a large page:
    its bodies, in order; None for a page of ordinary size.

    A long run's first two groups, its middle one and its last are read first; the others are
    read unless the samples already tell what the reader would make of them:

    - when the reader keeps nothing of the samples (a comment section, a list of links to other
      stories), a group whose children are all like theirs (the same tags and classes) is not
      read: the reader would keep nothing of it either;
    - when it keeps some, each paragraph of a sampled group is of a kind (its tag and class, its
      parent's and those of the run's child holding it): a group whose every paragraph is of a
      kind the reader kept nearly every time, or dropped nearly every time (:data:`UNANIMOUS`),
      is judged so without being read.

    A group with a paragraph of another kind, or of a kind judged both ways, is read.
    """
    plan = _plan(root)
    if plan is None:
        return None
    found: list[tuple[int, int, object]] = []
    first = True
    for number, (run, choices) in enumerate(plan.choices()):
        groups = plan.groups[run]
        last = len(groups) - 1
        sampled = sorted({0, 1, last // 2, last}) if len(groups) > 2 * SAMPLED_GROUPS else list(range(len(groups)))
        kept_any = False
        verdicts: dict[tuple, list[int]] = {}
        for i in sampled:
            body = read(plan._build(root, choices[i]), first)
            first = False
            if body is not None:
                found.append((number, i, body))
                kept_any = kept_any or _keeps_some_of(body, groups[i])
            _tally(verdicts, _kinds(groups[i]), body)
        for i in range(len(groups)):
            if i in sampled:
                continue
            if not kept_any:
                like = {_signature(child) for j in sampled for child in groups[j]}
                if all(_signature(child) in like for child in groups[i]):
                    continue
            else:
                judged = _judged(verdicts, _kinds(groups[i]))
                if judged is not None:
                    found.append((number, i, judged))
                    continue
            body = read(plan._build(root, choices[i]), False)
            if body is not None:
                found.append((number, i, body))
    return [body for _number, _i, body in sorted(found, key=lambda f: f[:2])]


_INLINE = ("a", "abbr", "b", "bdi", "br", "cite", "code", "em", "font", "i", "img", "kbd", "mark", "q", "s", "small",
           "span", "strong", "sub", "sup", "time", "u", "var")
_INLINE_TAGS = frozenset(_INLINE)


def _holds_text(element) -> bool:
    """Whether an element holds text of its own, or in its inline children."""
    if element.text and not element.text.isspace():
        return True
    for child in element:
        if child.tail and not child.tail.isspace():
            return True
        if child.tag in _INLINE_TAGS:
            content = _text(child)
            if content and not content.isspace():
                return True
    return False


def _text(element) -> str:
    """``element.text_content()``, without its XPath query for an element with no children."""
    return element.text_content() if len(element) else element.text or ""


def _kinds(group):
    """(kind, paragraph) for each paragraph of a group: each element that is not inline and holds
    text, of a kind told by its tag and class and its parent's."""
    for child in group:
        for paragraph in child.iter():
            if isinstance(paragraph.tag, str) and paragraph.tag not in _INLINE_TAGS and _holds_text(paragraph):
                parent = paragraph.getparent()
                yield (_signature(paragraph), _signature(parent) if parent is not None else None), paragraph


def _tally(verdicts: dict, kinds, body) -> None:
    """Count, for each kind of paragraph of a sampled group, how often the reader kept one."""
    pieces = {_letters("".join(element.itertext())) for element in body.iter()} if body is not None else set()
    text = "\n".join(pieces)
    for kind, paragraph in kinds:
        letters = _letters(_text(paragraph))
        kept = bool(letters) and (letters in pieces or len(letters) >= 20 and letters in text)
        counts = verdicts.setdefault(kind, [0, 0])
        counts[0] += kept
        counts[1] += 1


def _judged(verdicts: dict, kinds):
    """The reading a group would get, told by the samples: a body of the paragraphs of the kinds
    the reader kept; None when a paragraph's kind was not sampled, or was judged both ways."""
    body = etree.Element("body")
    for kind, paragraph in kinds:
        kept, seen = verdicts.get(kind, (0, 0))
        if seen < 2 or UNANIMOUS * seen > kept > (1 - UNANIMOUS) * seen:
            return None
        if kept > (1 - UNANIMOUS) * seen:
            etree.SubElement(body, "p").text = _text(paragraph)
    return body


def _keeps_some_of(body, group) -> bool:
    """Whether a window's reading holds a paragraph of the group's own text."""
    text = "\n".join(_letters(_text(child)) for child in group)
    for line in body.itertext():
        letters = _letters(line)
        if len(letters) >= 20 and letters in text:
            return True
    return False
