"""The HTML report printed to PDF by headless Chromium (Debian's package), as if the page were hostile.

The report carries a CSP that allows no script and no remote content, but the printer does not
rely on it. Each print gets a fresh Chromium with a throw-away profile, driven over a DevTools
pipe, and the page can neither act nor reach out (see ``Safeguards``): it is set into an
``about:blank`` tab, never loaded from a file, so Chromium's own rule keeps every ``file:`` URL
out of it. Chromium runs in its sandbox where the machine allows it (as another user when the
app runs as root, since Chromium refuses its sandbox to root), at low CPU priority, and is killed
when the print runs past its time or its processes together hold more memory than allowed
(``chromium``). How many print at once is ``pdf_queue``'s business.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import pwd
import shutil
import tempfile
import time
from dataclasses import dataclass, fields
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.memo import memoized
from workbench.services.exports.chromium import (
    Chromium,
    ChromiumStartError,
    MemoryWatch,
)
from workbench.services.exports.data import PAPER
from workbench.services.exports.devtools import (
    DevToolsError,
    DevToolsPipe,
    DevToolsTimeout,
)

logger = logging.getLogger("workbench.pdf")

CHROMIUM_FLAGS = ["--headless=new", "--remote-debugging-pipe", "--disable-gpu", "--no-first-run",
                  "--no-default-browser-check", "--disable-extensions", "--disable-default-apps",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--mute-audio", "--no-proxy-server",
                  # One page to print: its frames (and their error pages) need no process each.
                  "--renderer-process-limit=1"]
SCRIPT_FLAG = "--blink-settings=scriptEnabled=false"
# IP literals go through the resolver too, so nothing resolves to an address; WebRTC, which does
# not ask the resolver, may send no UDP of its own.
RESOLVER_FLAGS = ["--host-resolver-rules=MAP * ~NOTFOUND", "--webrtc-ip-handling-policy=disable_non_proxied_udp"]
#: Printed on the paper the settings name (``paper_size``); the report's CSS keeps paragraphs whole.
PRINT_OPTIONS = {"printBackground": True, "preferCSSPageSize": False, "displayHeaderFooter": False,
                 "transferMode": "ReturnAsStream"}

# (executable, user) pairs whose Chromium refused its sandbox in this process: not tried again.
_sandbox_refused: set[tuple[str, str]] = set()


class PdfUnavailableError(WorkbenchError):
    status, code = 503, "pdf_unavailable"


@dataclass(frozen=True)
class Safeguards:
    """What keeps a printed page from acting or reaching out. All are on in the app; each holds by
    itself, and tests switch them on one at a time to show it."""

    #: Blink's own setting, from the command line: no script runs in any frame.
    script_flag: bool = True
    #: The same through DevTools, set before the page is: a second switch, not a second reading of one.
    script_emulation: bool = True
    #: Every host name and IP address resolves to nothing, for every part of Chromium (hints,
    #: sockets, the browser's own fetches), and WebRTC sends no UDP.
    resolver_rules: bool = True
    #: Every request the page makes is paused and answered with a failure.
    request_interception: bool = True

    @classmethod
    def only(cls, name: str) -> "Safeguards":
        return cls(**{f.name: f.name == name for f in fields(cls)})


@dataclass
class Printed:
    content: bytes
    #: The most memory Chromium's processes held together (resident anonymous pages), in bytes.
    peak_memory: int
    sandboxed: bool
    seconds: float = 0.0


class _SandboxRefused(Exception):
    pass


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def html_to_pdf(html: str, **options) -> bytes:
    """Print ``html`` (a self-contained page) to PDF; ``options`` as for ``print_html``."""
    return print_html(html, **options).content


def render(data) -> bytes:
    """An export (``exports.data.ExportData``): its HTML report, printed as ``data.printing`` says;
    a long one in parts (``html_report.print_parts``), one after another in the same Chromium,
    the parts' pages then joined in one file."""
    from workbench.services.exports import html_report

    return print_html(html_report.print_parts(data), **data.printing).content


def print_html(html: str | list[str], *, timeout: float = 60.0, max_memory: int = 2048 * 2**20,
               run_as: str = "nobody", safeguards: Safeguards = Safeguards(), executable: str | None = None,
               paper: str = "A4") -> Printed:
    """Print ``html`` (a page, or pages to print one after another into one file) with a
    Chromium of its own.

    :param timeout: seconds the print may take, for each page given.
    :param max_memory: bytes Chromium's processes may hold together before the print is stopped.
    :param run_as: the account Chromium runs as when this process is root ("" to stay root,
        which costs the sandbox).
    :param paper: a name in ``PAPER``.
    :raises PdfUnavailableError: no Chromium, or it failed, ran past ``timeout`` or ``max_memory``.
    """
    executable = executable or chromium_path()
    if executable is None:
        raise PdfUnavailableError("PDF export needs Chromium on the server (apt-get install chromium).")
    pages = [html] if isinstance(html, str) else list(html)
    started = time.monotonic()
    timeout *= len(pages)
    job = dict(html=pages, executable=executable, account=_account(run_as), deadline=started + timeout,
               timeout=timeout, max_memory=max_memory, safeguards=safeguards, paper=PAPER[paper])
    printed = None
    if (executable, run_as) not in _sandbox_refused:
        try:
            printed = _print(**job, sandbox=True)
        except _SandboxRefused as err:
            _sandbox_refused.add((executable, run_as))
            logger.warning("Chromium refused its sandbox (%s); PDFs are printed without it from now on. "
                           "Run the app as a user other than root, or let Chromium run as one "
                           "(WORKBENCH_PDF_USER), on a kernel with user namespaces.", err)
    printed = printed or _print(**job, sandbox=False)
    printed.seconds = time.monotonic() - started
    logger.info("Printed a PDF of %d KB in %.1f s; Chromium held at most %d MB.",
                len(printed.content) // 1024, printed.seconds, printed.peak_memory // 2**20)
    return printed


@memoized(max_entries=8)  # and so warns once
def _account(run_as: str) -> tuple[int, int] | None:
    """(uid, gid) for Chromium when this process is root and ``run_as`` names a user; else None."""
    if os.geteuid() != 0 or not run_as:
        return None
    try:
        entry = pwd.getpwnam(run_as)
    except KeyError:
        logger.warning("No user %r to run Chromium as; it runs as root, without its sandbox.", run_as)
        return None
    return entry.pw_uid, entry.pw_gid


def _print(*, html, executable, account, deadline, timeout, max_memory, safeguards, sandbox,
           paper=PAPER["A4"]) -> Printed:
    with tempfile.TemporaryDirectory(prefix="workbench-pdf-", ignore_cleanup_errors=True) as folder:
        if account:
            os.chown(folder, *account)  # Chromium's profile and home, removed with all in it
        flags = [*CHROMIUM_FLAGS, f"--user-data-dir={folder}/profile"]
        flags += [SCRIPT_FLAG] if safeguards.script_flag else []
        flags += RESOLVER_FLAGS if safeguards.resolver_rules else []
        flags += [] if sandbox else ["--no-sandbox"]
        try:
            chromium = Chromium(executable, flags, folder=Path(folder), account=account)
        except ChromiumStartError as err:
            raise PdfUnavailableError(f"Chromium could not be started: {err}") from None
        watch = MemoryWatch(chromium.group, max_memory)
        try:
            pipe = DevToolsPipe(chromium.commands, chromium.replies, deadline=deadline,
                                on_event=lambda *event: _answer(pipe, *event))
            try:
                content = _drive(pipe, html, safeguards, paper)  # ``html``: the pages
            except DevToolsTimeout:
                raise PdfUnavailableError(f"Printing the PDF took longer than {timeout:g} s.") from None
            except DevToolsError as err:
                if watch.exceeded:
                    raise PdfUnavailableError(f"Printing this PDF needed more than {max_memory // 2**20} MB "
                                              "of memory, which is more than allowed.") from None
                detail = chromium.last_words()
                if sandbox and not pipe.answered and "sandbox" in detail.lower():
                    raise _SandboxRefused(detail) from None
                raise PdfUnavailableError(f"Chromium could not print the PDF: {detail or err}") from None
        finally:
            watch.stop()
            chromium.kill()
    return Printed(content=content, peak_memory=watch.peak, sandboxed=sandbox)


def _drive(pipe: DevToolsPipe, pages: list[str], safeguards: Safeguards,
           paper: tuple[float, float] = PAPER["A4"]) -> bytes:
    """Each page printed in a tab of its own, closed before the next one opens (so Chromium holds
    one page's layout at a time); the files joined."""
    context = pipe.call("Target.createBrowserContext", {"disposeOnDetach": True})["browserContextId"]
    printed = []
    for html in pages:
        target = pipe.call("Target.createTarget", {"url": "about:blank", "browserContextId": context})["targetId"]
        printed.append(_print_tab(pipe, target, html, safeguards, paper))
        pipe.call("Target.closeTarget", {"targetId": target})
    return printed[0] if len(printed) == 1 else join_pdfs(printed)


def join_pdfs(files: list[bytes]) -> bytes:
    """PDF files as one, their pages in order."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for content in files:
        writer.append(io.BytesIO(content))
    joined = io.BytesIO()
    writer.write(joined)
    return joined.getvalue()


def _print_tab(pipe: DevToolsPipe, target: str, html: str, safeguards: Safeguards,
               paper: tuple[float, float]) -> bytes:
    session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    if safeguards.script_emulation:
        pipe.call("Emulation.setScriptExecutionDisabled", {"value": True}, session=session)
    if safeguards.request_interception:
        pipe.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=session)
    pipe.call("Page.enable", session=session)
    frame = pipe.call("Page.getFrameTree", session=session)["frameTree"]["frame"]["id"]
    # Set into the blank tab, not loaded from a file: a page whose origin is not a file may load
    # no file: URL at all, in any frame, nor go to one.
    loading = pipe.mark()
    pipe.call("Page.setDocumentContent", {"frameId": frame, "html": html}, session=session)
    pipe.wait_for("Page.loadEventFired", session=session, since=loading)
    options = {**PRINT_OPTIONS, "paperWidth": paper[0], "paperHeight": paper[1]}
    stream = pipe.call("Page.printToPDF", options, session=session)["stream"]
    chunks = []
    while True:
        chunk = pipe.call("IO.read", {"handle": stream, "size": 1 << 20}, session=session)
        data = chunk.get("data", "")
        chunks.append(base64.b64decode(data) if chunk.get("base64Encoded") else data.encode("latin-1"))
        if chunk.get("eof"):
            break
    pipe.call("IO.close", {"handle": stream}, session=session)
    return b"".join(chunks)


def _answer(pipe: DevToolsPipe, method: str, params: dict, session: str | None) -> None:
    if method == "Fetch.requestPaused":
        # Every request the page makes, whatever its URL: answered with nothing.
        pipe.send("Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                  session=session)
