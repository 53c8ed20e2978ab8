"""The demo: tasks at several statuses (some overdue), a submitted and a returned six-month
report and an award season, loaded once; every coordinate page renders them, vi and en."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import login
from ttdn.coordinate.demo import coordinate_demo_load
from ttdn.coordinate.models import AwardSeason, Submission, Task
from ttdn.coordinate.selectors.tasks import task_list

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_every_part(organisations, analyst) -> None:
    made = coordinate_demo_load()
    assert made["tasks"] >= 10 and made["submissions"] == 3
    assert coordinate_demo_load() == {"tasks": 0, "submissions": 0}
    statuses = set(Task.objects.values_list("status", flat=True))
    assert statuses == {"assigned", "accepted", "in_progress", "submitted", "returned", "done"}
    assert task_list(user=analyst, state="late").count() >= 3
    assert set(Submission.objects.values_list("status", flat=True)) >= {"submitted", "returned"}
    assert AwardSeason.objects.filter(status="open").exists()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_renders_the_demo(client: Client, organisations, analyst, language) -> None:
    coordinate_demo_load()
    login(client, analyst)
    if language == "en":
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    task = Task.objects.filter(status="returned").first()
    submission = Submission.objects.get(status="returned")
    season = AwardSeason.objects.get()
    pages = {
        "/dieu-phoi/": "Who is late" if language == "en" else "Đơn vị chậm trễ",
        "/dieu-phoi/nhiem-vu/?state=late": task.title if task else "",
        f"/dieu-phoi/nhiem-vu/{task.pk}/": task.returned_reason,
        "/dieu-phoi/nhiem-vu/moi/": "Assign to organisations" if language == "en" else "Giao cho",
        "/dieu-phoi/ke-hoach/": "Chương trình hành động",
        f"/dieu-phoi/ke-hoach/{task.plan_id}/": task.title,
        "/dieu-phoi/cham-tre/": "board-chart",
        "/dieu-phoi/thong-bao/": "notices",
        "/dieu-phoi/bao-cao/": "Gia Lai",
        f"/dieu-phoi/bao-cao/{submission.pk}/": submission.review_comment,
        "/dieu-phoi/bao-cao/tong-hop/": "rollup-data",
        "/dieu-phoi/danh-gia/?key=events_held": "evaluation-data",
        "/dieu-phoi/giai-thuong/": season.name,
        f"/dieu-phoi/giai-thuong/{season.pk}/": "award-entries",
    }
    raw = re.compile(
        r">\s*(assigned|accepted|in_progress|submitted|returned|done|draft|approved|missing|"
        r"six_month|annual|None|open|judging|accept|submit|close|create|evidence)\s*[<(]"
    )
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert expected in body, (url, expected)
        main = body[body.index("<main") : body.index("</main>")]
        assert not raw.findall(main), (url, raw.findall(main))
        if language == "en":  # no interface word of the Vietnamese version
            for word in ("Trạng thái", "Đơn vị", "Hạn", "Quá hạn", "Lịch sử", "Chỉ tiêu"):
                assert f">{word}<" not in main, (url, word)
