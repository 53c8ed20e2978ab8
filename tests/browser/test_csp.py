"""Finding 7 in a real browser: pages run under the Content-Security-Policy (the `page`
fixture fails a test on any violation), and the policy does block an inline script."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_under_the_policy(live_server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/api/open/docs")
    page.wait_for_selector("#swagger-ui .info", timeout=30_000)


def test_the_policy_blocks_an_inline_script(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    try:
        page.goto(f"{live_server.url}/dang-nhap/")
        # what an injected <script> would be: the browser refuses it and says so
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__ran = true'; document.body.append(s); }"
        )
        assert page.evaluate("() => window.__ran === undefined")
        assert any("Content Security Policy" in m for m in messages), messages
    finally:
        context.close()
