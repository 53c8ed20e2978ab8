"""The filters every indicator, chart, search and open-data endpoint accepts, validated once.

One Django form (`FilterForm`) is the single place where a filter is checked, so the
dashboard, its JSON/CSV data, the search page, the staff API and the open API give the same
clear message for the same mistake (and never a 500). The result is a frozen
`MeasureFilters` that the selectors take.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ttdn.accounts.models import Organisation, OrganisationAlias, OrganisationKind
from ttdn.collation import vi_sort_key
from ttdn.monitor.models import SourceKind

# where they live now; still importable from here for the modules that import them so
from ttdn.peers import DEFAULT_PEERS, peer_countries  # noqa: F401
from ttdn.web.labels import dimension_keys, dimension_label

BUCKETS = ("day", "week", "month")
TONE_LABELS = ("positive", "neutral", "negative")
GROUP_BY = ("country", "language", "dimension")
DEFAULT_PERIOD_DAYS = 90
EARLIEST = dt.date(2000, 1, 1)
MAX_SPAN_DAYS = 366 * 10
MAX_BUCKETS = 1000
MAX_TOP = 100
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
# the parameters a request may carry; anything else is ignored
PARAMS = (
    "date_from",
    "date_to",
    "bucket",
    "language",
    "country",
    "source_kind",
    "tone",
    "dimension",
    "province",
    "group_by",
    "top",
)


@dataclass(frozen=True)
class MeasureFilters:
    """Validated filters. Dates are inclusive local dates (Asia/Ho_Chi_Minh by default)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    bucket: str = "week"
    language: str = ""
    country: str = ""
    source_kind: str = ""
    tone: str = ""
    dimension: str = ""
    province: str = ""
    group_by: str = "country"
    top: int = 10
    # unit slugs matched for `province`: the current slug plus its former units' slugs
    province_keys: tuple[str, ...] = field(default=(), compare=False)

    def period(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """[start, end) as aware datetimes in the current time zone."""
        tz = timezone.get_current_timezone()
        start = end = None
        if self.date_from:
            start = dt.datetime.combine(self.date_from, dt.time.min, tzinfo=tz)
        if self.date_to:
            end = dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as query parameters (for links, CSV names, saved searches)."""
        out: dict[str, str] = {}
        for key, value in asdict(self).items():
            if key == "province_keys" or value in (None, "", ()):
                continue
            out[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out

    def with_province(self, slug: str) -> MeasureFilters:
        current, keys = province_resolve(slug)
        return replace(self, province=current, province_keys=keys)


def province_resolve(slug: str) -> tuple[str, tuple[str, ...]]:
    """Map a unit slug (current, or a former unit's) to today's unit and every key that
    counts for it. The pipeline already writes current slugs; former-unit slugs found in
    older data are rolled up through OrganisationAlias so history stays on today's map."""
    alias = OrganisationAlias.objects.filter(slug=slug).select_related("organisation").first()
    organisation = alias.organisation if alias else Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise ValidationError(_("Không có tỉnh, thành phố này: %(slug)s."), params={"slug": slug})
    keys = [organisation.slug]
    keys += [a for a in organisation.aliases.values_list("slug", flat=True) if a not in keys]
    return organisation.slug, tuple(keys)


class FilterError(Exception):
    """Invalid filters: `errors` maps each parameter to its messages (already translated)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors

    def message(self) -> str:
        return str(self)


def _province_choices() -> list[tuple[str, str]]:
    units = Organisation.objects.filter(kind__in=[OrganisationKind.PROVINCE, OrganisationKind.CITY])
    # Vietnamese alphabetical order (Đ after D), names in the interface language
    ordered = sorted(units, key=lambda o: vi_sort_key(o.display_name))
    return [("", _("Tất cả"))] + [(o.slug, o.display_name) for o in ordered]


class FilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bucket = forms.ChoiceField(
        label=_("Gộp theo"),
        required=False,
        choices=[("day", _("Ngày")), ("week", _("Tuần")), ("month", _("Tháng"))],
    )
    language = forms.CharField(
        label=_("Ngôn ngữ bài báo"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"list": "language-list", "size": 6}),
        help_text=_("Mã ngôn ngữ, ví dụ en, fr, zh."),
    )
    country = forms.CharField(
        label=_("Quốc gia của cơ quan báo chí"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"list": "country-list", "size": 4}),
        help_text=_("Mã ISO hai chữ cái, ví dụ US, FR, JP."),
    )
    source_kind = forms.ChoiceField(
        label=_("Loại nguồn"), required=False, choices=[("", _("Tất cả")), *SourceKind.choices]
    )
    tone = forms.ChoiceField(
        label=_("Sắc thái"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("positive", _("Tích cực")),
            ("neutral", _("Trung tính")),
            ("negative", _("Tiêu cực")),
        ],
    )
    dimension = forms.ChoiceField(label=_("Khía cạnh hình ảnh quốc gia"), required=False)
    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)
    group_by = forms.ChoiceField(
        label=_("Sắc thái chia theo"),
        required=False,
        choices=[
            ("country", _("Quốc gia của cơ quan báo chí")),
            ("language", _("Ngôn ngữ")),
            ("dimension", _("Khía cạnh")),
        ],
    )
    top = forms.IntegerField(label=_("Số câu chuyện hàng đầu"), required=False)

    def __init__(self, *args: Any, require_period: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.require_period = require_period
        self.fields["dimension"].choices = [("", _("Tất cả"))] + [
            (k, dimension_label(k)) for k in dimension_keys()
        ]
        self.fields["province"].choices = _province_choices()

    def clean_language(self) -> str:
        value = self.cleaned_data.get("language", "").strip().lower()
        if value and not LANGUAGE_RE.match(value):
            raise ValidationError(_("Mã ngôn ngữ không hợp lệ (ví dụ: en, fr, zh)."))
        return value

    def clean_country(self) -> str:
        value = self.cleaned_data.get("country", "").strip().upper()
        if value and not COUNTRY_RE.match(value):
            raise ValidationError(_("Mã quốc gia phải là mã ISO hai chữ cái (ví dụ: US, FR)."))
        return value

    def clean_province(self) -> str:
        # a former unit's slug is accepted too and mapped to today's unit in clean()
        return str(self.cleaned_data.get("province") or "")

    def clean_top(self) -> int:
        value = self.cleaned_data.get("top")
        if value is None:
            return 10
        if not 1 <= value <= MAX_TOP:
            raise ValidationError(
                _("Số câu chuyện hàng đầu phải từ 1 đến %(max)s."), params={"max": MAX_TOP}
            )
        return value

    def full_clean(self) -> None:
        # accept former-unit slugs in ?province= (they are not among the 34 choices)
        if self.is_bound and self.data.get("province"):
            slug = str(self.data.get("province"))
            known = any(slug == c for c, _label in self.fields["province"].choices)
            if not known and OrganisationAlias.objects.filter(slug=slug).exists():
                self.fields["province"].choices = [*self.fields["province"].choices, (slug, slug)]
        super().full_clean()
        # screen readers: say which fields are wrong and where the message is
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if self.require_period:
            if date_to is None and "date_to" not in self.errors:
                date_to = today
            if date_from is None and "date_from" not in self.errors and date_to is not None:
                date_from = date_to - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        for name, value in (("date_from", date_from), ("date_to", date_to)):
            if value is None:
                continue
            if value < EARLIEST:
                self.add_error(
                    name, _("Ngày phải từ %(d)s trở đi.") % {"d": EARLIEST.strftime("%d/%m/%Y")}
                )
            elif value > today + dt.timedelta(days=1):
                self.add_error(name, _("Ngày không được ở tương lai."))
        if date_from and date_to and "date_from" not in self.errors:
            if date_to < date_from:
                self.add_error("date_to", _("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
            elif (date_to - date_from).days > MAX_SPAN_DAYS:
                self.add_error(
                    "date_from", _("Khoảng thời gian quá dài: tối đa 10 năm mỗi lần truy vấn.")
                )
            else:
                bucket = data.get("bucket") or "week"
                if bucket_count(date_from, date_to, bucket) > MAX_BUCKETS:
                    self.add_error(
                        "bucket",
                        _(
                            "Quá nhiều điểm (%(n)s) cho khoảng thời gian này: "
                            "hãy gộp theo tuần hoặc tháng."
                        )
                        % {"n": bucket_count(date_from, date_to, bucket)},
                    )
        data["date_from"], data["date_to"] = date_from, date_to
        if data.get("province") and "province" not in self.errors:
            try:
                data["province_resolved"] = province_resolve(data["province"])
            except ValidationError as exc:
                self.add_error("province", exc)
        return data

    def filters(self) -> MeasureFilters:
        """The validated filters; call after is_valid() returned True."""
        data = self.cleaned_data
        province, keys = data.get("province_resolved") or ("", ())
        return MeasureFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            bucket=data.get("bucket") or "week",
            language=data.get("language") or "",
            country=data.get("country") or "",
            source_kind=data.get("source_kind") or "",
            tone=data.get("tone") or "",
            dimension=data.get("dimension") or "",
            province=province,
            group_by=data.get("group_by") or "country",
            top=data.get("top") or 10,
            province_keys=keys,
        )


def bucket_count(date_from: dt.date, date_to: dt.date, bucket: str) -> int:
    days = (date_to - date_from).days + 1
    if bucket == "day":
        return days
    if bucket == "week":
        return days // 7 + 2
    return (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1


def filters_parse(
    params: Mapping[str, Any], *, require_period: bool = True, defaults: Mapping[str, Any] = ()
) -> MeasureFilters:
    """Validate request parameters into MeasureFilters, or raise FilterError with messages.

    Only the known parameters are read; empty strings count as absent. `defaults` fill in
    parameters the request did not give (e.g. the officer's own province).
    """
    data = {k: params.get(k) for k in PARAMS if params.get(k) not in (None, "")}
    for key, value in dict(defaults).items():
        data.setdefault(key, value)
    form = FilterForm(data, require_period=require_period)
    if not form.is_valid():
        raise FilterError({k: [str(m) for m in v] for k, v in form.errors.items()})
    return form.filters()
