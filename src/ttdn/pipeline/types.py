"""Data passed between pipeline stages.

Plain, typed dataclasses (keyword-only) so every stage takes data and returns data, and a
stage can be replayed or benchmarked in isolation. Stages own the finer types they need
(e.g. `fetch.FetchResult`); only what crosses several stages lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(kw_only=True, slots=True)
class FeedItem:
    """One entry read from a feed or sitemap, before the article page is fetched."""

    url: str
    title: str = ""
    summary: str = ""
    published: datetime | None = None
    guid: str = ""
    author: str = ""
    language_hint: str = ""


@dataclass(kw_only=True, slots=True)
class Article:
    """An article as it moves through extract → normalise → language → ... → tone."""

    url: str
    canonical_url: str = ""
    title: str = ""
    text: str = ""
    author: str = ""
    published: datetime | None = None
    language_hint: str = ""  # what the feed or page declared; the detected language is the
    # analysis's (`ReportAnalysis.language`), not the article's
    source_id: str = ""
    extra: dict[str, object] = field(default_factory=dict)
