"""The ways clerks write a level, a signing authority, a date or a batch column, read into codes.

A clerk writes what the plan itself says: `level: xã`, `authority: KT.`, `date: 15/01/2026`,
a localities list headed `địa phương;cấp;người ký`. kh-gen's own codes (`xa`, `KT`,
`2026-01-15`, `locality`) stay what it writes (`kh-gen new`, `import`, `rebase`) and what the
rest of the code sees; this module is the one place that knows the other spellings, so the
form, the batch list and the command line accept the same ones. Case, accents on the codes'
side and extra spaces do not matter; the accents of a Vietnamese word may be left out too
(`phuong`), as clerks often type without them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from .i18n import N_, _
from .schema import Reader, describe
from .yamlsource import Node

LEVELS = ("tinh", "huyen", "xa")
AUTHORITIES = ("TM", "KT", "Q", "TL", "TUQ")

# The level each administrative unit word stands for. A centrally governed city ("thành phố
# Hải Phòng") is a province; the district-level words (huyện, quận, thị xã) are for plans
# dated before 1 July 2025, when districts were abolished; a thị trấn was commune-level.
LEVEL_WORDS = {"tỉnh": "tinh", "thành phố": "tinh", "xã": "xa", "phường": "xa",
               "đặc khu": "xa", "thị trấn": "xa", "huyện": "huyen", "quận": "huyen",
               "thị xã": "huyen"}

# The marks of Nghị định 30/2020/NĐ-CP, with their dots, and the words they abbreviate.
AUTHORITY_WORDS = {"thay mặt": "TM", "ký thay": "KT", "quyền": "Q", "thừa lệnh": "TL",
                   "thừa ủy quyền": "TUQ"}

# Batch localities columns: kh-gen's names and the Vietnamese ones a clerk may head them with.
COLUMN_WORDS = {"địa phương": "locality", "cấp": "level", "người ký": "signer",
                "địa danh": "place", "cơ quan ban hành": "issuer",
                "chức vụ người ký": "signer_title", "quyền hạn ký": "signer_authority",
                "đơn vị": "unit", "cấp trên": "parent", "cấp dưới": "subunits",
                "tỉnh": "province"}


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), spaces collapsed: how spellings are compared."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def _table(words: dict[str, str], codes: tuple[str, ...]) -> dict[str, str]:
    """Folded spelling → code, for the codes themselves and their Vietnamese words."""
    table = {fold(code): code for code in codes}
    table.update({fold(word): code for word, code in words.items()})
    return table


_LEVELS = _table(LEVEL_WORDS, LEVELS)
_AUTHORITIES = _table(AUTHORITY_WORDS, AUTHORITIES)
_COLUMNS = {key.replace("_", " "): key for key in
            ("locality", "level", "signer", "place", "issuer", "signer_title",
             "signer_authority", "unit", "parent", "subunits", "province")}
_COLUMNS.update({fold(word): key for word, key in COLUMN_WORDS.items()})


def level(text: str) -> str | None:
    """`xã`, `Phường`, `thanh pho`, `xa` → the level code; None when it names no level."""
    return _LEVELS.get(fold(text))


def authority(text: str) -> str | None:
    """`TM.`, `kt`, `KT.`, `Thừa ủy quyền` → the authority code; None when it is none."""
    return _AUTHORITIES.get(fold(text).removesuffix("."))


def column(name: str) -> str | None:
    """A batch column's name (`Địa phương`, `dia phuong`, `signer_title`) → kh-gen's key."""
    return _COLUMNS.get(fold(name.replace("_", " ")))


_ALSO_ACCEPTED = N_("also accepted: {spellings}")
AUTHORITY_HINT = N_("also accepted: TM., KT., Q., TL., TUQ. and lower case")


def level_hint() -> str:
    """The other spellings of a level, in the user's language."""
    return _(_ALSO_ACCEPTED).format(spellings=", ".join(LEVEL_WORDS))


def authority_hint() -> str:
    """The other spellings of a signing authority, in the user's language."""
    return _(AUTHORITY_HINT)


def read_level(r: Reader, node: Node | None, path: str) -> str | None:
    """A level as a code, or a located problem naming every accepted spelling."""
    return _read(r, node, path, level, LEVELS, level_hint)


def read_authority(r: Reader, node: Node | None, path: str) -> str | None:
    """A signing authority as a code, or a located problem naming the accepted spellings."""
    return _read(r, node, path, authority, AUTHORITIES, authority_hint)


def _read(r: Reader, node: Node | None, path: str, parse: Callable[[str], str | None],
          codes: tuple[str, ...], hint: Callable[[], str]) -> str | None:
    if node is None or node.value is None:
        return None
    found = parse(node.value) if isinstance(node.value, str) else None
    if found is None:
        r.error(node.location, _("{path}: expected one of {codes}; got {value} ({hint})").format(
            path=path, codes=", ".join(codes), value=describe(node.value), hint=hint()))
    return found


# -- dates -------------------------------------------------------------------------------------

class DateParts(NamedTuple):
    """A date as far as it is written: a draft's month leaves the day out."""

    year: int
    month: int
    day: int | None = None


class ImpossibleDate(ValueError):
    """A date in an accepted spelling that no calendar has (`31/02/2026`, `15/13/2026`)."""


DATE_HINT = N_("write it 15/01/2026, 2026-01-15, 'ngày 15 tháng 01 năm 2026', or 01/2026 "
               "(2026-01) when the day is not known yet")  # translate with _() where shown

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_LONG = re.compile(r"(?:ngay\s*(\d{1,2})\s+)?thang\s*(\d{1,2})\s+nam\s*(\d{4})")


def read_date(value: object) -> DateParts | None:
    """A plan date in any accepted spelling; None when it is written in none of them.

    Raises ImpossibleDate when the spelling is right but the day or month does not exist.
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return DateParts(value.year, value.month, value.day)
    if isinstance(value, bool) or not isinstance(value, str):
        return None
    text = fold(value).rstrip(".")
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        return _checked(int(match[3]), int(match[2]), int(match[1]))
    if match := _YEAR_MONTH_DAY.fullmatch(text):
        return _checked(int(match[1]), int(match[2]), int(match[3]))
    if match := _MONTH_YEAR.fullmatch(text):
        return _checked(int(match[2]), int(match[1]), None)
    if match := _YEAR_MONTH.fullmatch(text):
        return _checked(int(match[1]), int(match[2]), None)
    if match := _LONG.fullmatch(text):
        return _checked(int(match[3]), int(match[2]), int(match[1]) if match[1] else None)
    return None


def _checked(year: int, month: int, day: int | None) -> DateParts:
    if not 1 <= month <= 12:
        raise ImpossibleDate(_("there is no month {month}").format(month=month))
    if day is not None:
        # the day before the first of the next month is this month's last
        days = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        if not 1 <= day <= days:
            raise ImpossibleDate(
                _("month {month} of {year} has {days} days, not {day}").format(
                    month=month, year=year, days=days, day=day)
                if day else _("there is no day 0"))
    return DateParts(year, month, day)
