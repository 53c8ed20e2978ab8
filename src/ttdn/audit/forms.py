from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ttdn.audit.models import AuditAction


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Hành động"),
        choices=[("", _("Tất cả"))] + list(AuditAction.choices),
        required=False,
    )
    username = forms.CharField(label=_("Tên đăng nhập"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Loại đối tượng"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
