"""Writes for organisations and people (services: `<entity>_<verb>`)."""

from __future__ import annotations

import json
import os
import secrets
from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from ttdn.accounts.models import Organisation, OrganisationAlias, OrganisationKind, Role, User

ADMIN_UNITS_FILE = "vn_admin_units_2025.json"

# Central organisations every installation starts with; more are added in the admin.
CENTRAL_ORGANISATIONS: list[dict[str, str]] = [
    {
        "slug": "ban-chi-dao-ttdn",
        "name": "Ban Chỉ đạo công tác thông tin đối ngoại",
        "name_en": "Central Steering Committee for Foreign Information",
        "kind": OrganisationKind.STEERING_COMMITTEE,
    },
    {
        "slug": "bo-ngoai-giao",
        "name": "Bộ Ngoại giao",
        "name_en": "Ministry of Foreign Affairs",
        "kind": OrganisationKind.MINISTRY,
    },
    {
        "slug": "bo-van-hoa-the-thao-va-du-lich",
        "name": "Bộ Văn hóa, Thể thao và Du lịch",
        "name_en": "Ministry of Culture, Sports and Tourism",
        "kind": OrganisationKind.MINISTRY,
    },
]


def admin_units_read() -> list[dict[str, Any]]:
    """The 34 provincial-level units in force since 1 July 2025 (bundled data file)."""
    text = resources.files("ttdn.data").joinpath(ADMIN_UNITS_FILE).read_text(encoding="utf-8")
    units: list[dict[str, Any]] = json.loads(text)
    return units


@transaction.atomic
def organisations_load() -> dict[str, int]:
    """Create or update the central organisations, the 34 units and the 63 former-unit aliases.

    Idempotent: running it again updates names and keeps everything users added.
    """
    created = 0
    for entry in CENTRAL_ORGANISATIONS:
        _, was_created = Organisation.objects.update_or_create(
            slug=entry["slug"],
            defaults={"name": entry["name"], "name_en": entry["name_en"], "kind": entry["kind"]},
        )
        created += was_created
    aliases = 0
    for unit in admin_units_read():
        kind = OrganisationKind.CITY if unit["kind"] == "city" else OrganisationKind.PROVINCE
        organisation, was_created = Organisation.objects.update_or_create(
            slug=unit["slug"],
            defaults={
                "name": unit["name_vi"],
                "official_name": unit["official_name_vi"],
                "name_en": unit["name_en"],
                "kind": kind,
            },
        )
        created += was_created
        for name, slug in zip(unit["former_units_vi"], unit["former_units_slugs"], strict=True):
            OrganisationAlias.objects.update_or_create(
                slug=slug, defaults={"organisation": organisation, "name": name}
            )
            aliases += 1
    return {
        "organisations_created": created,
        "organisations": Organisation.objects.count(),
        "aliases": aliases,
    }


def _password_file() -> Path:
    return Path(settings.DATA_DIR) / "admin-password.txt"


def admin_ensure(*, username: str = "admin", password: str | None = None) -> tuple[str, str | None]:
    """Create the administrator if missing and return its password, else leave it alone.

    A generated password is also kept (mode 0600) in the data directory so a second start
    can show it again while it is still valid; it is never shown once it has been changed.
    """
    user = User.objects.filter(username=username).first()
    if user is not None:
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
            return username, password
        stored = _password_file()
        if stored.exists():
            candidate = stored.read_text(encoding="utf-8").strip()
            if user.check_password(candidate):
                return username, candidate
        return username, None
    new_password = password or secrets.token_urlsafe(12)
    steering = Organisation.objects.filter(kind=OrganisationKind.STEERING_COMMITTEE).first()
    User.objects.create_superuser(
        username=username,
        password=new_password,
        email="",
        role=Role.ADMINISTRATOR,
        organisation=steering,
    )
    if password is None:
        fd = os.open(_password_file(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(new_password)
    return username, new_password


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str = Role.VIEWER,
    organisation: Organisation | None = None,
    email: str = "",
) -> User:
    user = User(username=username, email=email, role=role, organisation=organisation)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
