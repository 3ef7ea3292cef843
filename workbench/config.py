"""Settings: defaults, then ``instance/config.py``, then ``WORKBENCH_*`` environment variables.

A test config passed to ``create_app`` wins over all of them.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_DIR = _PACKAGE_DIR.parent


def _shipped(name: str) -> Path:
    """A folder the app ships beside its code: inside the package once installed (the wheel maps
    the repository's top-level ``templates/`` and ``static/`` there), at the top of a checkout."""
    inside = _PACKAGE_DIR / name
    return inside if inside.is_dir() else _CHECKOUT_DIR / name


#: The pages' templates and the static files, wherever the app runs from.
TEMPLATES_DIR = _shipped("templates")
STATIC_DIR = _shipped("static")


def in_checkout() -> bool:
    """Whether the app runs from its source tree (an editable install, tests) rather than installed."""
    return (_CHECKOUT_DIR / "pyproject.toml").is_file() and (_CHECKOUT_DIR / "templates").is_dir()


def default_instance_path() -> Path:
    """Where the instance folder (database, secret key, exports) goes when no setting names one:
    ``WORKBENCH_INSTANCE_PATH``, else ``instance/`` at the top of a checkout, else ``instance/`` in
    the current directory. Never inside the installed package, where an upgrade or a read-only
    site-packages would lose or refuse the secret key and the database."""
    named = os.environ.get("WORKBENCH_INSTANCE_PATH")
    if named:
        return Path(named).resolve()
    return (_CHECKOUT_DIR if in_checkout() else Path.cwd()) / "instance"


#: Default rating scale: (key, label, ordinal for ClaimReview or None).
DEFAULT_RATING_SCALE = [
    ("true", "True", 5),
    ("mostly_true", "Mostly true", 4),
    ("mixed", "Half true", 3),
    ("mostly_false", "Mostly false", 2),
    ("false", "False", 1),
    ("misleading", "Misleading", None),
    ("unproven", "Unproven", None),
]

DEFAULTS = {
    "DATABASE_URL": None,  # filled in from the instance path when unset
    "FETCH_ALLOW_PRIVATE": False,
    "FETCH_TIMEOUT": 10.0,
    "FETCH_MAX_REDIRECTS": 5,
    # URL fetches one process runs at once; with the threaded worker, keep it below its threads
    # (WORKBENCH_THREADS) so that slow sites always leave a thread for everything else.
    "FETCH_CONCURRENCY": 1,
    "MAX_IMPORT_BYTES": 5 * 1024 * 1024,
    "ORG_NAME": "Workbench Fact Check",
    # Where users reach the app; names things in exports made from the command line.
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "FOUR_EYES": True,
    "RATING_SCALE": DEFAULT_RATING_SCALE,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # A signed-in session ends after this long without a request, and this long after signing in.
    "SESSION_IDLE_MINUTES": 120,
    "SESSION_MAX_HOURS": 12,
    # How many proxies in front of the app to believe about the client's address and scheme
    # (X-Forwarded-For, X-Forwarded-Proto); 0 believes none.
    "PROXY_FIX": 0,
    # Where failed sign-ins are counted: memory (each worker process alone) or redis://host:port/db.
    "RATELIMIT_STORAGE_URL": "memory://",
    # Failed sign-ins allowed (limits notation): for one account from one address, from one address
    # to any accounts, and for one account from anywhere; and bad API tokens from one address.
    "SIGN_IN_LIMIT": "5 per 15 minutes",
    "SIGN_IN_ADDRESS_LIMIT": "30 per 15 minutes",
    "SIGN_IN_ACCOUNT_LIMIT": "50 per hour",
    "TOKEN_FAILURE_LIMIT": "10 per 15 minutes",
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    # PDF prints at once on this machine (every process sharing the instance folder), how long an
    # export waits for its turn, how many one process lets wait or print at once (keep it below
    # the worker's threads), Chromium's memory for one print, and whom Chromium runs as under root.
    "PDF_CONCURRENCY": 1,
    "PDF_QUEUE_WAIT": 20.0,
    "PDF_PER_PROCESS": 1,
    "PDF_MAX_MEMORY_MB": 2048,
    "PDF_USER": "nobody",
    # Origins whose pages may call the JSON API from a browser (commas or spaces; * for any).
    "CORS_ORIGINS": "",
    # The paper PDFs are printed on (A4, Letter, Legal, A5); empty: by LOCALE's region, else A4.
    "PDF_PAPER": "",
    # The newsroom's locale, such as en-GB or en-US (paper sizes follow its region).
    "LOCALE": "",
}

#: Environment variables that are part of the contract, and how to read them.
ENV_SETTINGS = {
    "WORKBENCH_DATABASE_URL": ("DATABASE_URL", str),
    "WORKBENCH_SECRET_KEY": ("SECRET_KEY", str),
    "WORKBENCH_FETCH_ALLOW_PRIVATE": ("FETCH_ALLOW_PRIVATE", lambda v: v.strip().lower() in {"1", "true", "yes", "on"}),
    "WORKBENCH_ORG_NAME": ("ORG_NAME", str),
    "WORKBENCH_MAX_IMPORT_BYTES": ("MAX_IMPORT_BYTES", int),
    "WORKBENCH_FETCH_TIMEOUT": ("FETCH_TIMEOUT", float),
    "WORKBENCH_FETCH_CONCURRENCY": ("FETCH_CONCURRENCY", int),
    "WORKBENCH_PUBLIC_URL": ("PUBLIC_URL", str),
    "WORKBENCH_SESSION_IDLE_MINUTES": ("SESSION_IDLE_MINUTES", int),
    "WORKBENCH_SESSION_MAX_HOURS": ("SESSION_MAX_HOURS", int),
    "WORKBENCH_PROXY_FIX": ("PROXY_FIX", int),
    "WORKBENCH_RATELIMIT_STORAGE_URL": ("RATELIMIT_STORAGE_URL", str),
    "WORKBENCH_SIGN_IN_LIMIT": ("SIGN_IN_LIMIT", str),
    "WORKBENCH_SIGN_IN_ADDRESS_LIMIT": ("SIGN_IN_ADDRESS_LIMIT", str),
    "WORKBENCH_SIGN_IN_ACCOUNT_LIMIT": ("SIGN_IN_ACCOUNT_LIMIT", str),
    "WORKBENCH_TOKEN_FAILURE_LIMIT": ("TOKEN_FAILURE_LIMIT", str),
    "WORKBENCH_PDF_CONCURRENCY": ("PDF_CONCURRENCY", int),
    "WORKBENCH_PDF_QUEUE_WAIT": ("PDF_QUEUE_WAIT", float),
    "WORKBENCH_PDF_PER_PROCESS": ("PDF_PER_PROCESS", int),
    "WORKBENCH_PDF_MAX_MEMORY_MB": ("PDF_MAX_MEMORY_MB", int),
    "WORKBENCH_PDF_USER": ("PDF_USER", str),
    "WORKBENCH_CORS_ORIGINS": ("CORS_ORIGINS", str),
    "WORKBENCH_PDF_PAPER": ("PDF_PAPER", str),
    "WORKBENCH_LOCALE": ("LOCALE", str),
}


def load_config(app, test_config: dict | None) -> None:
    """Fill ``app.config`` in order of precedence; see the module docstring."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    for env_name, (key, parse) in ENV_SETTINGS.items():
        raw = os.environ.get(env_name)
        if raw not in (None, ""):
            app.config[key] = parse(raw)
    if test_config:
        app.config.from_mapping(test_config)

    instance = Path(app.instance_path)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'workbench.sqlite3'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance)
    # The cookie's signature itself expires with the session's absolute lifetime.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=int(app.config["SESSION_MAX_HOURS"]))
    # Requests larger than the import cap plus room for form fields are refused with 413.
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_IMPORT_BYTES"]) + 64 * 1024


def _instance_secret(instance: Path) -> str:
    """A per-installation secret kept in ``instance/`` so sessions survive restarts.

    Never committed: ``instance/`` is ignored by git.
    """
    path = instance / "secret_key"
    kept = path.read_text().strip() if path.exists() else ""
    if kept:
        return kept
    key = secrets.token_hex(32)
    # Made private before the key is in it, and complete before it has its name: a full disk must
    # not leave an empty or partial key that the next start would sign sessions with.
    part = instance / f".secret_key.{os.getpid()}"
    try:
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        part.write_text(key)
        os.replace(part, path)
    except OSError as err:
        part.unlink(missing_ok=True)
        from workbench.errors import StorageUnavailableError

        raise StorageUnavailableError(
            f"Could not write the secret key to {path}: {err.strerror or err}. Free space in the instance "
            "folder (or make it writable), or set WORKBENCH_SECRET_KEY.") from err
    return key
