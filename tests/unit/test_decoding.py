"""Bytes to text: BOM, declared charset, <meta>, UTF-8, detection; wrong declarations and WHATWG labels."""

import codecs

import pytest

from tests.corpus.encodings.pages import ARTICLES, page
from workbench.errors import InvalidContentError
from workbench.services.ingest import clean_input, decode_html
from workbench.text.decoding import codec_for, declare_utf8, declared_in_page, decode_bytes

LEGACY = [("english", "windows-1252"), ("russian", "koi8-r"), ("japanese", "shift_jis"), ("chinese", "gb18030"),
          ("japanese", "euc-jp")]


def meta(label):
    return f'<meta charset="{label}">'


def http_equiv(label):
    return f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'


@pytest.mark.parametrize("label, codec", [
    ("latin1", "cp1252"), ("ISO-8859-1", "cp1252"), ("us-ascii", "cp1252"), ("windows-1252", "cp1252"),
    ("gb2312", "gb18030"), ("GBK", "gb18030"), ("shift_jis", "cp932"), ("sjis", "cp932"), ("x-sjis", "cp932"),
    ("euc-jp", "euc_jp"), ("koi8-r", "koi8_r"), ("UTF8", "utf-8"), ("'utf-8'", "utf-8"), ("no-such-thing", None),
    ("", None), (None, None)])
def test_labels_mean_what_whatwg_says(label, codec):
    assert codec_for(label) == codec


def test_latin1_label_reads_windows_1252_punctuation():
    # 0x92 is ’ in windows-1252 and an invisible control character in real ISO-8859-1.
    assert decode_bytes("it’s £5".encode("cp1252"), "iso-8859-1").text == "it’s £5"


@pytest.mark.parametrize("name, label", LEGACY)
@pytest.mark.parametrize("declare", [meta, http_equiv])
def test_meta_declaration_is_honoured(name, label, declare):
    data = page(name, declare(label)).encode(codec_for(label))
    decoded = decode_bytes(data, html=True)
    assert decoded.text == page(name, declare(label)) and decoded.source == "meta"


@pytest.mark.parametrize("name, label", LEGACY)
def test_header_charset_is_honoured(name, label):
    data = page(name).encode(codec_for(label))
    decoded = decode_bytes(data, label, html=True)
    assert decoded.text == page(name) and decoded.source == "declared"


@pytest.mark.parametrize("name, label", LEGACY)
def test_undeclared_legacy_page_is_detected(name, label):
    decoded = decode_bytes(page(name).encode(codec_for(label)), html=True)
    assert decoded.text == page(name) and decoded.source == "detected"


@pytest.mark.parametrize("name, label", LEGACY)
def test_undeclared_long_legacy_page_is_detected(name, label):
    # Long Western pages read with as little chaos in windows-1250 (£ as Ł): windows-1252 wins the tie.
    text = page(name) * 200
    assert decode_bytes(text.encode(codec_for(label)), html=True).text == text


def test_meta_past_the_prescan_is_not_read():
    data = ("<html><head>" + "<!-- padding -->" * 1000 + meta("koi8-r")).encode()
    assert declared_in_page(data) is None


def test_header_beats_meta():
    data = page("russian", meta("windows-1251")).encode("koi8_r")
    assert decode_bytes(data, "koi8-r", html=True).text == page("russian", meta("windows-1251"))


def test_bom_beats_header_and_meta():
    text = page("english", meta("windows-1252"))
    assert decode_bytes(codecs.BOM_UTF8 + text.encode(), "koi8-r", html=True) == \
        decode_bytes(codecs.BOM_UTF8 + text.encode(), html=True)
    assert decode_bytes(codecs.BOM_UTF8 + text.encode(), "koi8-r", html=True).text == text
    assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "windows-1252").text == text


@pytest.mark.parametrize("wrong", ["iso-8859-1", "windows-1252", "us-ascii", "koi8-r", "shift_jis"])
@pytest.mark.parametrize("where", ["header", "meta"])
def test_utf8_wins_over_a_wrong_legacy_declaration(wrong, where):
    head = meta(wrong) if where == "meta" else ""
    text = page("english", head)
    decoded = decode_bytes(text.encode(), wrong if where == "header" else None, html=True)
    assert decoded.text == text and decoded.encoding == "utf-8"


def test_declared_charset_the_bytes_are_not_valid_in_falls_back_to_detection():
    # Declared UTF-8, really Shift_JIS: not valid UTF-8, so the bytes are looked at.
    text = page("japanese", meta("utf-8"))
    assert decode_bytes(text.encode("shift_jis"), "utf-8", html=True).text == text


def test_meta_utf16_in_an_ascii_page_means_utf8():
    text = page("english", meta("utf-16"))
    assert decode_bytes(text.encode(), html=True).text == text


def test_plain_text_ignores_meta_like_text():
    text = 'The string <meta charset="koi8-r"> in a post about HTML — explained.'
    assert decode_bytes(text.encode(), html=False).text == text


def test_undecodable_bytes_are_refused_with_a_clear_error():
    with pytest.raises(InvalidContentError) as err:
        decode_html(bytes(range(256)) * 4 + b"\x00\xff\xfe\x81" * 50)
    assert err.value.code == "undecodable"


def test_declare_utf8_rewrites_every_declaration_in_the_head():
    text = '<?xml version="1.0" encoding="Shift_JIS"?>' + http_equiv("koi8-r") + meta("gbk") + "<p>x</p>"
    assert declare_utf8(text) == ('<?xml version="1.0" encoding="utf-8"?>' + http_equiv("utf-8") + meta("utf-8")
                                  + "<p>x</p>")


@pytest.mark.parametrize("name, label", LEGACY)
def test_extractor_keeps_every_paragraph_of_a_legacy_page(name, label):
    result = clean_input(page(name, meta(label)).encode(codec_for(label)), "text/html")
    kept = [b.text for b in result.blocks if b.kept]
    assert all(p in kept for p in ARTICLES[name]["paragraphs"])
    assert result.meta["title"] == ARTICLES[name]["title"]


@pytest.mark.parametrize("label", ["windows-1252", "koi8-r", "shift_jis", "gb2312"])
def test_text_with_a_stale_meta_is_not_misread_by_the_extractor(label):
    # Text already decoded (as the API's JSON strings are) that still names a legacy charset: lxml
    # refuses text with an XML encoding declaration, and trafilatura then parses it as UTF-8 bytes.
    from workbench.text.extraction import extract_html

    for name in ARTICLES:
        document = f'<?xml version="1.0" encoding="{label}"?>\n' + page(name, meta(label))
        kept = [b.text for b in extract_html(document).blocks if b.kept]
        assert all(p in kept for p in ARTICLES[name]["paragraphs"]), (name, label)
