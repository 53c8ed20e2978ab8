from __future__ import annotations

import pytest

from ttdn.accounts.models import Organisation, OrganisationAlias, OrganisationKind
from ttdn.accounts.services import organisations_load

pytestmark = pytest.mark.django_db


def test_loads_34_units_with_63_former_units() -> None:
    organisations_load()
    provinces = Organisation.objects.filter(kind=OrganisationKind.PROVINCE)
    cities = Organisation.objects.filter(kind=OrganisationKind.CITY)
    assert provinces.count() == 28
    assert cities.count() == 6
    assert OrganisationAlias.objects.count() == 63
    assert OrganisationAlias.objects.values("slug").distinct().count() == 63
    # every current unit is reachable by at least its own former name
    assert all(o.aliases.exists() for o in [*provinces, *cities])


def test_former_units_roll_up_onto_the_unit_that_absorbed_them() -> None:
    organisations_load()
    lam_dong = Organisation.objects.get(slug="lam-dong")
    assert lam_dong.name == "Lâm Đồng"
    assert lam_dong.official_name == "Tỉnh Lâm Đồng"
    assert {a.name for a in lam_dong.aliases.all()} == {"Lâm Đồng", "Đắk Nông", "Bình Thuận"}
    hcmc = Organisation.objects.get(slug="ho-chi-minh")
    assert {"Bình Dương", "Bà Rịa - Vũng Tàu"} <= {a.name for a in hcmc.aliases.all()}


def test_slugs_are_ascii() -> None:
    organisations_load()
    for slug in [
        *Organisation.objects.values_list("slug", flat=True),
        *OrganisationAlias.objects.values_list("slug", flat=True),
    ]:
        assert slug.isascii(), slug


def test_loading_twice_keeps_what_users_added() -> None:
    first = organisations_load()
    lam_dong = Organisation.objects.get(slug="lam-dong")
    lam_dong.website = "https://lamdong.gov.vn"
    lam_dong.save()
    second = organisations_load()
    assert first["organisations"] == second["organisations"] == 37
    assert second["organisations_created"] == 0
    assert Organisation.objects.get(slug="lam-dong").website == "https://lamdong.gov.vn"
