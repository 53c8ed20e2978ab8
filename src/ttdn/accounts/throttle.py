"""A per-address limit on failed logins, beside django-axes' per-account lock.

Axes locks an account *for the address that failed* (username + address): a stranger can
no longer lock the administrator out by mistyping their name on purpose. What that alone
misses is password spraying, one or two guesses at many accounts from one address; this
middleware refuses further login attempts from an address with `TTDN_LOGIN_ADDRESS_LIMIT`
(default 30) failures, over all usernames, within axes' cool-off (15 minutes). The limit is
well above one person's typos, since a province office shares one NAT address. It reads
axes' own AccessAttempt rows (in the database), so every web process sees the same count.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

DEFAULT_ADDRESS_LIMIT = 30


def address_limit() -> int:
    value = os.environ.get("TTDN_LOGIN_ADDRESS_LIMIT", "")
    return int(value) if value.strip().isdigit() else DEFAULT_ADDRESS_LIMIT


def address_failures(ip: str) -> int:
    """Failed logins from `ip` within the cool-off, over every username."""
    since = timezone.now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


class LoginAddressLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == reverse(settings.LOGIN_URL):
            ip = request.META.get("REMOTE_ADDR", "")
            if ip and address_failures(ip) >= address_limit():
                return render(request, "accounts/locked.html", status=429)
        return self.get_response(request)
