"""The Wagtail admin without 'unsafe-inline': only Wagtail's known widget initialisers are
turned into inert JSON for portal/admin-init.js; any other inline script is left alone, so
the browser still blocks it (tests/browser/test_portal_admin.py checks the admin pages)."""

from __future__ import annotations

import json
import re

from django.test import Client

from ttdn.portal.admin_csp import rewrite_call, rewrite_html


def _data(html: str) -> tuple[str, list[object]]:
    match = re.fullmatch(
        r'<script type="application/json" data-ttdn-init="(\w+)">(.*)</script>', html, re.S
    )
    assert match, html
    return match.group(1), json.loads(match.group(2))


def test_known_initialisers_become_data() -> None:
    name, args = _data(rewrite_call('initDateChooser("id_date", {"format": "Y-m-d"});'))
    assert (name, args) == ("initDateChooser", ["id_date", {"format": "Y-m-d"}])
    name, args = _data(rewrite_call('new ImageChooser("id_cover", {"modalUrl": "/x/"});'))
    assert (name, args) == ("ImageChooser", ["id_cover", {"modalUrl": "/x/"}])
    panel = (
        '(function() {\n var panel = new InlinePanel(JSON.parse("{\\u0022a\\u0022: 1}"));\n})();'
    )
    assert _data(rewrite_call(panel)) == ("InlinePanel", [{"a": 1}])


def test_anything_else_stays_inline_and_blocked() -> None:
    for code in (
        "alert(1)",
        'initDateChooser("a", {}); alert(1); initDateChooser("b", {})',
        'new Function("alert(1)")',
        "initDateChooser(document.cookie, {})",
        'window.location = "https://example.org/"',
    ):
        assert rewrite_call(code) is None, code
    html = '<p>x</p><script>alert(1)</script><script>initTimeChooser("t", {})</script>'
    out = rewrite_html(html)
    assert "<script>alert(1)</script>" in out
    assert 'data-ttdn-init="initTimeChooser">["t", {}]' in out


def test_data_cannot_close_its_script_element() -> None:
    out = rewrite_call('initDateChooser("x", {"format": "</script><script>alert(1)//"});')
    assert out is not None and out.count("</script>") == 1
    assert _data(out)[1] == ["x", {"format": "</script><script>alert(1)//"}]


def test_admin_pages_carry_no_known_inline_initialiser(portal, client: Client) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import login
    from tests.factories import UserFactory
    from ttdn.accounts.models import Role
    from ttdn.portal.models import TopicIndexPage

    login(client, UserFactory(role=Role.PORTAL_EDITOR))
    news = TopicIndexPage.objects.get(locale__language_code="vi", slug="tin-tuc")
    html = client.get(f"/quang-ba/quan-tri/pages/add/portal/articlepage/{news.pk}/").content
    text = html.decode()
    assert 'data-ttdn-init="initDateChooser"' in text
    assert 'data-ttdn-init="ImageChooser"' in text
    assert "<script>initDateChooser" not in text and "<script>new ImageChooser" not in text
    assert "portal/admin-init" in text
