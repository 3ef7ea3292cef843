"""gunicorn settings for Workbench: `gunicorn -c gunicorn.conf.py "workbench:create_app()"`.

Every value can be overridden from the environment (WORKBENCH_BIND, WORKBENCH_WORKERS, ...).
"""

import multiprocessing
import os

bind = os.environ.get("WORKBENCH_BIND", "127.0.0.1:8000")
# Processes do the work: (2 x cores) + 1, gunicorn's own rule of thumb. Two threads each hide I/O
# waits (a URL fetch, the database); more would queue for the GIL, and a thread that holds
# SQLite's write lock while it waits for the GIL holds up every writer (`make load` shows it).
workers = int(os.environ.get("WORKBENCH_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WORKBENCH_THREADS", 2))
worker_class = "gthread"
timeout = int(os.environ.get("WORKBENCH_TIMEOUT", 60))
graceful_timeout = 30
# No keep-alive by default: each request comes on a connection of its own, taken by whichever
# worker is free. A kept-alive connection stays with its worker even while that worker is busy
# and others idle; with few CPU-bound workers that made a long latency tail under `make load`
# (p99 about 1.5 x higher) and cost throughput. Behind a load balancer or on a LAN a new
# connection costs little. WORKBENCH_KEEPALIVE=5 (seconds) turns it back on.
keepalive = int(os.environ.get("WORKBENCH_KEEPALIVE", 0))
# Without keep-alive, a worker accepts no more connections than it has threads: otherwise one
# worker takes connections while its threads are all busy, and they wait there while another
# worker idles (`make load`: claim creation's p99 about 1.7 x lower). With keep-alive, gunicorn's
# default of 1000, since kept-alive connections count too.
worker_connections = int(os.environ.get("WORKBENCH_WORKER_CONNECTIONS", threads if not keepalive else 1000))
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("WORKBENCH_MAX_REQUESTS", 5000))
max_requests_jitter = 500
# The app writes one JSON line per request (logger "workbench.request"); gunicorn's own access log is off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("WORKBENCH_LOG_LEVEL", "info")
# Load the app once in the master: workers fork with it ready and share its memory pages.
preload_app = True


def post_fork(server, worker):
    # Database connections must not cross a fork: each worker opens its own.
    from workbench.db import dispose_engines

    dispose_engines()
