"""`extract` keeps a page's outgoing links (the text loses every href), so that a report
linking to one of the platform's pages can be recognised (`ttdn.portal` pickups)."""

from __future__ import annotations

from ttdn.pipeline import extract as extract_stage

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title></head>
<body><article><h1>Coffee in the highlands</h1>
<p>The harvest has begun, as <a href="https://portal.example.gov.vn/en/news/coffee/">the
official portal</a> reported, and <a href="/local/page">our earlier piece</a> said.</p>
<p>Again <a href="https://portal.example.gov.vn/en/news/coffee/">the same link</a>,
<a href="#top">a fragment</a>, <a href="javascript:alert(1)">a script</a>,
<a href="mailto:x@example.org">mail</a>, <a href="http://[broken">broken</a>.</p>
<p>Farmers pick only ripe red cherries to keep the flavour, cooperatives say.</p>
</article></body></html>"""


def test_outgoing_links_are_kept_absolute_once_each_and_only_http() -> None:
    article = extract_stage.extract(PAGE.encode(), url="https://news.example.org/a/1")
    assert article.extra["links"] == [
        "https://portal.example.gov.vn/en/news/coffee/",
        "https://news.example.org/local/page",
    ]
    assert "portal.example.gov.vn" not in article.text  # the text alone would not show it


def test_a_link_farm_is_capped() -> None:
    anchors = "".join(f'<a href="https://x.example.org/{i}">l{i}</a> ' for i in range(1000))
    page = PAGE.replace("<p>Farmers", f"<p>{anchors}</p><p>Farmers")
    article = extract_stage.extract(page.encode(), url="https://news.example.org/a/2")
    links = article.extra["links"]
    assert isinstance(links, list) and len(links) == extract_stage.MAX_LINKS
