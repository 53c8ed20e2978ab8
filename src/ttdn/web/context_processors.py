from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ttdn.accounts.permissions import is_administrator
from ttdn.web.navigation import MODULES


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_modules": MODULES,
        "nav_is_admin": bool(user is not None and is_administrator(user)),
        # the staff interface's languages only (LANGUAGES also lists the portal's)
        "nav_staff_languages": [code for code, _name in settings.STAFF_LANGUAGES],
    }
