"""Cleaning scraped article text, and the canonical form claims anchor to. Pure: no Flask, no DB.

The line-level cleaner gives each block a role and a reason (plain text is split into blocks,
and the article's region found among them, in :mod:`workbench.text.paste_cleaning`):

>>> [(b.role, b.text) for b in classify_blocks([Block("Big Headline"), Block("Share this story")])]
[('title', 'Big Headline'), ('junk', 'Share this story')]

Roles: ``body`` (kept), ``title``, ``dateline``, ``byline`` (become metadata) and ``junk``
(script fragments, share widgets, navigation, captions, teaser lists, cookie notices, ads).
Only ``body`` blocks reach the canonical text unless the user flips a block in the preview.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date

from workbench.memo import memoized

# ---------------------------------------------------------------------------
# Canonical text
# ---------------------------------------------------------------------------


# NUL, the other C0 controls that are not whitespace, and DEL: debris of a scrape or a bad
# encoding, never part of a story (and PostgreSQL cannot store NUL in text).
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1b\x7f]")


def drop_control_characters(text: str) -> str:
    return _CONTROL_CHARACTERS.sub("", text)


def normalize_block(text: str) -> str:
    """NFC without control characters, with every run of whitespace (newlines included) folded to one space."""
    if text.isprintable():
        # No control character and no whitespace but the space (NFC makes none): most blocks
        # need no more than NFC, told by three quick checks.
        text = unicodedata.normalize("NFC", text)
        if text[:1] != " " and text[-1:] != " " and "  " not in text:
            return text
        return " ".join(text.split())
    return " ".join(unicodedata.normalize("NFC", drop_control_characters(text)).split())


def canonicalize(paragraphs: list[str]) -> str:
    """Join paragraphs into canonical text: NFC, one blank line between paragraphs."""
    return "\n\n".join(p for p in (normalize_block(p) for p in paragraphs) if p)


def text_sha256(canonical_text: str) -> str:
    return hashlib.sha256(canonical_text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------

KEPT_ROLES = {"body"}


@dataclass
class Block:
    text: str
    role: str = "body"
    reason: str = "article text"
    #: Hints from the HTML structure (e.g. inside <nav>), empty for plain text.
    context: str = ""

    @property
    def kept(self) -> bool:
        return self.role in KEPT_ROLES

    def to_dict(self) -> dict:
        data = asdict(self)
        data["kept"] = self.kept
        return data


@dataclass
class CleanResult:
    blocks: list[Block]
    meta: dict = field(default_factory=dict)

    def kept_text(self) -> str:
        return canonicalize([b.text for b in self.blocks if b.kept])


# ---------------------------------------------------------------------------
# Vocabulary. Lower-case, punctuation-free forms; several languages and scripts.
# ---------------------------------------------------------------------------

SOCIAL_WORDS = {
    "share", "shares", "share this", "share this story", "share this article", "share this page", "share article",
    "share story", "share on facebook", "share on twitter", "share on x", "share via email", "share by email",
    "facebook", "twitter", "x", "whatsapp", "linkedin", "email", "e mail", "mail", "print", "copy link",
    "copy url", "link copied", "tweet", "pinterest", "reddit", "telegram", "weibo", "wechat", "line", "messenger",
    "flipboard", "bluesky", "threads", "mastodon", "vk", "comments", "comment", "0 comments", "view comments",
    "follow us", "follow", "like", "save", "bookmark", "gift this article", "listen to this article",
    "分享", "分享到", "分享至", "微信", "微博", "打印", "复制链接", "评论", "收藏",
    "поделиться", "вконтакте", "одноклассники", "телеграм", "комментарии", "распечатать",
    "مشاركة", "شارك", "شارك هذا", "تويتر", "فيسبوك", "واتساب", "طباعة", "تعليقات",
    "κοινοποίηση", "μοιραστείτε", "εκτύπωση", "σχόλια",
    "compartir", "comentarios", "imprimir", "partager", "commentaires", "imprimer", "teilen", "kommentare",
    "drucken", "compartilhar", "compartilhe", "comentários", "condividi", "commenti", "stampa",
}
SOCIAL_NETWORKS = {
    "facebook", "twitter", "x", "whatsapp", "linkedin", "email", "print", "pinterest", "reddit", "telegram",
    "weibo", "wechat", "line", "messenger", "flipboard", "bluesky", "threads", "mastodon", "vk", "copy", "link",
    "微信", "微博", "вконтакте", "одноклассники", "تويتر", "فيسبوك", "واتساب", "ツイート", "ポスト", "はてなブックマーク",
}
_SOCIAL_MAX_WORDS = max(len(w.split()) for w in SOCIAL_WORDS)
SHARE_PREFIXES = {"share", "follow", "シェア", "分享", "分享到", "分享至", "扫一扫", "扫码", "поделиться", "شارك", "κοινοποίηση", "compartir",
                  "partager", "teilen"}
TEASER_HEADINGS = {
    "recent news", "more stories", "more news", "related", "related news", "related articles", "related stories",
    "related content", "related coverage", "related topics", "related links", "related news programmes",
    "read more", "read next", "read also", "also read", "see also", "you may also like", "you might also like",
    "most read", "most popular", "most viewed", "trending", "trending now", "latest news", "latest stories",
    "latest", "top stories", "recommended", "recommended for you", "more on this story", "editors picks",
    "相关新闻", "相关阅读", "相关文章", "推荐阅读", "热门新闻", "热门文章", "延伸阅读", "更多新闻", "最新新闻", "猜你喜欢",
    "читайте также", "похожие новости", "популярное", "другие новости", "последние новости", "читайте еще",
    "новости по теме", "по теме", "смотрите также",
    "اقرأ أيضا", "اقرأ ايضا", "أخبار ذات صلة", "الأكثر قراءة", "مواضيع ذات صلة", "آخر الأخبار",
    "διαβάστε επίσης", "σχετικά άρθρα", "δημοφιλή", "τελευταία νέα",
    "te puede interesar", "también te puede interesar", "lee también", "noticias relacionadas", "lo más leído",
    "más noticias", "à lire aussi", "lire aussi", "sur le même sujet", "les plus lus", "à lire également",
    "das könnte sie auch interessieren", "mehr zum thema", "meistgelesen", "auch interessant",
    "leia também", "notícias relacionadas", "mais lidas", "leggi anche", "più letti", "articoli correlati",
    "popular", "popular now", "most shared", "most commented", "editor s picks", "don t miss", "in other news",
    "top headlines", "explore more on these topics", "more on this topic", "what to read next", "up next",
    "热点推荐", "热门推荐", "热榜", "24小时热榜", "排行榜", "热点新闻", "精彩推荐", "самое читаемое", "самое популярное",
    "главное", "выбор редакции", "الأكثر مشاهدة", "الأكثر تداولا", "περισσότερα", "πιο πρόσφατα", "más leídas",
    "lo último", "à la une", "les plus partagés", "top themen", "beliebt", "mais vistas", "mais recentes",
    # Japanese, Korean, Thai, Vietnamese, Indonesian and Malay, Turkish, Polish, Dutch, Italian,
    # Czech, the Baltic and Nordic languages.
    "関連記事", "関連ニュース", "おすすめ記事", "人気記事", "アクセスランキング", "ランキング", "最新記事", "注目記事",
    "관련기사", "관련 기사", "관련뉴스", "많이 본 뉴스", "인기기사", "최신기사", "추천기사",
    "เรื่องที่เกี่ยวข้อง", "ข่าวที่เกี่ยวข้อง", "ข่าวล่าสุด", "ข่าวยอดนิยม", "อ่านเพิ่มเติม",
    "tin liên quan", "bài liên quan", "tin mới nhất", "đọc nhiều nhất", "xem thêm",
    "berita terkait", "artikel terkait", "baca juga", "berita terkini", "terpopuler", "berita lainnya",
    "ilgili haberler", "benzer haberler", "en çok okunanlar", "son dakika", "bunlar da ilginizi çekebilir",
    "czytaj także", "czytaj też", "zobacz także", "zobacz też", "najczęściej czytane", "polecamy",
    "gerelateerde artikelen", "lees ook", "meest gelezen", "ook interessant",
    "potrebbe interessarti", "ti potrebbe interessare", "ultime notizie", "i più letti",
    "související články", "čtěte také", "nejčtenější", "saistītie raksti", "lasi arī", "populārākie",
    "susiję straipsniai", "skaitykite taip pat", "seotud artiklid", "loe ka", "relaterte artikler",
    "les også", "läs också", "relaterade artiklar", "læs også", "relaterede artikler", "lue myös", "luetuimmat",
}
AD_WORDS = {
    "advertisement", "advertising", "ad", "ads", "sponsored", "sponsored content", "promoted", "paid content",
    "scroll to continue with content", "story continues below advertisement", "continue reading below",
    "article continues below", "реклама", "广告", "إعلان", "διαφήμιση",
    "publicidad", "publicité", "anzeige", "werbung", "publicidade", "pubblicità",
}
NAV_WORDS = {
    "skip to content", "skip to main content", "skip navigation", "menu", "main menu", "search", "home",
    "sign in", "log in", "login", "register", "subscribe", "subscribe now", "back to top", "top", "close",
    "open menu", "toggle navigation", "next article", "previous article", "next", "previous",
    "返回顶部", "首页", "登录", "注册", "главная", "наверх", "войти", "меню", "الرئيسية", "تسجيل الدخول",
    "αρχική", "σύνδεση", "inicio", "accueil", "startseite", "início",
    "support us", "donate", "reuse this content", "report an error", "report a correction", "contact us",
    "my account", "sign out", "get the app", "download the app", "edition", "choose edition",
    "view this email in your browser", "view in browser", "view online", "forward to a friend",
    "forward this email", "unsubscribe", "update your preferences", "manage your subscription",
    "ログイン", "ログアウト", "新規会員登録", "会員登録", "記事保存", "詳しくはこちら", "会員の方はこちら", "ホーム", "トップ",
    "로그인", "로그아웃", "회원가입", "홈", "เข้าสู่ระบบ", "สมัครสมาชิก", "หน้าแรก", "trang chủ", "đăng nhập",
    "beranda", "masuk", "daftar", "giriş yap", "giriş", "anasayfa", "ana sayfa", "zaloguj", "zaloguj się",
    "strona główna", "inloggen", "accedi", "přihlásit", "pieslēgties", "prisijungti", "logga in", "logg inn",
    "kirjaudu", "sākums", "pradžia", "avaleht", "etusivu",
}
READ_MORE_RE = re.compile(
    r"(read more|continue reading|read the full story|full story|more\s*»|阅读全文|查看全文|читать далее|подробнее"
    r"|اقرأ المزيد|διαβάστε περισσότερα)\s*[»›>.…]*\s*$",
    re.IGNORECASE,
)
# Searched only for whether a block has a credit; "File photo:", "Handout image by" are found by
# their second word. Each alternative starts with a literal, so the search can skip ahead.
CREDIT_RE = re.compile(
    r"((photo|photograph|image|picture|video|graphic|illustration)s?"
    r"( credit)?\s*(:|/|by\b|courtesy)"
    r"|image source,|getty images|\(reuters\)$|\(ap photo|\(afp\)$"
    r"|图片来源|图片[:：]|圖片[:：]|资料图|写真[:：]|撮影[:：]|фото[:：]|صورة[:：]|φωτογραφία[:：])",
    re.IGNORECASE,
)
COOKIE_RE = re.compile(
    r"(c(?<=\bc)ookies?\b.*\b(use|accept|consent|policy|settings|preferences|agree)\b"
    r"|a(?<=\ba)ccept all\b|r(?<=\br)eject all\b|m(?<=\bm)anage (cookie )?preferences\b|файлы cookie|使用cookie|ملفات تعريف الارتباط"
    # Cookies in other languages, said to the reader (the address words below decide).
    r"|sīkdatn|slapuk|küpsis|evästei|evästet|ciasteczk|pliki cookie|çerez|informační soubory|クッキー|쿠키|คุกกี้)",
    re.IGNORECASE,
)
PROMO_RE = re.compile(
    r"(newsletter|sign up for|subscribe to (our|the)|get the latest .* (in|to) your inbox|download (our|the) app"
    r"|already a subscriber|subscribe to continue|to continue reading|订阅|подпишитесь|اشترك في)",
    re.IGNORECASE,
)
FOOTER_RE = re.compile(r"(^©|^copyright\b|all rights reserved|版权所有|版權所有|все права защищены|جميع الحقوق محفوظة)", re.I)
EDITOR_CREDIT_RE = re.compile(
    r"^(责任编辑|编辑|編輯|editor|edited by|editing by|additional reporting by|редактор|تحرير)\s*[:：]?\s*\S", re.IGNORECASE
)
# The article's sign-off: "（编辑：严玉洁 王辉）", "【责任编辑：李华】", "(Reporting by Ana Ruiz; Editing by
# Tom Hale)", "Редактор: Анна Петрова", a line of names, never a sentence. Printed just after the
# last paragraph it is part of the article as published (see :func:`is_sign_off`).
SIGN_OFF_RE = re.compile(
    r"^[(（【\[]?\s*(责任编辑|编辑|編輯|本报记者|本報記者|本台记者|特约记者|记者|記者|editor|edited by|editing by"
    r"|(additional )?reporting by|written by|writing by|compiled by|редактор|تحرير)\s*[:：]?\s*\S"
    # A signature set off by a dash: "-- By Michael Russell", "— Jane Roe, staff writer".
    r"|^(--|—|–)\s*(by\s+)?[^\W\d_]", re.IGNORECASE)
# A photo's file name printed where the photo failed to load ("google.JPG", "IMG_2034.jpeg").
IMAGE_FILE_RE = re.compile(r"[^\s/\\]{1,80}\.(jpe?g|png|gif|webp|bmp|tiff?|svg|heic|avif)")
TAGS_RE = re.compile(r"^(tags?|topics?|keywords|filed under|标签|теги|الوسوم)\s*[:：]", re.IGNORECASE)
BYLINE_RE = re.compile(
    r"^((by|written by|reporting by|words by|von|par|por|автор|текст|作者|记者|記者|بقلم|του|της)\s*[:：]?\s+"
    # Words that name an author only when a colon follows ("Autori: Anna Ūdre").
    r"|(authors?|autori|autors|autor|autorius|autoriai|autoři|autore|auteurs?|yazar|tác giả|penulis|kirjoittaja"
    r"|författare|forfatter|auteur|著者|筆者|기자|ผู้เขียน)\s*[:：]\s*)(?P<name>.+)$",
    re.IGNORECASE,
)
# Every alternative starts with a literal character (a word boundary is checked just after it, as
# in "f(?<=\bf)unction"), so the search can skip ahead; a block of prose is searched in microseconds.
CODE_RE = re.compile(
    r"(j(?<=\bj)Query\b|d(?<=\bd)ocument\.\w|w(?<=\bw)indow\.\w|f(?<=\bf)unction\s*\(|v(?<=\bv)ar\s+\w+\s*="
    r"|c(?<=\bc)onst\s+\w+\s*=|l(?<=\bl)et\s+\w+\s*=|c(?<=\bc)onsole\.\w|getElementById|addEventListener|googletag"
    r"|dataLayer|\$\(|=>|</?[a-z]+[^>]*>|\)\s*;\s*$)",
)
# The tail of a script cut in two: '");'
CODE_TAIL_RE = re.compile(r"\s*[\"']\)\s*;")
CODE_SYMBOLS = set("{}()[];=<>$\"'\\|#")
_CODE_SYMBOL_BYTES = "".join(sorted(CODE_SYMBOLS)).encode("ascii")
BULLETS = "•·▪‣◦●■►–—-*"
SENTENCE_END_RE = re.compile(r"[.!。！](\s*[\"”’»」』)\]])*$")

# Dates -------------------------------------------------------------------
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
    "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7, "أغسطس": 8,
    "سبتمبر": 9, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "ιανουαρίου": 1, "φεβρουαρίου": 2, "μαρτίου": 3, "απριλίου": 4, "μαΐου": 5, "ιουνίου": 6, "ιουλίου": 7,
    "αυγούστου": 8, "σεπτεμβρίου": 9, "οκτωβρίου": 10, "νοεμβρίου": 11, "δεκεμβρίου": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "januar": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_PATTERNS = [
    # 2022-07-20, 2022/7/20, 2022.07.20
    (re.compile(r"(?P<y>(19|20)\d\d)[-/.](?P<m>0?[1-9]|1[0-2])[-/.](?P<d>0?[1-9]|[12]\d|3[01])(?!\d)"), "ymd"),
    # 2022年7月20日
    (re.compile(r"(?P<y>(19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"), "ymd"),
    # July 20, 2022
    (re.compile(rf"(?P<mon>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(st|nd|rd|th)?,?\s+(?P<y>(19|20)\d\d)", re.I), "mdy"),
    # 20 July 2022, 20 июля 2022 г., 20 de julio de 2022, 20. Juli 2022
    (re.compile(rf"(?P<d>\d{{1,2}})(st|nd|rd|th|er|º)?\.?\s+(de\s+)?(?P<mon>{_MONTH_ALT})\.?,?\s+(de\s+)?(?P<y>(19|20)\d\d)",
                re.I), "dmy"),
    # 20.07.2022 / 20/07/2022 (day first, as most of the world writes it)
    (re.compile(r"(?<!\d)(?P<d>0?[1-9]|[12]\d|3[01])[./](?P<m>0?[1-9]|1[0-2])[./](?P<y>(19|20)\d\d)"), "dmy_num"),
]
DATELINE_FILLER_RE = re.compile(
    r"(published|updated|last updated|posted|first published|modified|date|on|at|am|pm|a\.m\.|p\.m\.|"
    r"[A-Z]{2,4}T|UTC|GMT|HKT|BST|CET|CEST|EST|EDT|PST|PDT|MSK|JST|г\.|года|опубликовано|обновлено|发布时间|更新时间|"
    r"نشر في|تحديث|δημοσιεύθηκε|ενημερώθηκε|\d{1,2}:\d\d(:\d\d)?|[|,:·\-–—()]|\d+)",
    re.IGNORECASE,
)
WEEKDAYS_RE = re.compile(
    r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|nesday|sday|urday)?\b\.?", re.IGNORECASE
)


# Every form above has a year of four digits: text without one is not searched for them.
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def find_date(text: str) -> date | None:
    """The first calendar date written in ``text``, in any of the supported forms."""
    if not _YEAR_RE.search(text):
        return None
    for pattern, order in DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        try:
            month = int(parts["m"]) if parts.get("m") else MONTHS[parts["mon"].lower().rstrip(".")]
            return date(int(parts["y"]), month, int(parts["d"]))
        except (ValueError, KeyError):
            continue
    return None


def _date_span(text: str) -> tuple[int, int] | None:
    if not _YEAR_RE.search(text):
        return None
    for pattern, _order in DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.span()
    return None


# ---------------------------------------------------------------------------
# Measures of a block
# ---------------------------------------------------------------------------

# Chinese and Japanese (kana, CJK ideographs and their compatibility forms); Korean separates
# its words with spaces and is counted by them.
_CJK_RE = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


# Thai, Lao and Khmer write a phrase's words together too; their words run to about four characters.
_UNSPACED_RE = re.compile(r"[\u0e00-\u0eff\u1780-\u17ff]+")


_ASCII_BYTES = bytes(range(128))


def non_ascii(text: str) -> str:
    """The characters of ``text`` outside ASCII, in order (by bytes: quicker than by characters)."""
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")


@memoized(max_entries=65536)
def word_count(text: str) -> int:
    """Words, counting each Chinese or Japanese character as one, and each four characters of
    Thai, Lao or Khmer as one (those scripts do not separate words)."""
    if text.isascii():
        return len(text.split())
    others = non_ascii(text)  # English with curly quotes: split at spaces as ASCII is
    if not _CJK_RE.search(others) and not _UNSPACED_RE.search(others):
        return len(text.split())
    cjk = len(_CJK_RE.findall(text))
    text = _CJK_RE.sub(" ", text)
    unspaced = _UNSPACED_RE.findall(text)
    if unspaced:
        text = _UNSPACED_RE.sub(" ", text)
    return len(text.split()) + cjk + sum(-(-len(run) // 4) for run in unspaced)


# What plain_key removes: punctuation, not the vowel signs and other marks that Thai, the Indic
# scripts, Hebrew and Arabic write as separate characters inside their words (``\w`` misses them).
_PUNCTUATION_RE = re.compile(
    r"[^\w\s\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    r"\u0900-\u0963\u0966-\u0dff\u0e00-\u0e4e\u0e50-\u0e59\u0e80-\u0eff\u1000-\u109f\u1780-\u17d3]"
)
_ASCII_PUNCTUATION_TO_SPACE = bytes(32 if _PUNCTUATION_RE.match(chr(b)) else b for b in range(256))
# Typographic punctuation, symbols and spaces that plain_key makes spaces of (NFKC leaves each
# punctuation or a space, and joins none to its neighbours): a text with no other non-ASCII
# character is keyed as ASCII once they are spaces.
_TYPOGRAPHIC = frozenset("\u00a0\u2009\u202f\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a"
                         "\u2010\u2011\u2013\u2014\u2015\u2026\u2022\u00b7\u00a9\u00ae\u00a3\u20ac"
                         "\u00a5\u00b0\u00a7\u00b6\u2020\u2021\u2032\u2033")
_NAV_SEPARATOR_RE = re.compile(r"\s+[|>›»/·]\s+|\s*\|\s*")
_NAV_SEPARATORS = "|>›»/·"  # a line without any of them is not split by _NAV_SEPARATOR_RE


# Cached: the import judges each block by several rules that each ask for its key.
@memoized(max_entries=65536)
def plain_key(text: str) -> str:
    """Lower-case text without punctuation or bullets, for matching against the vocabulary."""
    if not text.isascii():
        others = non_ascii(text)
        if _TYPOGRAPHIC.issuperset(others):  # curly quotes, dashes: punctuation, spaces as the rest is
            for character in set(others):
                text = text.replace(character, " ")
    if text.isascii():  # what the expression below makes, by a byte table
        return " ".join(text.lower().encode("ascii").translate(_ASCII_PUNCTUATION_TO_SPACE).decode("ascii").split())
    text = unicodedata.normalize("NFKC", text)
    # "İ" lowers to "i" and a combining dot, which the vocabulary does not write.
    text = _PUNCTUATION_RE.sub(" ", text.lower().replace("i\u0307", "i"))
    return " ".join(text.split())


def strip_bullet(text: str) -> str:
    stripped = text.lstrip()
    if stripped[:1] in BULLETS and (len(stripped) == 1 or stripped[1:2].isspace()):
        return stripped[1:].strip()
    return stripped


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    return bool(SENTENCE_END_RE.search(text)) and not text.endswith(("...", "…"))


def is_sign_off(text: str) -> bool:
    """Who reported, wrote or edited the article, on a line of its own (see :data:`SIGN_OFF_RE`), or
    the agency's or the end's mark in brackets ("(EFE)", "(AP)", "（完）", "（来源：新华社）")."""
    text = text.strip()
    if word_count(text) > 14 or len(text) > 120:
        return False
    if SIGN_OFF_RE.match(text):
        return not ends_sentence(text.rstrip(")）】]"))
    tag = _BRACKETED_TAG_RE.fullmatch(text)
    if tag is None or len(tag.group(1).split()) > 4 or _MEDIA_WORD_RE.search(tag.group(1)):
        return False
    verdict = classify(tag.group(1))
    return verdict is None or verdict[0] == "byline" or verdict[1] == "source and author credit"


# A short tag in parentheses; what names a photo or a video in one is a caption's ("(Courier photo)"),
# and one in square brackets a button's ("【打印】", "[Print]").
_BRACKETED_TAG_RE = re.compile(r"[(（]\s*([^()（）【】\[\]\d]{1,24}?)\s*[)）]")
_MEDIA_WORD_RE = re.compile(r"photo|image|picture|video|foto|bild|фото|видео|图|圖|写真|画像|사진|영상", re.IGNORECASE)


def looks_like_code(text: str) -> bool:
    if _may_match(CODE_RE, text) and CODE_RE.search(text) or CODE_TAIL_RE.match(text):
        return True
    # The symbols are ASCII, one byte each in UTF-8, which writes every other character without them.
    encoded = text.encode("utf-8", "surrogatepass")
    symbols = len(encoded) - len(encoded.translate(None, _CODE_SYMBOL_BYTES))
    if symbols < 3:
        return False
    visible = len("".join(text.split()))  # the characters that are not whitespace (str.isspace)
    if symbols / visible <= 0.3:
        return False
    return sum(map(str.isalpha, text)) < 40


def is_social(text: str) -> bool:
    return _is_social_key(plain_key(text))


def _is_social_key(key: str) -> bool:
    if not key:
        return False
    if key in SOCIAL_WORDS:
        return True
    words = key.split(None, 9)
    if len(words) == 10:
        # Ten words or more: a widget's only if all are networks' names, or most are numbers.
        head = words[:9]
        if words[0] not in _NETWORK_WORDS and len(head) - sum(map(str.isdigit, head)) > _SOCIAL_MAX_WORDS:
            return False
        words = key.split()
    # Without its numbers ("12 Comments"), a line can be a widget's label only if few words are left.
    if len(words) - sum(map(str.isdigit, words)) <= _SOCIAL_MAX_WORDS and \
            " ".join(w for w in words if not w.isdigit()) in SOCIAL_WORDS:
        return True
    if len(words) <= 8 and words[0] in SHARE_PREFIXES and word_count(key) <= 8:
        return True
    if len(words) == 1 and _glued_networks(words[0]):
        return True
    # "Facebook Twitter WhatsApp Email": nothing but the names of networks.
    return len(words) >= 2 and all(w in _NETWORK_WORDS for w in words)


_NETWORK_WORDS = SOCIAL_NETWORKS | SHARE_PREFIXES | {"on", "via", "and"}


_GLUED_NAMES = tuple(sorted(n for n in SOCIAL_NETWORKS | SHARE_PREFIXES if len(n) > 2))
# The names, longest first, one after another to the end: a word made of nothing else.
_GLUED_RE = re.compile("(?:" + "|".join(map(re.escape, sorted(_GLUED_NAMES, key=len, reverse=True))) + ")+")


def _glued_networks(word: str) -> bool:
    """"sharefacebooktwitterwhatsappemail": share buttons whose labels a copy ran together."""
    # One name at each end and two in all: most words fail here, before the whole word is parsed.
    if len(word) > 200 or not word.endswith(_GLUED_NAMES) or not word.startswith(_GLUED_NAMES):
        return False
    return sum(1 for n in _GLUED_NAMES if n in word) >= 2 and _GLUED_RE.fullmatch(word) is not None


def is_teaser_heading(text: str) -> bool:
    return _is_teaser_key(plain_key(text))


def _is_teaser_key(key: str) -> bool:
    if key in TEASER_HEADINGS:
        return True
    words = key.split(None, 6)  # the rules below look at six words at most
    if 0 < len(words) <= 4 and words[0] == "related":
        return True
    # "More from Politics", "More Must-Reads From TIME", "More stories from the Courier"
    return 0 < len(words) <= 6 and words[0] == "more" and "from" in words


def is_nav(text: str) -> bool:
    return _is_nav(text, plain_key(text))


def _is_nav(text: str, key: str) -> bool:
    if key in NAV_WORDS:
        return True
    # Breadcrumbs and menus: three or more short items between separators.
    for separator in _NAV_SEPARATORS:
        if separator in text:
            break
    else:
        return False
    parts = [p.strip() for p in _NAV_SEPARATOR_RE.split(text) if p.strip()]
    if len(parts) == 2 and plain_key(parts[0]) in NAV_WORDS:
        return word_count(parts[1]) <= 3  # "Home / Health": a breadcrumb from the front page
    return len(parts) >= 3 and all(word_count(p) <= 3 for p in parts)


# Sections of a site's menu, in the languages of the corpus: a line of several of them is a menu.
SECTION_WORDS = {
    "home", "news", "latest", "world", "uk", "us", "local", "national", "international", "politics", "business",
    "economy", "money", "markets", "tech", "technology", "science", "health", "education", "schools", "sport",
    "sports", "football", "culture", "arts", "entertainment", "lifestyle", "life", "style", "travel", "food",
    "opinion", "comment", "weather", "traffic", "community", "contests", "video", "videos", "podcasts", "photos",
    "live", "property", "planning", "transport", "jobs", "obituaries", "deals", "reviews", "gaming", "security",
    "applications", "apps", "os", "channel", "what", "s", "on", "events", "crime", "environment", "climate",
    "books", "music", "film", "tv", "media", "games", "puzzles", "newsletters", "more",
    "新闻", "首页", "财经", "科技", "汽车", "房产", "教育", "体育", "娱乐", "军事", "国际", "国内", "社会", "健康", "旅游", "视频",
    "новости", "главная", "политика", "экономика", "общество", "спорт", "культура", "происшествия", "мир", "наука",
    "технологии", "авто", "регион", "видео",
    "الرئيسية", "أخبار", "سياسة", "اقتصاد", "رياضة", "ثقافة", "منوعات", "صحة", "تكنولوجيا", "فيديو", "العالم",
    "ειδήσεις", "αρχική", "πολιτική", "οικονομία", "κόσμος", "αθλητισμός", "πολιτισμός", "υγεία", "τεχνολογία",
    "portada", "españa", "internacional", "deportes", "cultura", "economía", "política", "sociedad", "opinión",
    "actualité", "politique", "économie", "société", "monde", "régions", "faits", "divers", "nachrichten", "politik",
    "wirtschaft", "kultur", "ratgeber", "panorama", "regional", "notícias", "economia", "esportes", "mundo",
    "brasil", "cidades", "saúde",
}
_MENU_CONNECTORS = {"and", "&", "s", "y", "et", "und", "e", "и", "و", "και"}
_SENTENCE_PUNCTUATION = set(".,;:!?\"“”«»。，；：！？、")


def is_menu(text: str) -> bool:
    """A menu copied as one line: "Latest News Applications OS Channel…", "新闻 财经 科技 汽车".

    Several words with no sentence punctuation, each capitalised where the script has case, at
    least half of them sections of a site; or four or more short CJK words between spaces.
    """
    if len(text) > 160 or not _SENTENCE_PUNCTUATION.isdisjoint(text):
        return False
    tokens = text.split()
    if len(tokens) < 4:
        return False
    if all(_CJK_RE.fullmatch(t[0]) and len(t) <= 4 for t in tokens):
        return True
    if any(t[0].islower() and plain_key(t) not in _MENU_CONNECTORS for t in tokens):
        return False
    words = plain_key(text).split()
    sections = sum(1 for w in words if w in SECTION_WORDS)
    return sections >= 3 and sections * 2 >= len(words)


# Comment widgets: their headings, sort controls and log-in prompts.
COMMENT_WORDS = {
    "comments", "comment", "conversation", "join the conversation", "leave a comment", "leave a reply",
    "add a comment", "post a comment", "cancel reply", "sort by", "newest", "oldest", "most liked", "best", "top",
    "show more comments", "load more comments", "view all comments", "be the first to comment", "reply", "replies",
    "网友评论", "热门评论", "最新评论", "发表评论", "全部评论", "我要评论", "комментарии", "оставить комментарий",
    "комментировать", "التعليقات", "أضف تعليقك", "أضف تعليق", "σχόλια", "γράψτε σχόλιο", "comentarios",
    "deja tu comentario", "commentaires", "réagir", "kommentare", "kommentieren", "comentários", "comente",
    "comentar", "comenta", "commenta", "commenti", "komentarze", "skomentuj", "reacties", "reageer", "yorumlar",
    "yorum yap", "komentáře", "komentāri", "komentarai", "kommentarer", "kommentoi", "bình luận", "komentar",
    "コメント", "コメントする", "댓글", "댓글쓰기", "ความคิดเห็น", "แสดงความคิดเห็น",
    # "Found a mistake?": the error-report widgets of news sites.
    "found a mistake", "spotted an error", "kļūda rakstā", "ziņot par kļūdu", "нашли ошибку", "нашли опечатку",
}
COMMENT_RE = re.compile(
    r"(^(log ?in|sign in|sign up|register|войдите|авторизуйтесь|connectez-vous|inicia sesión|faça login|entre"
    r"|jetzt anmelden|anmelden|συνδεθείτε|سجل الدخول|登录)\b.{0,40}(comment|коммент|coment|diskut|σχολ|تعليق|评论)"
    r"|^登录后.{0,6}评论|沙发|暂无评论|还没有评论|^comments are (closed|open)|^\d+\s+(comments?|replies|коммент\w*|评论)$)",
    re.IGNORECASE,
)
# Prompts to subscribe, follow or sign up: they speak to the reader, in the imperative.
PROMPT_RE = re.compile(
    r"^(sign up|subscribe|get (our|the|your)|join (our|the|us)|receive|enter your email|don'?t miss|never miss"
    r"|download (our|the) app|follow us|support (us|our)|become a (member|subscriber)|abonnez-vous|inscrivez-vous"
    r"|suscríbete|regístrate|assine|inscreva-se|(jetzt )?(newsletter )?abonnieren|подпишитесь|подписывайтесь"
    r"|подписаться|اشترك|订阅|关注我们|εγγραφείτε|newsletter\b)",
    re.IGNORECASE,
)
# A paywall's prompt: what it says is about the reader's access, never about the story.
PAYWALL_RE = re.compile(
    r"(already a subscriber|you(?:'ve| have) read (?:all )?(?:your )?(?:\d+ )?free articles|free articles? (?:left|remaining)"
    r"|subscribe (?:now )?to (?:continue|keep reading)|to continue reading,? (?:subscribe|sign in|log in)"
    r"|subscribe\b.{0,60}\bfor unlimited access"
    r"|会員限定です|有料会員限定|有料会員の方のみ|会員登録が必要|続きをお読みいただけます|登録すると続き|무료 회원 전용|유료 회원 전용"
    r"|로그인 후 이용|로그인하시면|登录后阅读|登录后查看|付费阅读全文|สมาชิกเท่านั้น)",
    re.IGNORECASE,
)
# "Priya Raman Media reporter", "Redacción Valdeluz": a name and a newsroom role, without "By".
BYLINE_ROLE_RE = re.compile(
    r"(^(redacción|redação|rédaction|redaktion|staff|newsroom)\b"
    r"|\b(reporter|correspondent|staff writer|journalist|columnist|editor|contributor|корреспондент|обозреватель"
    r"|مراسل|محرر|rédacteur|redactora?|redakteur(in)?)$)",
    re.IGNORECASE,
)
# "本文来源：南江日报 作者：陈静": nothing but source and author.
SOURCE_LINE_RE = re.compile(r"^(本文)?(来源|作者|记者|source|quelle|fuente|источник|المصدر)\s*[:：]", re.IGNORECASE)
# Dateline words of languages the main filler misses ("Publié le 5 novembre 2025 à 18h02").
DATELINE_WORDS_RE = re.compile(
    r"\b(publié|mis à jour|le|à|publicado|actualizado|el|às|atualizado|em|veröffentlicht|aktualisiert|uhr|um"
    r"|δημοσίευση|\d{1,2}h\d\d)\b", re.IGNORECASE
)


# "来源：江城日报", "Source: Reuters", "作者：李华" may share the dateline's line.
DATELINE_PARTS_RE = re.compile(r"(来源|作者|记者|source|author|quelle|fuente|источник|المصدر)\s*[:：]\s*\S+", re.I)


def dateline_date(text: str) -> date | None:
    """The date of a line that is nothing but a date (with time, zone, 'Published' or its source), else None."""
    if len(text) > 100:
        return None
    span = _date_span(text)
    if span is None:
        return None
    rest = text[: span[0]] + " " + text[span[1]:]
    rest = DATELINE_PARTS_RE.sub(" ", rest)
    rest = WEEKDAYS_RE.sub(" ", rest)
    rest = DATELINE_FILLER_RE.sub(" ", DATELINE_WORDS_RE.sub(" ", rest))
    if word_count(rest) > 2:
        return None
    return find_date(text)


# ---------------------------------------------------------------------------
# The classifier
# ---------------------------------------------------------------------------


# Rules whose words also occur in article prose ("680,000 newsletter subscribers"): a sentence the
# extractor kept as article text is not dropped by them.
VOUCHABLE_REASONS = {"script or code fragment", "newsletter or subscription prompt", "photo caption or credit"}


def reads_as_prose(text: str) -> bool:
    return ends_sentence(text) and word_count(text) >= 8 and not looks_like_markup(text)


def looks_like_markup(text: str) -> bool:
    return bool(re.search(r"</?[a-z]+[^>]*>|[{};]\s*$|\bfunction\s*\(|=>", text))


def classify(text: str, *, vouched: bool = False) -> tuple[str, str] | None:
    """Role and reason for a block judged on its own text, or None when it reads as article text.

    ``vouched``: an extractor kept this text as the article's; if it reads as a sentence, the
    rules in :data:`VOUCHABLE_REASONS` do not apply.
    """
    verdict = _classify(text)
    if vouched and verdict and verdict[1] in VOUCHABLE_REASONS and reads_as_prose(text):
        return None
    return verdict


# Cached: a page repeats its widgets' labels ("Reply", "Share") once per post or comment.
@memoized(max_entries=65536)
def _classify(text: str) -> tuple[str, str] | None:
    # Each measure is taken once, and the length guards come before the patterns: most rules are
    # about short blocks, so a paragraph of prose is searched by only a few of them.
    if looks_like_code(text):
        return "junk", "script or code fragment"
    words = word_count(text)
    key = plain_key(text)
    low = text.lower()
    if _is_social_key(key):
        return "junk", "share or social widget"
    if words <= 3 and IMAGE_FILE_RE.fullmatch(low.strip()):
        return "junk", "image file name"
    if words <= 60 and _search(COOKIE_RE, low) and (words <= 6 or _search(_ADDRESS_RE, low)):
        return "junk", "cookie notice"
    if key in AD_WORDS:
        return "junk", "advertisement"
    if _is_teaser_key(key):
        return "junk", "related or recent news list"
    if _search(READ_MORE_RE, low[-60:]):
        return "junk", "teaser ending in 'Read more'"
    if _is_nav(text, key):
        return "junk", "navigation"
    if is_menu(text):
        return "junk", "navigation menu"
    if words <= 15 and _is_comment_widget(text, key, words):
        return "junk", "comment widget"
    if words <= 30 and _search(ERROR_REPORT_RE, low):
        return "junk", "error-report prompt"
    if words <= 80 and _search(PAYWALL_RE, low):
        return "junk", "paywall prompt"
    if words <= 40 and _is_prompt(low, words, text):
        return "junk", "newsletter or subscription prompt"
    if words <= 30 and _search(FOOTER_RE, low) or words <= 80 and low.lstrip().startswith(("©", "(c) ", "copyright ")):
        return "junk", "copyright footer"
    if _search(TAGS_RE, low):
        return "junk", "tag list"
    if words <= 12 and _search(EDITOR_CREDIT_RE, low):
        return "junk", "editor credit"
    if words <= 45 and _search(CREDIT_RE, low):
        return "junk", "photo caption or credit"
    if dateline_date(text) is not None:
        return "dateline", "dateline (used as the published date)"
    if words <= 10 and BYLINE_RE.match(text) and not ends_sentence(text):
        return "byline", "byline (used as the author)"
    if words <= 7 and _search(BYLINE_ROLE_RE, low) and not ends_sentence(text) and not any(c.isdigit() for c in text):
        return "byline", "byline (used as the author)"
    if words <= 15 and _search(SOURCE_LINE_RE, low) and not ends_sentence(text):
        return "junk", "source and author credit"
    return None


# Keyed by the pattern's text: a compiled pattern's own hash is computed afresh, over its whole
# program, each time it is asked for.
_LOWERED: dict[str, tuple[int, re.Pattern, tuple | None]] = {}


def _search(pattern: re.Pattern, low: str) -> bool:
    """``pattern.search`` on text already lower-cased, by a case-sensitive copy of the pattern.

    Python's regular expressions skip their fast scan for a literal start under IGNORECASE, which
    makes these keyword patterns several times slower on long blocks; their words are written in
    lower case, so on lowered text the copy finds what the original finds. A text holding none of
    the words a match needs is not searched at all (see :func:`_may_match`).
    """
    found = _LOWERED.get(pattern.pattern)
    if found is None or found[0] != pattern.flags:
        if re.search(r"[A-Z]", re.sub(r"\\.", "", pattern.pattern)):
            raise ValueError(f"{pattern.pattern!r} has capitals: it cannot be searched on lowered text")
        lowered = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
        found = _LOWERED[pattern.pattern] = (pattern.flags, lowered, _needles(lowered))
    _flags, lowered, needles = found
    return (needles is None or _holds_any(low, needles)) and lowered.search(low) is not None


_NEEDLES: dict[str, tuple[int, tuple | None]] = {}


def _may_match(pattern: re.Pattern, text: str) -> bool:
    """False when ``text`` lacks what every match of ``pattern`` contains (see :func:`required_pieces`).

    Searching a paragraph for a dozen keywords with a regular expression tries each alternative at
    nearly every character; looking for the keywords as plain substrings is many times quicker,
    and most paragraphs hold none of them.
    """
    found = _NEEDLES.get(pattern.pattern)
    if found is None or found[0] != pattern.flags:
        found = _NEEDLES[pattern.pattern] = (pattern.flags, _needles(pattern))
    return found[1] is None or _holds_any(text, found[1])


# The last text _holds_any was asked about, and its characters outside ASCII (held, so the text
# cannot be freed and another take its place).
_LAST_OTHERS: tuple[str | None, str] = (None, "")


def _holds_any(text: str, needles: tuple) -> bool:
    singles, alternatives, foreign, by_character = needles
    for piece in singles:
        if piece in text:
            return True
    for pieces in alternatives:
        for piece in pieces:
            if piece not in text:
                break
        else:
            return True
    if not foreign or text.isascii():
        return False
    global _LAST_OTHERS
    last = _LAST_OTHERS
    if last[0] is text:  # the rules ask about one block's text one after another
        others = last[1]
    else:
        others = non_ascii(text)
        _LAST_OTHERS = (text, others)
    # A few characters outside ASCII (curly quotes in English): only the pieces holding one of them.
    candidates = foreign if len(others) > 16 else [p for c in set(others) for p in by_character.get(c, ())]
    for pieces in candidates:
        for piece in pieces:
            if piece not in text:
                break
        else:
            return True
    return False


def _needles(pattern: re.Pattern) -> tuple | None:
    """The pieces of :func:`required_pieces`: those in ASCII apart, the alternatives of one piece
    first; the others (pieces in other scripts), each also under its first character outside ASCII."""
    # A pattern anchored at the start is tried at one place only: quick already.
    found = None if pattern.pattern.startswith("^") else required_pieces(pattern)
    if found is None:
        return None
    ascii_ = [p for p in found if all(map(str.isascii, p))]
    foreign = tuple(p for p in found if not all(map(str.isascii, p)))
    by_character: dict[str, list] = {}
    for pieces in foreign:
        by_character.setdefault(non_ascii("".join(pieces))[0], []).append(pieces)
    return (tuple(p[0] for p in ascii_ if len(p) == 1), tuple(p for p in ascii_ if len(p) > 1), foreign,
            {c: tuple(p) for c, p in by_character.items()})


def required_pieces(pattern: re.Pattern) -> tuple[tuple[str, ...], ...] | None:
    """What every match of ``pattern`` contains: for one alternative or another, all of its literal
    strings. None when it cannot tell (a match may be made of character classes alone, or the
    pattern sets flags inside it).

    >>> required_pieces(re.compile(r"(cookies?\\b.*\\bpolicy|var\\s+\\w+\\s*=)"))
    (('cookie', 'policy'), ('var', '='))
    """
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        from re import _constants, _parser  # the parser ``re`` itself uses (Python 3.11 and later)

        return _pieces(list(_parser.parse(pattern.pattern, pattern.flags)), _constants)
    except Exception:  # an unfamiliar parse: search as usual
        return None


def _pieces(items: list, c) -> tuple[tuple[str, ...], ...] | None:
    """For a sequence of parsed items: its literal runs, all needed; failing any, the best
    alternatives of a group it cannot do without."""
    runs: list[str] = []
    best: tuple[tuple[str, ...], ...] | None = None

    def consider(found: tuple[tuple[str, ...], ...] | None) -> None:
        nonlocal best
        if found and (best is None or _worth(found) > _worth(best)):
            best = found

    run = ""
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # takes no characters: the literals on either side of it stand together
        if run:
            runs.append(run)
        run = ""
        if op is c.SUBPATTERN:
            if av[1] or av[2]:
                raise ValueError("flags inside the pattern")
            consider(_pieces(list(av[3]), c))
        elif op is c.BRANCH:
            alternatives = [_pieces(list(branch), c) for branch in av[1]]
            if all(alternatives):
                consider(tuple(pieces for found in alternatives for pieces in found))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_pieces(list(av[2]), c))
    if run:
        runs.append(run)
    return (tuple(runs),) if runs else best


def _worth(alternatives: tuple[tuple[str, ...], ...]) -> int:
    """How rarely text holds one of the alternatives: by the longest piece of the weakest one."""
    return min(max(map(len, pieces)) for pieces in alternatives)


# A cookie notice speaks to the reader; a sentence about cookie rules reports on them.
_ADDRESS_RE = re.compile(
    r"\b(we|our|you|your|accept|agree|reject|allow|continue|vous|nous|acepta[rs]?|usted|aceitar|você|sie|akzeptieren"
    r"|мы|вы|соглашаетесь|jūs|piekrītat|turpinot|sutinkate|nõustute|hyväksyt|zgadzasz|akceptujesz|kabul|kullanıyoruz"
    r"|souhlasíte)\b|我们|您|نستخدم|توافق|당사|동의|ご利用|同意|ยอมรับ", re.IGNORECASE
)


def is_cookie_notice(text: str) -> bool:
    if not COOKIE_RE.search(text) or word_count(text) > 60:
        return False
    return word_count(text) <= 6 or bool(_ADDRESS_RE.search(text))


# "Select the text and press Ctrl+Enter to send the error to the editors."
ERROR_REPORT_RE = re.compile(r"ctrl\s*\+\s*enter")


def is_comment_widget(text: str) -> bool:
    return _is_comment_widget(text, plain_key(text), word_count(text))


def _is_comment_widget(text: str, key: str, words: int) -> bool:
    if key in COMMENT_WORDS or " ".join(w for w in key.split() if not w.isdigit()) in COMMENT_WORDS:
        return True
    return words <= 15 and bool(COMMENT_RE.search(text))


def is_prompt(text: str) -> bool:
    """A newsletter or subscription prompt: imperative, short ("Subscribe to our daily newsletter").

    A sentence that merely mentions a newsletter ("The paper added 680,000 newsletter
    subscribers") is article text.
    """
    low, words = text.lower(), word_count(text)
    return _is_prompt(low, words, text) or words <= 80 and _search(PAYWALL_RE, low)


def _is_prompt(low: str, words: int, text: str) -> bool:
    if words <= 30 and _search(PROMPT_RE, low):
        return True
    return words <= 4 and _search(PROMO_RE, low) and not ends_sentence(text)


def looks_like_headline(text: str) -> bool:
    words = word_count(text)
    return 1 <= words <= 25 and not ends_sentence(text) and not text.rstrip().endswith((",", ";", ":"))


def classify_blocks(blocks: list[Block], *, vouched: set[int] | frozenset = frozenset(),
                    judged: bool = False) -> list[Block]:
    """Judge each block in the light of its neighbours; returns the same blocks, roles set.

    Blocks that already carry a junk role (e.g. from HTML structure) keep it. ``vouched``: the
    positions of blocks an extractor kept as article text (see :func:`classify`); ``judged``:
    each block went through :func:`classify` already.
    """
    for i, block in enumerate(blocks):
        if block.role == "body" and not judged:
            verdict = classify(block.text, vouched=i in vouched)
            if verdict:
                block.role, block.reason = verdict

    _drop_repeats(blocks)
    _drop_teaser_runs(blocks)
    _drop_numbered_headlines(blocks)
    _pick_title(blocks)
    return blocks


def _drop_repeats(blocks: list[Block]) -> None:
    """A caption printed twice goes entirely; a repeated paragraph keeps its first kept copy."""
    seen: dict[str, list[Block]] = {}
    for block in blocks:
        key = plain_key(strip_bullet(block.text))
        if key and word_count(block.text) >= 3:
            seen.setdefault(key, []).append(block)
    for copies in seen.values():
        if len(copies) < 2:
            continue
        caption_like = any(c.role == "junk" and "caption" in c.reason for c in copies) or any(
            c.text.lstrip()[:1] in BULLETS for c in copies
        )
        # The first copy still shown stays, even when an earlier one was dropped for another reason.
        shown = [c for c in copies if c.role != "junk"]
        repeated = copies if caption_like else shown[1:]
        for block in repeated:
            block.role, block.reason = "junk", "duplicated photo caption" if caption_like else "repeated text"


def _drop_teaser_runs(blocks: list[Block]) -> None:
    """After a 'Related' / 'Recent news' heading, drop teaser titles and snippets until prose resumes.

    A short line right before a 'Read more' snippet is a teaser title wherever it stands.
    """
    in_run = False
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.role == "junk" and block.reason == "related or recent news list":
            in_run = True
            continue
        if block.role != "body":
            continue
        before_read_more = following is not None and _search(READ_MORE_RE, following.text[-60:].lower())
        if before_read_more and word_count(block.text) <= 20 and not ends_sentence(block.text):
            block.role, block.reason = "junk", "teaser headline"
            continue
        if in_run:
            if ends_sentence(block.text) and word_count(block.text) >= 8:
                in_run = False  # the article goes on
            else:
                block.role, block.reason = "junk", "related or recent news list"


_NUMBERED_RE = re.compile(r"^\d{1,2}[.)]?\s+\S")


def _drop_numbered_headlines(blocks: list[Block]) -> None:
    """A numbered list of headlines after the last paragraph of prose is a 'most read' box without its heading."""
    last_prose = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].kept and ends_sentence(blocks[i].text)
                       and word_count(blocks[i].text) >= 8 and not _NUMBERED_RE.match(blocks[i].text)), -1)
    run: list[Block] = []
    before = blocks[last_prose] if last_prose >= 0 else None
    for block in blocks[last_prose + 1:] + [Block(text="", role="junk")]:
        if block.kept and _NUMBERED_RE.match(block.text) and looks_like_headline(block.text):
            run.append(block)
            continue
        announced = before is not None and before.kept and before.text.rstrip().endswith((":", "："))
        before = block
        if len(run) >= 2 and not announced:
            for item in run:
                item.role, item.reason = "junk", "numbered headline list"
        run = []


def _is_kicker(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and word_count(text) <= 4


def _pick_title(blocks: list[Block]) -> None:
    """The first headline-like block before any body paragraph is the title.

    A short all-capitals label above it ("WORLD", "THE MORNING BRIEF") is a section kicker.
    """
    candidates = []
    for block in blocks:
        if block.role == "title":
            return
        if block.role != "body":
            continue
        if not looks_like_headline(block.text):
            break
        candidates.append(block)
        if len(candidates) == 2:
            break
    if not candidates:
        return
    title = candidates[0]
    if len(candidates) == 2 and _is_kicker(candidates[0].text) and not _is_kicker(candidates[1].text):
        candidates[0].role, candidates[0].reason = "junk", "section label"
        title = candidates[1]
    title.role, title.reason = "title", "headline (used as the title)"


def meta_from_blocks(blocks: list[Block], *, body_text: str = "") -> dict:
    """Title, published date and byline found among the blocks, and a language guess."""
    meta: dict = {}
    for block in blocks:
        if block.role == "title" and "title" not in meta:
            meta["title"] = block.text
        elif block.role == "dateline" and "published" not in meta:
            found = find_date(block.text)
            if found:
                meta["published"] = found.isoformat()
        elif block.role == "byline" and "byline" not in meta:
            match = BYLINE_RE.match(block.text)
            meta["byline"] = match.group("name").strip() if match else block.text
    language = guess_language(" ".join(b.text for b in blocks if b.kept) or body_text)
    if language:
        meta["language"] = language
    return meta


# ---------------------------------------------------------------------------
# Language: by script where it is unambiguous, by common words for Latin-script languages
# ---------------------------------------------------------------------------

_SCRIPT_LANGS = [
    (re.compile(r"[\u3040-\u30ff]"), "ja"),
    (re.compile(r"[\uac00-\ud7af]"), "ko"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u0590-\u05ff]"), "he"),
    (re.compile(r"[\u0370-\u03ff]"), "el"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
    (re.compile(r"[\u0900-\u097f]"), "hi"),
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
]
_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "said", "was", "for", "on", "with"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "que", "pour", "du", "pas"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "zu", "ein", "sich"},
    "es": {"el", "la", "los", "las", "y", "que", "en", "del", "por", "una", "con", "para"},
    "pt": {"o", "os", "as", "e", "que", "em", "do", "da", "não", "uma", "com", "para"},
    "it": {"il", "di", "che", "e", "la", "per", "non", "una", "gli", "del", "con", "sono"},
    "nl": {"de", "het", "een", "en", "van", "is", "dat", "niet", "op", "te", "met", "voor"},
}


def guess_language(text: str) -> str | None:
    sample = text[:5000]
    letters = sum(1 for c in sample if c.isalpha()) or 1
    for pattern, lang in _SCRIPT_LANGS:
        if len(pattern.findall(sample)) / letters > 0.3:
            return lang
    words = re.findall(r"[a-zà-ÿ]+", sample.lower())
    if len(words) < 5:
        return None
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 3 else None
