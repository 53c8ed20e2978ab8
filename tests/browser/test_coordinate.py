"""Coordinate in a real headless Chromium, in Vietnamese and English: a task assigned to three
provinces goes round the review loop while the overdue board shows the others; a six-month
report with computed figures is returned, resubmitted, approved and appears in the national
roll-up; a juror scores entries but never their own organisation's."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, ReportFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.coordinate.models import (
    AwardScore,
    IndicatorKind,
    PeriodKind,
    ReportIndicator,
    ReportTemplate,
    Submission,
    Task,
)
from ttdn.coordinate.services.awards import (
    award_entry_submit,
    award_season_advance,
    award_season_create,
)
from ttdn.monitor.models import PlaceMention

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _session(browser, live_server, user, language: str):  # type: ignore[no-untyped-def]
    """A fresh browser context logged in as `user`, its pages in `language`."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/dang-nhap/" not in page.url, page.url
    if language == "en":
        page.select_option("#lang-select", "en")
        page.locator("#lang-submit").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
    return page


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_assign_to_three_provinces_review_loop_and_overdue_board(  # type: ignore[no-untyped-def]
    browser, live_server, organisations, analyst, officer_lam_dong, language
) -> None:
    words = {
        "vi": {"done": "Hoàn thành", "returned": "Bị trả lại", "late": "Quá hạn"},
        "en": {"done": "Done", "returned": "Returned", "late": "Overdue"},
    }[language]
    leader = UserFactory(role=Role.LEADER, organisation=organisations["ban-chi-dao-ttdn"])
    central = _session(browser, live_server, analyst, language)
    central.goto(f"{live_server.url}/dieu-phoi/nhiem-vu/moi/")
    central.locator("#id_title").fill("Họp báo quốc tế về du lịch")
    chosen = [str(organisations[s].pk) for s in ("lam-dong", "gia-lai", "ha-noi")]
    central.locator("#id_organisations").select_option(value=chosen)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    central.locator("#id_due_date").fill(yesterday.isoformat())
    central.locator("#id_start_date").fill((yesterday - dt.timedelta(days=30)).isoformat())
    central.locator("form.form button[type=submit]").click()
    central.wait_for_url("**/dieu-phoi/nhiem-vu/?assignment=*")
    assert central.locator("table.data tbody tr").count() == 3
    task = Task.objects.get(organisation__slug="lam-dong")

    # the province accepts, adds evidence and submits
    province = _session(browser, live_server, officer_lam_dong, language)
    province.goto(f"{live_server.url}/dieu-phoi/")
    province.locator(f"tr[data-task='{task.pk}'] a").click()
    province.locator("button[data-action=accept]").click()
    province.wait_for_load_state()
    assert province.locator("#task-status").get_attribute("data-status") == "accepted"
    province.locator("#id_kind").select_option("url")
    province.locator("#id_title").fill("Bài đăng trên cổng thông tin tỉnh")
    province.locator("#id_url").fill("https://lamdong.gov.vn/hop-bao-du-lich")
    province.locator("#evidence-form button[type=submit]").click()
    province.wait_for_load_state()
    assert "Bài đăng trên cổng thông tin tỉnh" in province.locator("#evidence-list").inner_text()
    province.locator("button[data-action=submit]").click()
    province.wait_for_load_state()
    assert province.locator("#task-status").get_attribute("data-status") == "submitted"

    # central returns it with a reason
    central.goto(f"{live_server.url}/dieu-phoi/nhiem-vu/{task.pk}/")
    central.locator("#id_reason_return").fill("Thiếu danh sách phóng viên")
    central.locator("button[data-action=return]").click()
    central.wait_for_load_state()
    assert central.locator("#task-status").inner_text() == words["returned"]

    # the province sees the reason and resubmits; central closes it
    province.reload()
    assert "Thiếu danh sách phóng viên" in province.locator("#task-returned-reason").inner_text()
    province.locator("button[data-action=submit]").click()
    province.wait_for_load_state()
    central.reload()
    central.locator("button[data-action=close]").click()
    central.wait_for_load_state()
    assert central.locator("#task-status").inner_text() == words["done"]
    assert [e.action for e in Task.objects.get(pk=task.pk).events.all()] == [
        "create", "accept", "evidence", "submit", "return", "submit", "close",
    ]  # fmt: skip

    # the leader's overdue board shows the two others late, Lâm Đồng not
    board = _session(browser, live_server, leader, language)
    board.goto(f"{live_server.url}/dieu-phoi/cham-tre/")
    board.locator("#board-chart[data-ready='1']").wait_for(timeout=30_000)
    rows = board.locator("#board-organisations tbody tr")
    late = {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td.late").inner_text()
        for i in range(rows.count())
    }
    names = {"vi": ("Gia Lai", "Hà Nội", "Lâm Đồng"), "en": ("Gia Lai", "Hanoi", "Lam Dong")}
    assert late == dict(zip(names[language], ("1", "1", "0"), strict=True)), late
    board.locator("#board-organisations tr", has_text="Gia Lai").locator("td.late a").click()
    board.wait_for_url("**state=late**")
    assert board.locator("table.data tbody tr").count() == 1
    assert words["late"] in board.content()
    _shot(board, f"coordinate-board-{language}")


REPORT_WORDS = {
    "vi": {"definition": "tỉnh cũ đã sáp nhập", "reason": "muốn sửa phải ghi lý do",
           "second": "nộp lần 2", "approved": "Đã duyệt", "two": "2,0", "thirteen": "13,0"},
    "en": {"definition": "former merged provinces", "reason": "needs a reason",
           "second": "submission 2", "approved": "Approved", "two": "2.0", "thirteen": "13.0"},
}  # fmt: skip


@pytest.mark.parametrize("language", ["vi", "en"])
def test_six_month_report_returned_resubmitted_approved_in_rollup(  # type: ignore[no-untyped-def]
    browser, live_server, organisations, analyst, officer_lam_dong, language
) -> None:
    words = REPORT_WORDS[language]
    template = ReportTemplate.objects.create(
        name="Báo cáo sáu tháng về thông tin đối ngoại", period_kind=PeriodKind.SIX_MONTH
    )
    ReportIndicator.objects.create(
        template=template, key="events_held", order=1, title="Sự kiện đã tổ chức",
        kind=IndicatorKind.ENTERED,
    )  # fmt: skip
    ReportIndicator.objects.create(template=template, key="world_coverage", order=2,
                                   title="Bài báo quốc tế nhắc đến tỉnh",
                                   kind=IndicatorKind.COMPUTED)  # fmt: skip
    year = dt.date.today().year
    for key in ("lam-dong", "dak-nong"):  # today's province and one of its former units
        report = ReportFactory(published_at=dt.datetime(year, 2, 10, 9, tzinfo=dt.UTC))
        PlaceMention.objects.create(report=report, kind="unit", key=key, alias=key,
                                    start=0, end=1)  # fmt: skip

    province = _session(browser, live_server, officer_lam_dong, language)
    province.goto(f"{live_server.url}/dieu-phoi/bao-cao/")
    province.locator("#id_year").select_option(str(year))
    province.locator("#id_half").select_option("1")
    province.locator("#open-report button[type=submit]").click()
    province.wait_for_url("**/dieu-phoi/bao-cao/*/")
    computed = province.locator("tr[data-key=world_coverage]")
    # numbers are written the reader's way (decimal comma in Vietnamese)
    assert computed.locator(".computed").inner_text() == words["two"]
    # shown with its definition (the registry's, in the reader's language)
    assert words["definition"] in computed.inner_text()
    # changing the platform's figure without a reason is refused, nothing saved
    province.locator("#value-events_held").fill("12")
    province.locator("#value-world_coverage").fill("40")
    province.locator("#submit-report").click()
    province.wait_for_load_state()
    assert words["reason"] in province.locator(".messages").inner_text()
    _shot(province, f"coordinate-report-override-refused-{language}")
    assert province.locator("#report-status").get_attribute("data-status") == "draft"
    province.locator("#value-events_held").fill("12")
    province.locator("#value-world_coverage").fill("2")
    province.locator("#submit-report").click()
    province.wait_for_load_state()
    assert province.locator("#report-status").get_attribute("data-status") == "submitted"
    submission = Submission.objects.get()

    central = _session(browser, live_server, analyst, language)
    central.goto(f"{live_server.url}/dieu-phoi/bao-cao/{submission.pk}/")
    central.locator("#id_comment").fill("Please add the trade fair")
    central.locator("#return-report").click()
    central.wait_for_load_state()
    assert central.locator("#report-status").get_attribute("data-status") == "returned"

    province.reload()
    assert "Please add the trade fair" in province.locator("#review-comment").inner_text()
    province.locator("#value-events_held").fill("13")
    province.locator("#submit-report").click()
    province.wait_for_load_state()
    assert words["second"] in province.locator("#report-status").inner_text()

    central.reload()
    central.locator("#approve-report").click()
    central.wait_for_load_state()
    assert central.locator("#report-status").get_attribute("data-status") == "approved"
    central.goto(f"{live_server.url}/dieu-phoi/bao-cao/tong-hop/")
    central.locator("#rollup-status-chart[data-ready='1']").wait_for(timeout=30_000)
    row = central.locator("#rollup-rows tr[data-organisation=lam-dong]")
    assert row.get_attribute("data-status") == "approved"
    assert words["thirteen"] in row.inner_text() and words["approved"] in row.inner_text()
    totals = central.locator("#rollup-totals tr[data-key=events_held] td").inner_text()
    assert totals == words["thirteen"]
    with central.expect_download() as download:
        central.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    _shot(central, f"coordinate-rollup-{language}")


JUROR_WORDS = {
    "vi": {"own": "Tác phẩm của đơn vị bạn: không chấm",
           "refusal": "Giám khảo không chấm tác phẩm của đơn vị mình."},
    "en": {"own": "Your organisation's entry: not yours to score",
           "refusal": "A juror does not score entries of their own organisation."},
}  # fmt: skip


@pytest.mark.parametrize("language", ["vi", "en"])
def test_juror_scores_entries_but_not_their_own_organisations(  # type: ignore[no-untyped-def]
    browser, live_server, organisations, analyst, language
) -> None:
    words = JUROR_WORDS[language]
    season = award_season_create(user=analyst, name="Giải thưởng thông tin đối ngoại 2026",
                                 year=2026, categories=["Ảnh"],
                                 criteria=[("Nội dung", 10), ("Hình thức", 5)])  # fmt: skip
    category = season.categories.get()
    other = award_entry_submit(user=analyst, season=season, category=category,
                               organisation=organisations["gia-lai"], title="Phố núi",
                               authors="Trần B", url="https://gialai.vn/pho-nui")  # fmt: skip
    own = award_entry_submit(user=analyst, season=season, category=category,
                             organisation=organisations["lam-dong"], title="Đà Lạt mộng mơ",
                             authors="Nguyễn A", url="https://lamdong.gov.vn/da-lat")  # fmt: skip
    award_season_advance(user=analyst, season=season, status="judging")
    juror = UserFactory(role=Role.JUROR, organisation=organisations["lam-dong"])

    page = _session(browser, live_server, juror, language)
    page.goto(f"{live_server.url}/dieu-phoi/giai-thuong/{season.pk}/")
    own_row = page.locator(f"tr[data-entry='{own.pk}']")
    assert own_row.locator(".own-entry").inner_text() == words["own"]
    assert own_row.locator("a.score-link").count() == 0
    page.locator(f"tr[data-entry='{other.pk}'] a.score-link").click()
    criteria = list(season.criteria.all())
    page.locator(f"#criterion-{criteria[0].pk}").fill("9")
    page.locator(f"#criterion-{criteria[1].pk}").fill("4.5")
    page.locator("#score-form button[type=submit]").click()
    page.wait_for_url(f"**/dieu-phoi/giai-thuong/{season.pk}/")
    assert AwardScore.objects.filter(juror=juror, entry=other).count() == 2
    # typing the own entry's scoring address by hand is refused too
    page.goto(f"{live_server.url}/dieu-phoi/giai-thuong/{season.pk}/tac-pham/{own.pk}/cham/")
    assert page.locator("#own-entry-refusal").inner_text() == words["refusal"]
    assert not AwardScore.objects.filter(entry=own).exists()
    _shot(page, f"coordinate-award-juror-{language}")


SETUP_WORDS = {
    "vi": {"saved": "Đã lưu", "archived": "Đã lưu trữ", "refused": "nền tảng không tính"},
    "en": {"saved": "Saved", "archived": "Archived", "refused": "the platform does not compute"},
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_central_sets_up_programme_template_target_and_archives(  # type: ignore[no-untyped-def]
    browser, live_server, organisations, analyst, officer_lam_dong, language
) -> None:
    """What was Django-admin-only: a programme with its groups, a report template with an
    entered and a computed indicator (a computed one the platform does not know is refused),
    a national target; archiving the template takes it out of the provinces' report form."""
    words = SETUP_WORDS[language]
    central = _session(browser, live_server, analyst, language)
    central.goto(f"{live_server.url}/dieu-phoi/")
    central.locator("nav.subnav a[href='/dieu-phoi/thiet-lap/']").click()
    central.wait_for_url("**/dieu-phoi/thiet-lap/chuong-trinh/")
    central.locator("#setup-new").click()
    central.locator("#id_code").fill("ctr-2030")
    central.locator("#id_name").fill("Chương trình hành động đến 2030")
    central.locator("#id_owner").select_option(str(organisations["ban-chi-dao-ttdn"].pk))
    central.locator("#id_start_year").fill("2024")
    central.locator("#id_end_year").fill("2030")
    central.locator("#id_groups").fill("Tuyên truyền đối ngoại\nĐào tạo, bồi dưỡng")
    central.locator("#setup-save").click()
    central.wait_for_url("**/dieu-phoi/thiet-lap/chuong-trinh/")
    assert words["saved"] in central.locator(".messages").inner_text()
    assert "2. Đào tạo, bồi dưỡng" in central.locator("#setup-rows").inner_text()

    central.locator("#setup-sections a[data-section=mau-bao-cao]").click()
    central.locator("#setup-new").click()
    central.locator("#id_name").fill("Báo cáo sáu tháng về thông tin đối ngoại")
    central.locator("#id_period_kind").select_option("six_month")
    central.locator("#id_indicators-0-key").fill("events_held")
    central.locator("#id_indicators-0-title").fill("Sự kiện đã tổ chức")
    central.locator("#id_indicators-1-key").fill("made_up_figure")
    central.locator("#id_indicators-1-title").fill("Bài báo quốc tế nhắc đến tỉnh")
    central.locator("#id_indicators-1-kind").select_option("computed")
    central.locator("#setup-save").click()
    central.wait_for_load_state()
    assert words["refused"] in central.locator("#setup-errors").inner_text()
    assert not ReportTemplate.objects.exists()
    central.locator("#id_indicators-1-key").fill("world_coverage")
    central.locator("#setup-save").click()
    central.wait_for_url("**/dieu-phoi/thiet-lap/mau-bao-cao/")
    template = ReportTemplate.objects.get()
    assert list(template.indicators.values_list("key", "kind")) == [
        ("events_held", "entered"), ("world_coverage", "computed"),
    ]  # fmt: skip

    central.locator("#setup-sections a[data-section=muc-tieu]").click()
    central.locator("#setup-new").click()
    central.locator("#id_indicator_key").select_option("events_held")
    central.locator("#id_year").fill("2026")
    central.locator("#id_value").fill("120")
    central.locator("#setup-save").click()
    central.wait_for_url("**/dieu-phoi/thiet-lap/muc-tieu/")
    assert "120" in central.locator("#setup-rows").inner_text()
    _shot(central, f"coordinate-setup-targets-{language}")

    # the province sees the template in its report form until central archives it
    province = _session(browser, live_server, officer_lam_dong, language)
    province.goto(f"{live_server.url}/dieu-phoi/bao-cao/")
    assert template.name in province.locator("#id_template").inner_text()
    central.goto(f"{live_server.url}/dieu-phoi/thiet-lap/mau-bao-cao/")
    central.locator(f"#setup-rows tr[data-id='{template.pk}'] .archive-button").click()
    central.wait_for_load_state()
    assert central.locator(f"#setup-rows tr[data-id='{template.pk}']").count() == 0
    central.locator("#setup-archived").click()
    assert central.locator(f"#setup-rows tr[data-id='{template.pk}']").count() == 1
    assert words["archived"] in central.content()
    _shot(central, f"coordinate-setup-archived-{language}")
    province.reload()
    assert province.locator("#open-report").count() == 0  # no template left to open
