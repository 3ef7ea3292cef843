"""The article page's claim list: which of the shown claims a search and filters keep, and which
page of them the list shows. Pure functions of the claims the page already read for its
highlights, so a page of the list costs a pass over those claims and no query."""

from __future__ import annotations

from typing import NamedTuple, Sequence

from workbench.services.claims import ShownClaim

#: Claims on one page of the list: enough to scan, few enough to render in a few milliseconds
#: whatever the article holds (a live event's transcript may carry thousands).
PAGE_SIZE = 100
#: The verdict filter's value for claims without a verdict.
NO_VERDICT = "none"
STATUSES = ("draft", "in_review", "changes_requested", "approved")


class ListQuery(NamedTuple):
    """What the reader asked the list for: words in the quote (or a claim number), a verdict, a status."""

    words: str = ""
    verdict: str = ""
    status: str = ""

    @property
    def narrowed(self) -> bool:
        return bool(self.words or self.verdict or self.status)

    def as_args(self) -> dict[str, str]:
        """The query as URL parameters, leaving out what is not set."""
        return {name: value for name, value in (("q", self.words), ("verdict", self.verdict),
                                                ("status", self.status)) if value}


class ListPage(NamedTuple):
    claims: tuple[ShownClaim, ...]
    #: From 0.
    number: int
    page_count: int
    #: Claims the query keeps, and claims on the revision.
    matching: int
    total: int

    @property
    def size(self) -> int:
        return PAGE_SIZE

    @property
    def first(self) -> int:
        """The position (from 1) of the page's first claim among those kept, 0 for none."""
        return self.number * PAGE_SIZE + 1 if self.claims else 0

    @property
    def last(self) -> int:
        return self.number * PAGE_SIZE + len(self.claims)


def _keeps(query: ListQuery):
    words = query.words.casefold().split()
    number = query.words.strip().lstrip("#")
    by_number = int(number) if number.isascii() and number.isdecimal() and len(number) < 19 else None
    verdict = None if query.verdict == NO_VERDICT else query.verdict

    def keeps(claim: ShownClaim) -> bool:
        if query.verdict and claim.verdict != verdict:
            return False
        if query.status and claim.status != query.status:
            return False
        if not words or claim.id == by_number:
            return True
        quote = claim.exact.casefold()
        return all(word in quote for word in words)

    return keeps


def choose(shown: Sequence[ShownClaim], query: ListQuery, *, page: int | None = None,
           showing: int | None = None) -> ListPage:
    """The page ``page`` (from 0; past the last, the last) of the claims ``query`` keeps, in text
    order. Without ``page``, the page holding claim ``showing`` when it is kept, else the first."""
    kept = list(filter(_keeps(query), shown)) if query.narrowed else shown
    page_count = max(1, -(-len(kept) // PAGE_SIZE))
    if page is None:
        page = next((i // PAGE_SIZE for i, claim in enumerate(kept) if claim.id == showing), 0) if showing else 0
    page = min(page, page_count - 1)
    return ListPage(tuple(kept[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]), page, page_count, len(kept), len(shown))
