"""Slowing down guessing: failed sign-ins and bad API tokens are counted, and further tries refused
for a while, with `limits` (moving windows) in a storage of each app's own.

Sign-in failures are counted three ways, each with its own limit (settings ``SIGN_IN_*_LIMIT``):

- one account from one address (tight): stops an address hammering an account, while the account's
  owner, elsewhere, still signs in;
- one address, any accounts: stops an address trying one password on many accounts;
- one account, any addresses (loose): slows guessing spread over many addresses.

Only failures count; a success also forgets that address's earlier mistakes on that account. While
a limit is reached every try it covers is refused before the password is checked, the right one
too: otherwise the answer would tell a guesser when they got it right.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from workbench.errors import TooManyRequestsError

logger = logging.getLogger(__name__)
_KEY = "workbench.web.throttle"


@dataclass(frozen=True)
class Throttle:
    """One app's counters and limits."""

    counter: MovingWindowRateLimiter
    sign_in: RateLimitItem  # one account from one address
    sign_in_address: RateLimitItem  # one address, any accounts
    sign_in_account: RateLimitItem  # one account, any addresses
    token: RateLimitItem  # bad API tokens from one address


def client_address() -> str:
    """Who is asking, as far as counting goes. IPv6 clients are counted by their /64 network,
    since one client usually holds a whole /64 and could otherwise take a new address per try.
    Behind a proxy this is the address the proxy saw (the ``PROXY_FIX`` setting)."""
    raw = request.remote_addr or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def _account(username: str) -> str:
    # As `authenticate` looks it up: "Checker " and "checker" are one account.
    return username.strip().lower()


def _throttle() -> Throttle:
    return current_app.extensions[_KEY]


def _wait(checks: list[tuple[RateLimitItem, tuple[str, ...]]]) -> int:
    """Seconds until every check allows one more try; 0 when they all do now.

    A storage that fails (Redis down) allows the try: the password check still stands, and
    sign-in should not depend on the counting being up. It is logged.
    """
    throttle = _throttle()
    wait = 0.0
    try:
        for limit, keys in checks:
            if not throttle.counter.test(limit, *keys):
                reset_at, _remaining = throttle.counter.get_window_stats(limit, *keys)
                wait = max(wait, reset_at - time.time())
    except StorageError as err:
        logger.error("the sign-in throttle's storage failed; the request is let through: %s", err.storage_error)
        return 0
    return max(1, math.ceil(wait)) if wait > 0 else 0


def _count(checks: list[tuple[RateLimitItem, tuple[str, ...]]]) -> None:
    throttle = _throttle()
    try:
        for limit, keys in checks:
            throttle.counter.hit(limit, *keys)
    except StorageError as err:
        logger.error("the sign-in throttle's storage failed; a failure went uncounted: %s", err.storage_error)


def _sign_in_checks(username: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    throttle, address, account = _throttle(), client_address(), _account(username)
    return [
        (throttle.sign_in, ("sign-in", address, account)),
        (throttle.sign_in_address, ("sign-in-address", address)),
        (throttle.sign_in_account, ("sign-in-account", account)),
    ]


def _in_minutes(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def check_sign_in(username: str) -> None:
    """Before a sign-in is tried: refuse it while one of its limits is reached.

    :raises TooManyRequestsError: with the seconds to wait (``retry_after``).
    """
    wait = _wait(_sign_in_checks(username))
    if wait:
        raise TooManyRequestsError(f"Too many sign-in attempts; try again in {_in_minutes(wait)}.", retry_after=wait)


def note_sign_in_failure(username: str) -> None:
    _count(_sign_in_checks(username))


def note_sign_in_success(username: str) -> None:
    """The owner got in from here: forget this address's mistakes on this account (not the others:
    someone who knows one password must not wipe the count of their guesses at other accounts)."""
    throttle = _throttle()
    try:
        throttle.counter.clear(throttle.sign_in, "sign-in", client_address(), _account(username))
    except StorageError as err:
        logger.error("the sign-in throttle's storage failed: %s", err.storage_error)


def _token_checks() -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    return [(_throttle().token, ("api-token", client_address()))]


def check_token_use() -> None:
    """Before a bearer token is looked up: refuse it while this address has sent too many bad ones."""
    wait = _wait(_token_checks())
    if wait:
        raise TooManyRequestsError(
            f"Too many requests with a wrong API token from your address; try again in {_in_minutes(wait)}.",
            retry_after=wait,
        )


def note_token_failure() -> None:
    _count(_token_checks())


def _storage_options(url: str) -> dict:
    # A Redis that does not answer must not hold sign-ins for long (then the try is let through).
    if url.startswith(("redis://", "rediss://")):
        return {"socket_connect_timeout": 2, "socket_timeout": 2}
    return {}


def init_app(app: Flask) -> None:
    """Each app its own counters: memory by default (per worker process), or a shared storage such
    as Redis (``RATELIMIT_STORAGE_URL``) so that every worker and app server counts together."""
    config = app.config
    url = config["RATELIMIT_STORAGE_URL"]
    storage = storage_from_string(url, wrap_exceptions=True, **_storage_options(url))
    app.extensions[_KEY] = Throttle(
        counter=MovingWindowRateLimiter(storage),
        # parse() refuses a malformed limit here, when the app starts, not at the first sign-in.
        sign_in=parse(config["SIGN_IN_LIMIT"]),
        sign_in_address=parse(config["SIGN_IN_ADDRESS_LIMIT"]),
        sign_in_account=parse(config["SIGN_IN_ACCOUNT_LIMIT"]),
        token=parse(config["TOKEN_FAILURE_LIMIT"]),
    )
