"""The "open cases" tile of the morning overview: cases not yet answered (new, being assessed,
being drafted, waiting for approval) in the reader's scope, with how many are past a deadline.

Why these four states: a published, watched or closed case already has its answer out; what the
leader needs to see first thing is what is still waiting for one.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from ttdn.respond.models import CaseStatus
from ttdn.respond.selectors import case_list
from ttdn.web.tiles import Tile, TileValue, tile_register

OPEN_STATUSES = (
    CaseStatus.NEW,
    CaseStatus.ASSESSING,
    CaseStatus.DRAFTING,
    CaseStatus.IN_APPROVAL,
)


def case_open_tile(user: Any) -> TileValue | None:
    """The count of unanswered cases this reader may read; None for a signed-out visitor."""
    if not getattr(user, "is_authenticated", False):
        return None
    cases = list(case_list(user=user).filter(status__in=OPEN_STATUSES))
    now = timezone.now()
    late = sum(1 for case in cases if case.overdue(now))
    note = _t("%(n)d quá hạn") % {"n": late} if late else ""
    return TileValue(value=len(cases), note=note, url=reverse("respond"))


def register() -> None:
    tile_register(
        Tile(key="respond.open_cases", title=_("Hồ sơ đang mở"), value=case_open_tile, order=60)
    )
