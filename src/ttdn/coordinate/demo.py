"""Demo coordination data for `ttdn setup` / `ttdn demo`, so every coordinate page shows
something real: the action programme to 2030 with its five groups, this year's plans,
tasks at every status (some overdue), a submitted and a returned six-month report and an
award season open for entries. Idempotent: loaded once (keyed by the programme's code)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ttdn.accounts.models import Organisation
from ttdn.coordinate.models import (
    AwardCategory,
    AwardCriterion,
    AwardEntry,
    AwardSeason,
    IndicatorKind,
    PeriodKind,
    Plan,
    Priority,
    Programme,
    ProgrammeGroup,
    ReportIndicator,
    ReportTemplate,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    SubmissionValue,
    Target,
    Task,
    TaskAssignment,
    TaskEvent,
    TaskStatus,
)
from ttdn.coordinate.services.submissions import period_get_or_create
from ttdn.core.computed import computed_value

CODE = "ctr-hanh-dong-ttdn-2030"
GROUPS = [
    "Nâng cao nhận thức, đổi mới tư duy về công tác thông tin đối ngoại",
    "Hoàn thiện thể chế, cơ chế phối hợp từ trung ương đến địa phương",
    "Đổi mới nội dung, phương thức thông tin đối ngoại",
    "Phát triển nguồn lực và ứng dụng công nghệ số",
    "Kiểm tra, đánh giá, sơ kết, tổng kết, khen thưởng",
]
ASSIGNED = [
    # (title, group, days from today to the due date, priority, {province: status})
    (
        "Tổ chức họp báo quốc tế giới thiệu tiềm năng du lịch của tỉnh",
        3,
        -12,
        Priority.HIGH,
        {
            "lam-dong": TaskStatus.IN_PROGRESS,
            "gia-lai": TaskStatus.ASSIGNED,
            "ha-noi": TaskStatus.DONE,
            "da-nang": TaskStatus.SUBMITTED,
            "khanh-hoa": TaskStatus.RETURNED,
            "an-giang": TaskStatus.ACCEPTED,
        },
    ),
    (
        "Cập nhật trang tiếng Anh của cổng thông tin điện tử tỉnh",
        4,
        5,
        Priority.NORMAL,
        {
            "lam-dong": TaskStatus.ACCEPTED,
            "gia-lai": TaskStatus.IN_PROGRESS,
            "ha-noi": TaskStatus.SUBMITTED,
            "quang-ninh": TaskStatus.ASSIGNED,
        },
    ),
    (
        "Báo cáo sơ kết 6 tháng thực hiện Chương trình hành động",
        5,
        30,
        Priority.NORMAL,
        {"lam-dong": TaskStatus.ASSIGNED, "gia-lai": TaskStatus.ASSIGNED},
    ),
]


def _org(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def _tasks(programme: Programme, central: Organisation, today: dt.date) -> int:
    groups = {g.number: g for g in programme.groups.all()}
    made = 0
    for title, group, due_in, priority, statuses in ASSIGNED:
        due = today + dt.timedelta(days=due_in)
        assignment = TaskAssignment.objects.create(assigner=central, title=title)
        for slug, status in statuses.items():
            organisation = _org(slug)
            if organisation is None:
                continue
            name = f"Kế hoạch thông tin đối ngoại {due.year} — {organisation.name}"
            plan, _c = Plan.objects.get_or_create(
                programme=programme, organisation=organisation, year=due.year,
                defaults={"title": name},
            )  # fmt: skip
            task = Task.objects.create(
                organisation=organisation, title=title, plan=plan, group=groups.get(group),
                assignment=assignment, assigner=central, priority=priority,
                start_date=min(due, today) - dt.timedelta(days=45), due_date=due, status=status,
                progress={"done": 100, "submitted": 90, "in_progress": 40}.get(status, 0),
                returned_reason="Thiếu ảnh và danh sách phóng viên nước ngoài tham dự"
                if status == TaskStatus.RETURNED else "",
            )  # fmt: skip
            TaskEvent.objects.create(task=task, action="create", to_status=status)
            made += 1
    return made


def _reports(central: Organisation, today: dt.date) -> int:
    template = ReportTemplate.objects.create(
        name="Báo cáo sáu tháng về công tác thông tin đối ngoại", period_kind=PeriodKind.SIX_MONTH
    )
    entered = [
        ("events_held", "Sự kiện thông tin đối ngoại đã tổ chức", "sự kiện"),
        ("foreign_language_publications", "Tin, bài bằng tiếng nước ngoài", "tin, bài"),
        ("trainings", "Lớp bồi dưỡng nghiệp vụ thông tin đối ngoại", "lớp"),
    ]
    order = 0
    for key, title, unit in entered:
        order += 1
        ReportIndicator.objects.create(template=template, key=key, title=title, unit=unit,
                                       kind=IndicatorKind.ENTERED, order=order)  # fmt: skip
    for key, title in [
        ("world_coverage", "Bài báo quốc tế nhắc đến tỉnh, thành phố"),
        ("world_stories", "Câu chuyện quốc tế nhắc đến tỉnh, thành phố"),
        ("world_tone", "Sắc thái trung bình của báo chí quốc tế về tỉnh"),
        ("alerts_received", "Cảnh báo đã nhận"),
    ]:
        order += 1
        ReportIndicator.objects.create(template=template, key=key, title=title,
                                       kind=IndicatorKind.COMPUTED, order=order)  # fmt: skip
    # the last six-month period that has ended
    year, half = (today.year, 1) if today.month >= 7 else (today.year - 1, 2)
    period = period_get_or_create(kind=PeriodKind.SIX_MONTH, year=year, half=half)
    made = 0
    for slug, status, figures, comment in [
        ("lam-dong", SubmissionStatus.SUBMITTED, (14, 120, 3), ""),
        ("gia-lai", SubmissionStatus.RETURNED, (6, 35, 1),
         "Số tin, bài tiếng nước ngoài chưa khớp với báo cáo của Sở; đề nghị rà soát."),
        ("ha-noi", SubmissionStatus.APPROVED, (42, 610, 9), ""),
    ]:  # fmt: skip
        organisation = _org(slug)
        if organisation is None:
            continue
        submission = Submission.objects.create(
            template=template, period=period, organisation=organisation, status=status,
            version=1, submitted_at=timezone.now(), review_comment=comment,
        )  # fmt: skip
        for indicator in template.indicators.all():
            if indicator.kind == IndicatorKind.ENTERED:
                value: Any = figures[[k for k, _t, _u in entered].index(indicator.key)]
                computed = None
            else:
                computed = computed_value(indicator.key, organisation, period.start, period.end)
                value = computed
            SubmissionValue.objects.create(submission=submission, indicator=indicator,
                                           value=value, computed_value=computed)  # fmt: skip
        SubmissionEvent.objects.create(submission=submission, action="submit")
        if status != SubmissionStatus.SUBMITTED:
            action = "approve" if status == SubmissionStatus.APPROVED else "return"
            SubmissionEvent.objects.create(submission=submission, action=action, comment=comment)
        made += 1
    for offset, value in enumerate((300, 360, 420, 480, 540)):
        Target.objects.get_or_create(indicator_key="events_held", organisation=None,
                                     year=year + offset - 1, defaults={"value": value})  # fmt: skip
    return made


def _award(today: dt.date) -> None:
    season = AwardSeason.objects.create(
        name=f"Giải thưởng toàn quốc về thông tin đối ngoại {today.year}", year=today.year
    )
    categories = [
        AwardCategory.objects.create(season=season, name=name)
        for name in ("Báo in, báo điện tử", "Phát thanh, truyền hình", "Ảnh", "Sách")
    ]
    for name, max_score in [("Nội dung, tư tưởng", 40), ("Hình thức thể hiện", 30),
                            ("Hiệu quả thông tin đối ngoại", 30)]:  # fmt: skip
        AwardCriterion.objects.create(season=season, name=name, max_score=max_score)
    for slug, category, title, authors in [
        ("lam-dong", 0, "Đà Lạt — thành phố sáng tạo của UNESCO", "Nhóm phóng viên Báo Lâm Đồng"),
        ("gia-lai", 2, "Lễ hội cồng chiêng Tây Nguyên", "Trần Văn B"),
        ("ha-noi", 1, "Hà Nội — Thành phố vì hòa bình", "Đài Phát thanh và Truyền hình Hà Nội"),
    ]:
        organisation = _org(slug)
        if organisation is not None:
            AwardEntry.objects.create(season=season, category=categories[category],
                                      organisation=organisation, title=title, authors=authors,
                                      url=f"https://{slug}.gov.vn/giai-thuong-ttdn")  # fmt: skip


@transaction.atomic
def coordinate_demo_load(today: dt.date | None = None) -> dict[str, int]:
    """Returns what was created (all zeros when the demo is already there)."""
    if Programme.objects.filter(code=CODE).exists():
        return {"tasks": 0, "submissions": 0}
    central = Organisation.objects.filter(kind="steering").first()
    if central is None:
        return {"tasks": 0, "submissions": 0}
    today = today or timezone.localdate()
    programme = Programme.objects.create(
        code=CODE,
        name="Chương trình hành động của Chính phủ về thông tin đối ngoại đến năm 2030",
        owner=central, start_year=2021, end_year=2030,
    )  # fmt: skip
    for number, name in enumerate(GROUPS, 1):
        ProgrammeGroup.objects.create(programme=programme, number=number, name=name)
    tasks = _tasks(programme, central, today)
    submissions = _reports(central, today)
    _award(today)
    return {"tasks": tasks, "submissions": submissions}
