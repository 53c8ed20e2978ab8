"""Forms of the coordinate pages: they parse input; the services decide and validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ttdn.accounts.models import Organisation, User
from ttdn.coordinate.access import organisations_actable
from ttdn.coordinate.models import EvidenceKind, Priority, Programme, ProgrammeGroup, TaskStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssignForm(forms.Form):
    """Central (or any organisation for itself) assigns one task to one or many units."""

    title = forms.CharField(label=_("Tiêu đề"), max_length=250)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea, required=False)
    assigner = forms.ModelChoiceField(label=_("Đơn vị giao"), queryset=Organisation.objects.none())
    organisations = forms.ModelMultipleChoiceField(
        label=_("Giao cho các đơn vị"),
        queryset=Organisation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Mỗi đơn vị nhận một nhiệm vụ riêng, theo dõi riêng."),
    )
    programme = forms.ModelChoiceField(
        label=_("Chương trình"), queryset=Programme.objects.filter(archived=False), required=False
    )
    group = forms.ModelChoiceField(
        label=_("Nhóm nhiệm vụ, giải pháp"),
        queryset=ProgrammeGroup.objects.filter(programme__archived=False),
        required=False,
    )
    start_date = forms.DateField(label=_("Ngày bắt đầu"), required=False, widget=DATE)
    due_date = forms.DateField(label=_("Hạn hoàn thành"), required=False, widget=DATE)
    priority = forms.ChoiceField(label=_("Mức ưu tiên"), choices=Priority.choices,
                                 initial=Priority.NORMAL)  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # every organisation may be offered as a target; the service refuses those the user
        # may not act for with a clear message (so a refused choice is explained, not hidden)
        actable = organisations_actable(user)
        self.fields["assigner"].queryset = actable  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.all() if actable.count() > 1 else actable
        )
        if user.organisation_id and actable.filter(pk=user.organisation_id).exists():
            self.fields["assigner"].initial = user.organisation_id


class TaskEditForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=250)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea, required=False)
    start_date = forms.DateField(label=_("Ngày bắt đầu"), required=False, widget=DATE)
    due_date = forms.DateField(label=_("Hạn hoàn thành"), required=False, widget=DATE)
    priority = forms.ChoiceField(label=_("Mức ưu tiên"), choices=Priority.choices)
    progress = forms.IntegerField(
        label=_("Tiến độ (%)"), min_value=0, max_value=100, required=False
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=TaskStatus.choices, required=False)
    owner = forms.ModelChoiceField(
        label=_("Người phụ trách"), queryset=User.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        editable: frozenset[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # the person in charge is one of the organisation's own people
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        ).order_by("username")
        # fields the user may not change (services.tasks.task_editable_fields) are shown but
        # disabled: the browser does not send them and Django keeps the task's own values, so
        # saving what the user may change never trips the service's refusal
        if editable is not None:
            for name, field in self.fields.items():
                if name not in editable:
                    field.disabled = True
                    field.help_text = _("Do đơn vị giao nhiệm vụ quyết định.")


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}),
                             required=False)  # fmt: skip


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại minh chứng"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("Mô tả"), max_length=250)
    file = forms.FileField(label=_("Tệp"), required=False)
    url = forms.CharField(label=_("Đường dẫn"), max_length=1000, required=False)
    object_id = forms.IntegerField(label=_("Số của đối tượng trong nền tảng"), required=False,
                                   min_value=1)  # fmt: skip


class PlanCopyForm(forms.Form):
    year = forms.IntegerField(label=_("Sang năm"), min_value=2000, max_value=2100)
