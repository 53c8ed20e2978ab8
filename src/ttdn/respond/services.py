"""Writes for Respond. Every write checks the organisation through the core's selectors,
runs in one transaction (a refused step saves nothing) and leaves a timeline event; the
models are audited, so each change is in the audit log too."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, User
from ttdn.accounts.selectors import organisations_actable
from ttdn.core.events import announce
from ttdn.monitor.analysis import embedding_from_bytes
from ttdn.monitor.models import Report, Story
from ttdn.pipeline.language import detect
from ttdn.respond import matching
from ttdn.respond.models import (
    DEFAULT_DEADLINES,
    Answer,
    AnswerPickup,
    AnswerStatus,
    Case,
    CaseEvent,
    CaseStatus,
    Claim,
    ClaimAppearance,
    ClaimRating,
    ClaimStatus,
    Evidence,
    EvidenceKind,
    Fact,
    Note,
    Notification,
    Rating,
    Severity,
    SeverityPolicy,
)
from ttdn.respond.sanitise import clean_html, plain_text

log = logging.getLogger(__name__)

CASE_PUBLISHED = "respond.case_published"
CLAIM_REAPPEARED = "respond.claim_reappeared"
MAX_CLAIM_CHARS = 2000
#: Evidence files: what may be uploaded (by content, not by name) and how large.
EVIDENCE_MAX_BYTES_DEFAULT = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"RIFF": "image/webp",
}
EVIDENCE_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg", ".webp", ".txt"}
#: Allowed moves of a case (forward and the returns).
TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.NEW: {CaseStatus.ASSESSING, CaseStatus.CLOSED},
    CaseStatus.ASSESSING: {CaseStatus.DRAFTING, CaseStatus.CLOSED, CaseStatus.NEW},
    CaseStatus.DRAFTING: {CaseStatus.IN_APPROVAL, CaseStatus.ASSESSING},
    CaseStatus.IN_APPROVAL: {CaseStatus.DRAFTING},  # published only through case_publish
    CaseStatus.PUBLISHED: {CaseStatus.WATCHING},
    CaseStatus.WATCHING: {CaseStatus.CLOSED, CaseStatus.DRAFTING},
    CaseStatus.CLOSED: {CaseStatus.WATCHING},
}


def _ensure_can_act(user: User, organisation: Organisation) -> None:
    if not organisations_actable(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Bạn không được thao tác cho đơn vị này."))


def _lock(case: Case) -> None:
    """Lock the case row and bring the caller's instance up to date (one writer at a time)."""
    Case.objects.select_for_update().filter(pk=case.pk).first()
    case.refresh_from_db()


def _event(case: Case, user: User | None, kind: str, text: str = "", **data: Any) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=user if user and user.is_authenticated else None,
        kind=kind,
        text=text,
        data=data,
    )


#: The notice's lead by kind, translated when shown (the reader's language, not the worker's).
NOTICE_LEADS = {
    "reappeared": "Thông tin đã phản hồi xuất hiện lại",
    "escalated_assess": "Quá hạn đánh giá",
    "escalated_publish": "Quá hạn công bố",
    "handed_over": "Hồ sơ được chuyển tới đơn vị của bạn",
}


def notify(user: User | None, kind: str, text: str, url: str = "") -> None:
    """In-app notice (the lead is translated on display), and an e-mail when the user has an
    address (best effort)."""
    if user is None:
        return
    Notification.objects.create(user=user, kind=kind, text=text[:500], url=url)
    if user.email:
        lead = _(NOTICE_LEADS.get(kind, ""))
        try:
            send_mail(f"[TTĐN] {lead}: {text[:100]}", f"{lead}: {text}\n{url}", None, [user.email])
        except Exception:  # noqa: BLE001 - the in-app notice is kept; mail is best effort
            log.warning("respond: notification mail to user %s failed", user.pk, exc_info=True)


# --------------------------------------------------------------------------- claims


def claim_create(
    *,
    user: User,
    organisation: Organisation,
    text: str,
    language: str = "",
    report: Report | None = None,
    sentence: str = "",
) -> Claim:
    """A claim typed by hand, or taken from a report (its sentence becomes the claim)."""
    text = " ".join((text or sentence or "").split())
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung thông tin cần phản hồi.")})
    if len(text) > MAX_CLAIM_CHARS:
        raise ValidationError(
            {"text": _("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": MAX_CLAIM_CHARS}}
        )
    _ensure_can_act(user, organisation)
    detected = not language
    if detected:
        language = detect(text).code
        if language == "und":
            raise ValidationError(
                {"language": _("Không nhận diện được ngôn ngữ; hãy chọn ngôn ngữ.")}
            )
    with transaction.atomic():
        claim = Claim(
            text=text,
            language=language,
            language_detected=detected,
            organisation=organisation,
            created_by=user,
            embedding=matching.claim_vector(text),
        )
        claim.full_clean()
        claim.save()
        if report is not None:
            _appearance_add(claim, report, sentence=text, score=None, origin=True)
    return claim


def _appearance_add(
    claim: Claim, report: Report, *, sentence: str, score: float | None, origin: bool = False
) -> ClaimAppearance | None:
    source = report.source
    try:
        with transaction.atomic():
            return ClaimAppearance.objects.create(
                claim=claim,
                report=report,
                url=report.url,
                outlet=(source.outlet or source.name) if source else "",
                country=source.country if source else "",
                language=report.language,
                published_at=report.published_at,
                sentence=sentence[:2000],
                score=score,
                is_origin=origin,
                after_answer=claim.status == ClaimStatus.ANSWERED,
            )
    except IntegrityError:  # already recorded for this report (a redelivered event)
        return None


@transaction.atomic
def claim_dismiss(*, user: User, claim: Claim, reason: str) -> Claim:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do bỏ qua.")})
    _ensure_can_act(user, claim.organisation)
    claim.status = ClaimStatus.DISMISSED
    claim.dismissed_reason = reason
    claim.save()
    return claim


_PUBLIC_PATH = re.compile(r"/phan-hoi/cong-khai/([-\w]+)/?")


def pickups_record(report_id: int, links: list[str]) -> list[AnswerPickup]:
    """Write down the published answers a stored report links to (the REPORT_STORED job's
    `links`: the report's links to our own hosts). Links to no published answer are ignored;
    a repeated delivery adds nothing."""
    slugs = {m.group(1) for link in links if (m := _PUBLIC_PATH.search(link))}
    if not slugs or not Report.objects.filter(pk=report_id).exists():
        return []
    found = []
    for case in Case.objects.filter(slug__in=slugs, published_at__isnull=False):
        pickup, _made = AnswerPickup.objects.get_or_create(case=case, report_id=report_id)
        found.append(pickup)
    return found


def claims_match_report(report_id: int) -> list[ClaimAppearance]:
    """Record every open or answered claim the stored report states (the REPORT_STORED job).

    An answered claim that comes back alerts its owner (the case's assignee, else whoever
    recorded the claim) in the app and by e-mail.
    """
    index = matching.claim_index()
    if not index.ids:  # no claim to look for: do not load the report at all
        return []
    report = Report.objects.select_related("source").filter(pk=report_id).first()
    if report is None or not (report.title or report.text):
        return []
    found = matching.match_report(
        report.title,
        report.text,
        report.language or "und",
        index,
        doc_vector=embedding_from_bytes(report.embedding),
    )
    recorded = []
    for item in found:
        claim = Claim.objects.select_related("organisation", "created_by").get(pk=item.claim_id)
        appearance = _appearance_add(
            claim, report, sentence=item.match.sentence, score=round(item.match.score, 4)
        )
        if appearance is None:
            continue
        recorded.append(appearance)
        if appearance.after_answer:
            _claim_reappeared(claim, appearance)
    return recorded


def _claim_reappeared(claim: Claim, appearance: ClaimAppearance) -> None:
    case = claim.cases.order_by("-published_at", "-id").first()
    owner = (case.assignee if case and case.assignee else None) or claim.created_by
    url = reverse("respond_claim", args=[claim.pk])
    text = f"“{claim.text[:200]}” — {appearance.outlet or appearance.url}"
    notify(owner, "reappeared", text, url)
    if case is not None:
        _event(case, None, "reappeared", text, appearance_id=appearance.pk, url=appearance.url)
    announce(CLAIM_REAPPEARED, {"claim_id": claim.pk, "appearance_id": appearance.pk})


# --------------------------------------------------------------------------- cases


def deadlines_for(severity: str, start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    policy = SeverityPolicy.objects.filter(severity=severity).first()
    assess, publish = (
        (policy.assess_minutes, policy.publish_minutes)
        if policy
        else DEFAULT_DEADLINES[Severity(severity)]
    )
    return start + dt.timedelta(minutes=assess), start + dt.timedelta(minutes=publish)


@transaction.atomic
def case_create(
    *,
    user: User,
    organisation: Organisation,
    title: str,
    claims: Iterable[Claim],
    severity: str = Severity.MEDIUM,
    assignee: User | None = None,
) -> Case:
    _ensure_can_act(user, organisation)
    claim_list = list(claims)
    if not claim_list:
        raise ValidationError({"claims": _("Hồ sơ cần ít nhất một thông tin.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Mức độ không hợp lệ.")})
    now = timezone.now()
    assess_due, publish_due = deadlines_for(severity, now)
    case = Case(
        title=(title or claim_list[0].text)[:300],
        organisation=organisation,
        assignee=assignee or user,
        created_by=user,
        severity=severity,
        assess_due_at=assess_due,
        publish_due_at=publish_due,
    )
    case.full_clean()
    case.save()
    case.claims.set(claim_list)
    _event(case, user, "created", case.title, severity=severity)
    return case


@transaction.atomic
def case_transition(*, user: User, case: Case, status: str, reason: str = "") -> Case:
    _ensure_can_act(user, case.organisation)
    _lock(case)
    if status not in TRANSITIONS.get(case.status, set()):
        raise ValidationError(
            _("Không thể chuyển hồ sơ từ “%(a)s” sang “%(b)s”.")
            % {
                "a": CaseStatus(case.status).label,
                "b": CaseStatus(status).label if status in CaseStatus.values else status,
            }
        )
    old = case.status
    case.status = status
    now = timezone.now()
    if status == CaseStatus.ASSESSING and case.first_assessed_at is None:
        case.first_assessed_at = now
        case.claims.filter(status=ClaimStatus.NEW).update(status=ClaimStatus.ASSESSING)
    if status == CaseStatus.CLOSED:
        case.closed_at = now
    case.save()
    _event(case, user, "status", reason, old=old, new=status)
    return case


@transaction.atomic
def case_assign(*, user: User, case: Case, assignee: User | None) -> Case:
    _ensure_can_act(user, case.organisation)
    if (
        assignee is not None
        and not organisations_actable(assignee).filter(pk=case.organisation_id).exists()
    ):
        raise ValidationError({"assignee": _("Người này không thuộc đơn vị chủ trì.")})
    case.assignee = assignee
    case.save()
    _event(case, user, "assigned", assignee.get_username() if assignee else "")
    return case


@transaction.atomic
def case_hand_over(*, user: User, case: Case, organisation: Organisation, reason: str) -> Case:
    """Give the case to another organisation (a ministry, a province, a mission abroad)."""
    _ensure_can_act(user, case.organisation)
    if organisation.pk == case.organisation_id:
        raise ValidationError({"organisation": _("Hồ sơ đã thuộc đơn vị này.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do chuyển giao.")})
    old = case.organisation
    case.organisation = organisation
    case.assignee = None
    case.save()
    _event(case, user, "handed_over", reason.strip(), old=old.name, new=organisation.name)
    for member in organisation.members.filter(is_active=True)[:20]:
        notify(
            member,
            "handed_over",
            case.title,
            reverse("respond_case", args=[case.pk]),
        )
    return case


def _evidence_file_check(upload: UploadedFile) -> str:
    name = (upload.name or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    limit = int(getattr(settings, "TTDN_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES_DEFAULT))
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {"file": _("Tệp quá lớn (tối đa %(kb)s KB).") % {"kb": limit // 1024}}
        )
    if ext not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {"file": _("Loại tệp không được phép; chỉ nhận PDF, PNG, JPEG, WebP hoặc văn bản.")}
        )
    head = upload.read(16)
    upload.seek(0)
    if ext == ".txt":
        try:
            upload.read(65536).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError({"file": _("Tệp văn bản phải mã hóa UTF-8.")}) from exc
        finally:
            upload.seek(0)
        return "text/plain"
    for magic, content_type in EVIDENCE_TYPES.items():
        if head.startswith(magic) and (magic != b"RIFF" or head[8:12] == b"WEBP"):
            expected = {".pdf": "application/pdf", ".png": "image/png", ".webp": "image/webp"}
            if expected.get(ext, "image/jpeg") != content_type:
                break
            return content_type
    raise ValidationError({"file": _("Nội dung tệp không khớp với loại tệp.")})


@transaction.atomic
def evidence_add(
    *,
    user: User,
    case: Case,
    kind: str,
    upload: UploadedFile | None = None,
    url: str = "",
    report: Report | None = None,
    story: Story | None = None,
    note: str = "",
) -> Evidence:
    _ensure_can_act(user, case.organisation)
    evidence = Evidence(case=case, kind=kind, note=(note or "")[:500], added_by=user)
    if kind == EvidenceKind.FILE:
        if upload is None:
            raise ValidationError({"file": _("Hãy chọn một tệp.")})
        evidence.content_type = _evidence_file_check(upload)
        evidence.size = int(upload.size or 0)
        evidence.file = upload
    elif kind == EvidenceKind.LINK:
        evidence.url = (url or "").strip()
        if not evidence.url:
            raise ValidationError({"url": _("Hãy nhập đường dẫn.")})
    elif kind == EvidenceKind.REPORT and report is not None:
        evidence.report, evidence.url = report, report.url
    elif kind == EvidenceKind.STORY and story is not None:
        evidence.story = story
    else:
        raise ValidationError({"kind": _("Bằng chứng không hợp lệ.")})
    evidence.full_clean()
    evidence.save()
    _event(case, user, "evidence", str(evidence), evidence_id=evidence.pk)
    return evidence


@transaction.atomic
def fact_add(
    *, user: User, case: Case, statement: str, source_url: str, source_name: str = ""
) -> Fact:
    _ensure_can_act(user, case.organisation)
    fact = Fact(
        case=case,
        statement=plain_text(statement),
        source_url=(source_url or "").strip(),
        source_name=plain_text(source_name)[:300],
        added_by=user,
    )
    if not fact.statement:
        raise ValidationError({"statement": _("Hãy nhập sự thật đã kiểm chứng.")})
    fact.full_clean()
    fact.save()
    _event(case, user, "fact", fact.statement[:200], fact_id=fact.pk)
    return fact


@transaction.atomic
def note_add(*, user: User, case: Case, body: str) -> Note:
    _ensure_can_act(user, case.organisation)
    cleaned = clean_html(body)
    if not plain_text(cleaned):
        raise ValidationError({"body": _("Ghi chú trống (sau khi loại bỏ mã HTML không an toàn).")})
    note = Note.objects.create(case=case, body=cleaned, author=user)
    _event(case, user, "note", plain_text(cleaned)[:200], note_id=note.pk)
    return note


# --------------------------------------------------------------------------- answers


@transaction.atomic
def answer_save(*, user: User, case: Case, language: str, title: str, body: str) -> Answer:
    """Create or edit one language's answer; any edit withdraws an earlier approval."""
    _ensure_can_act(user, case.organisation)
    if case.status not in (CaseStatus.DRAFTING, CaseStatus.IN_APPROVAL, CaseStatus.WATCHING):
        raise ValidationError(_("Chỉ soạn bài khi hồ sơ ở bước “Đang soạn”."))
    language = (language or "").strip().lower()
    if language not in {code for code, _name in settings.TTDN_ANSWER_LANGUAGES}:
        raise ValidationError({"language": _("Ngôn ngữ không được hỗ trợ.")})
    title = plain_text(title)
    cleaned = clean_html(body)
    if not title:
        raise ValidationError({"title": _("Hãy nhập tiêu đề.")})
    if not plain_text(cleaned):
        raise ValidationError(
            {"body": _("Nội dung trống (sau khi loại bỏ mã HTML không an toàn).")}
        )
    answer = Answer.objects.filter(case=case, language=language).first()
    if answer is None:
        answer = Answer(case=case, language=language, author=user)
    answer.title, answer.body = title[:300], cleaned
    answer.status, answer.approved_by, answer.approved_at = AnswerStatus.DRAFT, None, None
    if answer.author_id is None:
        answer.author = user
    answer.full_clean()
    answer.save()
    _event(case, user, "answer_saved", f"{language}: {title[:150]}", language=language)
    return answer


@transaction.atomic
def answer_approve(*, user: User, answer: Answer) -> Answer:
    """A second person approves; the author never approves their own text."""
    _ensure_can_act(user, answer.case.organisation)
    if answer.author_id == user.pk:
        raise ValidationError(_("Người soạn không được tự phê duyệt bài của mình."))
    answer.status, answer.approved_by, answer.approved_at = (
        AnswerStatus.APPROVED,
        user,
        timezone.now(),
    )
    answer.save()
    _event(answer.case, user, "answer_approved", answer.language, language=answer.language)
    return answer


@transaction.atomic
def rating_set(*, user: User, case: Case, claim: Claim, rating: str) -> ClaimRating:
    _ensure_can_act(user, case.organisation)
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Đánh giá không hợp lệ.")})
    if not case.claims.filter(pk=claim.pk).exists():
        raise ValidationError(_("Thông tin này không thuộc hồ sơ."))
    obj, _created = ClaimRating.objects.update_or_create(
        case=case, claim=claim, defaults={"rating": rating}
    )
    _event(case, user, "rated", f"{claim.text[:100]}: {rating}", claim_id=claim.pk)
    return obj


def publish_problems(case: Case) -> list[str]:
    """Why the case cannot be published yet (empty when it can)."""
    problems = []
    answers = {a.language: a for a in case.answers.all()}
    approved = {lang for lang, a in answers.items() if a.status == AnswerStatus.APPROVED}
    if "vi" not in approved:
        problems.append(_("Cần bài tiếng Việt đã được phê duyệt."))
    if not approved - {"vi"}:
        problems.append(_("Cần ít nhất một bài tiếng nước ngoài đã được phê duyệt."))
    rated = set(case.ratings.values_list("claim_id", flat=True))
    missing = case.claims.exclude(pk__in=rated).count()
    if missing:
        problems.append(
            _("Còn %(n)s thông tin chưa có đánh giá (sai sự thật, gây hiểu lầm…).") % {"n": missing}
        )
    if case.status not in (CaseStatus.IN_APPROVAL, CaseStatus.DRAFTING):
        problems.append(_("Hồ sơ phải ở bước soạn thảo hoặc chờ phê duyệt."))
    return problems


@transaction.atomic
def case_publish(*, user: User, case: Case) -> Case:
    _ensure_can_act(user, case.organisation)
    _lock(case)
    problems = publish_problems(case)
    if problems:
        raise ValidationError(problems)
    authors = set(case.answers.values_list("author_id", flat=True))
    if authors == {user.pk}:
        raise ValidationError(_("Người soạn không được tự công bố bài của mình."))
    now = timezone.now()
    old = case.status
    case.status, case.published_at = CaseStatus.PUBLISHED, now
    if not case.slug:
        vi = case.answers.get(language="vi")
        case.slug = f"{case.pk}-{slugify(vi.title)[:60]}".strip("-")
    case.save()
    for claim in case.claims.all():
        claim.status, claim.answered_at = ClaimStatus.ANSWERED, now
        claim.save()
    _event(case, user, "status", "", old=old, new=CaseStatus.PUBLISHED)
    announce(
        CASE_PUBLISHED,
        {"case_id": case.pk, "slug": case.slug, "url": reverse("respond_public", args=[case.slug])},
    )
    return case


def deadlines_check(now: dt.datetime | None = None) -> dict[str, int]:
    """Escalate cases whose deadline passed: notify the assignee and the organisation's
    leaders/central analysts once per deadline, and put it on the timeline."""
    now = now or timezone.now()
    counts = {"assess": 0, "publish": 0}
    assess = Case.objects.filter(
        first_assessed_at__isnull=True, assess_due_at__lt=now, escalated_assess=False
    ).exclude(status=CaseStatus.CLOSED)
    publish = Case.objects.filter(
        published_at__isnull=True, publish_due_at__lt=now, escalated_publish=False
    ).exclude(status=CaseStatus.CLOSED)
    for field, queryset, label in (
        ("escalated_assess", assess, _("Quá hạn đánh giá")),
        ("escalated_publish", publish, _("Quá hạn công bố")),
    ):
        for case in queryset.select_related("assignee", "organisation"):
            with transaction.atomic():
                if not Case.objects.filter(pk=case.pk, **{field: False}).update(**{field: True}):
                    continue  # another worker escalated it
                text = f"{label}: {case.title}"
                _event(case, None, "escalated", text, deadline=field)
                url = reverse("respond_case", args=[case.pk])
                recipients = {case.assignee} if case.assignee else set()
                recipients |= set(
                    User.objects.filter(
                        is_active=True,
                        role__in=("leader", "central_analyst", "administrator"),
                        organisation=case.organisation,
                    )[:10]
                )
                for person in recipients:
                    notify(person, field, case.title, url)
            counts["assess" if field == "escalated_assess" else "publish"] += 1
    return counts


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
