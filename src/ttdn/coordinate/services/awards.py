"""Writes for the national foreign-information award.

open (entries come in) → judging (jurors score each criterion) → review (results computed,
checked by central) → published (the winners page is public). A juror never scores an entry
of their own organisation; a score is within the criterion's range; everything a write
touches is validated before anything is saved.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, User
from ttdn.coordinate.access import can_review, ensure_can_act_for, is_juror
from ttdn.coordinate.models import (
    AwardCategory,
    AwardCriterion,
    AwardEntry,
    AwardPortalArticle,
    AwardResult,
    AwardScore,
    AwardSeason,
    SeasonStatus,
)
from ttdn.core.events import announce

ENTRY_EXTENSIONS = frozenset(
    {".pdf", ".docx", ".odt", ".epub", ".jpg", ".jpeg", ".png", ".webp", ".mp4", ".webm",
     ".mp3"}
)  # fmt: skip
ENTRY_MAX_BYTES = 100 * 1024 * 1024
PRIZES = {1: "A", 2: "B", 3: "C"}
# announced when central publishes a season's results (payload {"season_id": int}); the
# portal makes its winners pages from it (drafts its editors approve: decision 0017)
AWARD_PUBLISHED = "coordinate.award_published"


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _central(user: User) -> None:
    if not can_review(user):
        raise PermissionDenied(_("Chỉ cơ quan trung ương được quản lý giải thưởng."))


@transaction.atomic
def award_season_create(
    *,
    user: User,
    name: str,
    year: int,
    categories: list[str | tuple[str, str]],
    criteria: list[tuple[str, int]],
    name_en: str = "",
) -> AwardSeason:
    """A category is a Vietnamese name or a (Vietnamese, English) pair; the English names
    are what the English winners article shows (the Vietnamese when left empty)."""
    _central(user)
    if not name.strip():
        raise _err("name", _("Cần nhập tên đợt giải."))
    if not categories or not criteria:
        raise _err("categories", _("Đợt giải cần ít nhất một thể loại và một tiêu chí."))
    season = AwardSeason.objects.create(name=name.strip(), name_en=name_en.strip(), year=year)
    for category in categories:
        vi, en = (category, "") if isinstance(category, str) else category
        AwardCategory.objects.create(season=season, name=vi.strip(), name_en=en.strip())
    for criterion, max_score in criteria:
        if max_score <= 0:
            raise _err("criteria", _("Điểm tối đa phải lớn hơn 0."))
        AwardCriterion.objects.create(season=season, name=criterion, max_score=max_score)
    return season


@transaction.atomic
def award_season_advance(*, user: User, season: AwardSeason, status: str) -> AwardSeason:
    """Move the season on: open → judging; review → published needs computed results."""
    _central(user)
    allowed = {
        SeasonStatus.OPEN: {SeasonStatus.JUDGING},
        SeasonStatus.JUDGING: {SeasonStatus.OPEN},
        SeasonStatus.REVIEW: {SeasonStatus.JUDGING, SeasonStatus.PUBLISHED},
        SeasonStatus.PUBLISHED: set(),
    }
    if status not in allowed[SeasonStatus(season.status)]:
        raise _err("status", _("Không chuyển được đợt giải sang bước này."))
    if status == SeasonStatus.PUBLISHED:
        if not AwardResult.objects.filter(entry__season=season).exists():
            raise _err("status", _("Chưa có kết quả để công bố."))
        season.published_at = timezone.now()
    season.status = status
    season.save()
    if status == SeasonStatus.PUBLISHED:
        announce(AWARD_PUBLISHED, {"season_id": season.pk})  # delivered after commit
    return season


def _check_file(upload: UploadedFile) -> None:
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ENTRY_EXTENSIONS:
        raise _err(
            "file",
            _("Không nhận tệp loại “%(ext)s”. Chỉ nhận: %(allowed)s.")
            % {"ext": suffix or "?", "allowed": ", ".join(sorted(ENTRY_EXTENSIONS))},
        )
    if upload.size is None or upload.size > ENTRY_MAX_BYTES:
        raise _err(
            "file",
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {"size": round((upload.size or 0) / 1048576, 1), "max": ENTRY_MAX_BYTES // 1048576},
        )


@transaction.atomic
def award_entry_submit(
    *,
    user: User,
    season: AwardSeason,
    category: AwardCategory,
    organisation: Organisation,
    title: str,
    authors: str,
    file: UploadedFile | None = None,
    url: str = "",
) -> AwardEntry:
    ensure_can_act_for(user, organisation)
    if season.status != SeasonStatus.OPEN:
        raise _err("season", _("Đợt giải không còn nhận tác phẩm."))
    if category.season_id != season.pk:
        raise _err("category", _("Thể loại không thuộc đợt giải này."))
    if not title.strip() or not authors.strip():
        raise _err("title", _("Cần nhập tên tác phẩm và tác giả."))
    url = (url or "").strip()
    if file is None and not url:
        raise _err("file", _("Cần gửi tệp hoặc đường dẫn tới tác phẩm."))
    if url and not url.startswith(("https://", "http://")):
        raise _err("url", _("Đường dẫn phải bắt đầu bằng https:// hoặc http://."))
    if file is not None:
        _check_file(file)
    entry = AwardEntry(
        season=season, category=category, organisation=organisation, title=title.strip(),
        authors=authors.strip(), url=url, submitted_by=user,
    )  # fmt: skip
    if file is not None:
        entry.file = file
    entry.save()
    return entry


def juror_may_score(user: User, entry: AwardEntry) -> bool:
    return is_juror(user) and entry.organisation_id != user.organisation_id


@transaction.atomic
def award_scores_set(
    *, user: User, entry: AwardEntry, scores: dict[int, float]
) -> list[AwardScore]:
    """The juror's score for each criterion of the entry's season (all of them, at once)."""
    if not is_juror(user):
        raise PermissionDenied(_("Chỉ thành viên hội đồng giám khảo được chấm điểm."))
    if entry.organisation_id == user.organisation_id:
        raise PermissionDenied(_("Giám khảo không chấm tác phẩm của đơn vị mình."))
    if entry.season.status != SeasonStatus.JUDGING:
        raise _err("season", _("Đợt giải không trong thời gian chấm."))
    criteria = {c.pk: c for c in entry.season.criteria.all()}
    errors: dict[str, list[str]] = {}
    for criterion in criteria.values():
        value = scores.get(criterion.pk)
        if value is None:
            errors[f"criterion-{criterion.pk}"] = [_("Cần chấm tiêu chí này.")]
        elif not 0 <= float(value) <= criterion.max_score:
            errors[f"criterion-{criterion.pk}"] = [
                _("Điểm phải từ 0 đến %(max)s.") % {"max": criterion.max_score}
            ]
    if errors:
        raise ValidationError(errors)
    out = []
    for pk, criterion in criteria.items():
        score, _created = AwardScore.objects.update_or_create(
            entry=entry, juror=user, criterion=criterion, defaults={"score": float(scores[pk])}
        )
        out.append(score)
    return out


@transaction.atomic
def award_results_compute(*, user: User, season: AwardSeason) -> list[AwardResult]:
    """Each entry's total is the mean over its jurors of their criterion scores summed;
    ranks per category (ties share a rank); the top three get prizes A, B, C. The season
    moves to review: central checks before publishing."""
    _central(user)
    if season.status not in (SeasonStatus.JUDGING, SeasonStatus.REVIEW):
        raise _err("status", _("Chỉ tính kết quả khi đang chấm hoặc xem xét."))
    per_entry: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for score in AwardScore.objects.filter(entry__season=season):
        per_entry[score.entry_id][score.juror_id] += score.score
    AwardResult.objects.filter(entry__season=season).delete()
    results: list[AwardResult] = []
    for category in season.categories.all():
        totals = []
        for entry in category.entries.all():
            jurors = per_entry.get(entry.pk, {})
            if jurors:
                totals.append((round(sum(jurors.values()) / len(jurors), 2), len(jurors), entry))
        totals.sort(key=lambda t: -t[0])
        rank, previous = 0, None
        for index, (total, jurors_n, entry) in enumerate(totals, 1):
            if total != previous:
                rank, previous = index, total
            results.append(
                AwardResult.objects.create(
                    entry=entry,
                    total=total,
                    jurors=jurors_n,
                    rank=rank,
                    prize=_("Giải %(p)s") % {"p": PRIZES[rank]} if rank in PRIZES else "",
                )  # fmt: skip
            )
    season.status = SeasonStatus.REVIEW
    season.save()
    return results


def award_portal_article_link(*, season_id: int, key: str) -> None:
    """The portal drafted this season's winners article: remember its translation key, so
    that publishing it in any language points Coordinate's winners page there."""
    AwardSeason.objects.filter(pk=season_id).update(portal_key=key)


def award_portal_article_published(*, key: str, language: str, url: str) -> bool:
    """A portal editor published the winners article in `language` at `url` (a path).
    A page that is no season's winners article is ignored (False)."""
    season = AwardSeason.objects.filter(portal_key=key).first()
    if season is None or not url:
        return False
    AwardPortalArticle.objects.update_or_create(
        season=season, language=language[:8], defaults={"url": url[:500]}
    )
    return True


def award_portal_article_withdrawn(*, key: str, language: str) -> None:
    """The article was unpublished or deleted: Coordinate's own page shows the winners again."""
    AwardPortalArticle.objects.filter(season__portal_key=key, language=language).delete()
