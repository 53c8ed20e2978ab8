"""Django settings for TTĐN Platform, all from environment variables (see `ttdn.config`).

Defaults are the embedded mode: SQLite in the data directory, no broker, DEBUG off.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from ttdn import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()

SECRET_KEY = config.secret_key(DATA_DIR)
DEBUG = config.env_bool("TTDN_DEBUG", False)
ALLOWED_HOSTS = config.env_list("TTDN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("TTDN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "ttdn.core",
    "ttdn.accounts",
    "ttdn.audit",
    "ttdn.web",
    "ttdn.coordinate",
    "ttdn.monitor",
    "ttdn.measure",
    "ttdn.alerts",
    "ttdn.reports",
    "ttdn.respond",
    "ttdn.demo",
    "ninja",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
]
# The public portal (Wagtail + wagtail-localize) and its languages: ttdn/portal/conf.py
from ttdn.portal.conf import PORTAL_APPS, portal_settings  # noqa: E402

INSTALLED_APPS += PORTAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # outside the session/CSRF/locale middleware, so it sees the cookies they set
    "ttdn.web.middleware.SecureCookiesOverHttpsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # cached portal pages for readers without a session, before sessions, auth and CSP
    "ttdn.portal.cache.PortalCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ttdn.web.locale.ChosenLanguageMiddleware",
    # /en/, /fr/, … portal pages: the URL's language wins over the staff choice
    "ttdn.portal.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ttdn.accounts.twofactor.AdminTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # the Wagtail admin's inline widget scripts become data, so it needs no 'unsafe-inline'
    "ttdn.portal.admin_csp.AdminInlineScriptMiddleware",
    "csp.middleware.CSPMiddleware",
    "ttdn.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "ttdn.accounts.throttle.LoginAddressLimitMiddleware",
]

ROOT_URLCONF = "ttdn.urls"
WSGI_APPLICATION = "ttdn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ttdn.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": config.database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"

# Lock an account (per username) after repeated failures; unlocks after the cool-off.
AXES_FAILURE_LIMIT = int(config.env_list("TTDN_LOGIN_FAILURE_LIMIT", ["5"])[0])
AXES_COOLOFF_TIME = 0.25  # hours
# Lock an account for the address that failed, not everywhere: otherwise anyone can lock
# any account (the administrator's included) by mistyping its name five times. Spraying
# from one address is stopped by the per-address limit (ttdn.accounts.throttle).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Never by address alone: a province office sits behind one NAT address, and an
# address-only lock would shut every colleague out after one person mistyped.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Session cookies: HttpOnly always; Secure is set per response when the request came over
# HTTPS (see SecureCookiesOverHttpsMiddleware), or always with TTDN_HTTPS=1.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = config.env_bool("TTDN_HTTPS", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
if config.env_bool("TTDN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# administrators sign in with a TOTP code after the password (ttdn.accounts.twofactor)
TTDN_ADMIN_2FA = config.env_bool("TTDN_ADMIN_2FA", True)
OTP_TOTP_ISSUER = "TTĐN"
# Content-Security-Policy: scripts only from this site (every page script is a static file;
# an inline one needs nonce="{{ request.csp_nonce }}"), so an injected <script> or
# javascript: URL does not run even if escaping were ever missed. Inline *styles* stay
# allowed: chart containers set their height in a style attribute, and CSS cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# HSTS once the site is served over HTTPS (sent on HTTPS responses only); one year,
# this host only (TTDN_HSTS_SECONDS=0 turns it off, e.g. while trying HTTPS out).
SECURE_HSTS_SECONDS = (
    int(os.environ.get("TTDN_HSTS_SECONDS", "31536000") or 0)
    if config.env_bool("TTDN_HTTPS", False)
    else 0
)
# API rate limits per REMOTE_ADDR (set from the trusted proxy hop by waitress), never per
# the client-written X-Forwarded-For (django-ninja's default would let a client pick its
# own bucket with each request).
NINJA_NUM_PROXIES = 0
X_FRAME_OPTIONS = "DENY"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dates and numbers per interface language (ttdn/formats/: d/m/Y in both languages)
FORMAT_MODULE_PATH = ["ttdn.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Serve from the app directories too, so a checkout works before `collectstatic` has run.
WHITENOISE_USE_FINDERS = True

# Background work: with no broker the embedded runtime runs tasks in-process.
CELERY_BROKER_URL = config.env_list("TTDN_BROKER_URL", [""])[0] or "memory://"
CELERY_TASK_ALWAYS_EAGER = not config.env_list("TTDN_BROKER_URL", [""])[0]
CELERY_TASK_IGNORE_RESULT = True

# --- Scaled-out mode: broker transport options -----------------------------------------
# TTDN_BROKER_TRANSPORT_OPTIONS is a JSON object passed to kombu as-is, e.g. for Redis
# '{"visibility_timeout": 3600}'. With acks_late, Redis hands a message held by a worker
# that died (SIGKILL, OOM, lost machine) to another worker only once it has been unacked
# for `visibility_timeout` seconds (default 3600) and a restore sweep has run (kombu
# ≥ 5.7 sweeps every unacked_restore_interval × unacked_restore_throttle = 100 s by
# default). Keep visibility_timeout above the longest poll, or a task still running is
# handed to a second worker too: source_poll is idempotent and locked per source, but the
# copy's `skipped: locked` ack also drops the broker's record of the running poll, leaving
# beat to recover it should that worker die (docs/decisions/0006-scaled-out-mode.md).
# The integration test lowers all three.


def _broker_transport_options() -> dict[str, object]:
    raw = os.environ.get("TTDN_BROKER_TRANSPORT_OPTIONS", "").strip()
    if not raw:
        return {}
    try:
        options = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise config.ConfigError(
            f"TTDN_BROKER_TRANSPORT_OPTIONS is not JSON ({exc.msg}); "
            'expected e.g. {"visibility_timeout": 3600}'
        ) from exc
    if not isinstance(options, dict):
        raise config.ConfigError("TTDN_BROKER_TRANSPORT_OPTIONS must be a JSON object")
    return options


CELERY_BROKER_TRANSPORT_OPTIONS = _broker_transport_options()


def _source_lock_seconds() -> int:
    """TTDN_SOURCE_LOCK_SECONDS: the lease of a per-source poll lock (ttdn.monitor.leases).
    A poll renews it before each feed and article, so it must outlast one fetch (the
    fetcher's deadline, 60 s); a worker that died on another machine frees its sources
    after it. Tests lower it so a kill test does not wait two minutes."""
    raw = os.environ.get("TTDN_SOURCE_LOCK_SECONDS", "").strip() or "120"
    if not raw.isdigit() or int(raw) < 1:
        raise config.ConfigError(
            f"TTDN_SOURCE_LOCK_SECONDS must be a whole number of seconds ≥ 1, not {raw!r}"
        )
    return int(raw)


TTDN_SOURCE_LOCK_SECONDS = _source_lock_seconds()
# --- end of scaled-out block ---------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Wagtail's in-process tasks and publish messages: one line each per page otherwise
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# --- Alerts (ttdn.alerts): outgoing email (SMTP) and webhooks ----------------------------
# From TTDN_EMAIL_HOST/PORT/USER/PASSWORD/USE_TLS/USE_SSL/FROM/TIMEOUT, TTDN_SITE_URL and
# TTDN_ALERTS_*; every variable and its default is listed in ttdn/alerts/conf.py.
from ttdn.alerts.conf import alerts_settings, email_settings  # noqa: E402

globals().update(email_settings())
globals().update(alerts_settings())

# Respond: languages an answer (clarification / fact-check) may be written in; evidence files.
TTDN_ANSWER_LANGUAGES = [
    ("vi", "Tiếng Việt"), ("en", "English"), ("fr", "Français"), ("ru", "Русский"),
    ("zh", "中文"), ("ja", "日本語"), ("ko", "한국어"), ("es", "Español"), ("de", "Deutsch"),
]  # fmt: skip
TTDN_EVIDENCE_MAX_BYTES = int(os.environ.get("TTDN_EVIDENCE_MAX_BYTES") or 10 * 1024 * 1024)

# --- Portal (ttdn.portal): Wagtail, languages (TTDN_PORTAL_LANGUAGES), image limits ---------
globals().update(portal_settings(DATA_DIR))
