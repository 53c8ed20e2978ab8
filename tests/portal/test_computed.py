"""The portal's figures reach the periodic reports through the computed-figure registry
(registered by the portal's own AppConfig.ready; Coordinate never imports the portal):
pages published per language and pickups of a province's pages, None for organisations
that are not provinces."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from ttdn.accounts.models import Organisation
from ttdn.core.computed import computed_all, computed_get, computed_value
from ttdn.monitor.models import Report, Source
from ttdn.portal.models import ArticlePage, Publication
from ttdn.portal.services import pickups_find

pytestmark = pytest.mark.django_db


def test_portal_registers_its_figures() -> None:
    portal = {i.key for i in computed_all() if i.source == "portal"}
    assert {"portal_pages_published", "portal_pickups"} <= portal
    for code in ("vi", "en", "fr", "zh_hans", "lo"):
        assert f"portal_pages_published_{code}" in portal
    assert "English" in str(computed_get("portal_pages_published_en").title)


def test_pages_published_per_language_and_pickups_of_a_province(portal) -> None:
    lam_dong = Organisation.objects.get(slug="lam-dong")
    hue = Organisation.objects.get(slug="hue")
    today = timezone.localdate()
    week = (today - dt.timedelta(days=7), today)

    def value(key: str, organisation: Organisation | None = lam_dong) -> float | None:
        return computed_value(key, organisation, *week)

    before = {k: value(f"portal_pages_published_{k}") for k in ("vi", "en", "fr", "de")}
    total_before = value("portal_pages_published")
    assert total_before == sum(before.values())  # every language version counted once
    assert before["de"] == 0.0  # the demo has nothing in German
    hue_before = value("portal_pages_published", hue)

    # the officer's page awaiting approval counts once an editor publishes it (in Vietnamese)
    pending = ArticlePage.objects.get(slug="lam-dong-chuan-bi-festival-hoa")
    assert pending.province_id == lam_dong.pk
    pending.save_revision().publish()
    assert value("portal_pages_published_vi") == before["vi"] + 1
    assert value("portal_pages_published_en") == before["en"]
    assert value("portal_pages_published") == total_before + 1
    assert value("portal_pages_published", hue) == hue_before  # not Hue's page
    # ... and not in a period before it was published
    last_year = (today - dt.timedelta(days=400), today - dt.timedelta(days=300))
    assert computed_value("portal_pages_published", lam_dong, *last_year) == 0.0

    # a foreign report linking to the English version is a pickup of Lam Dong's page
    assert value("portal_pickups") == 0.0
    english = Publication.objects.get(language="en", province=lam_dong, title__icontains="coffee")
    source = Source.objects.create(name="Guardian (test)", outlet="The Guardian", country="GB")
    url = "https://example.org/travel/coffee"
    report = Report.objects.create(
        source=source,
        url=url,
        canonical_url=url,
        url_hash=hashlib.sha256(url.encode()).hexdigest(),
        title="Where to drink coffee in Viet Nam",
        text=f"Highland coffee is in season (source: {english.url}).",
        language="en",
        is_relevant=True,
    )
    assert len(pickups_find(report.pk)) == 1
    assert value("portal_pickups") == 1.0
    assert value("portal_pickups", hue) == 0.0


def test_figures_do_not_apply_outside_provinces(portal) -> None:
    central = Organisation.objects.get(slug="ban-chi-dao-ttdn")
    today = timezone.localdate()
    assert computed_value("portal_pages_published", central, today, today) is None
    assert computed_value("portal_pickups", central, today, today) is None
    assert computed_value("portal_pickups", None, today, today) is None
