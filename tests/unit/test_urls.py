"""The one URL validator: what it accepts (and how it writes it), and what it refuses, with why."""

import pytest

from workbench.text.urls import MAX_URL_LENGTH, InvalidURLError, normalize_url

#: Addresses a user or integrator might give, and the form they are kept in.
ACCEPTED = [
    pytest.param("https://example.org/", "https://example.org/", id="plain"),
    pytest.param("  https://example.org/a?b=1&c=2#top \n", "https://example.org/a?b=1&c=2#top",
                 id="surrounding_whitespace_trimmed"),
    pytest.param("HTTPS://Example.ORG/Path/Kept", "https://example.org/Path/Kept", id="scheme_and_host_lowercased"),
    pytest.param("http://bücher.example/", "http://xn--bcher-kva.example/", id="idn_host_to_punycode"),
    pytest.param("https://BÜCHER.example/x", "https://xn--bcher-kva.example/x", id="idn_host_mapped_then_encoded"),
    pytest.param("https://例え。テスト/", "https://xn--r8jz45g.xn--zckzah/", id="ideographic_full_stop"),
    pytest.param("https://example.org:8443/x", "https://example.org:8443/x", id="port"),
    pytest.param("http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x", id="ipv6_literal"),
    pytest.param("http://192.0.2.1/x", "http://192.0.2.1/x", id="ipv4_literal"),
    pytest.param("https://example.org", "https://example.org", id="no_path"),
    pytest.param("https://de.wikipedia.org/wiki/Bücher_(Begriffsklärung)",
                 "https://de.wikipedia.org/wiki/Bücher_(Begriffsklärung)", id="unicode_and_parens_in_path"),
    pytest.param("https://example.org/a%20b%27c%3Cd", "https://example.org/a%20b%27c%3Cd", id="percent_encoded_kept"),
    pytest.param("https://my_host.example/", "https://my_host.example/", id="underscore_in_host"),
]


@pytest.mark.parametrize(("given", "kept"), ACCEPTED)
def test_accepted_urls_are_normalised(given, kept):
    assert normalize_url(given) == kept


#: Hostile or broken addresses, and a word the message must contain so the user knows what to fix.
REFUSED = [
    pytest.param("https://example.org/'><script>alert(1)</script>", "'", id="quote_and_script"),
    pytest.param("https://example.org/>)[x](javascript:alert(1))", ">", id="markdown_breakout"),
    pytest.param("https://example.org/a\n<script>alert(1)</script>", "line break", id="newline"),
    pytest.param("https://example.org/a\r\nb", "line break", id="crlf"),
    pytest.param("https://example.org/a b", "space", id="space"),
    pytest.param("https://example.org/a\tb", "tab", id="tab"),
    pytest.param("https://example.org/a\u00a0b", "space", id="no_break_space"),
    pytest.param("https://example.org/a\u2028b", "line break", id="line_separator"),
    pytest.param("https://example.org/a\x00b", "U+0000", id="nul"),
    pytest.param("https://example.org/a\x7fb", "U+007F", id="delete"),
    pytest.param("https://example.org/a\x1fb", "U+001F", id="unit_separator"),
    pytest.param("https://example.org/\u202egnp.exe", "U+202E", id="bidi_override"),
    pytest.param("https://example.org/\u200b", "U+200B", id="zero_width_space"),
    pytest.param("https://example.org/\ud800", "U+D800", id="lone_surrogate"),
    pytest.param('https://example.org/"onmouseover="alert(1)', '"', id="double_quote"),
    pytest.param("https://example.org/<b>", "<", id="angle_brackets"),
    pytest.param("https://example.org/`x`", "`", id="backtick"),
    pytest.param("https://example.org\\@evil.example/", "\\", id="backslash"),
    pytest.param("javascript:alert(1)", "http", id="javascript"),
    pytest.param("JaVaScRiPt:alert(1)//https://example.org/", "http", id="javascript_mixed_case"),
    pytest.param("data:text/html,<script>alert(1)</script>", "http", id="data"),
    pytest.param("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "http", id="data_base64"),
    pytest.param("vbscript:msgbox(1)", "http", id="vbscript"),
    pytest.param("ftp://files.example/x", "http", id="ftp"),
    pytest.param("file:///etc/passwd", "http", id="file"),
    pytest.param("//example.org/x", "http", id="scheme_relative"),
    pytest.param("example.org/x", "http", id="no_scheme"),
    pytest.param("http:///x", "host", id="empty_host"),
    pytest.param("http://", "host", id="nothing_after_scheme"),
    pytest.param("https:example.org", "host", id="no_slashes"),
    pytest.param("http://user:secret@example.org/", "password", id="credentials"),
    pytest.param("https://example.org@evil.example/", "password", id="userinfo_lookalike"),
    pytest.param("http://[::1/", "IPv6", id="unclosed_ipv6"),
    pytest.param("http://[not-an-address]/", "IPv6", id="bad_ipv6"),
    pytest.param("http://example.org:99999/", "port", id="port_out_of_range"),
    pytest.param("http://example.org:http/", "port", id="port_not_a_number"),
    pytest.param("http://exa%6dple.org/", "host", id="percent_in_host"),
    pytest.param("http://exa$mple.org/", "host", id="symbol_in_host"),
    pytest.param("http://" + "a" * 64 + ".example/", "host", id="label_too_long"),
    pytest.param("https://example.org/" + "a" * MAX_URL_LENGTH, "2,000", id="too_long"),
    pytest.param("", "empty", id="empty"),
    pytest.param("   ", "empty", id="blank"),
]


@pytest.mark.parametrize(("given", "hint"), REFUSED)
def test_refused_urls_say_why(given, hint):
    with pytest.raises(InvalidURLError) as err:
        normalize_url(given, field="source URL")
    message = str(err.value)
    assert message.startswith("The source URL "), message
    assert hint in message, message


def test_the_error_is_a_value_error_and_text_only():
    with pytest.raises(ValueError):
        normalize_url(42)  # type: ignore[arg-type]


def test_a_long_idn_is_measured_after_encoding():
    # Punycode is longer than the Unicode it encodes: the cap holds for what is stored.
    label = "ü" * 20
    host = ".".join([label] * 6) + ".example"
    url = f"https://{host}/" + "a" * (MAX_URL_LENGTH - len(host) - 20)
    assert len(url) <= MAX_URL_LENGTH
    with pytest.raises(InvalidURLError, match="2,000"):
        normalize_url(url)
