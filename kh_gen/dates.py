"""Dates in the administrative style of Nghị định 30/2020/NĐ-CP.

A day below 10 and the months January and February take a leading zero (`ngày 05 tháng 01`);
other months do not (`tháng 4`). A draft leaves what is not known yet blank, as clerks do.
"""

from __future__ import annotations

import datetime as dt

from .form import PlanDate

BLANK = "    "  # what a clerk leaves between words for the day or month written by hand


def day_text(day: int) -> str:
    return f"{day:02d}"


def month_text(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def date_line(place: str, date: PlanDate) -> str:
    """`Dương Kinh, ngày 05 tháng 01 năm 2025`, with blanks where the draft has none."""
    return f"{place}, {long_date(date)}"


def long_date(date: PlanDate) -> str:
    day = f" {day_text(date.day)} " if date.day else BLANK
    month = f" {month_text(date.month)} " if date.month else BLANK
    return f"ngày{day}tháng{month}năm {date.year}"


def citation_date(date: dt.date, style: str) -> str:
    """A cited document's date: `ngày 15/7/2021` (short) or `ngày 15 tháng 7 năm 2021`."""
    if style == "long":
        return long_date(PlanDate(date.year, date.month, date.day))
    return f"ngày {day_text(date.day)}/{month_text(date.month)}/{date.year}"
