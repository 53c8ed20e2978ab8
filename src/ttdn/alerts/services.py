"""Writes for alerts: rules, evaluating a stored report, delivering and retrying.

Entry points for other modules:

* `alerts_evaluate_for_report(report_id)` — the monitor calls it after each report is
  stored (embedded worker thread or a Celery worker). Idempotent: a report raises at most
  one alert per rule (unique constraint), and a story at most one per rule per cool-down
  unless its burst condition newly fires.
* `alerts_retry_failed()` — the periodic job: retries failed deliveries with exponential
  backoff and takes over deliveries a killed worker left pending.

Delivery never raises into the caller: every failure is recorded on its `Delivery` row
(status, attempts, last error) and counted under the "alerts" stage counters.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, OrganisationAlias, User
from ttdn.accounts.permissions import ensure_can_act_for
from ttdn.alerts import channels
from ttdn.alerts.conf import setting
from ttdn.alerts.matching import (
    BurstFacts,
    MatchResult,
    ReportFacts,
    has_conditions,
    rule_match,
)
from ttdn.alerts.models import (
    Alert,
    AlertRule,
    AlertTrigger,
    Channel,
    Delivery,
    DeliveryStatus,
    KeywordMode,
)
from ttdn.data import load_admin_units
from ttdn.measure.bursts import burst_report
from ttdn.measure.models import BurstEvent
from ttdn.monitor.counters import counter_increment
from ttdn.monitor.models import Report, SourceKind
from ttdn.pipeline.addresses import check_url
from ttdn.pipeline.errors import PipelineError
from ttdn.pipeline.lexmatch import fold

logger = logging.getLogger(__name__)

STAGE = "alerts"
MAX_LIST_ITEMS = 50
MAX_EMAILS = 20

RULE_FIELDS = (
    "name",
    "active",
    "keywords",
    "keyword_mode",
    "places",
    "entities",
    "min_story_reports",
    "burst_window_minutes",
    "tone_at_most",
    "tone_at_least",
    "source_kinds",
    "outlet_countries",
    "languages",
    "relevant_only",
    "cooldown_minutes",
    "deliver_in_app",
    "email_addresses",
    "webhook_url",
)

# --- rules ---------------------------------------------------------------------------------


def webhook_refusal(exc: PipelineError) -> str:
    """Why a webhook address is refused, in the reader's language: the pipeline's message is
    an internal English one for logs; its stable `reason` code picks the sentence."""
    reasons = {
        "bad_url": _("địa chỉ không hợp lệ"),
        "refused_scheme": _("chỉ chấp nhận địa chỉ http hoặc https"),
        "refused_address": _("địa chỉ trỏ vào mạng nội bộ hoặc máy này"),
        "dns": _("không tìm thấy tên máy chủ"),
    }
    reason = reasons.get(exc.reason, _("địa chỉ không dùng được"))
    return _("Địa chỉ webhook bị từ chối: %(reason)s.") % {"reason": reason}


def _clean_strings(values: Iterable[Any] | None) -> list[str]:
    """Trimmed, non-empty, de-duplicated (first spelling kept), at most MAX_LIST_ITEMS."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values or []:
        text = " ".join(str(value).split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text[:200])
    return out[:MAX_LIST_ITEMS]


def _place_keys(values: list[str]) -> tuple[list[str], list[str]]:
    """Map what a person typed to PlaceMention keys: country codes and current unit slugs.

    "VN"/"us" → "VN"/"US"; "Lâm Đồng"/"lam-dong" → "lam-dong"; a former province
    ("Đắk Nông", "dak-nong") → the unit it was merged into. Returns (keys, unknown).
    """
    units = {u.slug for u in load_admin_units()}
    keys: list[str] = []
    unknown: list[str] = []
    for value in values:
        if re.fullmatch(r"[A-Za-z]{2}", value):
            key = value.upper()
        else:
            slug = slugify(fold(value))
            if slug in units:
                key = slug
            else:
                alias = OrganisationAlias.objects.filter(slug=slug).select_related("organisation")
                found = alias.first()
                if found is None or found.organisation.slug not in units:
                    unknown.append(value)
                    continue
                key = found.organisation.slug
        if key not in keys:
            keys.append(key)
    return keys, unknown


def _rule_normalise(rule: AlertRule) -> None:
    """Clean list fields in place and check what `full_clean` cannot; raise ValidationError."""
    errors: dict[str, list[str]] = {}
    rule.keywords = _clean_strings(rule.keywords)
    rule.entities = _clean_strings(rule.entities)
    places, unknown = _place_keys(_clean_strings(rule.places))
    rule.places = places
    if unknown:
        errors.setdefault("places", []).append(
            _(
                "Không nhận ra địa danh: %(names)s. Dùng tên hoặc mã tỉnh (lam-dong) hay mã "
                "quốc gia (US)."
            )
            % {"names": ", ".join(unknown)}
        )
    countries = [c.upper() for c in _clean_strings(rule.outlet_countries)]
    bad = [c for c in countries if not re.fullmatch(r"[A-Z]{2}", c)]
    if bad:
        errors.setdefault("outlet_countries", []).append(
            _("Mã quốc gia gồm hai chữ cái (ISO 3166), ví dụ US, FR: %(codes)s")
            % {"codes": ", ".join(bad)}
        )
    rule.outlet_countries = countries
    languages = [c.lower().replace("_", "-") for c in _clean_strings(rule.languages)]
    bad = [c for c in languages if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", c)]
    if bad:
        errors.setdefault("languages", []).append(
            _("Mã ngôn ngữ không hợp lệ (ví dụ en, fr, zh): %(codes)s") % {"codes": ", ".join(bad)}
        )
    rule.languages = languages
    kinds = _clean_strings(rule.source_kinds)
    if any(k not in SourceKind.values for k in kinds):
        errors.setdefault("source_kinds", []).append(_("Loại nguồn không hợp lệ."))
    rule.source_kinds = kinds
    if rule.keyword_mode not in KeywordMode.values:
        errors.setdefault("keyword_mode", []).append(_("Cách khớp không hợp lệ."))
    for name in ("tone_at_most", "tone_at_least"):
        value = getattr(rule, name)
        if value is not None and not -1.0 <= value <= 1.0:
            errors.setdefault(name, []).append(_("Sắc thái nằm trong khoảng từ -1 đến 1."))
    if (
        rule.tone_at_most is not None
        and rule.tone_at_least is not None
        and rule.tone_at_most >= rule.tone_at_least
    ):
        errors.setdefault("tone_at_least", []).append(
            _("Khi đặt cả hai ngưỡng, “từ” phải lớn hơn “không quá” (hai đầu cực).")
        )
    if rule.burst_window_minutes and not rule.min_story_reports:
        errors.setdefault("min_story_reports", []).append(
            _("Đặt số bài tối thiểu khi có khoảng thời gian.")
        )
    emails = [e.lower() for e in _clean_strings(rule.email_addresses)]
    for address in emails:
        try:
            validate_email(address)
        except ValidationError:
            errors.setdefault("email_addresses", []).append(
                _("Địa chỉ thư không hợp lệ: %(address)s") % {"address": address}
            )
    if len(emails) > MAX_EMAILS:
        errors.setdefault("email_addresses", []).append(
            _("Tối đa %(n)s địa chỉ.") % {"n": MAX_EMAILS}
        )
    rule.email_addresses = emails
    rule.webhook_url = (rule.webhook_url or "").strip()
    if rule.webhook_url:
        try:
            check_url(rule.webhook_url, allow_private=bool(setting("ALERTS_WEBHOOK_ALLOW_PRIVATE")))
        except PipelineError as exc:
            errors.setdefault("webhook_url", []).append(webhook_refusal(exc))
        if not rule.webhook_secret:
            rule.webhook_secret = secrets.token_urlsafe(32)
    if not has_conditions(rule):
        errors.setdefault("__all__", []).append(
            _("Đặt ít nhất một điều kiện, nếu không quy tắc sẽ cảnh báo mọi bài báo.")
        )
    if errors:
        raise ValidationError(errors)


def _rule_save(rule: AlertRule) -> AlertRule:
    rule.full_clean(exclude=["organisation", "created_by"])
    _rule_normalise(rule)
    rule.save()
    return rule


@transaction.atomic
def alert_rule_create(
    *, user: User, organisation: Organisation, name: str, **fields: Any
) -> AlertRule:
    """Create a rule owned by `organisation`; the user must be able to act for it."""
    ensure_can_act_for(user, organisation)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    rule = AlertRule(organisation=organisation, created_by=user, name=name, **fields)
    return _rule_save(rule)


@transaction.atomic
def alert_rule_update(
    *,
    user: User,
    rule: AlertRule,
    organisation: Organisation | None = None,
    regenerate_secret: bool = False,
    **fields: Any,
) -> AlertRule:
    """Change a rule; moving it to another organisation needs rights over both."""
    ensure_can_act_for(user, rule.organisation)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    if organisation is not None and organisation.pk != rule.organisation_id:
        ensure_can_act_for(user, organisation)
        rule.organisation = organisation
    for name, value in fields.items():
        setattr(rule, name, value)
    if regenerate_secret or not rule.webhook_url:
        rule.webhook_secret = ""
    return _rule_save(rule)


@transaction.atomic
def alert_rule_delete(*, user: User, rule: AlertRule) -> None:
    """Delete a rule; its alerts stay (with the rule's name) for history and latency."""
    ensure_can_act_for(user, rule.organisation)
    rule.delete()


# --- reading state -------------------------------------------------------------------------


def alert_mark_read(*, user: User, alert: Alert) -> None:
    alert.read_by.add(user)


def alerts_mark_all_read(*, user: User, alerts: Iterable[Alert]) -> int:
    """Mark every given alert read by `user` (the caller passes the user's scoped list)."""
    through = Alert.read_by.through
    ids = list(
        Alert.objects.filter(pk__in=[a.pk for a in alerts])
        .exclude(read_by=user)
        .values_list("pk", flat=True)
    )
    through.objects.bulk_create(
        [through(alert_id=pk, user_id=user.pk) for pk in ids], ignore_conflicts=True
    )
    return len(ids)


# --- evaluation ----------------------------------------------------------------------------


def report_facts(report: Report) -> ReportFacts:
    source = report.source
    return ReportFacts(
        title=report.title,
        text=report.text,
        place_keys=frozenset(report.places.values_list("key", flat=True)),
        tone_score=report.tone_score,
        source_kind=source.kind if source is not None else "",
        outlet_country=source.country if source is not None else "",
        language=report.language,
        is_relevant=report.is_relevant,
    )


class _BurstCounter:
    """Counts a story's reports for burst conditions, memoised per window length.

    Counts use only reports stored up to this one (by id) and publication times up to this
    report's, so evaluating a report later, or again, gives the same answer (replayable).
    "Before" is the story as it stood at the previous stored report of the same story.
    """

    def __init__(self, report: Report) -> None:
        self.report = report
        self.cache: dict[int | None, BurstFacts] = {}

    def __call__(self, window_minutes: int | None) -> BurstFacts:
        if window_minutes not in self.cache:
            self.cache[window_minutes] = self._count(window_minutes)
        return self.cache[window_minutes]

    def _count(self, window_minutes: int | None) -> BurstFacts:
        report = self.report
        if report.story_id is None:
            return BurstFacts(count_now=1, count_before=0)
        upto = Report.objects.filter(story_id=report.story_id, pk__lte=report.pk)
        before = upto.exclude(pk=report.pk)
        if not window_minutes:
            now = upto.count()
            return BurstFacts(count_now=now, count_before=before.count())
        window = dt.timedelta(minutes=window_minutes)
        anchor = report.published_at or report.fetched_at
        now = upto.filter(published_at__gt=anchor - window, published_at__lte=anchor).count()
        previous = before.aggregate(last=Max("pk"))["last"]
        if previous is None:
            return BurstFacts(count_now=now, count_before=0)
        prev_anchor = Report.objects.filter(pk=previous).values_list("published_at", flat=True)[0]
        if prev_anchor is None:
            return BurstFacts(count_now=now, count_before=0)
        earlier = before.filter(
            published_at__gt=prev_anchor - window, published_at__lte=prev_anchor
        ).count()
        return BurstFacts(count_now=now, count_before=earlier)


def _too_old(report: Report, now: dt.datetime) -> bool:
    hours = int(setting("ALERTS_MAX_REPORT_AGE_HOURS") or 0)
    published = report.published_at or report.fetched_at
    return bool(hours and published and published < now - dt.timedelta(hours=hours))


def _alert_raise(rule: AlertRule, report: Report, result: MatchResult) -> Alert | None:
    """Create the alert and its pending deliveries unless idempotency or cool-down forbid.

    The rule row is locked (PostgreSQL; SQLite serialises writers with IMMEDIATE
    transactions) so two workers evaluating two reports of one story cannot both alert.
    """
    try:
        return _alert_raise_locked(rule, report, result)
    except IntegrityError:
        # the same report evaluated twice at once: the other worker's alert stands
        counter_increment(STAGE, "alert_raised_concurrently")
        return None


def _alert_raise_locked(rule: AlertRule, report: Report, result: MatchResult) -> Alert | None:
    with transaction.atomic():
        AlertRule.objects.select_for_update().filter(pk=rule.pk).first()
        if Alert.objects.filter(rule=rule, report=report).exists():
            return None
        now = timezone.now()
        if report.story_id is not None and rule.cooldown_minutes:
            # the same event told in other languages (a cross-lingual group) is one story
            same_story = Q(story_id=report.story_id)
            if report.story is not None and report.story.crosslingual_id is not None:
                same_story |= Q(story__crosslingual_id=report.story.crosslingual_id)
            recent = Alert.objects.filter(
                same_story,
                rule=rule,
                created_at__gt=now - dt.timedelta(minutes=rule.cooldown_minutes),
            ).exists()
            if recent and not result.burst_newly_fired:
                counter_increment(STAGE, "cooldown")
                return None
        story = report.story
        if story is not None:
            reference, estimated = story.first_seen_at, False
            first = story.first_report
            if first is not None and first.published_at == story.first_seen_at:
                estimated = first.published_at_estimated
        else:
            reference = report.published_at or report.fetched_at
            estimated = report.published_at is None or report.published_at_estimated
        source = report.source
        alert = Alert.objects.create(
            rule=rule,
            organisation_id=rule.organisation_id,
            rule_name=rule.name,
            report=report,
            story=story,
            title=report.title[:1000],
            url=report.url[:2000],
            outlet=((source.outlet or source.name) if source is not None else "")[:200],
            trigger=AlertTrigger.BURST if result.burst_newly_fired else AlertTrigger.MATCH,
            matched=result.details,
            created_at=now,
            reference_at=reference,
            reference_estimated=estimated,
        )
        deliveries = []
        if rule.deliver_in_app:
            deliveries.append(Delivery(alert=alert, channel=Channel.IN_APP))
        if rule.email_addresses:
            deliveries.append(
                Delivery(alert=alert, channel=Channel.EMAIL, target=", ".join(rule.email_addresses))
            )
        if rule.webhook_url:
            deliveries.append(
                Delivery(alert=alert, channel=Channel.WEBHOOK, target=rule.webhook_url)
            )
        Delivery.objects.bulk_create(deliveries)
    return alert


def alerts_evaluate_for_report(report_id: int) -> list[Alert]:
    """Evaluate every active rule against one stored report; raise and deliver alerts.

    Returns the alerts newly raised (an empty list when called again for the same report).
    A rule that fails on its own data is logged, counted and skipped; a database error is
    raised, so the caller's task is retried (re-running is safe).
    Delivery happens after the surrounding transaction commits (at once when there is
    none), so receivers are never told about rows that might still roll back.
    """
    # the rules first: with none active (a fresh install, a world stream's hot path) this
    # job costs one query instead of loading the report with its story and source
    rules = list(AlertRule.objects.filter(active=True).order_by("pk"))
    if not rules:
        return []
    report = (
        Report.objects.select_related("source", "story", "story__first_report")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        counter_increment(STAGE, "report_missing")
        return []
    if _too_old(report, timezone.now()):
        counter_increment(STAGE, "report_too_old")
        return []
    facts = report_facts(report)
    burst = _BurstCounter(report)
    raised: list[Alert] = []
    for rule in rules:
        try:
            result = rule_match(rule, facts, burst)
            if not result.matched:
                continue
            alert = _alert_raise(rule, report, result)
        except DatabaseError:
            # not this rule's fault: let the caller's task fail and be retried (evaluation
            # is idempotent, so a retry raises only the alerts still missing)
            raise
        except Exception:  # noqa: BLE001 - one broken rule must not stop the others
            logger.exception("alert rule %s failed on report %s", rule.pk, report.pk)
            counter_increment(STAGE, "rule_error")
            continue
        if alert is not None:
            raised.append(alert)
    if raised:
        ids = [a.pk for a in raised]
        transaction.on_commit(lambda: alerts_deliver(ids), robust=True)
    return raised


def alerts_raise_for_burst(burst_id: int) -> list[Alert]:
    """A "breaking" alert: the burst detector found a story, place or topic rising
    abnormally (`ttdn.measure.bursts`); every active rule that matches the newest report
    behind it raises an alert with the "burst" trigger, past its cool-down once. (A rule
    that already alerted on that very report is not told twice.)"""
    burst = BurstEvent.objects.filter(pk=burst_id).first()
    report = burst_report(burst) if burst is not None else None
    if burst is None or report is None:
        counter_increment(STAGE, "burst_without_report")
        return []
    facts = report_facts(report)
    counter = _BurstCounter(report)
    raised: list[Alert] = []
    for rule in AlertRule.objects.filter(active=True).order_by("pk"):
        result = rule_match(rule, facts, counter)
        if not result.matched:
            continue
        breaking = {
            "scale": burst.scale,
            "key": burst.key,
            "count": burst.count,
            "expected": burst.expected,
            "hour": burst.bucket_start.isoformat(),
        }
        result = replace(
            result, burst_newly_fired=True, details={**result.details, "breaking": breaking}
        )
        alert = _alert_raise(rule, report, result)
        if alert is not None:
            raised.append(alert)
    if raised:
        ids = [a.pk for a in raised]
        transaction.on_commit(lambda: alerts_deliver(ids), robust=True)
    return raised


# --- delivery ------------------------------------------------------------------------------


def _backoff(attempts: int) -> dt.timedelta:
    base = float(setting("ALERTS_RETRY_BASE_S"))
    cap = float(setting("ALERTS_RETRY_MAX_S"))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _claim(delivery_id: int, condition: Q) -> bool:
    """Take a delivery for sending: one UPDATE, so two workers never both send it."""
    now = timezone.now()
    return bool(
        Delivery.objects.filter(condition, pk=delivery_id).update(
            status=DeliveryStatus.SENDING, claimed_at=now
        )
    )


def _send(delivery: Delivery) -> channels.Outcome:
    alert = delivery.alert
    if delivery.channel == Channel.IN_APP:
        return channels.Outcome(ok=True)
    if delivery.channel == Channel.EMAIL:
        addresses = [a.strip() for a in delivery.target.split(",") if a.strip()]
        return channels.send_email(alert, addresses)
    if delivery.channel == Channel.WEBHOOK:
        rule = alert.rule
        if rule is None or not rule.webhook_secret:
            return channels.Outcome(
                ok=False, error="the rule was deleted or has no webhook secret", permanent=True
            )
        return channels.send_webhook(
            alert, delivery.target, rule.webhook_secret, delivery_id=delivery.pk
        )
    return channels.Outcome(ok=False, error=f"unknown channel {delivery.channel}", permanent=True)


def _record(delivery: Delivery, outcome: channels.Outcome) -> None:
    now = timezone.now()
    delivery.attempts += 1
    delivery.duration_ms = outcome.duration_ms
    delivery.response_status = outcome.response_status
    delivery.claimed_at = None
    if outcome.ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.last_error = ""
        delivery.next_attempt_at = None
    else:
        delivery.last_error = outcome.error[:2000]
        exhausted = delivery.attempts >= int(setting("ALERTS_DELIVERY_MAX_ATTEMPTS"))
        if outcome.permanent or exhausted:
            delivery.status = DeliveryStatus.GAVE_UP
            delivery.next_attempt_at = None
            counter_increment(STAGE, f"{delivery.channel}_gave_up")
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = now + _backoff(delivery.attempts)
            counter_increment(STAGE, f"{delivery.channel}_failed")
        logger.warning(
            "alert %s: %s delivery failed (attempt %s): %s",
            delivery.alert_id,
            delivery.channel,
            delivery.attempts,
            outcome.error,
        )
    delivery.save(
        update_fields=[
            "attempts",
            "duration_ms",
            "response_status",
            "claimed_at",
            "status",
            "delivered_at",
            "last_error",
            "next_attempt_at",
        ]
    )
    if outcome.ok:
        _alert_note_delivery(delivery.alert_id, now)


def _alert_note_delivery(alert_id: int, delivered_at: dt.datetime) -> None:
    """Set the alert's first delivery time and latency (only the first delivery counts)."""
    alert = Alert.objects.filter(pk=alert_id, delivered_at__isnull=True).first()
    if alert is None:
        return
    latency = (delivered_at - alert.reference_at).total_seconds()
    # feeds may date items up to 5 minutes ahead of our clock (the pipeline allows it);
    # a negative latency would be nonsense, so it is counted as zero
    Alert.objects.filter(pk=alert_id, delivered_at__isnull=True).update(
        delivered_at=delivered_at, latency_s=max(0.0, latency)
    )


def _deliver_one(delivery_id: int, condition: Q) -> str | None:
    """Claim, send and record one delivery; return its new status (None if not claimed)."""
    try:
        if not _claim(delivery_id, condition):
            return None
        delivery = Delivery.objects.select_related(
            "alert", "alert__rule", "alert__organisation", "alert__report",
            "alert__report__source", "alert__story",
        ).get(pk=delivery_id)  # fmt: skip
        outcome = _send(delivery)
        _record(delivery, outcome)
        return delivery.status
    except Exception:  # noqa: BLE001 - never crash the caller; the row stays claimed
        logger.exception("delivery %s could not be processed", delivery_id)
        counter_increment(STAGE, "delivery_error")
        return None


def alerts_deliver(alert_ids: Iterable[int]) -> dict[str, int]:
    """Send the pending deliveries of these alerts (in-app first: it cannot fail)."""
    counts: dict[str, int] = {}
    pending = Q(status=DeliveryStatus.PENDING)
    deliveries = Delivery.objects.filter(
        alert_id__in=list(alert_ids), status=DeliveryStatus.PENDING
    )
    order = {Channel.IN_APP: 0, Channel.EMAIL: 1, Channel.WEBHOOK: 2}
    rows = sorted(deliveries.values_list("pk", "channel"), key=lambda r: (order.get(r[1], 9), r[0]))
    for pk, _channel in rows:
        status = _deliver_one(pk, pending)
        if status is not None:
            counts[status] = counts.get(status, 0) + 1
    return counts


def alerts_retry_failed(now: dt.datetime | None = None) -> dict[str, int]:
    """Retry failed deliveries whose backoff has passed, and pick up abandoned ones.

    Abandoned means: still pending a minute after the alert was raised (the process died
    before its after-commit delivery ran) or claimed for sending longer than the stale
    limit (the worker died mid-send). Safe to run from several workers at once.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=int(setting("ALERTS_STALE_CLAIM_S")))
    due = (
        Q(status=DeliveryStatus.FAILED, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.PENDING, created_at__lte=now - dt.timedelta(minutes=1))
        | Q(status=DeliveryStatus.SENDING, claimed_at__lte=stale)
    )
    counts: dict[str, int] = {}
    due_rows = Delivery.objects.filter(due).order_by("next_attempt_at", "pk")
    ids = list(due_rows.values_list("pk", flat=True)[:200])
    for pk in ids:
        status = _deliver_one(pk, due)
        if status is not None:
            counts[status] = counts.get(status, 0) + 1
    return counts
