"""URL fetching over real HTTP on loopback: limits and the guard against internal addresses."""

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
import zlib

import pytest

from tests.helpers.apps import make_test_app
from tests.helpers.servers import Server
from workbench.errors import FetchError, InvalidContentError, TooLargeError
from workbench.services.ingest import address_is_public, fetch_url

PAGE = "<html><body><p>Hello from the test site.</p></body></html>"


def only(address: str):
    """An address policy that lets exactly one address through, standing in for 'public'."""
    return lambda candidate: candidate == address


def test_fetches_an_html_page(site):
    url = site.route("/story", PAGE)
    fetched = fetch_url(url, allow_private=True)
    assert fetched.body.decode() == PAGE
    assert fetched.media_type == "text/html" and fetched.charset == "utf-8"


def test_follows_redirects_and_reports_the_final_url(site):
    final = site.route("/final", PAGE)
    site.route("/old", status=301, headers={"Location": "/final"})
    assert fetch_url(site.url("/old"), allow_private=True).url == final


def test_refuses_loopback_by_default(site):
    url = site.route("/story", PAGE)
    with pytest.raises(InvalidContentError) as err:
        fetch_url(url)
    assert err.value.code == "address_refused" and "127.0.0.1" in err.value.message


def test_refuses_a_name_that_resolves_to_loopback(site):
    site.route("/story", PAGE)
    with pytest.raises(InvalidContentError) as err:
        fetch_url(site.url("/story", host="localhost"))
    assert err.value.code == "address_refused"


def test_checks_every_redirect_hop(site):
    # 127.0.0.1 plays a public host; the redirect points at 127.0.0.2, which the policy refuses.
    site.route("/hop", status=302, headers={"Location": f"http://127.0.0.2:{site.port}/inside"})
    with pytest.raises(InvalidContentError) as err:
        fetch_url(site.url("/hop"), address_allowed=only("127.0.0.1"))
    assert "127.0.0.2" in err.value.message


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("::1", False), ("fe80::1", False), ("fc00::1", False), ("0.0.0.0", False),
    ("::ffff:127.0.0.1", False), ("224.0.0.1", False), ("93.184.216.34", True), ("2606:4700::1111", True),
])
def test_address_policy(address, public):
    assert address_is_public(address) is public


def test_size_cap_from_content_length(site):
    url = site.route("/big", b"x" * 2000)
    with pytest.raises(TooLargeError):
        fetch_url(url, allow_private=True, max_bytes=1000)


@pytest.mark.parametrize("length", ["\u00b2", "12abc", "-1", "9" * 5000])
def test_a_content_length_that_is_not_a_number_is_ignored(site, length):
    # "²" passes str.isdigit(), but int() cannot read it: a server's nonsense must not be a 500.
    url = site.route("/odd", PAGE, chunked=True, headers={"Content-Length": length})
    assert b"Hello from the test site." in fetch_url(url, allow_private=True).body


def test_size_cap_while_streaming_without_length(site):
    url = site.route("/chunked", b"y" * 300_000, chunked=True)
    with pytest.raises(TooLargeError):
        fetch_url(url, allow_private=True, max_bytes=100_000)


def test_times_out(site):
    url = site.route("/slow", PAGE, delay=2)
    with pytest.raises(FetchError) as err:
        fetch_url(url, allow_private=True, timeout=0.5)
    assert err.value.code == "fetch_timeout" and err.value.status == 504


def test_a_path_with_characters_outside_ascii_is_sent_percent_encoded(site):
    site.route("/caf%C3%A9", PAGE)
    assert fetch_url(site.url("/café"), allow_private=True).body.decode() == PAGE


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd", "gopher://x", "example.org/story"])
def test_only_http_and_https(url):
    with pytest.raises(InvalidContentError) as err:
        fetch_url(url, allow_private=True)
    assert err.value.code == "bad_url"


def test_refuses_what_is_not_an_article(site):
    url = site.route("/photo", b"\x89PNG", content_type="image/png")
    with pytest.raises(InvalidContentError) as err:
        fetch_url(url, allow_private=True)
    assert err.value.code == "not_an_article"


def test_error_status_is_reported(site):
    with pytest.raises(FetchError) as err:
        fetch_url(site.url("/missing"), allow_private=True)
    assert "404" in err.value.message


def test_redirect_loop_stops(site):
    site.route("/loop", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError) as err:
        fetch_url(site.url("/loop"), allow_private=True, max_redirects=3)
    assert err.value.code == "too_many_redirects"


# ---------------------------------------------------------------------------
# A server that answers slowly
# ---------------------------------------------------------------------------

class SlowServer:
    """A loopback server that answers every request with ``reply``: its first ``slow_from`` bytes at
    once, then one byte every ``interval`` seconds. It counts the connections it accepted."""

    def __init__(self, reply: bytes, *, interval: float = 0.2, slow_from: int = 0, tls: ssl.SSLContext | None = None):
        self.reply, self.interval, self.slow_from, self.tls = reply, interval, slow_from, tls
        self.accepted = 0
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str = "/story") -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}{path}"

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.accepted += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        try:
            if self.tls:
                conn.settimeout(5)
                conn = self.tls.wrap_socket(conn, server_side=True)
            conn.recv(65536)
            conn.sendall(self.reply[:self.slow_from])
            for i in range(self.slow_from, len(self.reply)):
                if self.stop.wait(self.interval):
                    return
                conn.sendall(self.reply[i:i + 1])
        except OSError:
            return
        finally:
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def slow_server():
    made = []

    def make(reply: bytes, **kwargs) -> SlowServer:
        made.append(SlowServer(reply, **kwargs))
        return made[-1]

    yield make
    for server in made:
        server.close()


HEAD = b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"


# ---------------------------------------------------------------------------
# One deadline for the whole fetch
# ---------------------------------------------------------------------------


def test_a_body_sent_a_byte_at_a_time_is_stopped_at_the_deadline(slow_server):
    body = b"<p>" + b"x" * 40 + b"</p>"
    reply = HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    server = slow_server(reply, slow_from=len(reply) - len(body))
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch_url(server.url(), allow_private=True, timeout=1)
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 3
    assert err.value.code == "fetch_timeout" and err.value.status == 504
    assert "1 s" in err.value.message and "whole fetch" in err.value.message


def test_a_body_without_length_sent_slowly_is_not_taken_for_a_whole_page(slow_server):
    # With no Content-Length the end of the connection ends the body: cut at the deadline, it must
    # not pass for a complete (shorter) page.
    body = b"<p>" + b"x" * 40 + b"</p>"
    reply = HEAD + b"\r\n" + body
    server = slow_server(reply, slow_from=len(reply) - len(body))
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch_url(server.url(), allow_private=True, timeout=1)
    assert time.monotonic() - started < 3 and err.value.code == "fetch_timeout"


def test_a_body_cut_short_is_an_error_not_a_shorter_page(slow_server):
    server = slow_server(HEAD + b"Content-Length: 1000\r\n\r\n<p>The first words", interval=0)
    with pytest.raises(FetchError) as err:
        fetch_url(server.url(), allow_private=True)
    assert err.value.code == "fetch_failed"


def test_headers_sent_a_byte_at_a_time_are_stopped_at_the_deadline(slow_server):
    server = slow_server(HEAD + b"Content-Length: 5\r\n\r\nhello")
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch_url(server.url(), allow_private=True, timeout=1)
    assert time.monotonic() - started < 3 and err.value.code == "fetch_timeout"


@pytest.fixture
def tls_context(tmp_path, monkeypatch):
    """A server context with a self-signed certificate for 127.0.0.1, which the fetcher is made to trust."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # read by ssl.create_default_context()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def test_https_is_fetched_and_held_to_the_same_deadline(slow_server, tls_context):
    page = HEAD + f"Content-Length: {len(PAGE)}\r\n\r\n{PAGE}".encode()
    assert fetch_url(slow_server(page, interval=0, tls=tls_context).url(), allow_private=True).body.decode() == PAGE
    body = b"<p>" + b"x" * 40 + b"</p>"
    reply = HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    server = slow_server(reply, slow_from=len(reply) - len(body), tls=tls_context)
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch_url(server.url(), allow_private=True, timeout=1)
    assert time.monotonic() - started < 3 and err.value.code == "fetch_timeout"


def test_the_deadline_spans_redirects(site):
    # Each hop answers in 0.4 s, well within the limit on its own; together they pass it.
    for hop in range(5):
        site.route(f"/hop{hop}", status=302, headers={"Location": f"/hop{hop + 1}"}, delay=0.4)
    site.route("/hop5", PAGE)
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch_url(site.url("/hop0"), allow_private=True, timeout=1)
    assert time.monotonic() - started < 1.5 and err.value.code == "fetch_timeout"


def test_a_slow_name_lookup_counts_against_the_deadline(monkeypatch, site):
    # The network's resolver cannot be slowed from here, so its answer is delayed in place.
    real = socket.getaddrinfo

    def slow_getaddrinfo(*args, **kwargs):
        time.sleep(3)
        return real(*args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_getaddrinfo)
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch_url(site.route("/story", PAGE).replace("127.0.0.1", "localhost"), allow_private=True, timeout=1)
    assert time.monotonic() - started < 2 and err.value.code == "fetch_timeout"


def test_an_import_from_a_slow_server_is_refused_at_the_deadline(api_as, app, slow_server):
    app.config["FETCH_TIMEOUT"] = 1
    body = b"<html><body><p>" + b"slow " * 20 + b"</p></body></html>"
    reply = HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    server = slow_server(reply, slow_from=len(reply) - len(body))
    api = api_as("checker")
    started = time.monotonic()
    response = api.post("/api/articles", json={"url": server.url()})
    assert time.monotonic() - started < 3
    assert response.status_code == 504 and response.get_json()["error"]["code"] == "fetch_timeout"
    assert "1 s" in response.get_json()["error"]["message"]
    assert api.get("/api/articles").get_json()["total"] == 0


# ---------------------------------------------------------------------------
# The size cap counts decompressed bytes
# ---------------------------------------------------------------------------

def gzip_bomb(size: int = 8 * 1024 * 1024) -> bytes:
    """A small gzip file of an HTML page ``size`` bytes long."""
    paragraph = b"<p>The minister said the figures were right and the opposition said they were not.</p>\n"
    return gzip.compress(b"<html><body>" + paragraph * (size // len(paragraph)) + b"</body></html>", 9)


def test_gzip_content_encoding_is_read_within_the_cap(site):
    url = site.route("/gz", gzip.compress(PAGE.encode()), headers={"Content-Encoding": "gzip"})
    fetched = fetch_url(url, allow_private=True)
    assert fetched.body.decode() == PAGE


def test_gzip_content_encoding_is_capped_on_decompressed_bytes(site):
    bomb = gzip_bomb()
    assert len(bomb) < 100_000
    url = site.route("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    started = time.monotonic()
    with pytest.raises(TooLargeError) as err:
        fetch_url(url, allow_private=True, max_bytes=1_000_000)
    assert time.monotonic() - started < 2 and "decompressed" in err.value.message


def test_a_damaged_gzip_body_is_refused(site):
    whole = gzip.compress(PAGE.encode())
    for path, body in (("/garbage", b"this is not gzip"), ("/cut", whole[:len(whole) // 2])):
        with pytest.raises(InvalidContentError) as err:
            fetch_url(site.route(path, body, headers={"Content-Encoding": "gzip"}), allow_private=True)
        assert err.value.code == "bad_encoding"


def test_an_unknown_content_encoding_is_refused(site):
    url = site.route("/br", b"\x0b\x02\x80hello\x03", headers={"Content-Encoding": "br"})
    with pytest.raises(InvalidContentError) as err:
        fetch_url(url, allow_private=True)
    assert err.value.code == "unsupported_encoding" and "br" in err.value.message


@pytest.mark.parametrize("headers", [{}, {"Content-Encoding": "gzip"}], ids=["unlabelled", "content-encoding"])
def test_a_fetched_gzip_bomb_is_refused_and_nothing_is_stored(api_as, site, headers):
    url = site.route("/bomb.html", gzip_bomb(), headers=headers)
    api = api_as("checker")
    started = time.monotonic()
    response = api.post("/api/articles", json={"url": url})
    assert time.monotonic() - started < 3
    if headers:
        assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"
    else:
        assert response.status_code == 422 and response.get_json()["error"]["code"] == "compressed"
    assert api.get("/api/articles").get_json()["total"] == 0


def test_the_extractor_never_inflates_what_it_is_given():
    # trafilatura inflates gzip and zlib bytes it is handed; the extractor must only see text.
    from workbench.services.ingest import clean_input

    for packed in (gzip_bomb(), zlib.compress(b"<html><body>" + b"<p>words words</p>" * 400_000 + b"</body></html>")):
        started = time.monotonic()
        with pytest.raises(InvalidContentError) as err:
            clean_input(packed, "text/html")
        assert time.monotonic() - started < 1 and err.value.code == "compressed"


# ---------------------------------------------------------------------------
# IPv6 forms of internal addresses, and malformed hosts
# ---------------------------------------------------------------------------

def test_an_ipv6_form_of_loopback_makes_no_connection(api_as, app, monkeypatch):
    app.config.update(FETCH_ALLOW_PRIVATE=False, FETCH_TIMEOUT=1)
    listener = SlowServer(HEAD + b"Content-Length: 2\r\n\r\nhi", interval=0)
    attempts = []
    real = socket.create_connection

    def recording_create_connection(address, *args, **kwargs):
        attempts.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", recording_create_connection)
    try:
        response = api_as("checker").post("/api/articles", json={"url": f"http://[::127.0.0.1]:{listener.port}/"})
    finally:
        listener.close()
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "address_refused"
    assert "::127.0.0.1" in response.get_json()["error"]["message"]
    assert attempts == [] and listener.accepted == 0


def test_connects_to_the_address_it_checked(monkeypatch, site):
    # The name is looked up once: a second answer (DNS rebinding) cannot send the connection elsewhere.
    real, lookups = socket.getaddrinfo, []

    def lookup(host, *args, **kwargs):
        lookups.append(host)
        return real("127.0.0.1" if host == "news.invalid" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    url = site.route("/story", PAGE).replace("127.0.0.1", "news.invalid")
    assert fetch_url(url, address_allowed=only("127.0.0.1")).body.decode() == PAGE
    assert lookups.count("news.invalid") == 1


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1]x/", "http://[nothing]/", "http://a..b/"])
def test_a_malformed_host_is_422_in_the_api_and_the_page(api_as, client, auth, url):
    error = api_as("checker").post("/api/articles", json={"url": url})
    assert error.status_code == 422 and error.get_json()["error"]["code"] == "bad_url", error.text
    auth.login_as("checker")
    page = auth.post("/import", data={"via": "url", "url": url})
    assert page.status_code == 422 and "URL" in page.text


# ---------------------------------------------------------------------------
# At most FETCH_CONCURRENCY fetches at once in a process
# ---------------------------------------------------------------------------

def hold_a_fetch(app, slow_server, token):
    """Start an API import from a server that keeps it busy until closed; return the server and the
    thread once the server has the request."""
    body = b"<p>" + b"z" * 100 + b"</p>"
    reply = HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    server = slow_server(reply, interval=0.1, slow_from=len(reply) - len(body))
    results = []

    def run():
        results.append(app.test_client().post("/api/articles", json={"url": server.url()},
                                               headers={"Authorization": f"Bearer {token}"}))

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 3
    while server.accepted == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.accepted == 1
    return server, thread, results


def test_a_fetch_over_the_limit_is_answered_503_at_once(app, api_as, auth, client, site, slow_server):
    app.config.update(FETCH_CONCURRENCY=1, FETCH_TIMEOUT=5)
    api = api_as("checker")
    auth.login_as("checker")
    held, thread, results = hold_a_fetch(app, slow_server, api.token)
    try:
        started = time.monotonic()
        busy = api.post("/api/articles", json={"url": site.route("/story", PAGE)})
        assert time.monotonic() - started < 1
        assert busy.status_code == 503 and busy.get_json()["error"]["code"] == "busy"
        assert busy.headers["Retry-After"] == "5"
        page = auth.post("/import", data={"via": "url", "url": site.url("/story")})
        assert page.status_code == 503 and "try again" in page.text and page.headers["Retry-After"] == "5"
    finally:
        held.close()  # the held fetch ends: its server hung up mid-body
        thread.join(10)
    assert results[0].status_code == 502
    # The slot is free again once the first fetch is over.
    assert api.post("/api/articles", json={"url": site.url("/story")}).status_code == 201


def checker_token(database_url: str, instance) -> str:
    """A checker's API token, made by a test app (one that leaves the request log alone)."""
    from workbench.services.accounts import create_token
    from workbench.services.users import create_user
    from workbench.store.db import get_engine, get_session

    app = make_test_app(database_url, instance)
    with app.app_context():
        db = get_session()
        token = create_token(db, create_user(db, username="checker", password="checker-password", role="checker"))
    get_engine(app).dispose()
    return token


def test_slow_imports_do_not_starve_the_server(tmp_path, sqlite_template, slow_server):
    """gunicorn with one worker of two threads and a limit of one fetch: two slow imports at once
    leave a thread free, so the second import is told to wait and /healthz answers meanwhile.
    (SQLite only: the database plays no part, and starting gunicorn twice would double the time.)"""

    database = f"sqlite:///{tmp_path / 'workbench.sqlite3'}"
    shutil.copy(sqlite_template, tmp_path / "workbench.sqlite3")
    token = checker_token(database, tmp_path / "instance")
    server = Server(database, tmp_path / "instance")
    server.env.update(WORKBENCH_WORKERS="1", WORKBENCH_THREADS="2", WORKBENCH_FETCH_CONCURRENCY="1",
                      WORKBENCH_FETCH_ALLOW_PRIVATE="1", WORKBENCH_FETCH_TIMEOUT="2")
    # The held fetch would end at the deadline anyway; the test waits those 2 s to see it end there.
    body = b"<p>" + b"z" * 100 + b"</p>"
    reply = HEAD + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    slow = slow_server(reply, interval=0.1, slow_from=len(reply) - len(body))
    server.start()
    answers = []

    def slow_import():
        started = time.monotonic()
        try:
            status, _, headers = server.request("POST", "/api/articles", token, {"url": slow.url()})
        except urllib.error.HTTPError as err:
            status, headers = err.code, err.headers
        except OSError as err:  # the server went away: recorded, so the assertions name it
            status, headers = repr(err), {}
        answers.append((status, time.monotonic() - started, headers))

    try:
        threads = [threading.Thread(target=slow_import) for _ in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 1.5
        while not answers and time.monotonic() < deadline:
            time.sleep(0.02)
        assert answers, "neither import was answered promptly"
        status, elapsed, headers = answers[0]
        assert status == 503 and elapsed < 1.5 and headers["Retry-After"] == "2"
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=2) as health:
            assert health.status == 200
        assert time.monotonic() - started < 1
        # The import holding the slot may still be connecting on a busy machine: wait for it.
        deadline = time.monotonic() + 2
        while slow.accepted == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert slow.accepted == 1
        for thread in threads:
            thread.join(10)
        assert sorted(str(status) for status, _, _ in answers) == ["503", "504"]
    finally:
        server.kill()
