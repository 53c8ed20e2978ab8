"""The pickup of a published answer by a link that exists only in a report's HTML, end to
end (issue 11, "pickups of the answer by outlets (links to it …)"): a real HTTP server on
127.0.0.1 serves an outlet's RSS feed and article pages; the monitor's own fetcher and
pipeline store them; the REPORT_STORED event carries the article's links to our own hosts
to Respond's subscriber; the pickup shows on the case page and on the follow-up page. A link
to no published answer, and a page on the same subject without the link, are no pickup."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import login
from tests.factories import UserFactory
from tests.monitor.conftest import Site, article_html, rss
from tests.monitor.conftest import site as site  # noqa: F401 - the local server fixture
from tests.respond.test_followup_pickups import LONG_EN, _published
from ttdn.accounts.models import Role
from ttdn.monitor.models import Report
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import source_add, source_poll
from ttdn.respond import selectors
from ttdn.respond.models import AnswerPickup

pytestmark = pytest.mark.django_db

TITLE = "Somali pirates: what the navy really said"


def _articles(answer_url: str, dead_url: str) -> list[tuple[str, list[str]]]:
    return [
        (
            TITLE,
            [
                "Reports over the weekend spoke of a large capture of pirates off the Horn of "
                "Africa, and shipping insurers reacted quickly.",
                f'Hanoi has published <a href="{answer_url}">a detailed answer</a> to the '
                "figures that circulated, and insurers are reading it closely.",
                "Our correspondent in Djibouti says the port is calm this week.",
            ],
        ),
        (
            "Gulf of Aden shipping insurance rises",
            [
                "Insurers raised premiums for ships crossing the Gulf of Aden after weekend "
                "reports of a large capture of pirates.",
                f'An <a href="{dead_url}">older note</a> is cited by brokers in London.',
            ],
        ),
        (
            "Pirates and the navy: the weekend in review",
            [
                "The navy's weekend operation in the Gulf of Aden was widely reported, with "
                "figures that differed from one outlet to the next.",
            ],
        ),
    ]


def test_a_link_only_in_the_html_of_a_feed_article_is_a_pickup(  # type: ignore[no-untyped-def]
    organisations, site: Site, django_capture_on_commit_callbacks
) -> None:
    case = _published(organisations)
    host = settings.OWN_PUBLICATION_HOSTS[0]
    answer_url = f"http://{host}/en/phan-hoi/cong-khai/{case.slug}/"
    dead_url = f"http://{host}/phan-hoi/cong-khai/no-such-answer/"
    items = []
    for number, (title, paragraphs) in enumerate(_articles(answer_url, dead_url), 1):
        path = f"/news/{number}"
        site.add(path, article_html(title, paragraphs, lang="en"))
        items.append((title, site.base_url + path, "x"))
    feed = site.add("/news/feed.xml", rss(items), content_type="application/rss+xml")

    source = source_add(
        name="Shipping News (local)", feed_url=feed, country="GB", allow_private=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        source_poll(source_id=source.pk, runtime=MonitorRuntime())
    assert Report.objects.count() == 3, "all three articles went through the real pipeline"

    linking = Report.objects.get(url=site.base_url + "/news/1")
    assert case.slug not in linking.text  # only the href carried the address
    assert LONG_EN not in linking.text  # and nothing of the answer is quoted
    assert list(AnswerPickup.objects.values_list("case_id", "report_id")) == [(case.pk, linking.pk)]
    assert list(selectors.case_pickup_list(case)) == [linking]

    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])
    rows = {r["case"].pk: r for r in selectors.followup(user=officer)["rows"]}
    assert rows[case.pk]["pickups"] == 1
    client = login(Client(), officer)
    page = client.get(f"/phan-hoi/ho-so/{case.pk}/").content.decode()
    assert 'id="pickup-list"' in page and TITLE in page and linking.url in page
    assert "Gulf of Aden shipping insurance rises" not in page
    followup_page = client.get("/phan-hoi/theo-doi-hieu-qua/").content.decode()
    raw = re.search(r'<script id="followup-data"[^>]*>(.*?)</script>', followup_page)
    assert raw is not None
    assert json.loads(raw.group(1))["pickups"]["values"] == [1]
