"""URL fetching over real HTTP on loopback: limits and the guard against internal addresses."""

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
