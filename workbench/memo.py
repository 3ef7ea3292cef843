"""The one cache: a bounded, thread-safe memo for pure functions, kept pages and exports above all.

The key names the whole input, compared by value: the values themselves, or what stands for them
exactly (a text's SHA-256, a claim's id with its version, which every change raises). A hit can
only return what the function would make from that same input: nothing to invalidate, nothing
stale, on one server or several sharing a database. It pays where many people load the same page
between changes, as on a busy article during a live event.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

Result = TypeVar("Result")
_MISSING = object()
_every_memo: weakref.WeakSet[Memo] = weakref.WeakSet()


def forget_everything() -> None:
    """Empty every memo: what follows is made from scratch (``make bench`` times it so)."""
    for memo in list(_every_memo):
        memo.clear()


class Memo:
    """Least recently used results first out, once their total size passes ``max_chars`` (the
    results' ``len``) or their number passes ``max_entries``; either bound may be left out."""

    def __init__(self, max_chars: int | None = None, *, max_entries: int | None = None):
        if max_chars is None and max_entries is None:
            raise ValueError("a memo needs a bound: max_chars, max_entries or both")
        self.max_chars = max_chars
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        _every_memo.add(self)

    def get(self, key: Hashable, make: Callable[[], Result]) -> Result:
        found = self._find(key)
        if found is not _MISSING:
            return found
        result = make()  # outside the lock: two threads may both make it, and both get the same text
        self.store(key, result)
        return result

    def lookup(self, key: Hashable):
        """The result stored under ``key``, or None."""
        found = self._find(key)
        return None if found is _MISSING else found

    def _find(self, key: Hashable):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return _MISSING
            self._entries.move_to_end(key)
            return entry[0]

    def store(self, key: Hashable, result) -> None:
        """Keep ``result`` under ``key`` (in place of what was kept there)."""
        size = 0 if self.max_chars is None else len(result)
        if self.max_chars is not None and size > self.max_chars:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (result, size)
            self._size += size
            while ((self.max_chars is not None and self._size > self.max_chars)
                   or (self.max_entries is not None and len(self._entries) > self.max_entries)):
                _key, (_result, dropped) = self._entries.popitem(last=False)
                self._size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._entries)


def memoized(*, max_entries: int) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """A function's results kept in a :class:`Memo` of their own, keyed by its (hashable) arguments."""

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        memo = Memo(max_entries=max_entries)
        entries, lock = memo._entries, memo._lock

        @functools.wraps(function)
        def kept(*args):
            # Memo.get and Memo.store without their calls: these wrap small functions called very
            # often, and the memo counts entries only (every size is 0).
            with lock:
                entry = entries.get(args)
                if entry is not None:
                    entries.move_to_end(args)
                    return entry[0]
            result = function(*args)
            with lock:
                entries.pop(args, None)
                entries[args] = (result, 0)
                if len(entries) > max_entries:
                    entries.popitem(last=False)
            return result

        kept.memo = memo
        return kept

    return decorate
