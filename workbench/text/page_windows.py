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
  run, and the first children of every other run (:data:`PREVIEW_ELEMENTS`), so the extractor
  sees each window as the page it is: an article with its comment section, a feed of posts.

What the extractor keeps of each window is put together in window order. The cut follows the
page's own structure, so a paragraph is never split, and what a window keeps depends only on
where the paragraph stands in the page, as on the whole page.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree

#: A page with more elements than this is read window by window.
LARGE_PAGE_ELEMENTS = 12_000
#: The elements of a long run's children one window shows at most (a child larger than this is
#: cut in its turn, along its own children).
WINDOW_ELEMENTS = 2000
#: The elements of each other long run a window shows, from its start.
PREVIEW_ELEMENTS = 200


_COUNT = etree.XPath("count(descendant-or-self::*)")


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
        #: The long runs and every element around one: they are rebuilt, not copied, in a window.
        self.around: set = set()
        self._cut(root, _size(root))

    def _cut(self, element, size: int) -> None:
        children = [(child, _size(child)) for child in element]
        small = sum(s for _c, s in children if s <= WINDOW_ELEMENTS)
        if small > WINDOW_ELEMENTS:
            groups, group, weight = [], [], 0
            preview, shown = [], 0
            for child, child_size in children:
                if shown + child_size <= PREVIEW_ELEMENTS or not preview:
                    preview.append(child)
                    shown += child_size
                if group and (weight + child_size > WINDOW_ELEMENTS or child_size > WINDOW_ELEMENTS):
                    groups.append(group)
                    group, weight = [], 0
                group.append(child)
                weight += child_size
                if child_size > WINDOW_ELEMENTS:  # a group of its own, cut along its own children
                    groups.append(group)
                    group, weight = [], 0
            if group:
                groups.append(group)
            self.groups[element] = groups
            self.previews[element] = preview
            self.around.add(element)
            self.around.update(element.iterancestors())
        for child, child_size in children:
            if child_size > WINDOW_ELEMENTS:
                self._cut(child, child_size)

    def windows(self) -> list:
        """One page per group of every long run, each long run's groups in order."""
        choices = []
        for run, groups in self.groups.items():
            # The runs around this one show the group that holds it.
            outer = {}
            for ancestor in run.iterancestors():
                if ancestor in self.groups:
                    outer[ancestor] = next(i for i, g in enumerate(self.groups[ancestor])
                                           if any(c is run or c in set(run.iterancestors()) for c in g))
            for i in range(len(groups)):
                choices.append({**outer, run: i})
        return [self._build(self.root, choice) for choice in choices]

    def _build(self, element, choice: dict):
        copy = element.makeelement(element.tag, dict(element.attrib))
        copy.text, copy.tail = element.text, element.tail
        if element in self.groups:
            children = self.groups[element][choice[element]] if element in choice else self.previews[element]
        else:
            children = element
        for child in children:
            copy.append(self._build(child, choice) if child in self.around else deepcopy(child))
        return copy


def page_windows(root) -> list | None:
    """The windows of a large page (parsed by lxml.html), in order; None for a page of ordinary size."""
    if _size(root) <= LARGE_PAGE_ELEMENTS:
        return None
    plan = _Plan(root)
    return plan.windows() if plan.groups else None
