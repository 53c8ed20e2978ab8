"""The rule form: plain text inputs for lists (one per line or comma-separated).

Validation that needs the database or the fetcher (places, webhook address) lives in the
service, so the command line and the API get the same checks; the view maps its
ValidationError back onto these fields.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ttdn.accounts.models import Organisation
from ttdn.alerts.conf import default_cooldown_minutes
from ttdn.alerts.models import AlertRule, KeywordMode
from ttdn.monitor.models import SourceKind

LIST_FIELDS = ("keywords", "places", "entities", "outlet_countries", "languages", "email_addresses")
BASIC_FIELDS = ("name", "organisation", "active")
CONDITION_FIELDS = (
    "keywords",
    "keyword_mode",
    "entities",
    "places",
    "tone_at_most",
    "tone_at_least",
    "source_kinds",
    "outlet_countries",
    "languages",
    "relevant_only",
    "min_story_reports",
    "burst_window_minutes",
    "cooldown_minutes",
)
DELIVERY_FIELDS = ("deliver_in_app", "email_addresses", "webhook_url", "regenerate_secret")


def split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[\n,;]+", value or "") if part.strip()]


class ToneField(forms.FloatField):
    """A number from -1 to 1 that accepts a decimal comma too (Vietnamese writes -0,3)."""

    def to_python(self, value: Any) -> float | None:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _text(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AlertRuleForm(forms.Form):
    name = forms.CharField(label=_("Tên quy tắc"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Đơn vị sở hữu"), queryset=Organisation.objects.none()
    )
    active = forms.BooleanField(label=_("Đang bật"), required=False, initial=True)

    keywords = _text(
        pgettext_lazy("alerts", "Từ khóa"),
        _("Mỗi dòng một từ khóa hoặc cụm từ (hoặc cách nhau bằng dấu phẩy). So khớp cả từ, "
          "không phân biệt dấu và chữ hoa: “Lam Dong” khớp “Lâm Đồng”."),
    )  # fmt: skip
    keyword_mode = forms.ChoiceField(
        label=_("Cách khớp từ khóa"), choices=KeywordMode.choices, initial=KeywordMode.ANY
    )
    entities = _text(
        _("Nhân vật, tổ chức"),
        _("Tên người hoặc tổ chức; cảnh báo khi bài báo nhắc tới ít nhất một tên."),
    )
    places = _text(
        _("Địa danh"),
        _("Tỉnh, thành (tên hoặc mã như lam-dong; tên cũ trước 7/2025 cũng được) hoặc mã "
          "quốc gia (US, CN); khớp khi bài báo nhắc tới ít nhất một nơi."),
    )  # fmt: skip
    tone_at_most = ToneField(
        label=_("Sắc thái không quá"),
        required=False,
        min_value=-1,
        max_value=1,
        help_text=_("Từ -1 (rất tiêu cực) đến 1 (rất tích cực); ví dụ -0,3 để bắt bài tiêu cực."),
    )
    tone_at_least = ToneField(
        label=_("Sắc thái từ"),
        required=False,
        min_value=-1,
        max_value=1,
        help_text=_("Đặt cả hai ngưỡng để bắt cả hai đầu cực."),
    )
    source_kinds = forms.MultipleChoiceField(
        label=_("Loại nguồn"),
        choices=SourceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outlet_countries = forms.CharField(
        label=_("Quốc gia của cơ quan báo chí"),
        required=False,
        help_text=_("Mã hai chữ cái, cách nhau bằng dấu phẩy: US, FR, CN."),
    )
    languages = forms.CharField(
        label=_("Ngôn ngữ"),
        required=False,
        help_text=_("Mã ngôn ngữ, cách nhau bằng dấu phẩy: en, fr, zh."),
    )
    relevant_only = forms.BooleanField(
        label=_("Chỉ bài viết về Việt Nam"), required=False, initial=True
    )
    min_story_reports = forms.IntegerField(
        label=_("Câu chuyện có ít nhất (bài)"),
        required=False,
        min_value=1,
        help_text=_("Tăng đột biến: cảnh báo khi câu chuyện đạt số bài này …"),
    )
    burst_window_minutes = forms.IntegerField(
        label=_("… trong vòng (phút)"),
        required=False,
        min_value=1,
        help_text=_("Để trống: tính mọi bài của câu chuyện."),
    )
    cooldown_minutes = forms.IntegerField(
        label=_("Thời gian chờ (phút)"),
        min_value=0,
        help_text=_("Không cảnh báo lại cùng câu chuyện trong khoảng này, trừ khi câu chuyện "
                    "lại tăng đột biến."),
    )  # fmt: skip

    deliver_in_app = forms.BooleanField(
        label=_("Thông báo trong ứng dụng"), required=False, initial=True
    )
    email_addresses = _text(_("Gửi thư điện tử tới"), _("Mỗi dòng một địa chỉ (tối đa 20)."))
    webhook_url = forms.URLField(
        label=_("Địa chỉ webhook"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("Nhận POST JSON có chữ ký X-TTDN-Signature: sha256=HMAC của nội dung."),
    )
    regenerate_secret = forms.BooleanField(label=_("Tạo khóa bí mật mới"), required=False)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        rule: AlertRule | None = None,
        **kwargs: Any,
    ) -> None:
        if rule is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(rule)
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if rule is None:
            del self.fields["regenerate_secret"]
            self.fields["cooldown_minutes"].initial = default_cooldown_minutes()
        if organisations.count() == 1 and "organisation" not in self.initial:
            self.initial["organisation"] = organisations.first()

    @staticmethod
    def initial_from(rule: AlertRule) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(rule, name)
            for name in (*BASIC_FIELDS, *CONDITION_FIELDS, *DELIVERY_FIELDS)
            if name != "regenerate_secret"
        }
        initial["organisation"] = rule.organisation
        for name in ("keywords", "entities", "places", "email_addresses"):
            initial[name] = "\n".join(getattr(rule, name))
        for name in ("outlet_countries", "languages"):
            initial[name] = ", ".join(getattr(rule, name))
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in LIST_FIELDS:
            if name in data:
                data[name] = split_list(data.get(name) or "")
        return data

    def rule_fields(self) -> dict[str, Any]:
        """Cleaned data as keyword arguments for the rule services."""
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data.pop("regenerate_secret", None)
        data["webhook_url"] = data.get("webhook_url") or ""
        return data

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields in three fieldsets, for the template."""

        def bound(names: tuple[str, ...]) -> list[forms.BoundField]:
            return [self[name] for name in names if name in self.fields]

        return [
            (_("Quy tắc"), bound(BASIC_FIELDS)),
            (_("Điều kiện (mọi điều kiện đã đặt đều phải thỏa mãn)"), bound(CONDITION_FIELDS)),
            (_("Gửi cảnh báo"), bound(DELIVERY_FIELDS)),
        ]
