"""The catalogue: legal bases, agencies, duties and standard texts, validated on load.

Entries come from `catalog/*.yaml` in the folders given, earlier folders first: an entry in a
user's folder replaces the built-in entry with the same id. Validation (fields, sources,
duplicate ids, dangling references, template syntax) runs on every load, so a broken catalogue
never reaches a plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from .errors import Location, Problems
from .i18n import _
from .resources import builtin_folder
from .schema import Reader, nearest
from .textrender import check_text_template
from .yamlsource import Node, load_yaml_file

TEXT_KINDS = ("objective", "requirement", "audience", "content", "channel", "funding",
              "closing", "recipient")
KINDS = ("basis", "agency", "duty", "task", *TEXT_KINDS)
_ID = re.compile(r"^[a-z]+(\.[a-z0-9][a-z0-9-]*)+$")


class TextItem(NamedTuple):
    text: str
    items: tuple[TextItem, ...] = ()


class TextEntry(NamedTuple):
    """An objective, requirement, content item, channel, funding or closing text, recipient."""

    id: str
    kind: str
    location: Location
    source: str
    text: str
    items: tuple[TextItem, ...] = ()
    level: str | None = None


class LegalBasis(NamedTuple):
    id: str
    location: Location
    source: str
    type: str
    number: str
    issuer: str
    summary: str
    date: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    scope: str = "national"
    replaced_by: str | None = None
    kind: str = "basis"


class Agency(NamedTuple):
    id: str
    location: Location
    source: str
    name: str
    level: str
    short: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor: str | None = None
    request: bool = False
    part_of: tuple[str, ...] = ()  # groups that include it ("Các cơ quan báo chí …")
    kind: str = "agency"


class Duty(NamedTuple):
    id: str
    location: Location
    source: str
    agency: str
    plan_kind: str
    text: str
    items: tuple[TextItem, ...] = ()
    kind: str = "duty"


class TaskDef(NamedTuple):
    id: str
    location: Location
    source: str
    name: str
    lead: tuple[str, ...]
    support: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    time: str = ""
    notes: str = ""
    content: str = ""
    kind: str = "task"


CatalogEntry = TextEntry | LegalBasis | Agency | Duty | TaskDef


class Catalog:
    """Every entry by id, with the look-ups a plan makes many times indexed once on load
    (a batch resolves a thousand plans against one catalogue)."""

    def __init__(self, entries: dict[str, CatalogEntry], folders: tuple[Path, ...]):
        self.entries = entries
        self.folders = folders
        self._by_kind: dict[str, list[CatalogEntry]] = {}
        self._duties: dict[tuple[str, str], list[Duty]] = {}
        for entry in entries.values():
            self._by_kind.setdefault(entry.kind, []).append(entry)
            if isinstance(entry, Duty):
                self._duties.setdefault((entry.agency, entry.plan_kind), []).append(entry)

    def get(self, entry_id: str) -> CatalogEntry | None:
        return self.entries.get(entry_id)

    def of_kind(self, kind: str) -> list[CatalogEntry]:
        return list(self._by_kind.get(kind, ()))

    def duties_of(self, agency_id: str, plan_kind: str) -> list[Duty]:
        return list(self._duties.get((agency_id, plan_kind), ()))

    def suggest(self, entry_id: str) -> str | None:
        return nearest(entry_id, self.entries)


def load_catalog(folders: Sequence[Path] = ()) -> Catalog:
    """Load the user's folders (first wins) then the built-in catalogue; raise KhGenError with
    every problem found."""
    problems = Problems()
    all_folders = (*[Path(f) for f in folders], builtin_folder("catalog"))
    entries: dict[str, CatalogEntry] = {}
    for folder in all_folders:
        if not folder.is_dir():
            problems.add(Location.of_file(folder), _("catalogue folder not found"))
            continue
        seen: dict[str, Location] = {}
        for path in sorted(folder.glob("*.yaml")):
            for entry in _read_file(path, problems):
                if entry.id in seen:
                    problems.add(entry.location, _("duplicate id '{id}' (first defined at "
                                                   "{first})").format(id=entry.id,
                                                                      first=seen[entry.id]))
                    continue
                seen[entry.id] = entry.location
                entries.setdefault(entry.id, entry)
    catalog = Catalog(entries, tuple(all_folders))
    _check_references(catalog, problems)
    _check_overlaps(catalog, problems)
    problems.raise_if_errors()
    return catalog


def _read_file(path: Path, problems: Problems) -> Iterable[CatalogEntry]:
    from .errors import KhGenError

    try:
        root = load_yaml_file(path)
    except KhGenError as exc:
        problems.extend(exc.problems)
        return []
    reader = Reader(problems)
    if root.value == {}:
        return []
    nodes = reader.sequence(root, path.name)
    if nodes is None:
        return []
    out = []
    for node in nodes:
        entry = _read_entry(node, reader)
        if entry is not None:
            out.append(entry)
    return out


_COMMON = ("id", "source", "note")
_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "basis": (("type", "number", "issuer"),
              ("summary", "date", "valid_from", "valid_to", "scope", "replaced_by")),
    "agency": (("name", "level"),
               ("short", "misspellings", "valid_from", "valid_to", "successor", "request",
                "part_of")),
    "duty": (("agency", "kind", "text"), ("items",)),
    "task": (("name", "lead"), ("support", "items", "time", "notes", "content")),
}


def _read_entry(node: Node, r: Reader) -> CatalogEntry | None:
    if not node.is_mapping or "id" not in node.value:
        r.error(node.location, _("a catalogue entry is a mapping starting with 'id:'"))
        return None
    entry_id = r.text(node.value["id"], "id", required=True)
    if entry_id is None:
        return None
    if not _ID.match(entry_id):
        r.error(node.value["id"].location, _("id '{id}': use lower-case ASCII words joined by "
                                             "'-' and parts by '.' (kind.name)").format(
                                                 id=entry_id))
        return None
    kind = entry_id.split(".", 1)[0]
    if kind not in KINDS:
        hint = nearest(kind, KINDS)
        message = _("id '{id}': unknown kind '{kind}'; did you mean '{hint}'?") if hint else \
            _("id '{id}': unknown kind '{kind}'; kinds: {kinds}")
        r.error(node.value["id"].location, message.format(id=entry_id, kind=kind, hint=hint,
                                                          kinds=", ".join(KINDS)))
        return None
    required, optional = _FIELDS.get(kind, (("text",), ("items", "level")))
    m = r.mapping(node, entry_id, required=(*_COMMON[:2], *required),
                  optional=(_COMMON[2], *optional))
    if m is None:
        return None
    where = node.location
    source = r.text(m.get("source"), f"{entry_id}.source", required=True)
    if source is None:
        return None

    def text(key: str, *, required: bool = False) -> str | None:
        value = r.text(m.get(key), f"{entry_id}.{key}", required=required,
                       multiline=key in ("text", "content"))
        if value is not None and key in ("text", "name", "summary", "content", "notes", "time"):
            problem = check_text_template(value, m[key].location)
            if problem:
                r.problems.extend([problem])
        return value

    def names(key: str) -> tuple[str, ...]:
        node_ = m.get(key)
        if node_ is None or node_.value is None:
            return ()
        values = node_.value if node_.is_list else [node_]
        out = [r.text(v, f"{entry_id}.{key}", required=True) for v in values]
        return tuple(v for v in out if v)

    if kind == "basis":
        fields = [text(k, required=True) for k in ("type", "number", "issuer")]
        if None in fields:
            return None
        # Party documents are often cited by number and issuer alone
        fields.append(text("summary") or "")
        return LegalBasis(entry_id, where, source, *fields,  # type: ignore[arg-type]
                          date=r.date(m.get("date"), f"{entry_id}.date"),
                          valid_from=_period(r, m.get("valid_from"), f"{entry_id}.valid_from",
                                             start=True),
                          valid_to=_period(r, m.get("valid_to"), f"{entry_id}.valid_to",
                                           start=False),
                          scope=text("scope") or "national",
                          replaced_by=text("replaced_by"))
    if kind == "agency":
        name = text("name", required=True)
        level = r.choice(m.get("level"), f"{entry_id}.level", ("tinh", "huyen", "xa"))
        if name is None or level is None:
            return None
        return Agency(entry_id, where, source, name, level, short=names("short"),
                      misspellings=names("misspellings"),
                      valid_from=_period(r, m.get("valid_from"), f"{entry_id}.valid_from",
                                         start=True),
                      valid_to=_period(r, m.get("valid_to"), f"{entry_id}.valid_to",
                                       start=False),
                      successor=text("successor"),
                      request=bool(r.boolean(m.get("request"), f"{entry_id}.request")),
                      part_of=names("part_of"))
    if kind == "duty":
        agency, plan_kind, body = (text(k, required=True) for k in ("agency", "kind", "text"))
        if None in (agency, plan_kind, body):
            return None
        return Duty(entry_id, where, source, agency, plan_kind, body,  # type: ignore[arg-type]
                    items=_items(r, m.get("items"), entry_id))
    if kind == "task":
        name = text("name", required=True)
        if name is None:
            return None
        return TaskDef(entry_id, where, source, name, lead=names("lead"),
                       support=names("support"), items=names("items"),
                       time=text("time") or "", notes=text("notes") or "",
                       content=text("content") or "")
    body = text("text", required=True)
    if body is None:
        return None
    return TextEntry(entry_id, kind, where, source, body, _items(r, m.get("items"), entry_id),
                     level=r.choice(m.get("level"), f"{entry_id}.level", ("tinh", "huyen", "xa")))


def _items(r: Reader, node: Node | None, path: str, depth: int = 1) -> tuple[TextItem, ...]:
    out = []
    for index, item in enumerate(r.sequence(node, f"{path}.items") or [], 1):
        where = f"{path}.items[{index}]"
        if item.is_mapping:
            m = r.mapping(item, where, required=("text",), optional=("items",)) or {}
            text = r.text(m.get("text"), f"{where}.text", required=True)
            sub = _items(r, m.get("items"), where, depth + 1) if depth < 3 else ()
        else:
            text, sub = r.text(item, where, required=True), ()
        if text:
            problem = check_text_template(text, item.location)
            if problem:
                r.problems.extend([problem])
            out.append(TextItem(text, sub))
    return tuple(out)


def _period(r: Reader, node: Node | None, path: str, *, start: bool) -> dt.date | None:
    """A validity bound: a year (the whole year) or a date."""
    if node is None or node.value is None:
        return None
    if isinstance(node.value, int) and not isinstance(node.value, bool):
        year = r.integer(node, path, low=1945, high=2100)
        if year is None:
            return None
        return dt.date(year, 1, 1) if start else dt.date(year, 12, 31)
    return r.date(node, path)


def _check_references(catalog: Catalog, problems: Problems) -> None:
    def check(entry: CatalogEntry, field: str, target: str | None, kind: str) -> None:
        if target is None:
            return
        found = catalog.get(target)
        if found is None or found.kind != kind:
            hint = catalog.suggest(target)
            message = _("{id}.{field}: no {kind} '{target}' in the catalogue; did you mean "
                        "'{hint}'?") if hint else \
                _("{id}.{field}: no {kind} '{target}' in the catalogue")
            problems.add(entry.location, message.format(id=entry.id, field=field, kind=kind,
                                                        target=target, hint=hint))

    for entry in catalog.entries.values():
        if isinstance(entry, LegalBasis):
            check(entry, "replaced_by", entry.replaced_by, "basis")
            _check_period(entry, problems)
        elif isinstance(entry, Agency):
            check(entry, "successor", entry.successor, "agency")
            for group in entry.part_of:
                check(entry, "part_of", group, "agency")
            _check_period(entry, problems)
        elif isinstance(entry, Duty):
            check(entry, "agency", entry.agency, "agency")


def _check_overlaps(catalog: Catalog, problems: Problems) -> None:
    """One document, or one agency at one level, must not be entered twice for the same time:
    the linter could not tell which entry a plan means."""
    seen: dict[tuple[str, ...], list[LegalBasis | Agency]] = {}
    for entry in catalog.entries.values():
        if isinstance(entry, LegalBasis):
            # a number is unique per issuer and date, not across the country
            seen.setdefault(("basis", entry.type.casefold(), entry.number, str(entry.date)),
                            []).append(entry)
        elif isinstance(entry, Agency):
            seen.setdefault(("agency", entry.name.casefold(), entry.level), []).append(entry)
    lowest, highest = dt.date.min, dt.date.max
    for group in seen.values():
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                if (first.valid_from or lowest) <= (second.valid_to or highest) and \
                        (second.valid_from or lowest) <= (first.valid_to or highest):
                    message = _("{id}: overlaps {other} (same document over the same "
                                "period, defined at {where}); merge them or give them separate "
                                "periods") if first.kind == "basis" else \
                        _("{id}: overlaps {other} (same name and level over the same period, "
                          "defined at {where}); merge them or give them separate periods")
                    problems.add(second.location, message.format(
                        id=second.id, other=first.id, where=first.location))


def _check_period(entry: LegalBasis | Agency, problems: Problems) -> None:
    if entry.valid_from and entry.valid_to and entry.valid_from > entry.valid_to:
        problems.add(entry.location, _("{id}: valid_from {start} is after valid_to "
                                       "{end}").format(id=entry.id, start=entry.valid_from,
                                                       end=entry.valid_to))
