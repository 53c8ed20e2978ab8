"""Forms for Respond's pages: they only parse input; services decide and validate."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ttdn.respond.models import Rating, Severity


def _language_choices() -> list[tuple[str, str]]:
    return [("", _("Tự nhận diện")), *settings.TTDN_ANSWER_LANGUAGES]


class ClaimForm(forms.Form):
    text = forms.CharField(label=_("Nội dung thông tin"), widget=forms.Textarea(attrs={"rows": 3}))
    language = forms.ChoiceField(label=_("Ngôn ngữ"), required=False, choices=_language_choices)
    organisation = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None)

    def __init__(self, *args: object, organisations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề hồ sơ"), max_length=300, required=False)
    severity = forms.ChoiceField(label=_("Mức độ"), choices=Severity.choices, initial="medium")
    organisation = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=None)

    def __init__(self, *args: object, organisations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=())
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    body = forms.CharField(
        label=_("Nội dung (HTML đơn giản)"), widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["language"].choices = settings.TTDN_ANSWER_LANGUAGES  # type: ignore[attr-defined]


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("Đánh giá"), choices=Rating.choices)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại"), choices=[("file", _("Tệp")), ("link", _("Đường dẫn"))]
    )
    file = forms.FileField(label=_("Tệp"), required=False)
    url = forms.URLField(label=_("Đường dẫn"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class FactForm(forms.Form):
    statement = forms.CharField(
        label=_("Sự thật đã kiểm chứng"), widget=forms.Textarea(attrs={"rows": 2})
    )
    source_url = forms.URLField(label=_("Nguồn (đường dẫn)"), assume_scheme="https")
    source_name = forms.CharField(label=_("Tên nguồn"), max_length=300, required=False)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Ghi chú nội bộ"), widget=forms.Textarea(attrs={"rows": 3}))


class HandOverForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Chuyển cho đơn vị"), queryset=None)
    reason = forms.CharField(label=_("Lý do"), max_length=500)

    def __init__(self, *args: object, organisations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
