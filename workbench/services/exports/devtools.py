"""Chromium's DevTools protocol over the pipe that ``--remote-debugging-pipe`` opens.

A pipe rather than a port: no other process on the machine can reach the browser. Chromium reads
commands from its file descriptor 3 and writes replies and events to 4, each one JSON message
ended by a NUL byte. Every wait has the caller's deadline.
"""

from __future__ import annotations

import json
import os
import select
import time
from collections.abc import Callable


class DevToolsError(Exception):
    """Chromium went away, answered with an error, or did not answer in time."""


class DevToolsTimeout(DevToolsError):
    pass


class DevToolsPipe:
    """Commands to one browser; ``on_event(method, params, session)`` sees every event as it comes."""

    def __init__(self, commands_fd: int, replies_fd: int, *, deadline: float,
                 on_event: Callable[[str, dict, str | None], None]):
        self.commands_fd, self.replies_fd = commands_fd, replies_fd
        self.deadline = deadline
        self.on_event = on_event
        self._buffer = bytearray()
        self._poll = select.poll()  # not select(): a worker may hold more than 1,024 descriptors
        self._poll.register(replies_fd, select.POLLIN)
        self._last_id = 0
        self._seen: list[tuple[str, str | None]] = []  # events so far, for wait_for
        #: Whether Chromium has sent anything yet (if not, it failed as it started).
        self.answered = False

    def send(self, method: str, params: dict | None = None, *, session: str | None = None) -> int:
        """Send without waiting for the reply (which is then read and dropped)."""
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        try:
            while data:
                data = data[os.write(self.commands_fd, data):]
        except OSError as err:  # the browser is gone (EPIPE)
            raise DevToolsError(f"Chromium closed its pipe ({err.strerror}).") from None
        return self._last_id

    def call(self, method: str, params: dict | None = None, *, session: str | None = None) -> dict:
        """Send a command and return its result."""
        wanted = self.send(method, params, session=session)
        while True:
            message = self._receive()
            if message.get("id") == wanted:
                if "error" in message:
                    raise DevToolsError(f"{method}: {message['error'].get('message', message['error'])}")
                return message.get("result", {})
            self._dispatch(message)

    def mark(self) -> int:
        """A point in the stream of events, for ``wait_for``."""
        return len(self._seen)

    def wait_for(self, method: str, *, session: str | None = None, since: int = 0) -> None:
        """Return once the event ``method`` has come after the ``mark()`` ``since``."""
        while (method, session) not in self._seen[since:]:
            self._dispatch(self._receive())

    def _dispatch(self, message: dict) -> None:
        if "method" in message:  # an event; replies to commands sent with send() are dropped
            self._seen.append((message["method"], message.get("sessionId")))
            self.on_event(message["method"], message.get("params", {}), message.get("sessionId"))

    def _receive(self) -> dict:
        while (end := self._buffer.find(b"\0")) < 0:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise DevToolsTimeout("Chromium did not answer in time.")
            if not self._poll.poll(left * 1000):
                continue
            chunk = os.read(self.replies_fd, 1 << 20)
            if not chunk:
                raise DevToolsError("Chromium closed its pipe.")
            self._buffer += chunk
        self.answered = True
        message = bytes(self._buffer[:end])
        del self._buffer[:end + 1]
        return json.loads(message)
