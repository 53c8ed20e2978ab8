"""The page editing form: a provincial officer can only choose a province the accounts
selector lets them act for, and must choose one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from ttdn.portal.permissions import is_central_editor, provinces_for


class PortalPageForm(WagtailAdminPageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        field = self.fields.get("province")
        if user is not None and field is not None:
            field.queryset = provinces_for(user)
            if not is_central_editor(user) and getattr(user, "role", "") == "provincial_officer":
                field.required = True
                field.empty_label = None

    def clean_province(self) -> Any:
        province = self.cleaned_data.get("province")
        user = getattr(self, "for_user", None)
        if (
            user is not None
            and getattr(user, "role", "") == "provincial_officer"
            and not is_central_editor(user)
            and (province is None or not provinces_for(user).filter(pk=province.pk).exists())
        ):
            raise ValidationError(_("Chỉ được viết trang của tỉnh, thành phố mình."))
        return province
