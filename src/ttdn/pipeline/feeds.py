"""Parse a fetched feed or sitemap into `FeedItem`s.

Sources publish RSS 0.9x/1.0/2.0, Atom, JSON Feed and (news) sitemaps, in any declared
encoding, and often malformed. One entry point, `parse(bytes)`, sniffs the format and never
raises on bad input: it returns what could be read plus one readable line per problem in
`ParsedFeed.errors`, so a broken feed loses only the broken part and the caller can count
and show the problems (design habit 4).

Choices, and why:

* RSS and Atom go through feedparser, which handles every version, its "bozo" recovery
  for ill-formed XML, HTTP/XML encoding rules (GB2312 is read as its superset GB18030) and
  entity-expansion attacks (it strips DOCTYPEs). It is always given a byte *stream*:
  given plain bytes, feedparser first tries to open them as a file name.
* JSON Feed is read by hand (feedparser 6.0 does not know it); it is a small format.
* Sitemaps are read with lxml with entity resolution, DTD loading and network access off,
  recovering what it can from broken XML. Gzipped sitemaps (``.xml.gz``) are inflated with
  a size cap (gzip bombs).
* Dates: feedparser's parsers, then a fallback for RFC 822 dates with Portuguese, Spanish,
  French, German, Italian or Dutch month names. Items with no readable date get
  ``published=None``. A date more than
  `FUTURE_TOLERANCE` after `now` (wrong time zone, typo'd year, or a publisher gaming "newest
  first") is **clamped to `now`** and the clamp is recorded in `errors`, so ordering and
  burst detection are not distorted, and the problem is still visible.
* Text fields are cleaned with `normalize` (NFC, whitespace; HTML in titles and summaries
  is reduced to text), since feed titles carry stray newlines and markup.
"""

from __future__ import annotations

import io
import json
import re
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import feedparser
import lxml.etree
import lxml.html

from ttdn.pipeline.normalize import normalize_line, normalize_text
from ttdn.pipeline.types import FeedItem
from ttdn.pipeline.urls import safe_http_url

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
FUTURE_TOLERANCE = timedelta(minutes=10)
# Lines kept in `errors` before the rest are summarised as a count; a feed with 5,000 bad
# dates should not produce 5,000 lines.
MAX_ERRORS = 50
# feedparser costs about 30 µs a tag on well-formed XML (230 µs in its loose parser), flat
# or nested, HTML inside CDATA included (it is sanitised tag by tag). A real feed has a few
# thousand; past this many only the items before the cut are read, so a feed of nested or
# repeated tags costs a second or two of the pipeline thread, not minutes.
MAX_TAGS = 30_000
_TAG_RE = re.compile(rb"<[A-Za-z_:!?/]")

_SITEMAP_ROOT_RE = re.compile(rb"<(?:[\w.-]+:)?(urlset|sitemapindex)[\s>/]")
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}
)


@dataclass(kw_only=True, slots=True)
class ParsedFeed:
    """Result of `parse`.

    `kind` is feedparser's version for RSS/Atom (``rss20``, ``rss10``, ``rss090``,
    ``atom10``, ``atom03``, ``rss`` for unknown RSS), ``jsonfeed``, ``sitemap``,
    ``sitemapindex`` (items are child sitemaps to fetch), or ``unknown``. `errors` has one
    readable line per problem; an empty list means the feed was read cleanly.
    """

    items: list[FeedItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    title: str = ""
    hub_url: str = ""
    kind: str = "unknown"
    language: str = ""


def parse(
    data: bytes,
    *,
    url: str = "",
    content_type: str = "",
    now: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParsedFeed:
    """Parse feed or sitemap bytes. Never raises for bad input.

    `url` (the final fetched URL) resolves relative links; `content_type` is the HTTP
    Content-Type, whose charset takes part in feedparser's encoding decision; `now` is the
    reference for clamping future dates (default: the current time).
    """
    now = now or datetime.now(UTC)
    try:
        return _parse(data, url=url, content_type=content_type, now=now, max_bytes=max_bytes)
    except Exception as exc:  # noqa: BLE001 - the promise is "never raises"; a bug here must
        # cost this document, not the source's other feeds or a push delivery's retries
        return ParsedFeed(errors=[f"feed could not be read: {type(exc).__name__}: {exc}"])


def _parse(
    data: bytes, *, url: str, content_type: str, now: datetime, max_bytes: int
) -> ParsedFeed:
    if len(data) > max_bytes:
        return ParsedFeed(errors=[f"feed is {len(data)} bytes, over the cap of {max_bytes}"])
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip(data, max_bytes)
        except ValueError as exc:
            return ParsedFeed(errors=[str(exc)])
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return _parse_json_feed(data, url=url, now=now)
    if _SITEMAP_ROOT_RE.search(head):
        return _parse_sitemap(data, url=url, now=now)
    return _parse_feedparser(data, url=url, content_type=content_type, now=now)


# --- helpers -------------------------------------------------------------------------------


class _Errors:
    """Collects error lines, summarising repeats past MAX_ERRORS."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.dropped = 0

    def add(self, line: str) -> None:
        if len(self.lines) < MAX_ERRORS:
            self.lines.append(line)
        else:
            self.dropped += 1

    def result(self) -> list[str]:
        if self.dropped:
            return [*self.lines, f"... and {self.dropped} more problems"]
        return self.lines


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise ValueError(f"gzip data is corrupt: {exc}") from exc
    if len(out) > max_bytes:
        raise ValueError(f"gzip data inflates past the cap of {max_bytes} bytes")
    return out


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed summaries), block elements on their own lines."""
    if "<" not in fragment and "&" not in fragment:
        return normalize_text(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.LxmlError, ValueError):
        return normalize_text(re.sub(r"<[^>]*>", " ", fragment))
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return normalize_text(str(root.text_content()))


def _language(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return value.strip().lower().replace("_", "-")[:35]


def _parse_date(value: object) -> datetime | None:
    """W3C / RFC 3339 date or datetime to an aware UTC datetime; naive means UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            return None
        parsed = datetime(day.year, day.month, day.day)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        # "0001-01-01T00:00:00+14:00" is before the first representable instant in UTC
        return None


def _from_struct(value: object) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


# Month names seen in non-English RSS dates ("Seg, 24 Set 2018 19:42:40 -0300" from UOL),
# which feedparser leaves unparsed. Keys are lower-case prefixes: pt, es, fr, de, it, nl.
_MONTHS = {
    **dict.fromkeys(("jan", "ene", "gen", "janv", "jän"), 1),
    **dict.fromkeys(("fev", "feb", "fév", "févr", "fevr"), 2),
    **dict.fromkeys(("mar", "mär", "mrz", "mars", "maa"), 3),
    **dict.fromkeys(("abr", "apr", "avr"), 4),
    **dict.fromkeys(("mai", "may", "mag", "mei"), 5),
    **dict.fromkeys(("jun", "juin", "giu"), 6),
    **dict.fromkeys(("jul", "juil", "lug"), 7),
    **dict.fromkeys(("ago", "aug", "aoû", "aou"), 8),
    **dict.fromkeys(("set", "sep", "sept"), 9),
    **dict.fromkeys(("out", "oct", "okt", "ott"), 10),
    **dict.fromkeys(("nov",), 11),
    **dict.fromkeys(("dez", "dic", "déc", "dec"), 12),
}
_LOCAL_RFC822_RE = re.compile(
    r"(\d{1,2})\s+([^\W\d_]{3,9})\.?\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*(?:([+-])(\d{2}):?(\d{2})|GMT|UTC|Z)?"
)


def _parse_localized_rfc822(value: object) -> datetime | None:
    """RFC 822-style dates with non-English day and month names (feedparser gives up)."""
    if not isinstance(value, str):
        return None
    match = _LOCAL_RFC822_RE.search(value)
    if not match:
        return None
    day, month_name, year, hour, minute, second, sign, tz_h, tz_m = match.groups()
    name = month_name.lower()
    month = _MONTHS.get(name[:4]) or _MONTHS.get(name[:3])
    if month is None:
        return None
    try:
        parsed = datetime(
            int(year), month, int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC
        )
    except ValueError:
        return None
    if sign:
        offset = timedelta(hours=int(tz_h), minutes=int(tz_m))
        try:
            parsed = parsed - offset if sign == "+" else parsed + offset
        except OverflowError:
            return None
    return parsed


def _clamp(
    published: datetime | None, now: datetime, where: str, errors: _Errors
) -> datetime | None:
    if published is not None and published > now + FUTURE_TOLERANCE:
        errors.add(
            f"{where}: date {published.isoformat()} is in the future; clamped to {now.isoformat()}"
        )
        return now
    return published


def _absolute(link: str, base: str) -> str:
    """`link` resolved against `base`, as it was written (check it with `_checked_url`)."""
    link = re.sub(r"[\t\r\n]", "", link).strip()
    if link and base:
        try:
            return urljoin(base, link)
        except ValueError:
            return link
    return link


def _checked_url(item: FeedItem, where: str, errors: _Errors, missing: str = "no link") -> bool:
    """Keep only http(s) links (`urls.safe_http_url`): a ``javascript:`` link stored as a
    report URL would be a live link on every page that shows the report."""
    if not item.url:
        errors.add(f"{where} ({item.title[:60]!r}): {missing}; skipped")
        return False
    safe = safe_http_url(item.url)
    if not safe:
        errors.add(f"{where}: link {item.url[:100]!r} is not an http(s) URL; skipped")
        return False
    item.url = safe
    return True


def _cut_tags(data: bytes, errors: _Errors) -> bytes:
    """`data` cut before its `MAX_TAGS`-th tag (parse time grows with the tag count).

    The cut falls after the last complete ``</item>`` / ``</entry>`` before the limit and
    the elements still open there are closed, so the kept part stays well-formed: a
    truncated document would send feedparser to its loose parser, eight times slower per
    tag. The items before the flood are read; the flood is not.
    """
    limit = None
    for count, match in enumerate(_TAG_RE.finditer(data), start=1):
        if count > MAX_TAGS:
            limit = match.start()
            break
    if limit is None:
        return data
    errors.add(
        f"feed has more than {MAX_TAGS} tags; read only what comes before tag "
        f"{MAX_TAGS + 1} (byte {limit}) to bound the parse time"
    )
    last_item_end = 0
    for match in _ITEM_END_RE.finditer(data, 0, limit):
        last_item_end = match.end()
    if not last_item_end:
        return data[:limit]
    kept = data[:last_item_end]
    return kept + b"".join(b"</" + name + b">" for name in reversed(_open_elements(kept)))


_ITEM_END_RE = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)
_TOKEN_RE = re.compile(
    rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<[!?][^>]*>|</([^\s>]+)\s*>|<([^\s/>!?]+)[^>]*?(/?)>",
    re.DOTALL,
)


def _open_elements(data: bytes) -> list[bytes]:
    """Names of the elements still open at the end of `data` (outermost first)."""
    stack: list[bytes] = []
    for match in _TOKEN_RE.finditer(data):
        closing, opening, empty = match.group(1), match.group(2), match.group(3)
        if closing is not None:
            if closing in stack:
                del stack[len(stack) - 1 - stack[::-1].index(closing) :]
        elif opening is not None and not empty:
            stack.append(opening)
    return stack


# --- RSS / Atom ----------------------------------------------------------------------------


def _detail_text(entry: Any, key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        return ""
    detail = entry.get(f"{key}_detail") or {}
    kind = detail.get("type", "") if isinstance(detail, dict) else ""
    if kind == "text/plain":
        return normalize_text(value)
    return html_to_text(value)


def _parse_feedparser(data: bytes, *, url: str, content_type: str, now: datetime) -> ParsedFeed:
    headers: dict[str, str] = {}
    if url:
        headers["content-location"] = url
    if content_type:
        headers["content-type"] = content_type
    errors = _Errors()
    data = _cut_tags(data, errors)
    try:
        # A stream, never bytes: feedparser would try plain bytes as a file name first.
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # noqa: BLE001 - hostile input must never crash the worker
        return ParsedFeed(errors=[f"feed could not be parsed: {type(exc).__name__}: {exc}"])

    version = str(parsed.get("version") or "")
    entries = list(parsed.get("entries") or [])
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        errors.add(
            f"feed is not well-formed ({type(problem).__name__}: {problem}); read what could be"
        )
    if not version and not entries:
        errors.add("not a recognised RSS, Atom, JSON Feed or sitemap document")
        return ParsedFeed(errors=errors.result(), kind="unknown")

    feed = parsed.get("feed") or {}
    language = _language(feed.get("language"))
    hub = ""
    for link in feed.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "hub" and link.get("href"):
            hub = safe_http_url(_absolute(str(link["href"]), url))
            break

    items: list[FeedItem] = []
    for index, entry in enumerate(entries, start=1):
        try:
            item = _feedparser_item(entry, url=url, language=language)
            if not _checked_url(item, f"item {index}", errors):
                continue
            item.published = _clamp(item.published, now, f"item {index} ({item.url})", errors)
        except Exception as exc:  # noqa: BLE001 - one odd entry must not lose the others
            errors.add(f"item {index}: unreadable ({type(exc).__name__}: {exc}); skipped")
            continue
        items.append(item)

    title_value = feed.get("title")
    title = normalize_line(title_value) if isinstance(title_value, str) else ""
    return ParsedFeed(
        items=items,
        errors=errors.result(),
        title=title,
        hub_url=hub,
        kind=version or "unknown",
        language=language,
    )


def _feedparser_item(entry: Any, *, url: str, language: str) -> FeedItem:
    link = entry.get("link") or ""
    guid = entry.get("id") or ""
    if not link and isinstance(guid, str) and guid.startswith(("http://", "https://")):
        link = guid
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get: FeedParserDict.get maps missing keys onto others, with a warning.
        published = _from_struct(dict.get(entry, key))
        if published is not None:
            break
    if published is None:
        published = _parse_localized_rfc822(entry.get("published") or entry.get("updated"))
    title_detail = entry.get("title_detail") or {}
    item_language = ""
    if isinstance(title_detail, dict):
        item_language = _language(title_detail.get("language"))
    author = entry.get("author")
    return FeedItem(
        url=_absolute(str(link), url),
        title=normalize_line(_detail_text(entry, "title")),
        summary=_detail_text(entry, "summary"),
        published=published,
        guid=str(guid).strip(),
        author=normalize_line(author) if isinstance(author, str) else "",
        language_hint=item_language or language,
    )


# --- JSON Feed -----------------------------------------------------------------------------


def _parse_json_feed(data: bytes, *, url: str, now: datetime) -> ParsedFeed:
    errors = _Errors()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.add(f"JSON Feed is not valid UTF-8 ({exc}); undecodable bytes replaced")
        text = data.decode("utf-8-sig", errors="replace")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        errors.add(f"JSON Feed is not valid JSON: {type(exc).__name__}: {str(exc)[:200]}")
        salvaged = _salvage_json_items(text)
        if not salvaged:
            return ParsedFeed(errors=errors.result(), kind="unknown")
        errors.add(f"read {len(salvaged)} complete items before the error")
        document = {"version": "https://jsonfeed.org/version/1", "items": salvaged}
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        errors.add("JSON document is not a JSON Feed (no top-level 'items' list)")
        return ParsedFeed(errors=errors.result(), kind="unknown")
    version = document.get("version")
    if not (isinstance(version, str) and "jsonfeed.org" in version):
        errors.add(f"JSON Feed version is {version!r}, expected https://jsonfeed.org/version/1.x")

    language = _language(document.get("language"))
    hub = ""
    for entry in document.get("hubs") or []:
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            hub = safe_http_url(_absolute(entry["url"], url))
            break
    items: list[FeedItem] = []
    for index, entry in enumerate(document["items"], start=1):
        if not isinstance(entry, dict):
            errors.add(f"item {index}: not an object; skipped")
            continue
        try:
            item = _json_item(entry, url=url, language=language, fallback_author=document)
            if not _checked_url(item, f"item {index}", errors, "no url"):
                continue
            item.published = _clamp(item.published, now, f"item {index} ({item.url})", errors)
        except Exception as exc:  # noqa: BLE001 - one odd entry must not lose the others
            errors.add(f"item {index}: unreadable ({type(exc).__name__}: {exc}); skipped")
            continue
        items.append(item)
    title = document.get("title")
    return ParsedFeed(
        items=items,
        errors=errors.result(),
        title=normalize_line(title) if isinstance(title, str) else "",
        hub_url=hub,
        kind="jsonfeed",
        language=language,
    )


_ITEMS_RE = re.compile(r'"items"\s*:\s*\[')


def _salvage_json_items(text: str) -> list[Any]:
    """The complete objects at the start of a broken JSON Feed's ``items`` array.

    A feed cut off in transfer (or by a size cap) still carries whole items before the
    break; losing them all because the closing brackets are missing would lose news.
    """
    match = _ITEMS_RE.search(text)
    if not match:
        return []
    decoder = json.JSONDecoder()
    items: list[Any] = []
    index = match.end()
    while True:
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text) or text[index] == "]":
            return items
        try:
            value, index = decoder.raw_decode(text, index)
        except (ValueError, RecursionError):
            return items
        items.append(value)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _json_author(entry: dict[str, Any]) -> str:
    authors = entry.get("authors")
    if isinstance(authors, list):
        names = [_str(a.get("name")) for a in authors if isinstance(a, dict)]
        return ", ".join(n for n in names if n)
    author = entry.get("author")
    return _str(author.get("name")) if isinstance(author, dict) else ""


def _json_item(
    entry: dict[str, Any], *, url: str, language: str, fallback_author: dict[str, Any]
) -> FeedItem:
    link = _str(entry.get("url")) or _str(entry.get("external_url"))
    guid = entry.get("id")
    guid_text = str(guid) if isinstance(guid, str | int | float) else ""
    if not link and guid_text.startswith(("http://", "https://")):
        link = guid_text
    summary = normalize_text(_str(entry.get("summary"))) or normalize_text(
        _str(entry.get("content_text"))
    )
    if not summary and entry.get("content_html"):
        summary = html_to_text(_str(entry.get("content_html")))
    published = _parse_date(entry.get("date_published")) or _parse_date(entry.get("date_modified"))
    return FeedItem(
        url=_absolute(link, url),
        title=normalize_line(_str(entry.get("title"))),
        summary=summary,
        published=published,
        guid=guid_text.strip(),
        author=normalize_line(_json_author(entry) or _json_author(fallback_author)),
        language_hint=_language(entry.get("language")) or language,
    )


# --- sitemaps ------------------------------------------------------------------------------


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _child_text(element: lxml.etree._Element, *path: str) -> str:
    """Text of the first descendant following `path` of local names (namespace-agnostic)."""
    current = [element]
    for name in path:
        current = [c for parent in current for c in parent if _local(c.tag) == name]
        if not current:
            return ""
    return (current[0].text or "").strip()


def _parse_sitemap(data: bytes, *, url: str, now: datetime) -> ParsedFeed:
    """Plain and Google News sitemaps, and sitemap indexes.

    Namespaces are matched by local name only: publishers use both the google.com and
    google.co.uk news namespace, and arbitrary prefixes.
    """
    errors = _Errors()
    parser = lxml.etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = lxml.etree.fromstring(data, parser)
    except (lxml.etree.LxmlError, ValueError) as exc:
        return ParsedFeed(errors=[f"sitemap could not be parsed: {exc}"], kind="unknown")
    for entry in parser.error_log:
        errors.add(
            f"sitemap is not well-formed (line {entry.line}: {entry.message}); read what could be"
        )
    if root is None:
        errors.add("sitemap could not be parsed: no document element")
        return ParsedFeed(errors=errors.result(), kind="unknown")
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        errors.add(f"document element is <{kind}>, not <urlset> or <sitemapindex>")
        return ParsedFeed(errors=errors.result(), kind="unknown")
    child_name = "url" if kind == "urlset" else "sitemap"
    items: list[FeedItem] = []
    for index, element in enumerate((c for c in root if _local(c.tag) == child_name), start=1):
        try:
            item = _sitemap_item(element, url=url)
            if not _checked_url(item, f"entry {index}", errors, "no <loc>"):
                continue
            item.published = _clamp(item.published, now, f"entry {index} ({item.url})", errors)
        except Exception as exc:  # noqa: BLE001 - one odd entry must not lose the others
            errors.add(f"entry {index}: unreadable ({type(exc).__name__}: {exc}); skipped")
            continue
        items.append(item)
    return ParsedFeed(
        items=items,
        errors=errors.result(),
        kind="sitemap" if kind == "urlset" else "sitemapindex",
    )


def _sitemap_item(element: lxml.etree._Element, *, url: str) -> FeedItem:
    published = _parse_date(_child_text(element, "news", "publication_date")) or _parse_date(
        _child_text(element, "lastmod")
    )
    return FeedItem(
        url=_absolute(_child_text(element, "loc"), url),
        title=normalize_line(_child_text(element, "news", "title")),
        published=published,
        language_hint=_language(_child_text(element, "news", "publication", "language")),
    )
