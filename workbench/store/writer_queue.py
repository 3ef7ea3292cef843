"""SQLite writers wait their turn in a queue (a file lock) instead of polling for the database lock.

SQLite lets one writer in at a time; a writer that finds the lock taken sleeps and retries
(1, 2, 5 … up to 100 ms at a time) until its busy timeout. Under steady write load that makes
some requests wait far longer than the writes ahead of them took. Here every connection about
to write (``BEGIN IMMEDIATE``) first takes an exclusive ``flock`` on a file beside the
database, and the kernel wakes a waiter as soon as the holder's transaction ends. The queue
spans threads and processes (each connection has its own open file), and SQLite's own lock
and busy timeout still guard the database itself.

The wait has no deadline of its own: a writer waits for those ahead of it, and each holds the
queue for one transaction (released on commit, rollback or close; by the kernel if its
process dies). A wait longer than the busy timeout is logged as a warning. A thread that
already holds the queue through one connection does not queue again through another: it would
wait for itself.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import threading
import time

_held = threading.local()


def writer_queue_connection(lock_path: str) -> type[sqlite3.Connection]:
    """A sqlite3 connection class whose transactions release the queue when they end."""

    class QueuedConnection(sqlite3.Connection):
        queue_path = lock_path
        _queue_fd: int | None = None
        _queued = False

        def commit(self):
            try:
                super().commit()
            finally:
                self.leave_queue()

        def rollback(self):
            try:
                super().rollback()
            finally:
                self.leave_queue()

        def close(self):
            try:
                self.leave_queue()
                if self._queue_fd is not None:
                    os.close(self._queue_fd)
                    self._queue_fd = None
            finally:
                super().close()

        def __del__(self):
            # A connection dropped without being closed must not keep its place in the queue.
            try:
                self.leave_queue()
                if self._queue_fd is not None:
                    os.close(self._queue_fd)
            except Exception:  # noqa: BLE001 - nothing can be reported from a finalizer
                pass

        def enter_queue(self, timeout: float) -> None:
            """Wait for this connection's turn; ``timeout`` is the wait after which a warning is logged."""
            if self._queued or getattr(_held, "count", 0):
                return
            if self._queue_fd is None:
                self._queue_fd = os.open(self.queue_path, os.O_RDWR | os.O_CREAT, 0o600)
            _wait_for_lock(self._queue_fd, warn_after=timeout)
            self._queued = True
            _held.count = getattr(_held, "count", 0) + 1

        def leave_queue(self) -> None:
            if self._queued:
                self._queued = False
                _held.count -= 1
                fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    return QueuedConnection


def queue_for_writing(dbapi_connection, timeout: float = 5.0) -> None:
    """Wait for this connection's turn to write (a no-op for connections without a queue)."""
    enter = getattr(dbapi_connection, "enter_queue", None)
    if enter is not None:
        enter(timeout)


def _wait_for_lock(fd: int, warn_after: float) -> None:
    """Take the lock on ``fd``, waiting as long as the writers ahead take (a long wait is logged)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    started = time.monotonic()
    fcntl.flock(fd, fcntl.LOCK_EX)
    waited = time.monotonic() - started
    if waited > warn_after:
        logging.getLogger(__name__).warning("waited %.1f s for the SQLite writer queue", waited)
