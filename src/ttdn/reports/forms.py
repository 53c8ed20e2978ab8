"""Forms of the report page. They only shape input; the period rule lives in `periods` and
the role rule in the services, so the API and the scheduler apply the same ones."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ttdn.accounts.models import Organisation, User
from ttdn.accounts.permissions import is_central
from ttdn.accounts.selectors import organisations_actable
from ttdn.collation import vi_sort_key
from ttdn.reports.periods import SCHEDULABLE, ReportKind

NATIONAL = ""


def _organisation_choices(user: User) -> list[tuple[str, str]]:
    organisations = sorted(
        organisations_actable(user), key=lambda o: (o.kind, vi_sort_key(o.display_name))
    )
    choices = [(o.slug, o.display_name) for o in organisations]
    if is_central(user):
        choices.insert(0, (NATIONAL, str(_("Toàn quốc"))))
    return choices


class _ScopeMixin:
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _setup_scope(self, user: User) -> None:
        self.user = user
        self.fields["organisation"].choices = _organisation_choices(user)
        if user.organisation_id and any(
            c == user.organisation.slug for c, _l in self.fields["organisation"].choices
        ):
            self.fields["organisation"].initial = user.organisation.slug

    def clean_organisation(self) -> Organisation | None:
        slug = self.cleaned_data.get("organisation") or NATIONAL
        if slug == NATIONAL:
            return None
        return Organisation.objects.get(slug=slug)  # the choices already limited it


class ReportRequestForm(_ScopeMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportKind.choices)
    organisation = forms.ChoiceField(label=_("Phạm vi"), required=False)
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        help_text=_("Với đánh giá nhiều năm: năm cuối của giai đoạn."),
    )
    half = forms.TypedChoiceField(
        label=_("Nửa năm"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(1, _("Sáu tháng đầu năm")), (2, _("Sáu tháng cuối năm"))],
    )
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_scope(user)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["half"].initial = 1 if today.month <= 6 else 2


class ScheduleForm(_ScopeMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại báo cáo"),
        choices=[(k.value, k.label) for k in SCHEDULABLE],
    )
    organisation = forms.ChoiceField(label=_("Phạm vi"), required=False)
    next_run_at = forms.DateTimeField(
        label=_("Lần chạy đầu"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Để trống: ngay sau khi kỳ hiện tại kết thúc."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_scope(user)
