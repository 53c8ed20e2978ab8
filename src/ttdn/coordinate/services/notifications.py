"""The notification centre: in-app notices first, email after (at once, or as a daily digest).

Notices are rows written inside the caller's transaction (so a refused change notifies no
one); email is sent by periodic jobs that pick up what has not been mailed, so a slow or
absent mail server never holds a request and a failed send is simply tried again later.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, User
from ttdn.coordinate.models import OPEN_STATUSES, Notification, NotificationPreference, Task

logger = logging.getLogger(__name__)

OFFICER_ROLES = ("provincial_officer", "mission_officer", "central_analyst", "administrator")
REMIND_DAYS_BEFORE = 3


def organisation_officers(organisation: Organisation, owner: User | None = None) -> list[User]:
    """Who hears about an organisation's task: its person in charge, else its officers."""
    if owner is not None:
        return [owner]
    return list(
        User.objects.filter(organisation=organisation, is_active=True, role__in=OFFICER_ROLES)
    )


def notify(users: Iterable[User | None], *, kind: str, text: str, url: str = "") -> int:
    rows = [
        Notification(user=u, kind=kind, text=text[:500], url=url[:500])
        for u in dict.fromkeys(u for u in users if u is not None)
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notice of this user as read."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        queryset = queryset.filter(pk=notification_id)
    return queryset.update(read_at=timezone.now())


def notification_preference_set(*, user: User, daily_digest: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest}
    )
    return preference


@transaction.atomic
def tasks_remind(*, today: dt.date | None = None) -> dict[str, int]:
    """Before the due date: remind once. After it: tell the organisation it is late and
    escalate to whoever assigned it, once. Idempotent (the task remembers what was sent)."""
    today = today or timezone.localdate()
    now = timezone.now()
    counts = {"reminded": 0, "overdue": 0, "escalated": 0}
    soon = Task.objects.select_related("organisation", "owner", "created_by").filter(
        status__in=OPEN_STATUSES,
        due_date__gte=today,
        due_date__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
        reminded_at__isnull=True,
    )
    for task in soon.select_for_update(of=("self",)):
        notify(
            organisation_officers(task.organisation, task.owner),
            kind="task_due_soon",
            text=_("Sắp đến hạn (%(due)s): %(title)s")
            % {"due": task.due_date, "title": task.title},
            url=f"/dieu-phoi/nhiem-vu/{task.pk}/",
        )
        task.reminded_at = now
        task.save(update_fields=["reminded_at"])
        counts["reminded"] += 1
    late = Task.objects.select_related("organisation", "owner", "created_by").filter(
        Q(status__in=OPEN_STATUSES), due_date__lt=today, overdue_notified_at__isnull=True
    )
    for task in late.select_for_update(of=("self",)):
        url = f"/dieu-phoi/nhiem-vu/{task.pk}/"
        notify(
            organisation_officers(task.organisation, task.owner),
            kind="task_overdue",
            text=_("Quá hạn (%(due)s): %(title)s") % {"due": task.due_date, "title": task.title},
            url=url,
        )
        counts["overdue"] += 1
        if task.assigner_id is not None and task.created_by is not None:
            notify(
                [task.created_by],
                kind="task_escalated",
                text=_("%(org)s chậm nhiệm vụ (hạn %(due)s): %(title)s")
                % {"org": task.organisation.name, "due": task.due_date, "title": task.title},
                url=url,
            )
            counts["escalated"] += 1
        task.overdue_notified_at = now
        task.save(update_fields=["overdue_notified_at"])
    return counts


def _digest_users() -> set[int]:
    return set(
        NotificationPreference.objects.filter(daily_digest=True).values_list("user_id", flat=True)
    )


def _mail(user: User, subject: str, lines: list[str]) -> bool:
    site = str(getattr(settings, "SITE_URL", "")).rstrip("/")
    body = "\n".join(f"- {line}" for line in lines) + f"\n\n{site}/dieu-phoi/thong-bao/\n"
    try:
        send_mail(subject, body, None, [user.email])
    except (OSError, smtplib.SMTPException) as exc:  # logged; retried on the next run
        logger.warning("coordinate: could not email %s: %s", user.username, exc)
        return False
    return True


def notifications_email_send(*, digest: bool = False) -> int:
    """Mail what has not been mailed: each notice alone, or (digest) one mail per user with
    everything of the day for those who chose the digest."""
    digest_users = _digest_users()
    pending = Notification.objects.filter(emailed_at__isnull=True).exclude(user__email="")
    pending = (
        pending.filter(user_id__in=digest_users)
        if digest
        else pending.exclude(user_id__in=digest_users)
    )
    per_user: dict[int, list[Notification]] = defaultdict(list)
    for notice in pending.select_related("user").order_by("created_at")[:2000]:
        per_user[notice.user_id].append(notice)
    sent = 0
    for notices in per_user.values():
        user = notices[0].user
        if digest:
            ok = _mail(user, _("Tổng hợp nhắc việc trong ngày"), [n.text for n in notices])
            done = notices if ok else []
        else:
            done = [n for n in notices if _mail(user, n.text, [n.text])]
        Notification.objects.filter(pk__in=[n.pk for n in done]).update(emailed_at=timezone.now())
        sent += len(done)
    return sent
