"""The address check behind URL import: every IPv6 form that carries an IPv4 address is judged by it."""

import pytest

from workbench.errors import InvalidContentError
from workbench.services.ingest import address_is_public, check_url_syntax

REFUSED = [
    # IPv4 itself
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "255.255.255.255", "240.0.0.1",
    # IPv6 itself
    "::1", "::", "fe80::1", "fe80::1%1", "fc00::1", "fd00::2", "ff02::1", "2001:db8::1", "100::1",
    # site-local, deprecated but still routed by some networks
    "fec0::1", "fec0::a00:1", "feff::1",
    # IPv4-mapped
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe",
    # IPv4-compatible
    "::127.0.0.1", "::10.0.0.1", "::169.254.169.254", "::192.168.0.1",
    # SIIT (IPv4-translated)
    "::ffff:0:a00:1", "::ffff:0:127.0.0.1", "::ffff:0:a9fe:a9fe",
    # NAT64, well-known prefix and local-use prefix
    "64:ff9b::a9fe:a9fe", "64:ff9b::127.0.0.1", "64:ff9b::10.0.0.1", "64:ff9b:1::a00:1", "64:ff9b:1:ffff::1",
    # 6to4
    "2002:a00:1::", "2002:7f00:1::1", "2002:a9fe:a9fe::1", "2002:c0a8:101::",
    # Teredo: server 65.54.227.120, client 10.0.0.1 (stored inverted: f5ff:fffe)
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",
    # Teredo: server 10.0.0.1, client 93.184.216.34
    "2001:0:a00:1:8000:63bf:a247:27dd",
]

ALLOWED = [
    "93.184.216.34", "1.1.1.1", "8.8.8.8",
    "2606:4700::1111", "2a00:1450:4001:82b::200e",
    "::ffff:93.184.216.34",  # mapped, public
    "64:ff9b::5db8:d822",  # NAT64 of 93.184.216.34
    "2002:5db8:d822::1",  # 6to4 of 93.184.216.34
    "2001:0:4136:e378:8000:63bf:a247:27dd",  # Teredo: both ends public
]


@pytest.mark.parametrize("address", REFUSED)
def test_refused(address):
    assert address_is_public(address) is False


@pytest.mark.parametrize("address", ALLOWED)
def test_allowed(address):
    assert address_is_public(address) is True


@pytest.mark.parametrize("url", [
    "http://[::1", "http://[::1]x/", "http://[not-an-address]/", "http://[::1]:99999/", "http://host:port/",
    "https://", "http://:80/",
])
def test_malformed_hosts_are_refused_with_a_reason(url):
    with pytest.raises(InvalidContentError) as err:
        check_url_syntax(url)
    assert err.value.code == "bad_url" and err.value.status == 422


def test_bracketed_ipv6_host_is_read():
    assert check_url_syntax("http://[2606:4700::1111]:8080/a") == ("http", "2606:4700::1111", 8080)
