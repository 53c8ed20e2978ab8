"""Finding 12 (second half): administrators need a TOTP code after the password."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TTDN_ADMIN_2FA = True


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_administrator_sets_up_then_needs_the_code(client: Client, administrator) -> None:  # type: ignore[no-untyped-def]
    login(client, administrator)
    # the password alone opens nothing
    page = client.get("/nhat-ky/")
    assert page.status_code == 302 and page["Location"].startswith("/xac-thuc-2-buoc/")
    setup = client.get(page["Location"])
    assert setup.status_code == 200
    secret = re.search(r'id="totp-secret">([A-Z2-7=]+)<', setup.content.decode())
    assert secret is not None
    device = TOTPDevice.objects.get(user=administrator)
    assert not device.confirmed
    wrong = client.post(
        "/xac-thuc-2-buoc/", {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    # django-otp makes the next try wait after a failure (1 s, doubling): skip the wait
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    right = client.post("/xac-thuc-2-buoc/?next=/nhat-ky/", {"token": _code(device)})
    assert right.status_code == 302 and right["Location"] == "/nhat-ky/"
    assert client.get("/nhat-ky/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # a new session: password, then the code of the confirmed device (no new secret shown)
    fresh = login(Client(), administrator)
    ask = fresh.get(fresh.get("/nhat-ky/")["Location"])
    assert "totp-secret" not in ask.content.decode()
    assert fresh.get("/nhat-ky/").status_code == 302


def test_other_roles_are_not_asked(client: Client, analyst) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    assert client.get("/theo-doi/").status_code == 200
