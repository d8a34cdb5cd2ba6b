"""`kh-gen new`: a ready-to-edit form of a plan kind, for a level and year.

The kind's `kind.yaml` holds the starting sections, their headings and parts, the text to
start from and the candidate catalogue entries; here the candidates are checked against the
catalogue: a legal basis must be in force in the year and not replaced, an agency must exist at
that level on 1 January of that year, and an agency's duties must name no body abolished by
then. The form is written as YAML under a comment that tells the clerk what to do next.

What data cannot say is worked out here, so that the starting form reads as a plan a leader
could sign: the Nơi nhận names the implementing agencies the form assigns (a recipient list
typed in the kind would drift from them), and an abbreviation the chosen texts use ("CCHC") is
introduced at the first place the body spells it out, whichever catalogue texts were kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from .catalog import Agency, Catalog, Duty, LegalBasis, TaskDef
from .errors import Location
from .kinds import Kind
from .textrender import render_text
from .yamlsource import dump_yaml

LEVEL_UNITS = {"xa": ("xã", "phường", "đặc khu"), "tinh": ("tỉnh", "thành phố")}
# How a plan names the units below its issuer: a ward has khu phố and tổ dân phố, not the
# thôn and ấp of a commune.
_SUBUNITS = {"xã": "các thôn, ấp, khu phố", "phường": "các khu phố, tổ dân phố",
             "đặc khu": "các thôn, khu phố", "tỉnh": "các xã, phường, đặc khu",
             "thành phố": "các xã, phường, đặc khu"}

_COMMENT = """{name} năm {year} — {locality}
Biểu mẫu do "kh-gen new --kind {kind}" tạo. Sửa các dòng cần thiết, rồi chạy:
  kh-gen check <tệp này>     (kiểm tra, không ghi gì)
  kh-gen build <tệp này>     (viết tệp .docx cạnh tệp này)
Mỗi mục là "ref: <mã catalogue>" (lời chuẩn, tự điền tên địa phương và năm) hoặc lời của mình.
Không gõ số thứ tự (I., 1., a), -, +): kh-gen tự đánh số. Thêm, bớt, đổi tên, đổi thứ tự các
mục (sections) tùy kế hoạch; "part" cho biết mục đó giữ vai trò gì (xem docs/form.md).
issuer: locality = tên địa phương như viết trong văn bản; unit = văn bản tự gọi mình ("Ủy ban
nhân dân xã"); place = địa danh trước ngày tháng; province = tên tỉnh/thành phố.
Số và ngày: bỏ trống khi là dự thảo ("Số:      /KH-UBND"); khi đã có thì thêm
"number: 12" và "date: {year}-01-15".
Nơi nhận: cơ quan cấp trên, các cơ quan thực hiện (theo mục Tổ chức thực hiện) và dòng
"Lưu: VT, <đơn vị soạn thảo>"; thêm, bớt cho đúng nơi nhận thực tế.
signer: TM (Chủ tịch ký), KT (Phó Chủ tịch ký thay Chủ tịch); sửa tên người ký."""


def _first_day(year: int, agencies: list[Agency]) -> dt.date:
    """1 January of `year`, or, when none of the kind's bodies of this level exists then, the
    day the first of them begins within the year: the communes of the two-level government
    have their offices from 1 July 2025, so a commune's 2025 plan is dated from July."""
    january = dt.date(year, 1, 1)
    if not agencies or any(_valid_on(a, january) for a in agencies):
        return january
    later = sorted(a.valid_from for a in agencies if a.valid_from and a.valid_from.year == year)
    return later[0] if later else january


def _agency_ids(data: Any) -> Iterator[str]:
    """Every catalogue agency id a kind's starting form names, at any depth."""
    if isinstance(data, str):
        if data.startswith("agency."):
            yield data
    elif isinstance(data, Mapping):
        for value in data.values():
            yield from _agency_ids(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _agency_ids(value)


def _valid_on(entry: LegalBasis | Agency, day: dt.date) -> bool:
    return (entry.valid_from is None or entry.valid_from <= day) and \
        (entry.valid_to is None or entry.valid_to >= day)


def split_locality(locality: str, level: str) -> tuple[str, str]:
    """('xã', 'An Thới Đông') from 'xã An Thới Đông': the generic noun and the proper name."""
    lowered = locality.lower()
    for unit in LEVEL_UNITS[level]:
        if lowered.startswith(unit + " "):
            return unit, locality[len(unit) + 1:].strip()
    return LEVEL_UNITS[level][0], locality


def new_form(kind: Kind, level: str, locality: str, year: int, catalog: Catalog) -> str:
    """The starter form's YAML text."""
    return _Starter(kind, level, locality.strip(), year, catalog).text()


class _Starter:
    def __init__(self, kind: Kind, level: str, locality: str, year: int, catalog: Catalog):
        self.kind = kind
        self.level = level
        self.locality = locality
        self.year = year
        self.catalog = catalog
        self.unit, self.place = split_locality(locality, level)
        named = [a for i in _agency_ids(kind.starter)
                 if isinstance(a := catalog.get(i), Agency) and a.level == level]
        self.day = _first_day(year, named)
        self.values: dict[str, Any] = {
            "year": year, "last_year": year - 1, "locality": locality, "unit": self.unit,
            "parent": "tỉnh" if level == "xa" else "", "subunits": _SUBUNITS.get(self.unit, ""),
            "province": "" if level == "xa" else self.place, "issuer_name": "Ủy ban nhân dân"}
        self.implementers: list[str] = []  # agency names of the implementation sections
        self.task_agencies: list[str] = []  # and of the appendix tasks' lead and support
        agencies = [a for a in catalog.of_kind("agency") if isinstance(a, Agency)]
        title = self.fill(kind.title) or f"Kế hoạch năm {year}"
        self.values["title"] = title
        self.values["title_in_sentence"] = title[:1].lower() + title[1:]
        self.gone = {self.fill(a.name) for a in agencies if not self.valid(a)} - \
            {self.fill(a.name) for a in agencies if self.valid(a)}

    def fill(self, text: str) -> str:
        return render_text(str(text), self.values, Location(f"{self.kind.id}/kind.yaml"))

    def valid(self, entry: LegalBasis | Agency) -> bool:
        return _valid_on(entry, self.day)

    def by_level(self, value: Any) -> Any:
        """A value given per level (`xa: …`, `tinh: …`), or the same for both."""
        if isinstance(value, Mapping) and set(value) <= {"xa", "tinh"}:
            return value.get(self.level)
        return value

    def text(self) -> str:
        starter = self.kind.starter
        data: dict[str, Any] = {"kind": self.kind.id, "year": self.year}
        if self.day.month > 1:  # the level begins within the year: the plan cannot be earlier
            data["date"] = f"{self.day:%Y-%m}"
        data.update(issuer=self.issuer(), title=self.values["title"])
        opening = starter.get("opening")
        if isinstance(opening, Mapping):
            data["opening"] = {"lead": opening.get("lead", "Căn cứ"),
                               "bases": [{"ref": i} for i in self.bases(opening.get("bases"))]}
        data["sections"] = [self.section(s) for s in starter.get("sections") or ()]
        appendices = [a for s in starter.get("appendices") or () if (a := self.appendix(s))]
        closing = self.by_level(starter.get("closing"))
        if closing:
            data["closing"] = self.fill(closing)
        data["recipients"] = self.recipients()
        data["signer"] = {"authority": "TM", "title": "Chủ tịch", "name": "Nguyễn Văn A"}
        if appendices:
            data["appendices"] = appendices
        for short, long in (starter.get("abbreviations") or {}).items():
            self.introduce(data, str(short), str(long))
        comment = _COMMENT.format(name=self.kind.name, year=self.year,
                                  locality=self.locality, kind=self.kind.id)
        if "date" in data:
            comment += (f"\nCác cơ quan cấp này có từ ngày {self.day:%d/%m/%Y}, nên kế hoạch "
                        f"ghi\n\"date: {data['date']}\" (không sớm hơn ngày đó).")
        return dump_yaml(data, comment)

    def recipients(self) -> list[Any]:
        """The body above (from the kind), each implementing agency, then `Lưu: VT, <unit>`.

        The agencies are those the form's implementation sections name, so the list cannot
        drift from the plan; "Các cơ quan, đơn vị liên quan" stands in when there are none.
        """
        out: list[Any] = []
        for line in self.by_level(self.kind.starter.get("recipients")) or \
                (["UBND tỉnh"] if self.level == "xa" else ["Văn phòng Chính phủ"]):
            if isinstance(line, Mapping) and "ref" in line:
                if self.catalog.get(str(line["ref"])) is not None:
                    out.append({"ref": str(line["ref"])})
            elif isinstance(line, str):
                out.append(self.fill(line))
        out += list(dict.fromkeys(self.implementers + self.task_agencies))
        if not self.implementers:
            out.append("Các cơ quan, đơn vị liên quan")
        archive = self.by_level(self.kind.starter.get("archive"))
        out.append({"archive": self.fill(archive) if archive else "VT"})
        return out

    def rendered(self, item: Any) -> str | None:
        """The text an entry of the form prints: its own, or its catalogue entry's, filled."""
        if isinstance(item, str):
            return item
        if isinstance(item, Mapping):
            if isinstance(item.get("text"), str):
                return item["text"]
            entry = self.catalog.get(str(item.get("ref", "")))
            text = getattr(entry, "text", None)
            if isinstance(entry, Agency | TaskDef) or not isinstance(text, str):
                return None
            return self.fill(text)
        return None

    def entries(self, items: Any) -> Iterator[tuple[list[Any], int]]:
        """Every text entry of a list of section items, in reading order, with its place."""
        for index, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, Mapping) and "heading" in item:
                yield from self.entries(item.get("items"))
                continue
            if isinstance(item, Mapping) and str(item.get("ref", "")).startswith("agency."):
                yield from self.entries(item.get("duties"))
                continue
            yield items, index
            if isinstance(item, Mapping):
                yield from self.entries(item.get("items"))

    def introduce(self, data: dict[str, Any], short: str, long: str) -> None:
        """Spell out `short` as "long (short)" at the body's first mention of `long`.

        Only when some text of the plan uses the abbreviation: a reader meets the full words
        with the abbreviation once before any bare "CCHC". The first mention keeps its
        catalogue reference and gets the wording as its local `text:`.
        """
        places = list(self.entries(data["sections"]))
        texts = [self.rendered(items[i]) or "" for items, i in places]
        texts.append(str(data.get("closing", "")))
        used = re.compile(rf"(?<!\w){re.escape(short)}(?!\w)")
        if not any(used.search(t) for t in texts):
            return
        for items, index in places:
            text = self.rendered(items[index]) or ""
            if used.search(text.split(long, 1)[0]):
                return  # used before it is spelt out: leave it to the clerk
            if long in text:
                worded = text.replace(long, f"{long} ({short})", 1)
                item = items[index]
                if isinstance(item, str):
                    items[index] = worded
                else:
                    items[index] = {**item, "text": worded}
                return

    def issuer(self) -> dict[str, Any]:
        issuer: dict[str, Any] = {"locality": self.locality, "level": self.level,
                                  "unit": self.unit, "place": self.place}
        if self.level == "xa":
            issuer.update(parent="tỉnh", subunits=self.values["subunits"], province="")
        else:
            issuer.update(subunits=self.values["subunits"], province=self.place)
        return issuer

    def bases(self, candidates: Any) -> list[str]:
        return [i for i in candidates or () if isinstance(b := self.catalog.get(i), LegalBasis)
                and self.valid(b) and b.replaced_by is None and
                (b.date is None or b.date < self.day)]

    def pick(self, ids: Any) -> list[str]:
        return [i for i in ids or () if self.catalog.get(i) is not None]

    def section(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if spec.get("heading"):
            out["heading"] = self.fill(spec["heading"])
        for key in ("part", "style"):
            if spec.get(key):
                out[key] = spec[key]
        items: list[Any] = [{"ref": i} for i in self.pick(spec.get("refs"))]
        items += [self.fill(t) for t in self.by_level(spec.get("text")) or ()]
        items += self.roles(self.by_level(spec.get("agencies")) or ())
        items += [self.section(s) for s in spec.get("items") or ()]
        out["items"] = items
        return out

    def roles(self, candidates: Any) -> list[dict[str, Any]]:
        """Agencies with their duties: all the catalogue's for the kind, or those the kind lists.

        A kind lists an agency's duties (`{agency: id, duties: [duty id or text]}`) when the
        catalogue's set does not fit a plan of this level and year: a lead unit that must lead,
        monitor and report, or a duty written for one province.
        """
        out: list[dict[str, Any]] = []
        for spec in candidates:
            listed = spec.get("duties") if isinstance(spec, Mapping) else None
            agency_id = str(spec.get("agency") if isinstance(spec, Mapping) else spec)
            agency = self.catalog.get(agency_id)
            if not isinstance(agency, Agency) or agency.level != self.level or \
                    not self.valid(agency):
                continue
            role: dict[str, Any] = {"ref": agency_id}
            if listed is not None:
                duties = [d for d in (self.duty(x) for x in listed) if d is not None]
                if not duties:
                    continue
                role["duties"] = duties
            else:
                catalogued = self.catalog.duties_of(agency_id, self.kind.id)
                kept = [d.id for d in catalogued if not self.names_gone(d.text)]
                if not kept:
                    continue
                if len(kept) != len(catalogued):
                    role["duties"] = [{"ref": d} for d in kept]
            self.implementers.append(self.fill(agency.name))
            out.append(role)
        return out

    def duty(self, spec: Any) -> Any:
        """A listed duty: a catalogue reference (`duty.…`) or a text; None when it names a body
        abolished by the plan's year, or is not in the catalogue."""
        spec = str(spec)
        if spec.startswith("duty."):
            entry = self.catalog.get(spec)
            if not isinstance(entry, Duty) or self.names_gone(entry.text):
                return None
            return {"ref": spec}
        text = self.fill(spec)
        return None if self.names_gone(text) else text

    def names_gone(self, text: str) -> bool:
        filled = self.fill(text)
        return any(name in filled for name in self.gone)

    def agency_name(self, agency_id: Any) -> str | None:
        agency = self.catalog.get(str(agency_id)) if agency_id else None
        return self.fill(agency.name) if isinstance(agency, Agency) else None

    def agency_names(self, ids: Any) -> str | list[str] | None:
        """One agency's name, or several (a list, written one per line in the table)."""
        if isinstance(ids, list):
            names = [n for n in (self.agency_name(i) for i in ids) if n]
            return names if len(names) > 1 else (names[0] if names else None)
        return self.agency_name(ids)

    def appendix(self, spec: Mapping[str, Any]) -> dict[str, Any] | None:
        leads = self.by_level(spec.get("leads")) or {}
        lead = self.agency_name(leads.get("lead"))
        support = self.agency_names(leads.get("support"))
        monitor = self.agency_name(self.by_level(spec.get("monitor")))
        time = self.fill(spec["time"]) if spec.get("time") else None
        tasks: list[Any] = []
        for task_id in self.pick(spec.get("refs")):
            if not isinstance(self.catalog.get(task_id), TaskDef):
                continue
            task: dict[str, Any] = {"ref": task_id}
            if lead:
                task["lead"] = lead
            if support:
                task["support"] = support
            if time:
                task["time"] = time
            tasks.append(task)
        tasks += [self.task(t, lead, support, monitor) for t in spec.get("tasks") or ()]
        if not tasks:
            return None
        for names in (lead, support, monitor):
            self.task_agencies += [names] if isinstance(names, str) else names or []
        return {"tasks": tasks}

    def task(self, spec: Mapping[str, Any], lead: str | None, support: Any,
             monitor: str | None) -> dict[str, Any]:
        if "group" in spec:
            return {"group": self.fill(spec["group"]),
                    "tasks": [self.task(t, lead, support, monitor) for t in
                              spec.get("tasks") or ()]}
        out = {k: self.fill(v) for k, v in spec.items() if isinstance(v, str)}
        for key, value in (("lead", lead), ("support", support), ("monitor", monitor)):
            if value and key not in out:
                out[key] = value
        order = ("task", "product", "time", "lead", "support", "monitor")
        return {k: out[k] for k in order if k in out} | \
            {k: v for k, v in out.items() if k not in order}
