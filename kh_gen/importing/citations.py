"""Citations of legal documents: `<type> số <number> ngày <date> của <issuer> <summary>`.

A preamble cites its bases in running text ("Thực hiện Kế hoạch số 81/KH-UBND ngày 10/03/2023
của Ủy ban nhân dân thành phố về việc …"). Parsing a citation into its parts lets import link it
to the catalogue (same type, number and date) and lets rebase judge whether it is still valid.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .textutil import one_line, strip_end

TYPES = ("Nghị quyết liên tịch", "Thông tư liên tịch", "Chương trình hành động", "Bộ luật",
         "Hiến pháp", "Luật", "Pháp lệnh", "Nghị quyết", "Nghị định", "Quyết định", "Chỉ thị",
         "Thông tư", "Kế hoạch", "Kết luận", "Chương trình", "Công văn", "Hướng dẫn",
         "Thông báo", "Đề án", "Văn bản", "Quy định", "Quy chế", "Báo cáo", "Tờ trình")
LAWS = ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh")
_TYPE = "|".join(re.escape(t) for t in TYPES)
_DATE = (r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
         r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})")
_CITATION = re.compile(
    rf"^(?P<type>{_TYPE})\s+số\s+(?P<number>[^\s,;]+?)[,;]?"
    rf"(?:\s+ngày\s+(?:{_DATE}))?(?:\s*,?\s+(?:của|do)\s+(?P<rest>.+))?$", re.IGNORECASE | re.S)
_LAW = re.compile(rf"^(?P<type>{'|'.join(LAWS)})\s+(?P<name>.+?)(?:\s+ngày\s+(?:{_DATE}))?$",
                  re.S)
# Words that end an issuer's name and start the summary.
_LINKS = ("về việc", "về", "ban hành", "phê duyệt", "quy định", "hướng dẫn", "triển khai",
          "thực hiện", "tiếp tục", "sửa đổi", "bổ sung", "thành lập", "kiện toàn", "tăng cường",
          "đẩy mạnh", "tổ chức", "giao", "chỉ đạo", "công bố", "phân công", "ủy quyền")
_LINK = re.compile(r"\s*,\s*|\s+(?=(?:" + "|".join(re.escape(w) for w in _LINKS) + r")\b)")
_START = re.compile(rf"(?:^|(?<=[;,])\s*)(?=(?:{_TYPE})\s+số\b)")


@dataclass(frozen=True)
class Citation:
    type: str
    number: str
    date: dt.date | None
    issuer: str
    summary: str
    long_date: bool = False  # written "ngày 15 tháng 7 năm 2021"


def parse(text: str) -> Citation | None:
    """The parts of a citation, or None when `text` does not read as one."""
    text = strip_end(one_line(text))
    match = _CITATION.match(text)
    if match:
        kind = _canonical_type(match["type"])
        date, long_form = _date(match)
        issuer, summary = _issuer(match["rest"] or "")
        return Citation(kind, match["number"], date, issuer, summary, long_form)
    match = _LAW.match(text)
    if match:
        date, long_form = _date(match)
        return Citation(match["type"], "", date, "", match["name"], long_form)
    return None


def split(text: str) -> list[str]:
    """A run of citations ("Quyết định số …; Kế hoạch số …") cut into single ones; a cut is
    made only before `<type> số` after a comma or semicolon, so summaries stay whole."""
    text = one_line(text)
    cuts = [m.start() for m in _START.finditer(text) if m.start() > 0]
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return [strip_end(p.strip()) for p in pieces if strip_end(p.strip())]


def normal_number(number: str) -> str:
    """"76/NQCP" and "76/NQ-CP" compare equal: letters and digits only, upper case, Đ as D."""
    return re.sub(r"[^0-9A-Z]", "", number.upper().replace("Đ", "D"))


def _canonical_type(found: str) -> str:
    for kind in TYPES:
        if kind.casefold() == found.casefold():
            return kind
    return found


def _date(match: re.Match[str]) -> tuple[dt.date | None, bool]:
    day, month, year = match["d"], match["m"], match["y"]
    long_form = False
    if day is None and match["d2"] is not None:
        day, month, year, long_form = match["d2"], match["m2"], match["y2"], True
    if day is None:
        return None, False
    try:
        return dt.date(int(year), int(month), int(day)), long_form
    except ValueError:
        return None, long_form


def _issuer(rest: str) -> tuple[str, str]:
    rest = rest.strip()
    match = _LINK.search(rest)
    if not match or match.start() == 0:
        return rest, ""
    summary = rest[match.end():] if rest[match.start():match.end()].strip() == "," else \
        rest[match.start():].strip()
    return rest[:match.start()].strip(), summary.strip()
