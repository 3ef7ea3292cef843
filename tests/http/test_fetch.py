"""URL fetching over real HTTP on loopback: limits and the guard against internal addresses."""

import socket
import ssl
import threading
import time

import pytest

from workbench.errors import FetchError, InvalidContentError, TooLargeError
from workbench.ingest import address_is_public, fetch_url

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
    """A loopback server that answers every request by sending ``reply`` one byte every ``interval``
    seconds (or at once from ``fast_prefix`` bytes on), and counts the connections it accepted."""

    def __init__(self, reply: bytes, *, interval: float = 0.2, slow_from: int = 0, host: str = "127.0.0.1",
                 tls: ssl.SSLContext | None = None):
        self.reply, self.interval, self.slow_from, self.tls = reply, interval, slow_from, tls
        self.accepted = 0
        self.stop = threading.Event()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family)
        self.sock.bind((host, 0))
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


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1]x/", "http://[nothing]/", "http://a..b/"])
def test_a_malformed_host_is_422_in_the_api_and_the_page(api_as, client, auth, url):
    error = api_as("checker").post("/api/articles", json={"url": url})
    assert error.status_code == 422 and error.get_json()["error"]["code"] == "bad_url", error.text
    auth.login_as("checker")
    page = auth.post("/import", data={"via": "url", "url": url})
    assert page.status_code == 422 and "URL" in page.text
