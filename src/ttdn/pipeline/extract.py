"""Extract the article (text and metadata) from a fetched HTML page.

trafilatura does the hard part (main-text detection, metadata via htmldate); this module
puts a safe, predictable frame around it, because the input is hostile or broken often
enough to matter:

* **Size cap before parsing**: a 50 MB "article" is refused with `TooLargeError` before
  lxml sees it.
* **Decoding on our terms** (`decode_html`): byte-order mark, then UTF-8 if the bytes are
  valid (or all but a stray truncated character) UTF-8, then the HTTP charset, the
  ``<meta>`` charset, statistical detection (charset_normalizer), and finally UTF-8 with
  replacement. Valid UTF-8 wins over a declared legacy charset on purpose: text in a
  single-byte or CJK legacy encoding is practically never valid UTF-8 by accident, whereas
  pages re-saved as UTF-8 that still declare ``iso-8859-1`` are common, and trusting the
  label there turns every "ü" into "Ã¼". Labels are not trusted blindly the other way
  either: the evaluation set has pages declaring ``utf-8`` whose bytes are GBK and Latin-1,
  which detection then gets right.
* **HTML bombs**: libxml2 silently stops nesting at depth 255 and drops what is below, and
  very wide trees make extraction slow. Trees deeper than `MAX_DEPTH` (real pages in our
  benchmarks stay under 60) or with more than `MAX_ELEMENTS` elements are refused with
  `ExtractionError`, never truncated silently.
* **Clear failures**: a page with no extractable text raises `ExtractionError`
  (reason ``no_text``), so the caller quarantines it with a reason instead of storing an
  empty article. Any exception from the third-party extractor is wrapped the same way.

The canonical URL is the page's ``<link rel=canonical>`` (else ``og:url``) when it is an
http(s) URL and not a site's home page (a known CMS misconfiguration that would merge every
article into one), otherwise the fetched URL; `normalize.canonical_url` tidies it later.
"""

from __future__ import annotations

import codecs
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import lxml.etree
import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from ttdn.pipeline.errors import ExtractionError, TooLargeError
from ttdn.pipeline.types import Article

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: Outgoing links kept per page (`Article.extra["links"]`): enough for any article body;
#: a page with thousands of links is a link farm, not an article.
MAX_LINKS = 300
MAX_DEPTH = 180
MAX_ELEMENTS = 150_000
# htmldate returns midnight without zone when it only found a day.
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE
)
# WHATWG label mapping for the labels whose Python codec is narrower than what browsers
# actually decode under that label.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "utf8": "utf-8",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(label: str) -> str | None:
    """Python codec name for a charset label, or None if unknown."""
    label = label.strip().strip("\"'").lower()
    if not label:
        return None
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, *, http_charset: str = "") -> tuple[str, str]:
    """Decode page bytes to text; returns ``(text, codec_used)``. Order in module docstring."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Nearly-valid UTF-8: servers truncate strings mid-character, leaving one bad sequence
    # among hundreds of good ones. Legacy-encoded text fails on (almost) every non-ASCII
    # byte instead, so a low error rate is a safe sign of UTF-8.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(lenient) - len(lenient.encode("ascii", errors="ignore"))
    if non_ascii >= 20 and bad * 50 <= non_ascii:
        return lenient, "utf-8"
    declared: list[str] = []
    for label in (http_charset, *_meta_charsets(data)):
        codec = _codec(label)
        if codec and codec not in declared and codec != "utf-8":
            declared.append(codec)
    for name in declared:
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    guessed = _codec(best.encoding) if best is not None else None
    if guessed:
        return data.decode(guessed, errors="replace"), guessed
    fallback = declared[0] if declared else "utf-8"
    return data.decode(fallback, errors="replace"), fallback


def _meta_charsets(data: bytes) -> list[str]:
    return [m.decode("ascii", "replace") for m in _META_CHARSET_RE.findall(data[:4096])]


def _check_tree(tree: HtmlElement, url: str) -> None:
    depth = deepest = count = 0
    for event, _ in lxml.etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            depth += 1
            count += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    if deepest >= MAX_DEPTH:
        raise ExtractionError(
            f"{url or 'page'}: HTML nested at least {deepest} levels deep (limit {MAX_DEPTH}); "
            "refused as a likely HTML bomb",
            url=url,
            reason="html_bomb",
        )
    if count > MAX_ELEMENTS:
        raise ExtractionError(
            f"{url or 'page'}: {count} HTML elements (limit {MAX_ELEMENTS}); refused",
            url=url,
            reason="html_bomb",
        )


def _first(tree: HtmlElement, xpath: str) -> str:
    values: Any = tree.xpath(xpath)
    for value in values if isinstance(values, list) else []:
        text = str(value).strip()
        if text:
            return text
    return ""


def _language_hint(tree: HtmlElement, content_language: str) -> str:
    for value in (
        _first(tree, "/html/@lang"),
        _first(tree, "//html/@xml:lang"),
        _first(
            tree,
            "//meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')="
            "'content-language']/@content",
        ),
        _first(tree, "//meta[@property='og:locale']/@content"),
        content_language.split(",")[0],
    ):
        value = value.strip().lower().replace("_", "-")
        if value and len(value) <= 35:
            return value
    return ""


def _canonical(tree: HtmlElement, url: str) -> str:
    candidate = _first(
        tree,
        "//link[contains(concat(' ', translate(normalize-space(@rel),"
        "'CANONICAL','canonical'), ' '), ' canonical ')]/@href",
    ) or _first(tree, "//meta[@property='og:url']/@content")
    if not candidate:
        return url
    absolute = urljoin(url, candidate) if url else candidate
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url
    if url and parts.path in ("", "/") and urlsplit(url).path not in ("", "/"):
        return url  # a site-wide canonical pointing at the home page: ignore it
    return absolute


def _links(tree: HtmlElement, url: str) -> list[str]:
    """The page's outgoing http(s) links, absolute, in order, once each, at most MAX_LINKS.

    WHY: the extracted text loses every href, and a report that *links* to a page (the
    portal's pickups, `ttdn.portal.services.pickups_find`) is only recognisable by them. Read
    before trafilatura runs, because it prunes the tree it is given."""
    found: dict[str, None] = {}
    values: Any = tree.xpath("//a/@href")
    for value in values if isinstance(values, list) else []:
        href = str(value).strip()
        if not href or href.startswith("#"):
            continue
        try:
            absolute = urljoin(url, href) if url else href
            parts = urlsplit(absolute)
        except ValueError:  # a malformed href ("http://[x") is skipped, never fatal
            continue
        if parts.scheme in ("http", "https") and parts.netloc and len(absolute) <= 2000:
            found.setdefault(absolute, None)
            if len(found) >= MAX_LINKS:
                break
    return list(found)


def _parse_date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    for attempt in (value, value[:10]):
        try:
            parsed = datetime.fromisoformat(attempt)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    return None


def extract(
    html: bytes | str,
    *,
    url: str = "",
    http_charset: str = "",
    content_language: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    date_search: bool = True,
    fast: bool = False,
) -> Article:
    """Read the article in one HTML page.

    `date_search=False` skips htmldate's extensive search of the text for a date (its
    dateparser pass is most of the extraction time): for items whose feed already dates them.
    `fast=True` runs trafilatura's own extractor without comparing its result with the
    readability and jusText fallbacks (that comparison is most of the rest): for a page
    whose article will only be counted and searchable, not modelled; the evaluation gates
    measure the default (`ttdn.monitor.ingest` re-reads a tracked country's page in full).

    `html` is the fetched body (bytes; str is accepted for already-decoded pages);
    `http_charset` and `content_language` come from the HTTP response headers. Raises
    `TooLargeError` over `max_bytes` and `ExtractionError` for bombs, unparseable pages and
    pages with no main text.
    """
    size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise TooLargeError(
            f"{url or 'page'}: {size} bytes of HTML exceeds the cap of {max_bytes}; not parsed",
            url=url,
        )
    if isinstance(html, bytes):
        text, encoding = decode_html(html, http_charset=http_charset)
    else:
        text, encoding = html, "str"
    text = text.replace("\x00", "")
    if not text.strip():
        raise ExtractionError(f"{url or 'page'}: empty document", url=url, reason="no_text")

    try:
        tree = load_html(text)
    except (lxml.etree.LxmlError, ValueError, TypeError) as exc:
        raise ExtractionError(
            f"{url or 'page'}: not parseable as HTML ({exc})", url=url, reason="not_html"
        ) from exc
    if tree is None:
        raise ExtractionError(f"{url or 'page'}: not parseable as HTML", url=url, reason="not_html")
    _check_tree(tree, url)
    language = _language_hint(tree, content_language)
    canonical = _canonical(tree, url)
    fallback_title = _first(tree, "//title/text()")
    links = _links(tree, url)

    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url or None,
            fast=fast,
            with_metadata=True,
            include_comments=False,
            date_extraction_params={
                "extensive_search": date_search,
                "original_date": True,
                "outputformat": _DATE_FORMAT,
            },
        )
    except Exception as exc:  # noqa: BLE001 - third-party code on hostile input: quarantine
        raise ExtractionError(
            f"{url or 'page'}: extractor failed ({type(exc).__name__}: {exc})",
            url=url,
            reason="extract_failed",
        ) from exc
    body = getattr(document, "text", None) or ""
    if not body.strip():
        raise ExtractionError(f"{url or 'page'}: no main text found", url=url, reason="no_text")
    extra: dict[str, object] = {"encoding": encoding, "links": links}
    for key in ("sitename", "description"):
        value = getattr(document, key, None)
        if value:
            extra[key] = str(value)
    return Article(
        url=url,
        canonical_url=canonical,
        title=str(getattr(document, "title", None) or fallback_title),
        text=body,
        author=str(getattr(document, "author", None) or ""),
        published=_parse_date(getattr(document, "date", None)),
        language_hint=language,
        extra=extra,
    )
