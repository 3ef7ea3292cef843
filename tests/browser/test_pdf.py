"""The PDF printer given a hostile page without the report's CSP: no script runs, nothing reaches the
network, no local file is printed, Chromium runs in its sandbox, and a print is bounded in time and memory.

Each safeguard is also switched on alone (``pdf.Safeguards``) to show that it holds by itself.
"""

from __future__ import annotations

import logging
import os
import socket
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.helpers.pdf import pdf_text
from workbench.services.exports import pdf

pytestmark = pytest.mark.usefixtures("pdf_printer")

class Recorder:
    """Loopback listeners that count every TCP connection (with its first bytes) and UDP datagram."""

    def __init__(self):
        self.hits: list[str] = []
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp_port = self.udp.getsockname()[1]
        self.tcp6 = None
        try:
            self.tcp6 = socket.create_server(("::1", 0), family=socket.AF_INET6)
            self.port6 = self.tcp6.getsockname()[1]
        except OSError:  # no IPv6 loopback here
            pass
        for listener in filter(None, [self.tcp, self.tcp6]):
            threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        threading.Thread(target=self._receive, daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(0.5)
                try:
                    first = conn.recv(80)
                except OSError:
                    first = b""
                self.hits.append("tcp " + first.split(b"\r\n")[0].decode(errors="replace"))

    def _receive(self):
        while True:
            try:
                self.udp.recvfrom(2048)
            except OSError:
                return
            self.hits.append("udp")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        for sock in filter(None, [self.tcp, self.tcp6, self.udp]):
            sock.close()


@pytest.fixture
def recorder():
    server = Recorder()
    yield server
    server.close()


@pytest.fixture(scope="module")
def local_files():
    """Files anyone may read (Chromium may run as another user), each holding a marker."""
    with tempfile.TemporaryDirectory(prefix="workbench-pdf-test-") as folder:
        root = Path(folder)
        root.chmod(0o755)
        (root / "marker.html").write_text("<p>FILE-HTML-WAS-READ</p>")
        (root / "marker.css").write_text('body::after { content: "FILE-CSS-WAS-READ"; }')
        (root / "marker.txt").write_text("FILE-TEXT-WAS-READ")
        for path in root.iterdir():
            path.chmod(stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
        yield root


SCRIPT_MARKERS = ["SCRIPT-RAN", "FRAME-SCRIPT-RAN", "HANDLER-RAN", "SVG-SCRIPT-RAN", "JS-URL-RAN"]


def script_part() -> str:
    return """
<p>STATIC-TEXT</p>
<script>document.body.insertAdjacentText('beforeend', 'SCRIPT-RAN');</script>
<iframe srcdoc="<p>FRAME-TEXT</p><script>document.body.append('FRAME-SCRIPT-RAN')</script>"></iframe>
<img src="data:," onerror="document.body.append('HANDLER-RAN')" alt="">
<svg width="10" height="10"><script>document.documentElement.append('SVG-SCRIPT-RAN')</script></svg>
<iframe src="javascript:'JS-URL-RAN'"></iframe>
"""


def subresources_part(rec: Recorder) -> str:
    """Everything the document itself asks for: each is a request the printer must answer with nothing."""
    u = rec.url
    return f"""
<link rel="stylesheet" href="{u('/style.css')}">
<link rel="icon" href="{u('/favicon.ico')}">
<style>@import url("{u('/import.css')}");
  body {{ background-image: url("{u('/background.png')}"); }}
  @font-face {{ font-family: remote; src: url("{u('/font.woff2')}"); }} p {{ font-family: remote, serif; }}</style>
<img src="{u('/image.png')}" alt=""> <img srcset="{u('/srcset.png')} 2x" alt="">
<video src="{u('/video.mp4')}" autoplay muted></video> <audio src="{u('/audio.mp3')}" autoplay></audio>
<iframe src="{u('/frame.html')}"></iframe> <object data="{u('/object.html')}"></object>
<embed src="{u('/embed.html')}">
<script src="{u('/script.js')}"></script>
<script>
  fetch('{u('/fetch')}');
  const xhr = new XMLHttpRequest(); xhr.open('GET', '{u('/xhr')}'); xhr.send();
  new Image().src = '{u('/new-image.png')}';
  new EventSource('{u('/events')}');
</script>
"""


def connections_part(rec: Recorder) -> str:
    """What Chromium does beside the document's own requests: hints, sockets, WebRTC, and requests
    the browser sends on the page's behalf (beacons, keep-alive fetches), at times past interception."""
    u = rec.url
    extra = f'<img src="http://[::1]:{rec.port6}/ipv6.png" alt="">' if rec.tcp6 else ""
    return f"""
<link rel="preconnect" href="{u('')}"> <link rel="dns-prefetch" href="{u('')}">
<link rel="prefetch" href="{u('/prefetch')}"> <link rel="preload" as="image" href="{u('/preload.png')}">
<img src="http://localhost:{rec.port}/localhost.png" alt=""> {extra}
<script>
  try {{ new WebSocket('ws://127.0.0.1:{rec.port}/socket'); }} catch (e) {{}}
  navigator.sendBeacon('{u('/beacon')}', 'x');
  fetch('{u('/keepalive')}', {{method: 'POST', body: 'x', keepalive: true}});
  try {{
    const pc = new RTCPeerConnection({{iceServers: [{{urls: 'stun:127.0.0.1:{rec.udp_port}'}}]}});
    pc.createDataChannel('x'); pc.createOffer().then(o => pc.setLocalDescription(o));
  }} catch (e) {{}}
</script>
"""


def files_part(root: Path) -> str:
    return f"""
<link rel="stylesheet" href="{(root / 'marker.css').as_uri()}">
<style>@import url("{(root / 'marker.css').as_uri()}");</style>
<iframe src="{(root / 'marker.html').as_uri()}"></iframe> <iframe src="file:///etc/passwd"></iframe>
<object data="{(root / 'marker.txt').as_uri()}"></object> <object data="file:///etc/passwd"></object>
<embed src="{(root / 'marker.html').as_uri()}"> <embed src="file:///etc/passwd">
<iframe src="view-source:file:///etc/passwd"></iframe>
<script>setTimeout(() => {{ location.href = 'file:///etc/passwd'; }}, 0);</script>
"""


FILE_MARKERS = ["FILE-HTML-WAS-READ", "FILE-CSS-WAS-READ", "FILE-TEXT-WAS-READ", "root:x:0:0"]


def page(*parts: str) -> str:
    """A page with none of the report's CSP."""
    return "<!doctype html><html><head><meta charset='utf-8'></head><body>" + "".join(parts) + "</body></html>"


def settle() -> None:
    time.sleep(0.3)  # a connection made as Chromium closed is counted too


def assert_no_script_ran(text: str) -> None:
    assert "STATIC-TEXT" in text and "FRAME-TEXT" in text  # the page itself printed
    assert [m for m in SCRIPT_MARKERS if m in text] == []


def assert_no_file_was_read(text: str) -> None:
    assert "STATIC-TEXT" in text
    assert [m for m in FILE_MARKERS if m in text] == []


class ChromiumWatch:
    """Every Chromium process started below this one while the watch runs, as /proc shows it."""

    def __init__(self):
        self.seen: dict[int, dict] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        me = os.getpid()
        while not self._stop.is_set():
            now = time.monotonic()
            for pid, info in _processes().items():
                # Kept up to date while it runs: a renderer turns its sandbox on just after it starts.
                if info["cmd"] and (pid in self.seen or ("chromium" in info["cmd"] and _descends(pid, me))):
                    before = self.seen.get(pid, {"first_seen": now, "sandboxed": False})
                    sandboxed = info["seccomp"] == 2 and info["no_new_privs"] == 1
                    self.seen[pid] = {**info, "first_seen": before["first_seen"], "last_seen": now,
                                      "sandboxed": before["sandboxed"] or sandboxed}
            time.sleep(0.01)

    def renderers(self) -> list[dict]:
        return [p for p in self.seen.values() if "--type=renderer" in p["cmd"]]

    def still_running(self) -> list[int]:
        return [pid for pid in self.seen if Path(f"/proc/{pid}").exists()
                and "zombie" not in _status(pid).get("State", "zombie")]


def _status(pid: int) -> dict[str, str]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def _processes() -> dict[int, dict]:
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        status = _status(int(entry))
        if status:
            found[int(entry)] = {"cmd": cmd, "uid": int(status["Uid"].split()[0]),
                                 "seccomp": int(status.get("Seccomp", "0")),
                                 "no_new_privs": int(status.get("NoNewPrivs", "0")),
                                 "ppid": int(status["PPid"])}
    return found


def _descends(pid: int, ancestor: int) -> bool:
    for _ in range(64):
        status = _status(pid)
        if not status:
            return False
        pid = int(status["PPid"])
        if pid == ancestor:
            return True
        if pid <= 1:
            return False
    return False


# The printer as it runs in the app: every safeguard on.

@pytest.fixture(scope="module")
def hostile_print(local_files):
    """The whole hostile page printed once by the printer as the app uses it, watched from /proc."""
    rec = Recorder()
    try:
        html = page(script_part(), subresources_part(rec), connections_part(rec), files_part(local_files))
        with ChromiumWatch() as watch:
            content = pdf.html_to_pdf(html)
        settle()
        yield {"text": pdf_text(content), "hits": list(rec.hits), "watch": watch}
    finally:
        rec.close()


def test_no_script_runs_in_the_printed_page(hostile_print):
    assert_no_script_ran(hostile_print["text"])


def test_the_printed_page_reaches_no_network(hostile_print):
    assert hostile_print["hits"] == []


def test_no_local_file_is_printed(hostile_print):
    assert_no_file_was_read(hostile_print["text"])


def machine_allows_sandbox() -> bool:
    """Whether the user Chromium runs as may make a user namespace, which its sandbox needs."""
    as_chromium = {"user": "nobody"} if os.geteuid() == 0 else {}
    try:
        return subprocess.run(["unshare", "--user", "true"], capture_output=True, **as_chromium).returncode == 0
    except FileNotFoundError:  # no util-linux: let Chromium say
        return True


def test_chromium_prints_in_its_sandbox(hostile_print):
    """Seccomp on every renderer (with no new privileges), and never as root (Chromium refuses its sandbox to root, so the
    printer runs it as another user). Where the sandbox cannot be had, the test below applies."""
    if not machine_allows_sandbox():
        pytest.skip("this machine allows no user namespaces: Chromium prints without its sandbox here")
    renderers = hostile_print["watch"].renderers()
    assert any(r["sandboxed"] for r in renderers), renderers
    # A renderer killed in its first moments (a spare one, as the print ends) may not have got to it.
    working = [r for r in renderers if r["last_seen"] - r["first_seen"] >= 0.2]
    assert working and all(r["sandboxed"] for r in working), renderers
    assert all(p["uid"] != 0 for p in hostile_print["watch"].seen.values())


def test_a_print_leaves_no_process_behind(hostile_print):
    assert hostile_print["watch"].still_running() == []


# Each safeguard alone.

@pytest.mark.parametrize("layer", ["script_flag", "script_emulation"])
def test_each_script_safeguard_alone_stops_script(layer):
    printed = pdf.print_html(page(script_part()), safeguards=pdf.Safeguards.only(layer))
    assert_no_script_ran(pdf_text(printed.content))


def test_the_resolver_rules_alone_stop_every_connection_even_with_script_on(recorder, local_files):
    """Names and IP literals resolve to nothing, WebRTC sends no UDP; the document is not a file, so
    Chromium's own rule keeps files out even with script on and nothing intercepted."""
    html = page(script_part(), subresources_part(recorder), connections_part(recorder), files_part(local_files))
    printed = pdf.print_html(html, safeguards=pdf.Safeguards.only("resolver_rules"))
    settle()
    assert recorder.hits == []
    text = pdf_text(printed.content)
    assert "SCRIPT-RAN" in text  # script did run: only the resolver stood in the way
    assert_no_file_was_read(text)


def test_request_interception_alone_answers_every_request_of_the_document(recorder):
    """Not hints, sockets, WebRTC or beacons, nor the connections Chromium opens ahead of requests it
    expects (those the resolver rules stop, and script being off): no request reaches the server."""
    printed = pdf.print_html(page(script_part(), subresources_part(recorder)),
                             safeguards=pdf.Safeguards.only("request_interception"))
    settle()
    assert [hit for hit in recorder.hits if hit != "tcp "] == []
    assert "SCRIPT-RAN" in pdf_text(printed.content)


# Where the sandbox is refused, and the bounds.

def test_without_a_usable_sandbox_it_prints_without_one_and_warns(tmp_path, caplog):
    """As Chromium does where user namespaces are off: it refuses to start unless told --no-sandbox."""
    launches = tmp_path / "launches"
    fake = tmp_path / "chromium-without-sandbox"
    fake.write_text("#!/bin/sh\n"
                    f"echo launch >> {launches}\n"
                    'case " $* " in *" --no-sandbox "*) exec chromium "$@";; esac\n'
                    "echo 'No usable sandbox! Update your kernel.' >&2\nexit 1\n")
    fake.chmod(0o755)
    caplog.set_level(logging.WARNING, logger="workbench.pdf")
    for _ in range(2):
        printed = pdf.print_html(page("<p>STATIC-TEXT</p>"), executable=str(fake), run_as="")
        assert "STATIC-TEXT" in pdf_text(printed.content) and printed.sandboxed is False
    assert launches.read_text().count("launch") == 3  # the sandbox is tried once per process, not per print
    assert [r.levelno for r in caplog.records if "sandbox" in r.getMessage()] == [logging.WARNING]


def test_a_print_over_its_memory_limit_is_stopped():
    """Chromium's processes together hold a few hundred MB for any page; 50 MB stops every print."""
    with ChromiumWatch() as watch, pytest.raises(pdf.PdfUnavailableError, match=r"more than 50 MB"):
        pdf.print_html(page("<p>STATIC-TEXT</p>"), max_memory=50 * 2**20)
    assert watch.seen and watch.still_running() == []


def test_a_print_over_its_time_is_stopped(tmp_path):
    """A browser that never answers (here one that only sleeps) is killed with all it started."""
    pids = tmp_path / "pids"
    stuck = tmp_path / "chromium-stuck"
    stuck.write_text(f"#!/bin/sh\necho $$ > {pids}\nsleep 60 &\necho $! >> {pids}\nwait\n")
    stuck.chmod(0o755)
    started = time.monotonic()
    with pytest.raises(pdf.PdfUnavailableError, match=r"longer than 2 s"):
        pdf.print_html(page("<p>STATIC-TEXT</p>"), timeout=2, executable=str(stuck), run_as="")
    assert time.monotonic() - started < 4
    left = [int(pid) for pid in pids.read_text().split()]
    assert len(left) == 2 and [pid for pid in left if _status(pid) and _status(pid)["State"][0] != "Z"] == []
