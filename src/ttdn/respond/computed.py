"""Respond's figures for the periodic reports, registered in Coordinate's computed-figure
registry from `RespondConfig.ready()` — Coordinate never imports Respond.

Each figure reads `selectors.case_response_figures` for the organisation and period. A period
with no published (or assessed) case has no response time: None ("not applicable"), not 0,
which would read as "answered instantly". No organisation (the national roll-up asks per
organisation) is None too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from ttdn.core.computed import register
from ttdn.respond import selectors


def _figure(name: str) -> Callable[[Any, dt.date, dt.date], float | None]:
    def compute(organisation: Any, start: dt.date, end: dt.date) -> float | None:
        if organisation is None:
            return None
        value = selectors.case_response_figures(organisation, start, end)[name]
        return None if value is None else float(value)

    compute.__name__ = f"respond_{name}"
    return compute


def register_figures() -> None:
    register(
        "respond_cases_opened",
        title=_("Hồ sơ phản hồi đã mở"),
        definition=_("Số hồ sơ phản hồi thông tin sai lệch mà đơn vị mở trong kỳ."),
        unit=_("hồ sơ"),
        compute=_figure("opened"),
        source="respond",
    )
    register(
        "respond_cases_published",
        title=_("Bài phản hồi đã công bố"),
        definition=_("Số hồ sơ của đơn vị có bài đính chính, kiểm chứng được công bố trong kỳ."),
        unit=_("hồ sơ"),
        compute=_figure("published"),
        source="respond",
    )
    register(
        "respond_median_publish_hours",
        title=_("Thời gian phản hồi (trung vị)"),
        definition=_(
            "Trung vị số giờ từ khi mở hồ sơ đến khi công bố bài phản hồi, tính trên các hồ sơ "
            "công bố trong kỳ."
        ),
        unit=_("giờ"),
        compute=_figure("median_publish_hours"),
        source="respond",
        aggregate="mean",
    )
    register(
        "respond_published_on_time_pct",
        title=_("Hồ sơ công bố đúng hạn"),
        definition=_(
            "Tỷ lệ phần trăm hồ sơ công bố trong kỳ mà bài phản hồi ra trước hạn công bố theo "
            "mức độ nghiêm trọng."
        ),
        unit=_("%"),
        compute=_figure("published_on_time_pct"),
        source="respond",
        aggregate="mean",
    )
    register(
        "respond_median_assess_hours",
        title=_("Thời gian đánh giá ban đầu (trung vị)"),
        definition=_(
            "Trung vị số giờ từ khi mở hồ sơ đến lần đánh giá đầu tiên, tính trên các hồ sơ "
            "được đánh giá trong kỳ."
        ),
        unit=_("giờ"),
        compute=_figure("median_assess_hours"),
        source="respond",
        aggregate="mean",
    )
    register(
        "respond_assessed_on_time_pct",
        title=_("Hồ sơ đánh giá đúng hạn"),
        definition=_("Tỷ lệ phần trăm hồ sơ được đánh giá ban đầu trước hạn trong kỳ."),
        unit=_("%"),
        compute=_figure("assessed_on_time_pct"),
        source="respond",
        aggregate="mean",
    )
    register(
        "respond_reappeared_after_answer",
        title=_("Thông tin sai lặp lại sau phản hồi"),
        definition=_(
            "Số lần các thông tin sai mà đơn vị đã phản hồi xuất hiện lại trong tin bài, "
            "phát hiện trong kỳ."
        ),
        unit=_("lần"),
        compute=_figure("reappeared_after_answer"),
        source="respond",
    )
    register(
        "respond_pickups",
        title=_("Tin bài dẫn lại bài phản hồi"),
        definition=_(
            "Số tin bài đăng trong kỳ dẫn đường liên kết tới bài phản hồi đã công bố của đơn "
            "vị hoặc trích nguyên văn một câu của bài."
        ),
        unit=_("tin bài"),
        compute=_figure("pickups"),
        source="respond",
    )
