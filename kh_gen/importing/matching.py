"""Linking imported text to the catalogue: a paragraph the catalogue already holds becomes `ref:`.

Every catalogue text is filled with the imported plan's own values (year, locality, unit …, as
`plan.template_values` gives a form) and compared with the plan's paragraph: the same words →
`ref:` alone; nearly the same (a few words differ) → `ref:` with the plan's wording kept as
`text:`, so the rebuilt plan says exactly what the original said. A legal basis is linked when
its composed citation is the plan's, or when type, number and date agree. Agencies are linked
by their canonical name; tasks by their name, with every field that differs kept as an override.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..catalog import Agency, Catalog, CatalogEntry, Duty, LegalBasis, TaskDef, TextEntry, TextItem
from ..dates import citation_date
from ..errors import KhGenError, Location
from ..i18n import _, ngettext, number
from ..textrender import render_text
from . import citations
from .draft import DAgency, DBasis, DEntry, Draft, DSection, DTask
from .report import Report
from .textutil import key, one_line

try:
    from ..plan import LAW_TYPES
except ImportError:  # pragma: no cover - older core without laws cited by name
    LAW_TYPES = ("Luật", "Bộ luật", "Hiến pháp")

CLOSE = 0.85  # share of words in common for "nearly the same"
_FUZZY_BUDGET = 400  # entries per list beyond which only exact matches are tried

_LISTS = (("objectives", ("objective",)), ("requirements", ("requirement",)),
          ("audience", ("audience",)), ("contents", ("content",)), ("forms", ("channel",)),
          ("funding", ("funding",)))


def context(draft: Draft) -> dict[str, Any]:
    """The values a catalogue text is filled with, as `plan.template_values` gives them."""
    issuer = draft.issuer
    return {"year": draft.year, "last_year": draft.year - 1, "locality": issuer.locality,
            "unit": issuer.unit, "parent": issuer.parent, "subunits": issuer.subunits,
            "province": issuer.province}


def paragraphs_key(text: str) -> str:
    return "\n\n".join(one_line(p) for p in text.split("\n\n") if p.strip())


@dataclass
class _Candidate:
    entry: CatalogEntry
    text: str
    items: tuple[Any, ...]
    words: list[str]

    def __post_init__(self) -> None:
        self.key = paragraphs_key(self.text)


class Matcher:
    def __init__(self, catalog: Catalog, values: dict[str, Any]):
        self.catalog = catalog
        self.values = values
        self._index: dict[str, list[_Candidate]] = {}
        self._exact: dict[tuple[str, ...], dict[str, list[_Candidate]]] = {}

    def fill(self, text: str) -> str | None:
        try:
            return render_text(text, self.values, Location("catalogue"))
        except KhGenError:
            return None

    def candidates(self, kind: str) -> list[_Candidate]:
        if kind not in self._index:
            out = []
            for entry in self.catalog.of_kind(kind):
                if isinstance(entry, TextEntry | Duty):
                    text = self.fill(entry.text)
                    items = tuple(self._item(i) for i in entry.items)
                    if text is not None and None not in items:
                        out.append(_Candidate(entry, text, items, key(text).split()))
                elif isinstance(entry, TaskDef):
                    name = self.fill(entry.name)
                    if name is not None:
                        out.append(_Candidate(entry, name, (), key(name).split()))
            self._index[kind] = out
        return self._index[kind]

    def _item(self, item: TextItem) -> Any:
        text = self.fill(item.text)
        subs = tuple(self._item(i) for i in item.items)
        return None if text is None or None in subs else (paragraphs_key(text), subs)

    def best(self, text: str, kinds: Iterable[str], fuzzy: bool = True,
             prefer: str | None = None) -> tuple[_Candidate, bool] | None:
        """The catalogue entry saying `text` (exact → True) or nearly saying it (→ False)."""
        wanted = paragraphs_key(text)
        kinds = tuple(kinds)
        pool = [c for kind in kinds for c in self.candidates(kind)]
        if kinds not in self._exact:
            table: dict[str, list[_Candidate]] = {}
            for candidate in pool:
                table.setdefault(candidate.key, []).append(candidate)
            self._exact[kinds] = table
        exact = list(self._exact[kinds].get(wanted, ()))
        if exact:
            exact.sort(key=lambda c: c.entry.id != prefer if prefer else False)
            return exact[0], True
        if not fuzzy:
            return None
        words = key(text).split()
        found: tuple[float, _Candidate] | None = None
        for candidate in pool:
            size = max(len(words), len(candidate.words), 1)
            if abs(len(words) - len(candidate.words)) > size * (1 - CLOSE):
                continue
            matcher = difflib.SequenceMatcher(None, words, candidate.words, autojunk=False)
            if matcher.real_quick_ratio() < CLOSE or matcher.quick_ratio() < CLOSE:
                continue
            ratio = matcher.ratio()
            if ratio >= CLOSE and (found is None or ratio > found[0]):
                found = (ratio, candidate)
        return (found[1], False) if found else None


def match_catalogue(draft: Draft, catalog: Catalog, report: Report) -> list[tuple[str, str]]:
    """Mark what the catalogue holds as references; return what went where, per part."""
    matcher = Matcher(catalog, context(draft))
    placed: list[tuple[str, str]] = []
    issuer = draft.issuer
    placed.append((_("issuer"), _("{name} {locality} (level {level}, unit '{unit}', place "
                                  "'{place}')").format(
        name=issuer.name, locality=issuer.locality, level=issuer.level, unit=issuer.unit,
        place=issuer.place)))
    date = draft.date
    shown = "-".join(f"{x:02d}" for x in date if x) if date else ""
    if draft.number:
        when = _("number {number}, {date}, year {year}") if date else \
            _("number {number}, no date, year {year}")
    else:
        when = _("draft (no number), {date}, year {year}") if date else \
            _("draft (no number), no date, year {year}")
    placed.append((_("number, date"), when.format(number=draft.number, date=shown,
                                                  year=draft.year)))
    placed.append((_("title"), " / ".join(draft.title)))
    linked = _bases(draft, matcher)
    if draft.opening:
        bases = len(draft.bases)
        opening = ngettext(
            "{style} style, lead '{lead}', {count} basis ({linked} linked to the catalogue), "
            "enacting sentence",
            "{style} style, lead '{lead}', {count} bases ({linked} linked to the catalogue), "
            "enacting sentence", bases) if draft.enacting else ngettext(
            "{style} style, lead '{lead}', {count} basis ({linked} linked to the catalogue)",
            "{style} style, lead '{lead}', {count} bases ({linked} linked to the catalogue)",
            bases)
        placed.append((_("opening"), opening.format(style=draft.opening_style, lead=draft.lead,
                                                    count=number(bases),
                                                    linked=number(linked))))
    else:
        placed.append((_("opening"), _("none")))
    linked_entries = _sections(draft, matcher)
    if linked_entries:
        placed.append((_("catalogue"), ngettext(
            "{count} entry of the sections linked (ref:)",
            "{count} entries of the sections linked (ref:)", linked_entries).format(
            count=number(linked_entries))))
    if draft.closing:
        state = _link_entry(draft.closing, ("closing",), matcher, True)
        placed.append((_("closing"), _("from the catalogue") if state != "free" else
                       _("free text")))
    else:
        placed.append((_("closing"), _("none (the plan has no 'Trên đây là …' sentence)")))
    stats = [_link_entry(r, ("recipient",), matcher, False) for r in draft.recipients]
    recipients = _summary(draft.recipients, stats)
    if draft.archive:
        recipients = _("{recipients}, archive 'Lưu: {archive}'").format(
            recipients=recipients, archive=draft.archive)
    placed.append((_("recipients"), recipients))
    signer = draft.signer
    signed = f"{signer.authority}. {signer.title}, {signer.name}"
    if not draft.issuer.collective and signer.authority == "TM":
        signed = _("{title}, {name} (the head of {body} signs in its own name: no 'TM.' "
                   "line)").format(title=signer.title, name=signer.name, body=draft.issuer.name)
    elif not signer.collective or not draft.issuer.collective:
        signed = _("{signer} (for the head personally: no 'TM.' line)").format(signer=signed)
    placed.append((_("signer"), signed))
    return placed


def _sections(draft: Draft, matcher: Matcher) -> int:
    """Link the entries of the sections whose part is known (objectives, requirements …)
    to the catalogue; an entry keeps the plan's wording when it differs."""
    parts = dict(_LISTS)
    linked = 0
    stack = [*draft.sections, *(s for a in draft.appendices for s in a.sections)]
    while stack:
        section = stack.pop(0)
        stack[0:0] = [i for i in section.items if isinstance(i, DSection)]
        if section.part == "implementation":
            linked += sum(_link_agency(a, matcher, draft) for a in section.items
                          if isinstance(a, DAgency))
        kinds = parts.get(section.part or "")
        if kinds is None:
            continue
        entries = [i for i in section.items if isinstance(i, DEntry)]
        fuzzy = len(entries) <= _FUZZY_BUDGET
        linked += sum(_link_entry(e, kinds, matcher, fuzzy) != "free" for e in entries)
    return linked


def _summary(entries: list[DEntry], stats: list[str]) -> str:
    refs = sum(1 for s in stats if s != "free")
    local = sum(1 for s in stats if s == "override")
    text = ngettext("{count} entry", "{count} entries", len(entries)).format(
        count=number(len(entries)))
    if refs and local:
        return _("{entries} ({refs} from the catalogue, {local} with local wording)").format(
            entries=text, refs=number(refs), local=number(local))
    if refs:
        return _("{entries} ({refs} from the catalogue)").format(entries=text,
                                                                  refs=number(refs))
    return text


def _link_entry(entry: DEntry, kinds: tuple[str, ...], matcher: Matcher, fuzzy: bool,
                prefer_agency: str | None = None) -> str:
    """Link one entry: "exact", "override" or "free"."""
    found = matcher.best(entry.text, kinds, fuzzy)
    if prefer_agency and found is not None:
        entry_agency = getattr(found[0].entry, "agency", None)
        if entry_agency != prefer_agency:
            preferred = [c for c in matcher.candidates("duty")
                         if getattr(c.entry, "agency", None) == prefer_agency
                         and paragraphs_key(c.text) == paragraphs_key(entry.text)]
            if preferred:
                found = (preferred[0], True)
    if found is None:
        return "free"
    candidate, exact = found
    own = tuple(_entry_key(i) for i in entry.items[:len(candidate.items)])
    if candidate.items and own != candidate.items:
        return "free"
    entry.ref = candidate.entry.id
    entry.override = not exact
    entry.ref_items = len(candidate.items)
    return "override" if entry.override else "exact"


def _entry_key(entry: DEntry) -> Any:
    return (paragraphs_key(entry.text), tuple(_entry_key(i) for i in entry.items))


def _bases(draft: Draft, matcher: Matcher) -> int:
    style = draft.dates
    composed = []
    for entry in matcher.catalog.of_kind("basis"):
        if isinstance(entry, LegalBasis):
            text = _citation_text(entry, style, matcher)
            if text is not None:
                composed.append((entry, text))
    linked = 0
    for basis in draft.bases:
        if _link_basis(basis, composed):
            linked += 1
    return linked


def _citation_text(basis: LegalBasis, style: str, matcher: Matcher) -> str | None:
    """The citation kh-gen composes for a catalogue basis (as `plan.resolve_plan` does)."""
    summary = matcher.fill(basis.summary)
    issuer = matcher.fill(basis.issuer)
    if summary is None or issuer is None:
        return None
    when = f" {citation_date(basis.date, style)}" if basis.date else ""
    if basis.type in LAW_TYPES:
        return f"{basis.type} {summary}{when}"
    return f"{basis.type} số {basis.number}{when} của {issuer} {summary}"


def _link_basis(basis: DBasis, composed: list[tuple[LegalBasis, str]]) -> bool:
    text = one_line(basis.text)
    for entry, citation in composed:
        if one_line(citation) == text:
            basis.ref, basis.override = entry.id, False
            return True
    parsed = citations.parse(text)
    if parsed is None:
        return False
    for entry, _citation in composed:
        if key(entry.type) != key(parsed.type):
            continue
        if parsed.number or entry.number:
            if citations.normal_number(parsed.number) != citations.normal_number(entry.number):
                continue
        elif key(entry.summary) != key(parsed.summary):
            continue
        if parsed.date and entry.date and parsed.date != entry.date:
            continue
        basis.ref, basis.override = entry.id, True
        return True
    return False


def _link_agency(agency: DAgency, matcher: Matcher, draft: Draft) -> bool:
    """Link by the canonical name; where several entries share it (a district office and a
    commune office), take the one valid on the plan's date and at the plan's level."""
    found = []
    for entry in matcher.catalog.of_kind("agency"):
        if not isinstance(entry, Agency):
            continue
        name = matcher.fill(entry.name)
        if name is not None and one_line(name) == one_line(agency.name):
            found.append(entry)
    if not found:
        return False
    year, month, day = draft.date or (draft.year, None, None)
    first = dt.date(year, month or 1, day or 1)
    last = dt.date(year, month or 12, day or 28)

    def fitness(entry: Agency) -> tuple[bool, bool]:
        valid = (entry.valid_from is None or entry.valid_from <= last) and \
            (entry.valid_to is None or entry.valid_to >= first)
        return (not valid, entry.level != draft.issuer.level)

    best = min(found, key=fitness)
    agency.ref = best.id
    agency.request_default = best.request
    return True


def _link_task(task: DTask, matcher: Matcher, fuzzy: bool = True) -> bool:
    linked = False
    for sub in task.subtasks:
        linked |= _link_task(sub, matcher, fuzzy)
    if task.subtasks:  # a group row names a group, not a catalogue task
        return linked
    found = matcher.best(task.name, ("task",), fuzzy=fuzzy) if task.name else None
    if found is None:
        return linked
    candidate, exact = found
    entry = candidate.entry
    assert isinstance(entry, TaskDef)

    def names(values: tuple[str, ...]) -> list[str] | None:
        out = [matcher.fill(v) for v in values]
        return None if None in out else [one_line(v or "") for v in out]

    catalog_fields: dict[str, Any] = {
        "name": candidate.text, "items": names(entry.items), "lead": names(entry.lead),
        "support": names(entry.support), "time": matcher.fill(entry.time),
        "notes": matcher.fill(entry.notes), "content": matcher.fill(entry.content),
    }
    if any(v is None for v in catalog_fields.values()):
        return linked
    task.ref = entry.id
    own: dict[str, Any] = {"name": task.name, "items": task.items, "lead": task.lead,
                           "support": task.support, "time": task.time, "notes": task.notes,
                           "content": task.content}
    for field, value in own.items():
        theirs = catalog_fields[field]
        if isinstance(value, list):
            if [one_line(v) for v in value] != theirs:
                task.keep.add(field)
        elif one_line(value) != one_line(theirs):
            task.keep.add(field)
    if not exact:
        task.keep.add("name")
    return True
