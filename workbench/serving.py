"""gunicorn's settings for Workbench, shipped in the package: ``gunicorn -c python:workbench.serving
"workbench:create_app()"`` (in a checkout, ``gunicorn -c gunicorn.conf.py`` reads the same).

Every value can be overridden from the environment (WORKBENCH_BIND, WORKBENCH_WORKERS, ...).
gunicorn's own log lines are JSON like the request log, and its control socket sits in the
instance folder (one per instance), never in the user's home.
"""

import ctypes
import ctypes.util
import gc
import multiprocessing
import os

from gunicorn.glogging import Logger
from gunicorn.workers.gthread import ThreadWorker

from workbench import waits
from workbench.config import default_instance_path

bind = os.environ.get("WORKBENCH_BIND", "127.0.0.1:8000")
# Processes do the work: one a core, plus one to run while another waits on the database or the
# network. Measured side by side (`make load`, 16 connections on 2 cores, SQLite and PostgreSQL),
# 3 workers were ahead of 5 (gunicorn's rule of thumb, two a core plus one) in every scenario:
# claim creation 657 against 590 requests/s on SQLite (p99 33 against 42 ms), 526 against 477 on
# PostgreSQL, the article page with 500 claims 166 against 147 on PostgreSQL (p99 139 against 205
# ms). With more processes than cores, each request shares a core with others for longer, and a
# worker's CPU time a request rose (2.5 against 2.8 ms for a claim). A server whose requests
# mostly wait (slow sites to import from, a distant database) may want more: WORKBENCH_WORKERS.
workers = int(os.environ.get("WORKBENCH_WORKERS", multiprocessing.cpu_count() + 1))
# Each worker runs one request at a time, as gunicorn's sync workers do: a second request in the
# same process would only share its GIL, and take twice as long, while another worker may sit
# idle. Measured side by side (`make load`, a quiet machine of 2 cores, 5 workers each), sync
# workers with these settings made 808 claims/s against 619 for the threaded worker below and 815
# for plain `gunicorn -w 5`, and were ahead of both on the API reads, the article page and the
# export.
# WORKBENCH_THREADS=2 (or keep-alive) chooses OneAtATimeWorker instead: its second thread serves
# another request while one waits outside the process (a URL fetch, the PDF printer:
# ``workbench.waits``), and it answers gunicorn's heartbeat during a long request, for a server
# that imports from slow sites or prints often. A sync worker waits with its request (a fetch
# gives up after WORKBENCH_FETCH_TIMEOUT, 10 s), and gunicorn stops a request that runs past
# ``timeout``: 120 s, three times the longest PDF measured (5,000 claims).
threads = int(os.environ.get("WORKBENCH_THREADS", 1))
keepalive = int(os.environ.get("WORKBENCH_KEEPALIVE", 0))
worker_class = os.environ.get("WORKBENCH_WORKER_CLASS",
                              "sync" if threads == 1 and not keepalive else "workbench.serving.OneAtATimeWorker")
timeout = int(os.environ.get("WORKBENCH_TIMEOUT", 120))
graceful_timeout = 30
# No keep-alive by default: each request comes on a connection of its own, taken by whichever
# worker is free. A kept-alive connection stays with its worker even while that worker is busy
# and others idle (`make load`: p99 of the API reads 1.2 to 1.5 x higher with 5 seconds). Behind a
# load balancer or on a LAN a new connection costs little. WORKBENCH_KEEPALIVE=5 (seconds) turns
# it back on (read above), with gunicorn's own threaded worker.
# With keep-alive, gunicorn's default of 1000, since kept-alive connections count too. Without it,
# a worker holds no more connections than it has threads (and OneAtATimeWorker fewer: see there).
worker_connections = int(os.environ.get("WORKBENCH_WORKER_CONNECTIONS", threads if not keepalive else 1000))
# Recycle workers now and then so a slow leak can never grow without bound; not often, since a
# new worker starts with none of the pages and exports the old one kept (workbench.memo), and
# makes each again once, at tens of milliseconds of CPU apiece.
max_requests = int(os.environ.get("WORKBENCH_MAX_REQUESTS", 50000))
max_requests_jitter = max_requests // 10
# The app writes one JSON line per request (logger "workbench.request"); gunicorn's own access log
# is off unless WORKBENCH_ACCESS_LOG names a file ("-": standard output).
accesslog = os.environ.get("WORKBENCH_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("WORKBENCH_LOG_LEVEL", "info")
_JSON_HANDLER = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
# gunicorn's own lines (starting, workers booted and lost, timeouts, its access log) in the request
# log's JSON, one object a line, so one parser reads all that a server writes.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "workbench.web.request_log.JsonFormatter"}},
    "handlers": {
        "error_console": _JSON_HANDLER,
        "access_console": {**_JSON_HANDLER, "stream": "ext://sys.stdout"},
    },
    "root": {"level": "WARNING", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access_console"] if accesslog else [],
                            "propagate": False},
    },
}


class WorkbenchLogger(Logger):
    """gunicorn's logger, with the access log on only when asked for: a logging config of its own
    would otherwise make gunicorn gather each request's log fields, to throw them away."""

    def _compute_access_log_enabled(self):
        return bool(self.cfg.accesslog)


logger_class = WorkbenchLogger


class OneAtATimeWorker(ThreadWorker):
    """gunicorn's threaded worker, taking a new connection only while none of its requests is
    working: one at first, and one more for each request that waits outside the process
    (``workbench.waits``), up to its threads. A connection it does not take goes to another
    worker, or waits in the listen queue for the first one free, as with sync workers; unlike them,
    the worker answers gunicorn's heartbeat during a long request, and keeps a thread for others
    while one waits on a slow site. With keep-alive on it is gunicorn's threaded worker as it is,
    since kept-alive connections count as taken."""

    def init_process(self):
        # A wait that starts wakes the worker's loop, which then takes another connection.
        waits.on_change(lambda: self.method_queue.defer(_nothing))
        super().init_process()

    @property
    def worker_connections(self) -> int:
        if self.cfg.keepalive:
            return self._worker_connections
        return max(1, min(self._worker_connections, self.cfg.threads, 1 + waits.waiting()))

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        self._worker_connections = value


def _nothing() -> None:
    pass


def _control_socket() -> str | None:
    """gunicorn's control socket (for ``gunicornc``): in the instance folder, so that two instances
    on one machine each keep their own; WORKBENCH_CONTROL_SOCKET names another path, or "off"."""
    named = os.environ.get("WORKBENCH_CONTROL_SOCKET", "")
    if named.lower() in ("off", "0", "none"):
        return None
    path = named or str(default_instance_path() / "gunicorn.ctl")
    # A Unix socket's path has room for 107 bytes: past that there is no socket to make.
    return path if len(os.fsencode(path)) <= 100 else None


_socket = _control_socket()
control_socket_disable = _socket is None
if _socket is not None:
    control_socket = _socket
# Load the app once in the master: workers fork with it ready and share its memory pages.
preload_app = True


def _keep_large_blocks_in_the_heap() -> None:
    """glibc serves blocks over 128 KB-ish with mmap and hands them back at once, so each large
    string (an article page is 350 KB, an export more) costs fresh pages and their faults: copying
    one took 0.5 ms, 20 x what it takes from the heap. Blocks up to 4 MB now come from the heap,
    which gives back free memory over 32 MB. Workers inherit this from the master.
    WORKBENCH_MALLOC_TUNING=0 leaves malloc as it is; other C libraries are left alone."""
    if os.environ.get("WORKBENCH_MALLOC_TUNING", "1") == "0":
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's malloc.h
    mallopt(m_mmap_threshold, 4 << 20)
    mallopt(m_trim_threshold, 32 << 20)


_keep_large_blocks_in_the_heap()

#: A response at least this large (a report of thousands of claims, a large export) took tens of
#: MB to make, which the heap keeps, scattered, after it is freed; the worker hands it back then
#: (a worker that had served a 5,000-claim article held 174 MB resident, 148 MB proportional,
#: without; 166 and 140 with).
TRIM_AFTER_BYTES = 4 << 20


def _malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_trim = _malloc_trim() if os.environ.get("WORKBENCH_MALLOC_TUNING", "1") != "0" else None


def post_request(worker, req, environ, resp):
    if _trim is not None and (getattr(resp, "sent", 0) or 0) >= TRIM_AFTER_BYTES:
        _trim(0)


def pre_fork(server, worker):
    # What the master loaded (the app and its libraries, hundreds of thousands of objects) leaves
    # the garbage collector's sight: every full collection walked all of it, and under `make load`
    # a worker stopped for up to 200 ms each time. Frozen before the fork, those pages also stay
    # shared between the workers instead of being copied when the collector touches them.
    gc.freeze()


def post_fork(server, worker):
    # Database connections must not cross a fork: each worker opens its own.
    from workbench.store.db import dispose_engines

    dispose_engines()
    # Young objects are collected every 20,000 new ones rather than every 700: an article page with
    # 500 claims makes thousands, and set off a collection on nearly every request.
    gc.set_threshold(int(os.environ.get("WORKBENCH_GC_THRESHOLD", 20000)), 10, 10)
