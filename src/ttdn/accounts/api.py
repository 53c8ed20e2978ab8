"""The organisations in the JSON API (/api/organisations), mounted by `ttdn.urls`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from ttdn.accounts.models import Organisation

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    slug: str
    name: str
    name_en: str
    kind: str
    former_units: list[str]


@router.get("/organisations", response=list[OrganisationOut])
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
