"""Other modules' panels on Measure's dashboard (`ttdn.measure.panels`): a panel that has
nothing for the reader (None) or that raises is left out, the others keep their order, and
the registry is left as it was found (the whole suite shares it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import RequestFactory

from ttdn.measure import panels
from ttdn.measure.filters import MeasureFilters
from ttdn.measure.panels import DashboardPanel, panel_register, panel_values


@pytest.fixture
def clean_registry() -> Iterator[None]:
    saved = dict(panels._PANELS)
    panels._PANELS.clear()
    yield
    panels._PANELS.clear()
    panels._PANELS.update(saved)


def _boom(request, filters):  # type: ignore[no-untyped-def]
    raise RuntimeError("a module's bug")


def test_none_and_failing_panels_are_left_out(clean_registry) -> None:  # type: ignore[no-untyped-def]
    panel_register(DashboardPanel("b.second", "b.html", lambda r, f: {"n": 2}, order=20))
    panel_register(DashboardPanel("a.first", "a.html", lambda r, f: {"n": 1}, order=10))
    panel_register(DashboardPanel("c.nothing", "c.html", lambda r, f: None, order=5))
    panel_register(DashboardPanel("d.broken", "d.html", _boom, order=1))
    shown = panel_values(RequestFactory().get("/do-luong/"), MeasureFilters())
    assert [(p.key, data) for p, data in shown] == [("a.first", {"n": 1}), ("b.second", {"n": 2})]


def test_the_respond_panel_is_registered() -> None:
    assert "respond.followup" in panels._PANELS
    assert panels._PANELS["respond.followup"].scripts == ("respond/followup.js",)
