from __future__ import annotations

import datetime as dt

import pytest

from kh_gen.dates import citation_date, date_line
from kh_gen.form import PlanDate


@pytest.mark.parametrize(("date", "expected"), [
    (PlanDate(2025, 1, 5), "Quận 3, ngày 05 tháng 01 năm 2025"),
    (PlanDate(2025, 4, 29), "Quận 3, ngày 29 tháng 4 năm 2025"),
    (PlanDate(2025, 2, 10), "Quận 3, ngày 10 tháng 02 năm 2025"),
    (PlanDate(2025, 3, 1), "Quận 3, ngày 01 tháng 3 năm 2025"),
    (PlanDate(2026), "Quận 3, ngày    tháng    năm 2026"),
    (PlanDate(2024, 1), "Quận 3, ngày    tháng 01 năm 2024"),
])
def test_date_line_pads_day_below_ten_and_months_one_and_two(date: PlanDate,
                                                            expected: str) -> None:
    assert date_line("Quận 3", date) == expected


def test_citation_dates_short_and_long() -> None:
    assert citation_date(dt.date(2021, 7, 15), "short") == "ngày 15/7/2021"
    assert citation_date(dt.date(2022, 1, 6), "short") == "ngày 06/01/2022"
    assert citation_date(dt.date(2021, 10, 19), "long") == "ngày 19 tháng 10 năm 2021"
