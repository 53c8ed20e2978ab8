"""What each report kind covers, and the refusals people see for a bad period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ttdn.reports.periods import (
    bucket_for,
    next_boundary,
    period_before,
    period_label,
    period_resolve,
)

TODAY = dt.date(2026, 3, 10)
D = dt.date


@pytest.mark.parametrize(
    ("kind", "kwargs", "expected"),
    [
        ("six_month", {"year": 2025, "half": 1}, (D(2025, 1, 1), D(2025, 6, 30))),
        ("six_month", {"year": 2025, "half": 2}, (D(2025, 7, 1), D(2025, 12, 31))),
        ("annual", {"year": 2024}, (D(2024, 1, 1), D(2024, 12, 31))),
        ("eval_3y", {"year": 2025}, (D(2023, 1, 1), D(2025, 12, 31))),
        ("eval_5y", {"year": 2025}, (D(2021, 1, 1), D(2025, 12, 31))),
        ("eval_10y", {"year": 2025}, (D(2016, 1, 1), D(2025, 12, 31))),
        ("custom", {"date_from": D(2025, 3, 3), "date_to": D(2025, 3, 16)},
         (D(2025, 3, 3), D(2025, 3, 16))),
        # a period still in progress is allowed: the report says up to which day it counts
        ("annual", {"year": 2026}, (D(2026, 1, 1), D(2026, 12, 31))),
    ],
)  # fmt: skip
def test_period_resolve(kind: str, kwargs: dict, expected: tuple) -> None:
    assert period_resolve(kind, today=TODAY, **kwargs) == expected


@pytest.mark.parametrize(
    ("kind", "kwargs", "field", "message"),
    [
        ("six_month", {"year": 2026, "half": 2}, "year", "chưa bắt đầu"),
        ("six_month", {"year": 2025}, "half", "sáu tháng đầu năm hoặc cuối năm"),
        ("annual", {}, "year", "Hãy chọn năm"),
        ("annual", {"year": 1999}, "year", "từ 2000"),
        ("eval_10y", {"year": 2005}, "year", "01/01/2000"),
        ("custom", {"date_from": D(2025, 3, 16), "date_to": D(2025, 3, 3)}, "date_to", "phải sau"),
        ("custom", {"date_from": D(2025, 3, 16)}, "date_from", "cần cả"),
        ("custom", {"date_from": D(2001, 1, 1), "date_to": D(2025, 1, 1)}, "date_from", "10 năm"),
        ("weekly", {"year": 2025}, "kind", "Không có loại"),
    ],
)
def test_bad_periods_say_why(kind: str, kwargs: dict, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        period_resolve(kind, today=TODAY, **kwargs)
    assert field in caught.value.message_dict
    assert message in " ".join(caught.value.message_dict[field])


def test_schedule_periods() -> None:
    assert period_before("six_month", D(2025, 7, 1)) == (D(2025, 1, 1), D(2025, 6, 30))
    assert period_before("six_month", D(2026, 1, 1)) == (D(2025, 7, 1), D(2025, 12, 31))
    assert period_before("annual", D(2026, 1, 1)) == (D(2025, 1, 1), D(2025, 12, 31))
    assert period_before("eval_5y", D(2026, 1, 1)) == (D(2021, 1, 1), D(2025, 12, 31))
    assert next_boundary("six_month", D(2025, 3, 10)) == D(2025, 7, 1)
    assert next_boundary("six_month", D(2025, 7, 1)) == D(2026, 1, 1)
    assert next_boundary("annual", D(2026, 1, 1)) == D(2027, 1, 1)
    assert next_boundary("eval_3y", D(2026, 1, 1)) == D(2029, 1, 1)
    with pytest.raises(ValidationError):
        period_before("custom", D(2026, 1, 1))


def test_labels_and_buckets() -> None:
    assert period_label("six_month", D(2025, 7, 1), D(2025, 12, 31)) == "6 tháng cuối năm 2025"
    assert period_label("eval_5y", D(2021, 1, 1), D(2025, 12, 31)) == "2021–2025"
    assert bucket_for(D(2025, 3, 3), D(2025, 3, 16)) == "day"
    assert bucket_for(D(2025, 1, 1), D(2025, 6, 30)) == "week"
    assert bucket_for(D(2025, 1, 1), D(2025, 12, 31)) == "month"
