"""The portal's figures for the periodic reports, registered in the computed-figure registry
(ttdn.core.computed) from `PortalConfig.ready()`, so Coordinate never imports the portal.

A province's portal pages are those whose province is set (provincial officers must set it;
central pages have none). For an organisation that is not a province or city these figures
do not apply: None, which the report form shows as "not applicable", not as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ttdn.core.computed import register
from ttdn.portal import selectors
from ttdn.portal.conf import LOCAL_NAMES

Compute = Callable[[Any, dt.date, dt.date], float | None]


def _provincial(organisation: Any) -> bool:
    return organisation is not None and bool(getattr(organisation, "is_provincial", False))


def pages_published(language: str = "") -> Compute:
    def compute(organisation: Any, start: dt.date, end: dt.date) -> float | None:
        if not _provincial(organisation):
            return None
        return float(
            selectors.province_publications_count(organisation, start, end, language=language)
        )

    compute.__name__ = f"portal_pages_published_{language or 'all'}"
    return compute


def pickups(organisation: Any, start: dt.date, end: dt.date) -> float | None:
    if not _provincial(organisation):
        return None
    return float(selectors.province_pickups_count(organisation, start, end))


def register_figures() -> None:
    register(
        "portal_pages_published",
        title=_("Trang cổng thông tin đã đăng"),
        definition=_(
            "Số trang của tỉnh, thành phố trên cổng thông tin đối ngoại được đăng lần đầu "
            "trong kỳ và còn đăng, mỗi bản ngôn ngữ tính một trang."
        ),
        unit=_("trang"),
        compute=pages_published(),
        source="portal",
    )
    for code in settings.PORTAL_LANGUAGES:
        name = LOCAL_NAMES.get(code, code)
        register(
            f"portal_pages_published_{code.replace('-', '_')}",
            title=format_lazy("{} — {}", _("Trang cổng thông tin đã đăng"), name),
            definition=format_lazy(
                "{} ({})",
                _(
                    "Số trang của tỉnh, thành phố trên cổng thông tin đối ngoại được đăng lần "
                    "đầu trong kỳ và còn đăng, bằng ngôn ngữ này"
                ),
                name,
            ),
            unit=_("trang"),
            compute=pages_published(code),
            source="portal",
        )
    register(
        "portal_pickups",
        title=_("Lượt báo nước ngoài dẫn lại trang cổng thông tin"),
        definition=_(
            "Số bài báo nước ngoài được nhận ra trong kỳ là dẫn đường dẫn, trích đăng lại "
            "hoặc dịch lại một trang của tỉnh, thành phố trên cổng thông tin (mỗi cặp trang và "
            "bài báo tính một lần)."
        ),
        unit=_("lượt"),
        compute=pickups,
        source="portal",
    )
