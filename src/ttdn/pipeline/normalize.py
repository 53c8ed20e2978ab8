"""Text and URL normalisation.

Why this stage exists:

* Vietnamese arrives in two Unicode forms: precomposed (``ệ`` = U+1EC7) from most CMSs and
  decomposed (``e`` + U+0323 + U+0302) from some editors, Mac clipboards and pages decoded
  from Windows-1258. The two look identical but compare unequal, so dedupe, search and the
  gazetteer would miss matches. Everything is brought to NFC.
* Feeds and extracted pages carry stray control characters, zero-width spaces, soft hyphens,
  non-breaking spaces and ragged blank lines; they break tokenisers and fingerprints.
* The same article is linked under many URLs (tracking parameters, ``#comments``, default
  ports, upper-case hosts). `canonical_url` gives one key per page for the first pass of
  deduplication.

All functions are pure and idempotent (``f(f(x)) == f(x)``; property-tested), so running a
stage twice, or replaying it, never changes stored data.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from urllib.parse import SplitResult, urlsplit, urlunsplit

from ttdn.pipeline.types import Article

# Characters removed outright: C0/C1 controls except TAB and LF, DEL, zero-width space,
# word joiner, BOM, soft hyphen, and the bidi embedding/override/isolate controls (invisible
# in running text, used in spoofing). ZWJ/ZWNJ (U+200C/D) are kept: they are meaningful in
# Persian, Indic scripts and emoji sequences.
_REMOVE_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff"
    "\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)
# Every Unicode whitespace except LF becomes a plain space (NBSP, thin spaces, ideographic
# space, TAB, CR handled separately, LINE/PARAGRAPH SEPARATOR...).
_SPACE_RE = re.compile(r"[^\S\n]+")
_MANY_NEWLINES_RE = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Clean running text (article bodies): NFC, no control chars, tidy whitespace.

    Paragraph structure is kept: single newlines stay, three or more collapse to one blank
    line. Spaces inside a line collapse to one; lines are stripped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _REMOVE_RE.sub("", text)
    # NFC before the whitespace pass: NFC maps a few space characters onto others
    # (U+2000 -> U+2002) and must see marks next to their base letters.
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _MANY_NEWLINES_RE.sub("\n\n", text).strip()
    # Removing characters can bring a combining mark next to a new base letter; a second
    # NFC pass makes the whole function idempotent.
    return unicodedata.normalize("NFC", text)


def normalize_line(text: str) -> str:
    """Clean a one-line field (title, author): like `normalize_text`, newlines become spaces."""
    text = normalize_text(text)
    return unicodedata.normalize("NFC", _SPACE_RE.sub(" ", text.replace("\n", " ")).strip())


# --- URLs ----------------------------------------------------------------------------------

# Query parameters that only identify the click, never the content.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "spm",
        "cmpid",
        "ref",
        "ref_src",
        "smid",
        "ocid",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "ga_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PERCENT_RE = re.compile(r"%[0-9a-fA-F]{2}")
_STRAY_PERCENT_RE = re.compile(r"%(?![0-9a-fA-F]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in _TRACKING_PARAMS or k.startswith(_TRACKING_PREFIXES)


def _normalize_percent(part: str, *, decode_unreserved: bool) -> str:
    """Upper-case percent escapes; optionally decode escapes of unreserved characters."""

    def fix(match: re.Match[str]) -> str:
        escape = match.group(0).upper()
        char = chr(int(escape[1:], 16))
        if decode_unreserved and char in _UNRESERVED:
            return char
        return escape

    # A "%" that starts no escape is encoded first, so decoding cannot forge a new escape
    # ("%%41" -> "%A" would otherwise change meaning on the next pass).
    return _PERCENT_RE.sub(fix, _STRAY_PERCENT_RE.sub("%25", part))


_UNSAFE_RE = re.compile(r"[\x00-\x20\x7f]")


def _escape_unsafe(part: str) -> str:
    """Percent-encode spaces and control characters, as browsers do before sending."""
    return _UNSAFE_RE.sub(lambda m: f"%{ord(m.group(0)):02X}", part)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, so ``/a/./b/../c`` and ``/a/c`` are one page."""
    output: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
            continue
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
            continue
        output.append(segment)
    result = "/".join(output)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


def canonical_url(url: str) -> str:
    """One key per page for URL-level deduplication.

    Lower-cases scheme and host, drops a trailing dot on the host, default ports, the
    fragment, and tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid``, ...);
    sorts the remaining query pairs; percent-encodes spaces, control characters and stray
    ``%``; upper-cases percent escapes and decodes escaped unreserved characters in the
    path; resolves ``.``/``..`` segments; gives an empty path ``/``. Query values keep
    their original encoding (``+`` vs ``%20`` is left alone): the aim is a stable key, not
    rewriting what the server will receive.

    Anything that is not an http(s) URL (or cannot be parsed) is returned stripped but
    otherwise unchanged: canonicalisation is best effort and must never raise, because it
    runs on URLs read from untrusted feeds; fetch refuses such URLs with a typed error.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.rstrip(".")  # `hostname` is already lower-cased
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if parts.username is not None:
        userinfo = parts.username
        if parts.password is not None:
            userinfo += ":" + parts.password
        netloc = f"{userinfo}@{host}"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"

    path = _normalize_percent(_escape_unsafe(parts.path), decode_unreserved=True) or "/"
    path = _remove_dot_segments(path)

    pairs = []
    for pair in parts.query.split("&"):
        if not pair:
            continue
        key = pair.split("=", 1)[0]
        if _is_tracking(key):
            continue
        pairs.append(_normalize_percent(_escape_unsafe(pair), decode_unreserved=False))
    query = "&".join(sorted(pairs))
    return urlunsplit(SplitResult(scheme, netloc, path, query, ""))


def normalize_article(article: Article) -> Article:
    """The normalise stage: a new `Article` with clean title/text/author and a canonical URL.

    The canonical URL is the page's declared canonical (set by extract) when present,
    else the fetched URL, in both cases passed through `canonical_url`.
    """
    return dataclasses.replace(
        article,
        title=normalize_line(article.title),
        text=normalize_text(article.text),
        author=normalize_line(article.author),
        canonical_url=canonical_url(article.canonical_url or article.url),
    )
