"""PDF prints take turns: at most N at once across processes, a bounded wait, a bounded share of threads."""

import threading
import time

import pytest

from tests.helpers.pdf import hold_pdf_turn
from workbench.services.exports.pdf_queue import PrinterBusyError, turn


def test_at_most_n_print_at_once_and_the_others_wait_their_turn(tmp_path):
    running, most, done = [0], [0], []
    lock = threading.Lock()

    def export():
        with turn(tmp_path, printers=2, wait=10, per_process=6):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.15)
            with lock:
                running[0] -= 1
        done.append(True)

    threads = [threading.Thread(target=export) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 2 and len(done) == 6


def test_the_wait_is_bounded_and_ends_in_a_clear_busy_error(tmp_path):
    holder = hold_pdf_turn(tmp_path)
    try:
        started = time.monotonic()
        with pytest.raises(PrinterBusyError) as caught:
            with turn(tmp_path, printers=1, wait=0.4, per_process=1):
                pass
        waited = time.monotonic() - started
    finally:
        holder.communicate("")
    assert 0.4 <= waited < 1.5
    err = caught.value
    assert (err.status, err.code) == (503, "pdf_busy")
    assert "busy" in err.message and "try again" in err.message
    assert err.retry_after == 1  # sent as Retry-After


def test_a_turn_comes_free_when_its_holder_ends_even_if_killed(tmp_path):
    holder = hold_pdf_turn(tmp_path)
    threading.Timer(0.3, holder.kill).start()
    started = time.monotonic()
    with turn(tmp_path, printers=1, wait=5, per_process=1):
        assert 0.2 < time.monotonic() - started < 3
    holder.communicate()


def test_a_process_lets_only_so_many_exports_wait_and_refuses_more_at_once(tmp_path):
    """So that waiting exports can never hold every thread a worker has: the rest answer at once."""
    inside, release = threading.Event(), threading.Event()

    def printing():
        with turn(tmp_path, printers=4, wait=5, per_process=1):
            inside.set()
            release.wait(5)

    first = threading.Thread(target=printing)
    first.start()
    try:
        assert inside.wait(5)
        started = time.monotonic()
        with pytest.raises(PrinterBusyError):
            with turn(tmp_path, printers=4, wait=5, per_process=1):
                pass
        assert time.monotonic() - started < 0.2  # not after the wait: at once
    finally:
        release.set()
        first.join()
    with turn(tmp_path, printers=4, wait=5, per_process=1):
        pass  # free again

