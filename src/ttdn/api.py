"""The JSON API (django-ninja; OpenAPI at /api/openapi.json, interactive docs at /api/docs).

Session-authenticated for staff; every endpoint goes through the same selectors and services
as the web views, so role rules hold identically by URL and by API.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.security import django_auth

from ttdn.accounts.models import Organisation
from ttdn.web import api_errors

api = NinjaAPI(
    title="TTĐN Platform API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
)
api_errors.install(api)


class OrganisationOut(Schema):
    slug: str
    name: str
    name_en: str
    kind: str
    former_units: list[str]


@api.get("/organisations", response=list[OrganisationOut])
def organisations(request: HttpRequest) -> list[OrganisationOut]:
    return [
        OrganisationOut(
            slug=o.slug,
            name=o.name,
            name_en=o.name_en,
            kind=o.kind,
            former_units=[a.name for a in o.aliases.all()],
        )
        for o in Organisation.objects.prefetch_related("aliases")
    ]
