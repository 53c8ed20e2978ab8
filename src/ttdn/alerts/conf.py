"""Settings of the alerts app: what `settings.py` reads from the environment, and defaults.

Why a module of its own: the email and webhook knobs belong to this app, and `setting()`
keeps the app working (with the documented defaults) even where a settings module does not
define them, e.g. a test settings override that only sets the EMAIL_* values.

`settings.py` ends with a block that calls `email_settings()` and `alerts_settings()`; the
environment variables are:

| variable | default | meaning |
|---|---|---|
| `TTDN_EMAIL_HOST` | empty (email alerts fail with "not configured") | SMTP server |
| `TTDN_EMAIL_PORT` | 587 with TLS, 465 with SSL, else 25 | |
| `TTDN_EMAIL_USER` / `TTDN_EMAIL_PASSWORD` | empty | SMTP login |
| `TTDN_EMAIL_USE_TLS` / `TTDN_EMAIL_USE_SSL` | off | STARTTLS / implicit TLS |
| `TTDN_EMAIL_FROM` | `TTĐN <alerts@localhost>` | From address of alert emails |
| `TTDN_EMAIL_TIMEOUT` | 10 | seconds per SMTP operation |
| `TTDN_SITE_URL` | `http://127.0.0.1:8000` | base of links in emails and webhooks |
| `TTDN_ALERTS_WEBHOOK_ALLOW_PRIVATE` | off | allow webhooks to loopback/private addresses |
| `TTDN_ALERTS_COOLDOWN_MINUTES` | 360 | default cool-down of a new rule |
| `TTDN_ALERTS_MAX_REPORT_AGE_HOURS` | 48 | older reports (bulk imports) never alert; 0 = no limit |
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

from ttdn import config

DEFAULTS: dict[str, Any] = {
    # A webhook to 127.0.0.1 or 10.x from a server is how SSRF starts: off unless asked for.
    "ALERTS_WEBHOOK_ALLOW_PRIVATE": False,
    "ALERTS_WEBHOOK_TIMEOUT_S": 5.0,
    "ALERTS_DEFAULT_COOLDOWN_MINUTES": 360,
    # Replaying last year's GDELT export must not email anyone about last year.
    "ALERTS_MAX_REPORT_AGE_HOURS": 48,
    # Retries: 1, 2, 4, 8, 16 minutes ... capped at an hour; given up after this many tries.
    "ALERTS_RETRY_BASE_S": 60,
    "ALERTS_RETRY_MAX_S": 3600,
    "ALERTS_DELIVERY_MAX_ATTEMPTS": 8,
    # A delivery claimed this long ago by a worker that never finished is taken over.
    "ALERTS_STALE_CLAIM_S": 600,
    "SITE_URL": "http://127.0.0.1:8000",
}


def setting(name: str) -> Any:
    """The project setting `name`, or the default above."""
    return getattr(settings, name, DEFAULTS[name])


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise config.ConfigError(f"{name} must be a whole number, not {value!r}") from exc


def email_settings() -> dict[str, Any]:
    """EMAIL_* and DEFAULT_FROM_EMAIL from TTDN_EMAIL_* (Django's SMTP backend)."""
    use_tls = config.env_bool("TTDN_EMAIL_USE_TLS", False)
    use_ssl = config.env_bool("TTDN_EMAIL_USE_SSL", False)
    if use_tls and use_ssl:
        raise config.ConfigError("set only one of TTDN_EMAIL_USE_TLS and TTDN_EMAIL_USE_SSL")
    default_port = 465 if use_ssl else 587 if use_tls else 25
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": os.environ.get("TTDN_EMAIL_HOST", "").strip(),
        "EMAIL_PORT": _env_int("TTDN_EMAIL_PORT", default_port),
        "EMAIL_HOST_USER": os.environ.get("TTDN_EMAIL_USER", ""),
        "EMAIL_HOST_PASSWORD": os.environ.get("TTDN_EMAIL_PASSWORD", ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": _env_int("TTDN_EMAIL_TIMEOUT", 10),
        "DEFAULT_FROM_EMAIL": os.environ.get("TTDN_EMAIL_FROM", "").strip()
        or "TTĐN <alerts@localhost>",
    }


def alerts_settings() -> dict[str, Any]:
    """ALERTS_* and SITE_URL from the environment."""
    return {
        "SITE_URL": (os.environ.get("TTDN_SITE_URL", "").strip() or DEFAULTS["SITE_URL"]).rstrip(
            "/"
        ),
        "ALERTS_WEBHOOK_ALLOW_PRIVATE": config.env_bool(
            "TTDN_ALERTS_WEBHOOK_ALLOW_PRIVATE", DEFAULTS["ALERTS_WEBHOOK_ALLOW_PRIVATE"]
        ),
        "ALERTS_DEFAULT_COOLDOWN_MINUTES": _env_int(
            "TTDN_ALERTS_COOLDOWN_MINUTES", DEFAULTS["ALERTS_DEFAULT_COOLDOWN_MINUTES"]
        ),
        "ALERTS_MAX_REPORT_AGE_HOURS": _env_int(
            "TTDN_ALERTS_MAX_REPORT_AGE_HOURS", DEFAULTS["ALERTS_MAX_REPORT_AGE_HOURS"]
        ),
    }


def default_cooldown_minutes() -> int:
    """Model default for `AlertRule.cooldown_minutes` (a callable, so migrations hold none)."""
    return int(setting("ALERTS_DEFAULT_COOLDOWN_MINUTES"))
