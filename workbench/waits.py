"""Requests that wait on something slow outside the process, a URL fetch or the PDF printer, say
so here (``with slow_wait():``). A worker runs one request at a time while they work (see
``workbench.serving``); while one only waits, the worker takes another on a spare thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_waiting = 0
_listeners: list[Callable[[], None]] = []


def waiting() -> int:
    """How many of this process's requests are waiting now."""
    return _waiting


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener`` (from the waiting request's thread) whenever a wait starts or ends."""
    _listeners.append(listener)


@contextmanager
def slow_wait() -> Iterator[None]:
    global _waiting
    with _lock:
        _waiting += 1
    _tell()
    try:
        yield
    finally:
        with _lock:
            _waiting -= 1
        _tell()


def _tell() -> None:
    for listener in list(_listeners):
        listener()
