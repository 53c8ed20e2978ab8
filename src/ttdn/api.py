"""The JSON API (django-ninja; OpenAPI at /api/openapi.json, interactive docs at /api/docs).

Session-authenticated for staff; every endpoint goes through the same selectors and services
as the web views, so role rules hold identically by URL and by API. Each app keeps its
endpoints in its own `api.py` router; `ttdn.urls` mounts them here.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI
from ninja.security import django_auth

from ttdn.web import api_errors

api = NinjaAPI(
    title="TTĐN Platform API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    # the staff API's map (every endpoint, parameter and model) is for signed-in users; the
    # open-data API's docs (/api/open/docs) stay public
    docs_decorator=login_required,
)
api_errors.install(api)
