"""The blocks around the body: the header, the title, the recipients and the signature.

These blocks are laid out as tables or as paragraphs with tabs, in whatever order the layout
gives when read cell by cell, so each piece of text is recognised by what it says (`Số: …`,
`…, ngày … tháng … năm …`, `TM.`, `KT.`, `Nơi nhận:`), never by where it stands.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..errors import Location
from ..i18n import _
from .draft import DEntry, DIssuer, DSigner
from .report import Report
from .textutil import (
    UNIT_NOUNS,
    capitalise_words,
    is_upper,
    key,
    one_line,
    split_unit,
    strip_end,
    title_of_office,
)

_NUMBER = re.compile(r"^\s*Số\s*:?\s*(?P<number>\d*)\s*[/.…_ ]*\s*/?\s*(?P<type>[A-ZĐ]+)\s*-\s*"
                     r"(?P<code>[A-ZĐ&][\w&.-]*)", re.IGNORECASE)
_DATELINE = re.compile(r"^(?P<place>[^,]{2,60}?)\s*,\s*ngày\s*(?P<d>\d{1,2})?[\s._…/]*"
                       r"tháng\s*(?P<m>\d{1,2})?[\s._…/]*năm\s*(?P<y>\d{4})", re.IGNORECASE)
_DATE_ONLY = re.compile(r"ngày\s*(?P<d>\d{1,2})?[\s._…/]*tháng\s*(?P<m>\d{1,2})?[\s._…/]*năm\s*"
                        r"(?P<y>\d{4})", re.IGNORECASE)
_AUTHORITY = re.compile(r"^(?P<mark>T\s*/?\s*M|K\s*/?\s*T|TUQ|T\s*/?\s*L|Q)\s*[.:]\s*(?P<rest>.*)$")
_SIGNED = re.compile(r"^\(?\s*(đã ký|ký|ký tên|ký, ghi rõ họ tên|ký tên, đóng dấu|đã ký và "
                     r"đóng dấu)[^)]*\)?$", re.IGNORECASE)
_CENTRAL_CITIES = ("hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế")
_LEVEL_OF = {"tỉnh": "tinh", "quận": "huyen", "huyện": "huyen", "thị xã": "huyen",
             "xã": "xa", "phường": "xa", "thị trấn": "xa", "đặc khu": "xa"}


@dataclass
class Header:
    issuer_lines: list[str] = field(default_factory=list)
    number: str | None = None
    code: str | None = None
    place: str | None = None
    date: tuple[int, int | None, int | None] | None = None
    seen_number: bool = False


def segments(text: str) -> list[str]:
    """A line of a block laid out with tabs or runs of spaces, cut into its pieces."""
    return [one_line(p) for p in re.split(r"\t+| {3,}|\n", text) if one_line(p)]


_MOTTO = re.compile(r"\s+(?=(?:CỘNG HÒA|CỘNG HOÀ|Cộng hòa|Cộng hoà) (?:XÃ HỘI|xã hội)|"
                    r"Độc lập\s*[-–]\s*Tự do)")


def read_header(lines: list[tuple[str, Location]], report: Report) -> Header:
    """The issuer's lines, the number and the dateline. A copy that lost the layout (a PDF's
    text) runs the two columns into one line: "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI …", "Số:
    15/KH-UBND An Thới Đông, ngày …"; they are cut apart again."""
    header = Header()
    for text, where in lines:
        queue = [p for piece in segments(text) for p in _MOTTO.split(piece) if p.strip()]
        while queue:
            piece = queue.pop(0).strip()
            folded = key(piece)
            if folded.startswith(("cộng hòa xã hội", "độc lập tự do")):
                continue
            if re.fullmatch(r"[\W_]+", piece):
                continue
            match = _NUMBER.match(piece)
            if match and folded.startswith("số"):
                header.seen_number = True
                header.number = match["number"] or None
                header.code = match["code"].rstrip(".")
                rest = piece[match.end():].strip()
                if rest:  # the dateline run into the number's line
                    queue.insert(0, rest)
                continue
            match = _DATELINE.match(piece)
            if match:
                header.place = one_line(match["place"])
                header.date = _date(match)
                continue
            if folded in ("dự thảo", "bản dự thảo") or folded.startswith("dự thảo"):
                report.add(where, "left-out", _("'{text}': kh-gen marks no draft; a form "
                                                "without number and date is a draft")
                           .format(text=piece))
                continue
            if is_upper(piece) and not header.seen_number:
                header.issuer_lines.append(piece)
                continue
            report.add(where, "left-out", _("header text '{text}' has no place in a form")
                       .format(text=piece))
    return header


def _date(match: re.Match[str]) -> tuple[int, int | None, int | None]:
    month = int(match["m"]) if match["m"] else None
    day = int(match["d"]) if match["d"] and month else None
    if month is not None and not 1 <= month <= 12:
        month = day = None
    if day is not None and not 1 <= day <= 31:
        day = None
    return int(match["y"]), month, day


def date_in(text: str) -> tuple[int, int | None, int | None] | None:
    match = _DATE_ONLY.search(text)
    return _date(match) if match else None


# -- the closing block --------------------------------------------------------------------


@dataclass
class Closing:
    recipients: list[DEntry] = field(default_factory=list)
    archive: str | None = None
    signer: DSigner = field(default_factory=DSigner)
    found_signer: bool = False
    body: str = ""  # the body named in "TM. ỦY BAN NHÂN DÂN …"


def read_closing(lines: list[tuple[str, Location]], report: Report) -> Closing:
    """Recipients, the `Lưu:` line, the signing authority, the title and the name."""
    out = Closing()
    marks: list[tuple[str, str]] = []
    titles: list[str] = []
    names: list[tuple[str, Location]] = []
    in_recipients = False
    for text, where in lines:
        for piece in _closing_pieces(text):
            folded = key(piece)
            if folded.startswith("nơi nhận"):
                in_recipients = True
                rest = piece.split(":", 1)[1].strip() if ":" in piece else ""
                if rest:
                    _recipient(rest, where, out)
                continue
            match = _AUTHORITY.match(piece)
            if match and is_upper(match["rest"] or "X"):
                mark = re.sub(r"[\s/]", "", match["mark"]).upper()
                marks.append((mark, match["rest"].strip()))
                in_recipients = False
                continue
            if _SIGNED.match(piece) or re.fullmatch(r"[\W_]+", piece):
                continue
            if piece.lstrip().startswith(("-", "+", "•", "–")) or (
                    in_recipients and not is_upper(piece) and not _is_name(piece)):
                _recipient(piece, where, out)
                continue
            if is_upper(piece) and not _is_name(piece) and len(piece.split()) <= 8:
                titles.append(piece)
                in_recipients = False
                continue
            if _is_name(piece):
                names.append((piece, where))
                continue
            report.add(where, "unclassified", _("'{text}' in the closing block is not a "
                                                "recipient, authority or name; left out")
                       .format(text=piece[:60]))
    _signer(out, marks, titles, names, report, lines[0][1] if lines else None)
    return out


# a signing mark inside a line: "Nơi nhận: TM. ỦY BAN NHÂN DÂN"
_MARK_INSIDE = re.compile(r"\s+(?=(?:TM|KT|TUQ|TL|Q)\.\s*\S)")


def _closing_pieces(text: str) -> list[str]:
    """A line of the closing block cut into what stands in each column.

    A copy that lost the layout (text from a PDF or a web page) runs the recipients' column
    and the signature's into one line: "Nơi nhận: TM. ỦY BAN NHÂN DÂN", "- UBND Thành phố;
    CHỦ TỊCH", "- Lưu: VT, VP. Nguyễn Thị Hồng"; they are cut apart again. A recipient's line
    ends with ';' or '.', so what follows it in capitals (a title) or as a person's name is the
    other column's.
    """
    out: list[str] = []
    for piece in segments(text):
        for part in _MARK_INSIDE.split(piece):
            out += _tail_cut(part)
    return out


def _tail_cut(piece: str) -> list[str]:
    if not piece.lstrip().startswith(("-", "+", "•", "–")):
        return [piece]
    for end in ("; ", ". "):
        head, found, tail = piece.rpartition(end)
        if found and (_is_name(tail) or (is_upper(tail) and len(tail.split()) <= 8
                                         and not tail.lstrip().startswith(("-", "+")))):
            return [head + end.strip(), tail]
    return [piece]


def _recipient(text: str, where: Location, out: Closing) -> None:
    pieces = re.split(r"(?<=;)\s*(?=[-–•+]\s)", text.strip())
    if len(pieces) > 1:  # lines a manual break joined in a table cell: "- A; - B;"
        for piece in pieces:
            _recipient(piece, where, out)
        return
    text = re.sub(r"^[-+•–]\s*", "", text.strip())
    text = strip_end(text, ".;,")
    if not text:
        return
    folded = key(text)
    if folded.startswith("lưu"):
        archive = text.split(":", 1)[1].strip() if ":" in text else text[3:].strip()
        out.archive = strip_end(archive) or "VT"
        return
    out.recipients.append(DEntry(text, where))


def _is_name(text: str) -> bool:
    """A person's name: two to six words, each capitalised (or all in capitals)."""
    parts = text.split()
    if not 2 <= len(parts) <= 6 or any(not p[:1].isalpha() for p in parts):
        return False
    if re.search(r"[:;,.()\d]", text):
        return False
    if key(text).startswith(("ủy ban", "chủ tịch", "phó chủ tịch", "giám đốc", "trưởng",
                             "chánh", "phó")):
        return False
    return all(p[:1].isupper() for p in parts)


def _signer(out: Closing, marks: list[tuple[str, str]], titles: list[str],
            names: list[tuple[str, Location]], report: Report, where: Location | None) -> None:
    signer = out.signer
    kinds = [m for m, _rest in marks]
    for mark, rest in marks:
        if mark == "TM":
            out.body = rest
    deputy_marks = [(m, r) for m, r in marks if m in ("KT", "TL", "TUQ", "Q")]
    # "KT. CHỦ TỊCH" with no "TM. ỦY BAN NHÂN DÂN" above it: signed for the head personally
    signer.collective = "TM" in kinds or not deputy_marks
    title = title_of_office(titles[-1]) if titles else ""
    if deputy_marks:
        mark, rest = deputy_marks[-1]
        signer.authority = mark
        if mark == "Q":
            signer.title = title_of_office(rest) if rest else title or "Chủ tịch"
        else:
            signer.principal = title_of_office(rest) if rest else "Chủ tịch"
            signer.title = title or f"Phó {signer.principal}"
            if mark == "KT" and not signer.title.lower().startswith("phó"):
                report.add(where, "guess", _("KT. with the title '{title}': a deputy signs "
                                             "KT., so the title is written '{written}'")
                           .format(title=signer.title, written=f"Phó {signer.title}"))
                signer.title = f"Phó {signer.title}"
    elif "TM" in kinds or titles:
        signer.authority = "TM"
        signer.title = title or "Chủ tịch"
        if signer.title.lower().startswith("phó"):
            signer.authority = "KT"
            report.add(where, "guess", _("'{title}' signs without KT.; written as "
                                         "KT. {principal}")
                       .format(title=signer.title, principal=signer.principal.upper()))
    if names:
        name, _where = names[-1]
        signer.name = capitalise_words(name) if is_upper(name) else name
        out.found_signer = True
    else:
        signer.name = "……"
        report.add(where, "guess", _("no signer's name found; the form says '……': write the "
                                     "name of who signs"))


# -- who issues the plan --------------------------------------------------------------------

_UNIT_WORD = re.compile(r"(?<!\w)(" + "|".join(n.replace(" ", r"\s+") for n in UNIT_NOUNS)
                        + r")\s+", re.IGNORECASE)
_ISSUER_WORDS = re.compile(r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Named:
    """A unit named in text: "quận Dương Kinh" → unit "quận", name "Dương Kinh"."""

    unit: str
    name: str
    start: int

    @property
    def text(self) -> str:
        return f"{self.unit} {self.name}".strip()


def localities(text: str) -> list[Named]:
    """Every "<unit noun> <Proper Name>" in `text` (the name's words capitalised, or a number
    as in "Quận 3")."""
    out = []
    for match in _UNIT_WORD.finditer(text):
        name = _proper_name(text[match.end():match.end() + 120])
        if name:
            out.append(Named(" ".join(match[1].split()), name, match.start()))
    return out


def _proper_name(text: str) -> str:
    words: list[str] = []
    for token in text.split()[:6]:
        core = token.strip("“”\"'(")
        core_end = core.rstrip(",.;:)”\"'")
        if not core_end:
            break
        if core_end[0].isupper() or (not words and core_end.isdigit()):
            words.append(core_end)
            if core_end != core:
                break
            continue
        break
    return " ".join(words)


def infer_issuer(header: Header, enacting: str, title: str, body: str, closing_body: str,
                 year: int, report: Report) -> DIssuer:
    """The issuer's locality, level, unit, place and the names a catalogue text may use."""
    issuer = DIssuer()
    issuer.code = (header.code or "UBND").upper()
    locality = ""
    lines = header.issuer_lines
    if len(lines) >= 2 and _COMMITTEE.search(" ".join(lines[:-1])) and \
            not _COMMITTEE.search(lines[-1]) and not _UNIT_WORD.match(lines[-1]):
        # "UBND TỈNH ĐỒNG NAI" / "SỞ NỘI VỤ": a body under its governing committee, which
        # signs in its own name (its head, not "TM. …")
        issuer.governing_body = " ".join(lines[:-1])
        issuer.name = _cased_name(lines[-1], f"{enacting} {title} {body}")
        issuer.collective = False
        lines = lines[:-1]
    joined = " ".join(lines)
    match = re.search(r"(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND)\s+(?P<loc>.+)$", joined)
    if match and _UNIT_WORD.match(match["loc"]):
        locality = _cased(match["loc"], body)
        before = joined[:match.start()].strip()
        if before and issuer.collective:
            report.add(None, "left-out", _("'{text}' above the issuer: a People's Committee "
                                           "has no governing body line (Nghị định 30)")
                       .format(text=before))
    elif header.issuer_lines:
        found = [n for n in localities(capitalise_words(joined))]
        if found:
            locality = _cased(found[-1].text, body)
            issuer.name = _issuer_name(header.issuer_lines, found[-1].name)
    if not locality:
        for text in (enacting, title, closing_body):
            named = _issuer_locality(text) or next(
                (n for n in localities(text) if n.unit.islower()), None)
            if named:
                locality = named.text
                break
    if not locality and header.place:
        unit, name = split_unit(header.place)
        if unit:
            locality = _cased(header.place, body)
        else:
            counts = Counter(n.unit.lower() for n in localities(body) if n.name == name)
            if counts:
                locality = f"{counts.most_common(1)[0][0]} {name}"
    if not locality:
        counts = Counter(n.text for n in localities(body) if n.unit.islower())
        if counts:
            locality = counts.most_common(1)[0][0]
            report.add(None, "guess", _("the issuer's locality was not written in the "
                                        "header; took '{locality}', the one the text names "
                                        "most").format(locality=locality))
        else:
            locality = "……"
            report.add(None, "guess", _("the issuer's locality was not found; the form says "
                                        "'……'"))
    unit, name = split_unit(locality)
    unit_key = " ".join(unit.lower().split())
    if unit and not name[:1].isdigit():
        locality = f"{unit_key} {name}"
    issuer.locality = locality
    issuer.place = header.place or name or locality
    issuer.unit = _unit_casing(unit_key, body) if unit_key else locality
    issuer.level = _level(unit_key, name, body, year, header.date)
    issuer.parent = _parent(issuer, body)
    issuer.subunits = _subunits(body)
    issuer.province = _province(issuer, name, body)
    return issuer


def _issuer_locality(text: str) -> Named | None:
    """The locality in "Ủy ban nhân dân quận Dương Kinh ban hành …"."""
    for match in _ISSUER_WORDS.finditer(text):
        found = localities(text[match.end():match.end() + 120])
        if found and found[0].start == 0:
            return found[0]
    return None


def _cased(upper: str, body: str) -> str:
    """"QUẬN DƯƠNG KINH" as the text writes it ("quận Dương Kinh")."""
    wanted = key(upper)
    for named in localities(body):
        if key(named.text) == wanted:
            return named.text
    unit, name = split_unit(one_line(upper))
    if unit:
        return f"{unit.lower()} {capitalise_words(name)}"
    return capitalise_words(upper)


_COMMITTEE = re.compile(r"ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|\bUBND\b", re.IGNORECASE)


def _cased_name(upper: str, text: str) -> str:
    """"SỞ NỘI VỤ" as the plan's text writes it ("Sở Nội vụ"), else in sentence case."""
    wanted = key(upper)
    found = re.search(re.escape(one_line(upper)), text, re.IGNORECASE)
    if found and key(found[0]) == wanted:
        return found[0]
    return upper[:1] + upper[1:].lower()


def _issuer_name(lines: list[str], name: str) -> str:
    for line in lines:
        if key(name) not in key(line):
            return line[:1] + line[1:].lower()
    return "Ủy ban nhân dân"


def _unit_casing(unit: str, body: str) -> str:
    """"quận", or "Thành phố" when the plan writes "Ủy ban nhân dân Thành phố"."""
    counts: Counter[str] = Counter()
    capital = unit[:1].upper() + unit[1:]
    for match in _ISSUER_WORDS.finditer(body):
        after = body[match.end():match.end() + len(unit) + 40]
        for form in (unit, capital):
            if after.startswith(form) and not _proper_name(after[len(form):]):
                counts[form] += 1
    return capital if counts[capital] > counts[unit] else unit


def _level(unit: str, name: str, body: str, year: int,
           date: tuple[int, int | None, int | None] | None) -> str:
    if unit in _LEVEL_OF:
        return _LEVEL_OF[unit]
    if unit == "thành phố":
        after_reform = (date or (year, 1, 1)) >= (2025, 7, 1) or year >= 2026
        if key(name) in _CENTRAL_CITIES or after_reform:
            return "tinh"
        lower = body.lower()
        province_signs = lower.count("quận, huyện") + lower.count("sở, ban, ngành")
        district_signs = lower.count("xã, phường") + lower.count("phòng nội vụ")
        return "tinh" if province_signs > district_signs else "huyen"
    return "xa"


def _parent(issuer: DIssuer, body: str) -> str:
    if issuer.level == "tinh":
        return ""
    own = issuer.unit.lower()
    counts: Counter[str] = Counter()
    for match in _ISSUER_WORDS.finditer(body):
        after = body[match.end():match.end() + 60]
        unit = _UNIT_WORD.match(after)
        if unit and not _proper_name(after[unit.end():]):
            word = " ".join(unit[1].split())
            if word.lower() != own and word.islower():
                counts[word] += 1
    return counts.most_common(1)[0][0] if counts else ""


def _subunits(body: str) -> str:
    nouns = "|".join(n.replace(" ", r"\s+") for n in UNIT_NOUNS)
    pattern = re.compile(rf"(?:Ủy ban nhân dân|UBND)\s+(các\s+(?:{nouns})"
                         rf"(?:\s*(?:,|và)\s*(?:{nouns}))*)(?!\w)")
    counts = Counter(one_line(m[1]) for m in pattern.finditer(body))
    return counts.most_common(1)[0][0] if counts else ""


def _province(issuer: DIssuer, name: str, body: str) -> str:
    if issuer.level == "tinh":
        return name
    counts: Counter[str] = Counter()
    for named in localities(body):
        if named.unit.lower() in ("tỉnh", "thành phố") and named.name != name:
            counts[named.name] += 1
    return counts.most_common(1)[0][0] if counts else ""
