"""Forms of the reference-data pages (programmes, report templates, periods, targets):
they parse input; `services.setup` decides and validates, so the same rules hold by page,
from the shell and in tests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ttdn.accounts.models import Organisation, User
from ttdn.coordinate.access import organisations_actable
from ttdn.coordinate.models import IndicatorKind, PeriodKind
from ttdn.coordinate.services.setup import indicator_keys

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YEAR = {"min_value": 2000, "max_value": 2100}


class ProgrammeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã"), max_length=60, help_text=_("Chữ thường không dấu, số, “-”; ví dụ ctr-2030.")
    )
    name = forms.CharField(label=_("Tên chương trình"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=Organisation.objects.none())
    start_year = forms.IntegerField(label=_("Từ năm"), **YEAR)
    end_year = forms.IntegerField(label=_("Đến năm"), **YEAR)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False)  # fmt: skip
    groups = forms.CharField(
        label=_("Các nhóm nhiệm vụ, giải pháp"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mỗi dòng một nhóm, theo thứ tự."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations_actable(user)  # type: ignore[attr-defined]


class ReportTemplateForm(forms.Form):
    name = forms.CharField(label=_("Tên mẫu báo cáo"), max_length=300)
    period_kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PeriodKind.choices)


class IndicatorForm(forms.Form):
    key = forms.CharField(label=_("Mã chỉ tiêu"), max_length=60, required=False)
    title = forms.CharField(label=_("Chỉ tiêu"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Cách lấy số"), choices=IndicatorKind.choices,
                             initial=IndicatorKind.ENTERED)  # fmt: skip
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=60, required=False)
    definition = forms.CharField(label=_("Định nghĩa"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 1}))  # fmt: skip


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=3, max_num=60)


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Năm"), **YEAR)
    half = forms.TypedChoiceField(
        label=_("Kỳ sáu tháng"),
        choices=[("", "—"), (1, _("6 tháng đầu năm")), (2, _("6 tháng cuối năm"))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    due_date = forms.DateField(label=_("Hạn nộp"), widget=DATE)


class TargetForm(forms.Form):
    indicator_key = forms.ChoiceField(label=_("Chỉ tiêu"))
    organisation = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Cả nước (mục tiêu của chương trình)"),
    )
    year = forms.IntegerField(label=_("Năm"), **YEAR)
    value = forms.FloatField(label=_("Mục tiêu"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator_key"].choices = [  # type: ignore[attr-defined]
            (key, f"{title} ({key})") for key, title in indicator_keys()
        ]
        self.fields["organisation"].queryset = organisations_actable(user)  # type: ignore[attr-defined]
