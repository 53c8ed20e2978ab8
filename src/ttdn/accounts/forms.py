from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ttdn.accounts.models import Organisation


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Trang web"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["website", "contact_email", "description"]
