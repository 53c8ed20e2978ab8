"""Demo data for Respond (`ttdn setup` / `ttdn demo`): claims, a case at each status and a
published fact-check, made through the services (so timelines and the audit log are real).

The texts are ours, written for the demo (they state no real event): an answered claim
("Viet Nam banned all rice exports…", rated false) is restated by an item of the demo feed
"respond-demo" (`ttdn/data/demo/respond_feed.json`) a little after the replay starts, so a
person watching sees it re-appear on the claim's page and on the board. Idempotent: loaded
once (keyed by the demo author's username).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ttdn.accounts.models import Organisation, Role, User
from ttdn.respond import services
from ttdn.respond.models import Case, CaseStatus, Severity

AUTHOR = "demo.phanhoi"
APPROVER = "demo.pheduyet"
ANSWERED = (
    "Viet Nam banned all rice exports from March 2024 because of the drought in the Mekong Delta."
)
CLAIMS: list[tuple[str, str, str]] = [
    # (text, language, case status)
    ("Tỉnh Lâm Đồng đã đóng cửa toàn bộ các khu du lịch ở Đà Lạt vì dịch bệnh.", "vi", "new"),
    (
        "Foreign journalists are no longer allowed to travel to the Central Highlands.",
        "en",
        "assessing",
    ),
    ("Le Vietnam a interdit l'usage de l'anglais dans les écoles publiques.", "fr", "drafting"),
    ("Viet Nam will stop issuing tourist visas to Europeans from next month.", "en", "in_approval"),
    (ANSWERED, "en", "published"),
    ("Ha Long Bay was removed from the UNESCO World Heritage list in 2024.", "en", "watching"),
    ("All flights to Da Nang were cancelled for a week because of a cyber attack.", "en", "closed"),
]
ANSWER = {
    "vi": (
        "Việt Nam không cấm xuất khẩu gạo",
        "<p>Không có quyết định nào cấm xuất khẩu gạo. Số liệu hải quan cho thấy xuất khẩu gạo "
        "vẫn diễn ra bình thường trong tháng 3 và tháng 4.</p>",
    ),
    "en": (
        "Viet Nam did not ban rice exports",
        "<p>No decision banned rice exports. Customs figures show rice exports continued as "
        "usual in March and April.</p>",
    ),
}
PATH = {
    "new": [],
    "assessing": ["assessing"],
    "drafting": ["assessing", "drafting"],
    "in_approval": ["assessing", "drafting", "in_approval"],
    "published": ["assessing", "drafting", "in_approval"],
    "watching": ["assessing", "drafting", "in_approval"],
    "closed": ["assessing", "drafting", "in_approval"],
}


def _user(username: str, organisation: Organisation) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"role": Role.CENTRAL_ANALYST, "organisation": organisation, "is_active": True},
    )
    if created:
        user.set_unusable_password()  # demo authors only: nobody logs in as them
        user.save()
    return user


def _answers(case: Case, author: User, approver: User, texts: dict[str, tuple[str, str]]) -> None:
    for lang, (title, body) in texts.items():
        answer = services.answer_save(user=author, case=case, language=lang, title=title, body=body)
        services.answer_approve(user=approver, answer=answer)


@transaction.atomic
def respond_demo_load() -> dict[str, Any]:
    if User.objects.filter(username=AUTHOR).exists():
        return {"created": 0}
    organisation = Organisation.objects.filter(slug="ban-chi-dao-ttdn").first()
    organisation = organisation or Organisation.objects.order_by("pk").first()
    if organisation is None:
        return {"created": 0}
    author, approver = _user(AUTHOR, organisation), _user(APPROVER, organisation)
    created = 0
    for text, language, status in CLAIMS:
        claim = services.claim_create(
            user=author, organisation=organisation, text=text, language=language
        )
        severity = Severity.HIGH if status in ("published", "new") else Severity.MEDIUM
        case = services.case_create(
            user=author,
            organisation=organisation,
            title=text[:120],
            claims=[claim],
            severity=severity,
        )
        for step in PATH[status]:
            services.case_transition(user=author, case=case, status=step)
        if status in ("in_approval", "published", "watching", "closed"):
            texts = (
                ANSWER
                if text == ANSWERED
                else {
                    "vi": (f"Đính chính: {text[:80]}", "<p>Thông tin này không đúng sự thật.</p>"),
                    "en": (f"Clarification: {text[:80]}", "<p>This claim is not true.</p>"),
                }
            )
            _answers(case, author, approver, texts)
        if status in ("published", "watching", "closed"):
            services.rating_set(user=author, case=case, claim=claim, rating="false")
            services.case_publish(user=approver, case=case)
        if status in ("watching", "closed"):
            services.case_transition(user=author, case=case, status=CaseStatus.WATCHING)
        if status == "closed":
            services.case_transition(user=author, case=case, status=CaseStatus.CLOSED)
        created += 1
    return {"created": created}
