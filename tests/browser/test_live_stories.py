"""The live stories page in a real Chromium: a story stored while the page is open appears
without a reload, pushed by server-sent events, and by polling when EventSource fails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, SourceFactory
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import article_store
from ttdn.pipeline.types import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch, settings) -> MonitorRuntime:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    # short streams, so the test also sees the browser reconnect after a stream ends
    settings.MONITOR_STREAM_SECONDS = 3.0
    settings.MONITOR_STREAM_CHECK_SECONDS = 0.2
    return MonitorRuntime()


def store(runtime: MonitorRuntime, n: int, title: str) -> None:
    """Store one article through the monitor's own service (analysis, dedupe, clustering)."""
    article = Article(
        url=f"https://news.example/live/{n}",
        title=title,
        text=f"{title}. Officials in Hanoi said Viet Nam would expand the programme in "
        f"Quảng Ninh and Đà Nẵng next year, case {n}.",
        published=timezone.now() - dt.timedelta(seconds=1),
        language_hint="en",
    )
    assert article_store(article=article, source=SourceFactory(), runtime=runtime) is not None


def open_live_page(live_server, page, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/dang-nhap/?next=/theo-doi/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/theo-doi/")
    # a marker that a reload would wipe
    page.evaluate("window.__noReload = true")


def test_a_stored_story_appears_without_reload_by_server_sent_events(  # type: ignore[no-untyped-def]
    live_server, page, analyst, runtime
) -> None:
    open_live_page(live_server, page, analyst)
    page.locator("#live-mode[data-mode='stream']").wait_for(timeout=15_000)
    store(runtime, 1, "Viet Nam opens its first high-speed rail line")
    row = page.locator("#stories tbody tr", has_text="Viet Nam opens its first high-speed rail")
    row.wait_for(timeout=15_000)
    assert page.evaluate("window.__noReload") is True
    assert page.locator("#live-mode").get_attribute("data-mode") == "stream"

    # after the server ends the stream (3 s here), the browser reconnects and still gets news
    page.wait_for_timeout(4_000)
    store(runtime, 2, "Typhoon Kalmaegi nears central Viet Nam coast")
    page.locator("#stories tbody tr", has_text="Typhoon Kalmaegi").wait_for(timeout=15_000)
    assert page.locator("#stories tbody tr").first.inner_text().startswith("Typhoon Kalmaegi")
    assert page.evaluate("window.__noReload") is True
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "live-stories-sse.png"), full_page=True)


def test_the_page_falls_back_to_polling_when_the_stream_fails(  # type: ignore[no-untyped-def]
    live_server, page, analyst, runtime
) -> None:
    page.route("**/theo-doi/luong/**", lambda route: route.fulfill(status=500, body="down"))
    open_live_page(live_server, page, analyst)
    page.locator("#live-mode[data-mode='polling']").wait_for(timeout=15_000)
    store(runtime, 3, "Viet Nam and Laos sign a power trade deal")
    page.locator("#stories tbody tr", has_text="Laos sign a power trade deal").wait_for(
        timeout=15_000
    )
    assert page.evaluate("window.__noReload") is True


def test_a_refused_stream_falls_back_to_polling(  # type: ignore[no-untyped-def]
    live_server, page, analyst, runtime, settings
) -> None:
    settings.MONITOR_STREAM_SLOTS = 0  # every slot taken: the server answers 204
    open_live_page(live_server, page, analyst)
    page.locator("#live-mode[data-mode='polling']").wait_for(timeout=15_000)
    store(runtime, 4, "Hanoi hosts the ASEAN digital ministers")
    page.locator("#stories tbody tr", has_text="ASEAN digital ministers").wait_for(timeout=15_000)
