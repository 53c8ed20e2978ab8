"""Portal languages and Wagtail settings, read once from the environment.

WHY a separate list from the staff interface: Wagtail requires every content language in
Django's LANGUAGES, but the staff platform is translated into Vietnamese and English only;
`STAFF_LANGUAGES` keeps the staff switcher and its middleware to those two while readers get
every portal language under its own URL prefix.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

DEFAULT_PORTAL_LANGUAGES = ("vi", "en", "fr", "zh-hans", "ru", "es", "ja", "ko", "de", "lo", "km")

# Each language's own name (Django has no entry for Lao, and writes Khmer in English).
LOCAL_NAMES: dict[str, str] = {
    "vi": "Tiếng Việt",
    "en": "English",
    "fr": "Français",
    "zh-hans": "简体中文",
    "ru": "Русский",
    "es": "Español",
    "ja": "日本語",
    "ko": "한국어",
    "de": "Deutsch",
    "lo": "ພາສາລາວ",
    "km": "ភាសាខ្មែរ",
    "it": "Italiano",
    "pt": "Português",
    "th": "ภาษาไทย",
    "id": "Bahasa Indonesia",
    "ar": "العربية",
}

STAFF_LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]


def portal_languages() -> tuple[str, ...]:
    """TTDN_PORTAL_LANGUAGES (comma-separated codes), else the eleven defaults; Vietnamese
    is always first, because the portal's source pages are written in it."""
    raw = os.environ.get("TTDN_PORTAL_LANGUAGES", "")
    codes = [c.strip().lower() for c in raw.split(",") if c.strip()] or list(
        DEFAULT_PORTAL_LANGUAGES
    )
    unknown = [c for c in codes if c not in LOCAL_NAMES]
    if unknown:
        from ttdn.config import ConfigError

        raise ConfigError(
            f"TTDN_PORTAL_LANGUAGES has codes without a known name: {', '.join(unknown)}; "
            f"known: {', '.join(LOCAL_NAMES)}"
        )
    return tuple(dict.fromkeys(["vi", *codes]))


def own_hosts(site_url: str) -> list[str]:
    """host[:port] of every address our publications are read at: the portal's own
    (TTDN_SITE_URL) and any mirror or former host in TTDN_OWN_HOSTS (comma-separated). The
    monitor keeps a report's links to these hosts, so that linking pickups are found."""
    hosts = [urlsplit(site_url).netloc.lower()]
    extra = os.environ.get("TTDN_OWN_HOSTS", "")
    hosts += [h.strip().lower() for h in extra.split(",") if h.strip()]
    return [h for h in dict.fromkeys(hosts) if h]


def portal_settings(data_dir: Any) -> dict[str, Any]:
    """Settings merged into ttdn.settings (Wagtail, wagtail-localize, image limits)."""
    languages = portal_languages()
    site_url = os.environ.get("TTDN_SITE_URL", "http://127.0.0.1:8000")
    content = [(code, LOCAL_NAMES[code]) for code in languages]
    staff_codes = {code for code, _name in STAFF_LANGUAGES}
    return {
        "PORTAL_LANGUAGES": languages,
        "STAFF_LANGUAGES": STAFF_LANGUAGES,
        # Django's list is the union: the staff's two plus every portal language
        "LANGUAGES": list(STAFF_LANGUAGES) + [c for c in content if c[0] not in staff_codes],
        "WAGTAIL_I18N_ENABLED": True,
        "WAGTAIL_CONTENT_LANGUAGES": content,
        "WAGTAILADMIN_PERMITTED_LANGUAGES": list(STAFF_LANGUAGES),
        "WAGTAIL_SITE_NAME": "TTĐN",
        "WAGTAILADMIN_BASE_URL": site_url,
        "OWN_PUBLICATION_HOSTS": own_hosts(site_url),
        "WAGTAILSEARCH_BACKENDS": {
            # SQLite FTS5 here, PostgreSQL full text in production: the backend picks by vendor
            "default": {"BACKEND": "wagtail.search.backends.database"},
        },
        "WAGTAIL_ENABLE_UPDATE_CHECK": False,
        "WAGTAIL_ENABLE_WHATS_NEW_BANNER": False,
        "WAGTAIL_ALLOW_UNICODE_SLUGS": True,
        "WAGTAILIMAGES_MAX_UPLOAD_SIZE": 10 * 1024 * 1024,
        # a decompression bomb is refused before Pillow allocates it (Wagtail checks this
        # from the header; Pillow's own limit below is the second guard)
        "WAGTAILIMAGES_MAX_IMAGE_PIXELS": 40_000_000,
        "WAGTAILIMAGES_EXTENSIONS": ["gif", "jpg", "jpeg", "png", "webp"],
        # a truncated or corrupt upload is a form error, not a server error
        "WAGTAILIMAGES_IMAGE_FORM_BASE": "ttdn.portal.imageforms.PortalImageForm",
        "WAGTAILDOCS_EXTENSIONS": ["pdf", "csv", "xlsx", "odt", "docx"],
        "WAGTAIL_MODERATION_ENABLED": True,
        "WAGTAIL_WORKFLOW_ENABLED": True,
        "WAGTAILLOCALIZE_JQ_ENABLED": False,
        "WAGTAILADMIN_LOGIN_URL": "login",
        "PORTAL_CACHE_SECONDS": int(os.environ.get("TTDN_PORTAL_CACHE_S", "300")),
    }


PORTAL_APPS = [
    "ttdn.portal",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.routable_page",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]
