"""Every page in English shows words, not stored codes or Python values, and no interface
word of the Vietnamese version; numbers and dates follow the reader's language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from tests.conftest import login
from tests.measure.conftest import world  # noqa: F401 - the shared hand-countable world
from ttdn.reports.pdf import change_pct, number

pytestmark = pytest.mark.django_db

# codes the pipeline stores; a cell or label showing one has skipped its translation
RAW = re.compile(r">\s*(positive|negative|neutral|unknown|international|domestic|None)\s*<")
PYTHON_VALUES = ("{&#x27;", "[&#x27;", "{'", "<built-in", "object at 0x")
VIETNAMESE_UI = ("Theo dõi", "Đo lường", "Bài báo", "Câu chuyện", "Sắc thái", "Ngôn ngữ",
                 "Quốc gia", "Tổng quan", "Định nghĩa", "Phạm vi đếm", "Tìm kiếm",
                 "Bộ lọc")  # fmt: skip


def _pages(world) -> list[str]:  # type: ignore[no-untyped-def]  # noqa: F811
    story = world.stories["st2"].pk
    return [
        "/tong-quan/",
        "/do-luong/tong-quan/quoc-gia/FR/?ky=30",
        "/theo-doi/",
        "/theo-doi/?lang=fr&tone=negative",
        f"/theo-doi/cau-chuyen/{story}/",
        "/do-luong/?date_from=2025-03-03&date_to=2025-03-16",
        "/do-luong/tim-kiem/?q=title",
        "/do-luong/dinh-nghia/",
        "/do-luong/dinh-nghia/tone/",
        "/to-chuc/",
        "/canh-bao/",
    ]


def test_english_pages_show_words_not_codes(client: Client, administrator, world) -> None:  # noqa: F811
    login(client, administrator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    problems = []
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        main = body[body.index("<main") : body.index("</main>")]
        problems += [f"{url}: raw {m.group(1)!r}" for m in RAW.finditer(main)]
        problems += [f"{url}: Python value {p!r}" for p in PYTHON_VALUES if p in main]
        text = re.sub(r"<(script|style)\b.*?</\1>", "", main, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        problems += [f"{url}: Vietnamese {w!r}" for w in VIETNAMESE_UI if w in text]
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_raw_code(client: Client, administrator, world) -> None:  # noqa: F811
    """The same patterns find what they are for (a stored tone code, a dict) in a page."""
    assert RAW.search("<td>negative</td>") and RAW.search("<td> None </td>")
    assert any(p in "<code>{&#x27;after&#x27;: 1}</code>" for p in PYTHON_VALUES)


def test_numbers_and_dates_follow_the_language() -> None:
    template = Template(
        '{{ n|floatformat:"0g" }} | {{ x|floatformat:"1g" }} | {{ d|date:"SHORT_DATE_FORMAT" }}'
    )
    context = Context({"n": 1234567, "x": 1234.5, "d": dt.date(2025, 3, 9)})
    with translation.override("vi"):
        assert template.render(context) == "1.234.567 | 1.234,5 | 09/03/2025"
        assert number(1234.5, 1) == "1.234,5" and number(1234) == "1.234"
        assert change_pct(110, 100) == "+10,0 %"
    with translation.override("en"):
        assert template.render(context) == "1,234,567 | 1,234.5 | 09/03/2025"
        assert number(1234.5, 1) == "1,234.5" and change_pct(90, 100) == "-10.0 %"
