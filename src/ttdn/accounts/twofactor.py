"""Two-factor sign-in (TOTP, django-otp) for administrators.

An administrator can create accounts, change roles and read the audit log: a guessed or
phished password alone must not be enough. After the password, an administrator's session
is "verified" only once a code from an authenticator app (RFC 6238 TOTP) is entered;
until then every page but these two and sign-out answers with a redirect here. The first
time, the page shows the secret to add to the app (as text and as an otpauth:// link) and
the first correct code confirms it. `TTDN_ADMIN_2FA=0` turns the requirement off (for a
first start without an authenticator at hand; never in production).
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable

import django_otp
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ttdn.accounts.permissions import is_administrator


def required(user: object) -> bool:
    return bool(getattr(settings, "TTDN_ADMIN_2FA", True)) and is_administrator(user)  # type: ignore[arg-type]


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Mã 6 chữ số từ ứng dụng xác thực"), max_length=8, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )  # fmt: skip


def _confirmed(user: object) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()  # type: ignore[misc]


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code (and, the first time, show the secret to add to the app)."""
    device = _confirmed(request.user)
    setting_up = device is None
    if setting_up:
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "authenticator"}
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            target = request.GET.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//")
                            else settings.LOGIN_REDIRECT_URL)  # fmt: skip
        form.add_error("token", _("Mã không đúng hoặc đã hết hạn; hãy thử mã mới."))
    context = {"form": form, "setting_up": setting_up}
    if setting_up:
        context["secret"] = b32encode(device.bin_key).decode()
        context["config_url"] = device.config_url
    return render(request, "accounts/two_factor.html", context)


urlpatterns = [path("", verify, name="two_factor")]


class AdminTwoFactorMiddleware:
    """Send an administrator whose session is not verified to the code page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and required(user):
            verified = getattr(user, "is_verified", lambda: False)()
            page = reverse("two_factor")
            exempt = (page, reverse("logout"), settings.STATIC_URL, "/i18n/")
            if not verified and not request.path.startswith(exempt):
                return redirect(f"{page}?next={request.path}")
        return self.get_response(request)
