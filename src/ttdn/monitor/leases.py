"""Who does what, once: the per-source poll lock and the named consumer leases.

Both are taken with one conditional UPDATE (SQLite and PostgreSQL alike) and expire, so a
worker on another machine that died is followed after the expiry; a holder that was a
process of this host that no longer exists is taken over at once (`owner_is_dead`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ttdn.core.processes import owner, owner_is_dead
from ttdn.monitor.counters import counter_increment
from ttdn.monitor.models import ConsumerLease, Source

#: A poll renews its lock before every feed and article (`source_lock_renew`), so the lock
#: only has to outlive one fetch (at most a minute): a worker that died on another machine,
#: whose process cannot be checked from here, frees its source within two minutes. The
#: default of `TTDN_SOURCE_LOCK_SECONDS` (settings), which the kill test lowers.
LOCK_SECONDS = 120


def lock_seconds() -> int:
    """The lease of a source lock now (settings.TTDN_SOURCE_LOCK_SECONDS, else 120 s)."""
    return int(getattr(settings, "TTDN_SOURCE_LOCK_SECONDS", LOCK_SECONDS))


def source_lock(source_id: int, seconds: int | None = None) -> bool:
    """Take the per-source lock with one atomic UPDATE (works on SQLite and PostgreSQL).

    The lock expires after `seconds` (a poller on another machine that died); a lock held
    by a process of this host that no longer exists is taken over at once, so a worker
    killed mid-batch is followed without waiting for the expiry.
    """
    now = timezone.now()
    until = now + dt.timedelta(seconds=seconds or lock_seconds())
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    taken = (
        Source.objects.filter(pk=source_id)
        .filter(free)
        .update(locked_until=until, locked_by=owner(), locked_at=now)
    )
    if taken:
        return True
    holder = Source.objects.filter(pk=source_id).values_list("locked_by", flat=True).first()
    if holder and owner_is_dead(holder):
        taken = Source.objects.filter(pk=source_id, locked_by=holder).update(
            locked_until=until, locked_by=owner(), locked_at=now
        )
        if taken:
            counter_increment("poll", "lock_taken_over_from_dead_worker")
    return taken == 1


def source_lock_renew(source_id: int, seconds: int | None = None) -> bool:
    """Push our lock's expiry `seconds` on (the poll's heartbeat); False if not ours."""
    until = timezone.now() + dt.timedelta(seconds=seconds or lock_seconds())
    return bool(
        Source.objects.filter(pk=source_id, locked_by=owner()).update(locked_until=until)
    )


def source_unlock(source: Source, *, wait_at_least_s: float = 0.0) -> None:
    """Release the lock; the next poll is one interval on, or later when a server asked
    for a longer wait (HTTP Retry-After on the feed)."""
    now = timezone.now()
    wait = max(float(source.poll_interval_s), wait_at_least_s)
    Source.objects.filter(pk=source.pk, locked_by=owner()).update(
        locked_until=None,
        locked_by="",
        locked_at=None,
        next_poll_at=now + dt.timedelta(seconds=wait),
    )


def _due(now: dt.datetime) -> Q:
    """Due: its next poll time has come, or its last poll died — the lock it took ran out
    without being released (a live poll renews it before each feed and article). The
    scheduler moved the next poll one interval on when it queued that poll, so without the
    second condition a killed worker's source would wait a whole interval (and its message
    the broker's visibility timeout) instead of the lease."""
    time_has_come = Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    poll_died = Q(locked_until__lt=now) & ~Q(locked_by="")
    return time_has_come | poll_died


def _not_held(now: dt.datetime) -> Q:
    return Q(locked_until__isnull=True) | Q(locked_until__lt=now)


def sources_due(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Source.objects.filter(active=True)
        .filter(_due(now))
        .filter(_not_held(now))  # not being polled
        .values_list("pk", flat=True)
    )


def sources_claim_due(now: dt.datetime | None = None) -> list[int]:
    """The due sources, each claimed by moving its next poll one interval on (one UPDATE
    each), so a scheduler that runs again before the poll started does not queue it twice.
    The poll itself sets the next time again when it ends (`source_unlock`). A source whose
    poll died is claimed by clearing the lapsed lock too (counted as
    `poll/lock_expired_polled_again`), so it is queued once, not on every scheduler run."""
    now = now or timezone.now()
    claimed: list[int] = []
    for source_id, interval, holder in Source.objects.filter(
        pk__in=sources_due(now)
    ).values_list("pk", "poll_interval_s", "locked_by"):
        later = now + dt.timedelta(seconds=max(1, interval))
        taken = (
            Source.objects.filter(_due(now), _not_held(now), pk=source_id, locked_by=holder)
            .update(next_poll_at=later, locked_by="", locked_until=None, locked_at=None)
        )
        if taken:
            claimed.append(source_id)
            if holder:
                counter_increment("poll", "lock_expired_polled_again")
    return claimed


def lease_take(name: str, seconds: int) -> str | None:
    """Take or renew the lease; returns the previous owner ("" if none) or None if held."""
    now = timezone.now()
    me = owner()
    until = now + dt.timedelta(seconds=seconds)
    ConsumerLease.objects.get_or_create(name=name)
    row = ConsumerLease.objects.filter(name=name).values_list("owner", "until").first()
    previous = row[0] if row else ""
    free = Q(owner=me) | Q(until__isnull=True) | Q(until__lt=now) | Q(owner="")
    if ConsumerLease.objects.filter(name=name).filter(free).update(owner=me, until=until):
        return previous
    if previous and owner_is_dead(previous):
        taken = ConsumerLease.objects.filter(name=name, owner=previous).update(
            owner=me, until=until
        )
        if taken:
            counter_increment(name, "lease_taken_over_from_dead_consumer")
            return previous
    return None


def lease_pause(name: str) -> None:
    """Let the lease lapse now but keep our name on it: if we take it again, our in-memory
    state is still current; if another process takes it, it rebuilds its own."""
    ConsumerLease.objects.filter(name=name, owner=owner()).update(until=timezone.now())
