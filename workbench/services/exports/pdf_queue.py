"""PDF prints take turns, so that exports wait rather than starve the machine or the app.

A turn is one of ``printers`` lock files in a folder (the instance's ``pdf-printers``), shared by
every worker process and the command line: a print holds one with ``flock`` while Chromium runs,
and the kernel lets it go when the holder ends, however it ends. An export that finds every turn
taken waits for one, up to ``wait`` seconds, then gets 503 with Retry-After. Within one process
at most ``per_process`` exports wait or print at once, and the rest get the 503 at once: waiting
exports can then never take every thread a worker has, and other requests (``/healthz`` among
them) still find one free.
"""

from __future__ import annotations

import fcntl
import math
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.errors import BusyError
from workbench.waits import slow_wait

POLL_SECONDS = 0.05

_shares: dict[int, threading.BoundedSemaphore] = {}
_shares_lock = threading.Lock()


class PrinterBusyError(BusyError):
    code = "pdf_busy"

    def __init__(self, wait: float):
        retry_after = max(1, math.ceil(wait))
        super().__init__(f"The PDF printer is busy with other exports; try again in {retry_after} seconds.",
                         retry_after=retry_after)


def process_share(per_process: int) -> threading.BoundedSemaphore:
    with _shares_lock:
        if per_process not in _shares:
            _shares[per_process] = threading.BoundedSemaphore(per_process)
        return _shares[per_process]


@contextmanager
def turn(folder: Path, *, printers: int, wait: float, per_process: int) -> Iterator[None]:
    """Hold one of the ``printers`` turns for the duration of the block.

    :raises PrinterBusyError: this process already has ``per_process`` exports waiting or
        printing, or no turn came free within ``wait`` seconds.
    """
    share = process_share(max(1, per_process))
    if not share.acquire(blocking=False):
        raise PrinterBusyError(wait)
    try:
        with slow_wait():  # the worker may take other requests meanwhile
            fd = _take(folder, max(1, printers), deadline=time.monotonic() + wait)
            if fd is None:
                raise PrinterBusyError(wait)
            try:
                yield
            finally:
                os.close(fd)  # and with it the lock
    finally:
        share.release()


def _take(folder: Path, printers: int, *, deadline: float) -> int | None:
    """An open descriptor holding one turn's lock, or None at the deadline."""
    folder.mkdir(parents=True, exist_ok=True)
    # Each try opens its own descriptors: flock is held per open file, so threads of one process
    # queue against each other as processes do.
    fds = [os.open(folder / str(n), os.O_RDWR | os.O_CREAT, 0o600) for n in range(printers)]
    try:
        while True:
            for i, fd in enumerate(fds):
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                held = fds.pop(i)
                return held
            if time.monotonic() >= deadline:
                return None
            # flock has no timeout of its own; polling costs a few system calls a tick.
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
    finally:
        for fd in fds:
            os.close(fd)
