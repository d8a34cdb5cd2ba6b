"""The form a clerk writes, read into typed values with every position kept.

The plan's body is an ordered tree of sections, each with its own heading and, optionally, the
part it plays (objectives, tasks, implementation …); no section is assumed. `load_form`
validates the whole file and reports every problem in one run (unknown keys, wrong types,
missing keys) as `FILE:LINE:COL: message`. A form written before sections existed is read
through `oldform.upgrade`, so it keeps building the same plan. What comes out is a frozen
`Form`: catalogue references are still ids here; `plan.resolve_plan` turns them into text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from .errors import Location, Problem, Problems
from .i18n import _, ngettext
from .oldform import is_old_form, upgrade
from .schema import Reader, describe
from .spellings import DATE_HINT, ImpossibleDate, read_authority, read_date, read_level
from .yamlsource import Node, load_yaml_file_noting_cuts

# How the entries of a list are marked: a) b) | - | + | no label | 1. 2.
STYLES = ("letters", "dashes", "plus", "paragraphs", "numbers")
# The style a section's entries take when it names none, by the section's depth, and the style
# an entry's own items take when it names none: the level below.
DEFAULT_STYLES = {1: "paragraphs", 2: "letters", 3: "dashes", 4: "dashes"}
STYLE_BELOW = {"letters": "dashes", "dashes": "plus", "plus": "plus", "paragraphs": "dashes",
               "numbers": "letters"}
# The parts a section may play. They tell the catalogue, the linter, rebase and import what a
# section holds; which parts a plan kind expects is the kind's business (templates/<kind>/).
PARTS = ("purpose", "objectives", "requirements", "audience", "contents", "forms", "targets",
         "tasks", "solutions", "funding", "implementation", "reporting", "schedule",
         "criteria", "rewards", "dossier", "other")
TASK_FIELDS = ("number", "name", "lead", "support", "time", "product", "notes", "monitor")
MAX_SECTION_DEPTH = 3  # I. → 1. → a)
MAX_ITEM_DEPTH = 4  # a) → - → + below a section, as deep as real plans go
DEFAULT_KIND = "ke-hoach"

_TYPED_LABEL = re.compile(r"^(?:[IVXL]+\.|\d{1,2}\.|[a-zđ]\)|[-+•])\s")
FOOTNOTE_MARKER = re.compile(r"\[\^([^\]\s]{1,20})\]")  # [^1], [^nguon]
_PLAN_NUMBER = re.compile(r"[0-9]{1,12}")

class Entry(NamedTuple):
    """A text entry: a catalogue reference (with optional local text) or free text."""

    location: Location
    ref: str | None = None
    text: str | None = None
    items: tuple[Block, ...] = ()
    style: str | None = None  # how its own items are marked
    lead: str | None = None  # a legal basis with its own lead word ("Thực hiện")


class Section(NamedTuple):
    """A section or sub-section: numbered by its depth (I., 1., a)), holding blocks in order."""

    location: Location
    heading: str | None
    part: str | None = None
    style: str | None = None
    items: tuple[Block, ...] = ()


class AgencyEntry(NamedTuple):
    """An agency with its duties: written as a numbered sub-heading with the duties under it."""

    location: Location
    ref: str | None = None
    name: str | None = None
    request: bool | None = None
    duties: tuple[Block, ...] | None = None
    style: str | None = None


class TaskRow(NamedTuple):
    """A further row of a task in an appendix table (its number and name cells merged)."""

    location: Location
    lead: tuple[str, ...] | None = None
    support: tuple[str, ...] | None = None
    time: str | None = None
    product: str | None = None
    notes: str | None = None
    monitor: str | None = None


class TaskEntry(NamedTuple):
    """A task as written in the form; every field may override the catalogue task's."""

    location: Location
    ref: str | None = None
    name: str | None = None
    items: tuple[Entry, ...] | None = None
    lead: tuple[str, ...] | None = None
    support: tuple[str, ...] | None = None
    time: str | None = None
    notes: str | None = None
    content: str | None = None
    subtasks: tuple[TaskEntry, ...] = ()
    product: str | None = None
    monitor: str | None = None
    rows: tuple[TaskRow, ...] = ()


class TaskGroup(NamedTuple):
    """A group of tasks in an appendix table: a row spanning the table, I. or 1."""

    location: Location
    title: str
    tasks: tuple[TaskEntry | TaskGroup, ...]


class TableSpec(NamedTuple):
    """A table written as it stands: header cells and rows of cells (lines per cell)."""

    location: Location
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], ...] | str, ...]  # a str is a group row


Block = Entry | Section | AgencyEntry | TaskEntry | TableSpec


class Column(NamedTuple):
    field: str
    title: str | None = None


class AppendixSpec(NamedTuple):
    location: Location
    title: str | None
    heading: str | None = None
    subtitle: str | None = None
    reference: str | None = None
    orientation: str | None = None
    columns: tuple[Column, ...] = ()
    numbering: str = "restart"
    tasks: tuple[TaskEntry | TaskGroup, ...] = ()
    table: TableSpec | None = None
    sections: tuple[Section, ...] = ()


class Issuer(NamedTuple):
    locality: str
    level: str
    unit: str
    place: str
    name: str = "Ủy ban nhân dân"
    parent: str = ""
    subunits: str = ""
    province: str = ""
    governing_body: str = ""
    code: str = "UBND"
    collective: bool = True


class PlanDate(NamedTuple):
    """The plan's date as far as it is known: a draft leaves day (and month) blank."""

    year: int
    month: int | None = None
    day: int | None = None


class Opening(NamedTuple):
    """What stands between the title and the first section: the legal bases and the enacting
    sentence, as a list of "Căn cứ …;" paragraphs or as one sentence."""

    lead: str = "Căn cứ"
    style: str = "list"
    dates: str = "short"
    bases: tuple[Entry, ...] = ()
    enacting: str | None = None  # None: the kind's wording; "": none


class Signer(NamedTuple):
    location: Location
    authority: str
    title: str
    name: str
    principal: str = "Chủ tịch"
    collective: bool = True  # False: signed for the head in person, no "TM." line


class Form(NamedTuple):
    path: Path
    kind: str
    year: int
    issuer: Issuer
    number: str | None
    date: PlanDate
    title: tuple[str, ...]
    opening: Opening | None
    sections: tuple[Section, ...]
    closing: Entry | None
    recipients: tuple[Entry, ...]
    archive: str | None
    signer: Signer
    appendices: tuple[AppendixSpec, ...] = ()
    footnotes: Mapping[str, str] = MappingProxyType({})
    where: Mapping[str, Location] = MappingProxyType({})


TOP_REQUIRED = ("year", "issuer", "title", "sections", "recipients", "signer")
TOP_OPTIONAL = ("kind", "number", "date", "opening", "closing", "appendices", "footnotes")


def load_form(path: Path) -> tuple[Form, list[Problem]]:
    """Read and validate a form; raise KhGenError listing every problem, else return the form
    and the warnings found on the way."""
    root, cut_texts = load_yaml_file_noting_cuts(path)
    form, warnings = read_form(root, path)
    return form, [*cut_texts, *warnings]


def read_form(root: Node, path: Path) -> tuple[Form, list[Problem]]:
    """`load_form` for YAML already parsed (a batch re-targets one form in memory)."""
    problems = Problems()
    if is_old_form(root):
        root = upgrade(root)
    form = _FormReader(Reader(problems), path).read(root)
    problems.raise_if_errors()
    assert form is not None
    return form, problems.warnings


def footnote_keys(text: str) -> list[str]:
    """The footnote markers (`[^1]`, `[^nguon]`) in a text, in order."""
    return FOOTNOTE_MARKER.findall(text) if "[^" in text else []


class _FormReader:
    def __init__(self, reader: Reader, path: Path):
        self.r = reader
        self.path = path
        self.markers: list[tuple[str, Location]] = []

    def read(self, root: Node) -> Form | None:
        r = self.r
        top = r.mapping(root, "", required=TOP_REQUIRED, optional=TOP_OPTIONAL)
        if top is None:
            return None
        year = r.integer(top.get("year"), "year", low=1990, high=2100)
        issuer = self.issuer(top.get("issuer"))
        number = self.number(top.get("number"))
        date = self.plan_date(top.get("date"), year)
        if issuer is not None and date is not None and issuer.level == "huyen" and \
                (date.year, date.month or 1) >= (2025, 7):
            self.r.error(top["issuer"].value["level"].location,
                         _("issuer.level: districts issue no plans from 1 July 2025 (two-level "
                           "local government); use 'xa' or 'tinh', or date the plan before "
                           "then"))
        title = self.title(top.get("title"))
        opening = self.opening(top.get("opening"))
        sections = self.sections(top.get("sections"), "sections", depth=1)
        if top.get("sections") is not None and top["sections"].is_list and not sections and \
                not r.problems.errors:
            r.error(top["sections"].location, _("sections: list at least one section"))
        closing = self.entry(top["closing"], "closing", 1, 1) \
            if top.get("closing") is not None and top["closing"].value is not None else None
        recipients, archive = self.recipients(top.get("recipients"))
        signer = self.signer(top.get("signer"))
        appendices = self.appendices(top.get("appendices"))
        footnotes = self.footnotes(top.get("footnotes"))
        kind = r.text(top.get("kind"), "kind") or DEFAULT_KIND
        self._check_markers(footnotes, top.get("footnotes"))
        if None in (year, issuer, date, title, recipients, signer) or self.r.problems.errors:
            return None
        return Form(
            path=self.path, kind=kind, year=year, issuer=issuer, number=number, date=date,
            title=title, opening=opening, sections=sections, closing=closing,
            recipients=recipients, archive=archive, signer=signer, appendices=appendices,
            footnotes=footnotes, where=dict(root.key_locations),
        )

    # -- header ----------------------------------------------------------------------------

    def issuer(self, node: Node | None) -> Issuer | None:
        r = self.r
        m = r.mapping(node, "issuer", required=("locality", "level", "unit", "place"),
                      optional=("name", "parent", "subunits", "province", "governing_body",
                                "code", "collective"))
        if m is None:
            return None
        values = {k: r.text(m.get(k), f"issuer.{k}", required=True)
                  for k in ("locality", "unit", "place")}
        level = read_level(r, m.get("level"), "issuer.level")
        extra = {k: r.text(m.get(k), f"issuer.{k}") for k in
                 ("name", "parent", "subunits", "province", "governing_body", "code")}
        collective = r.boolean(m.get("collective"), "issuer.collective")
        if None in values.values() or level is None:
            return None
        kwargs = {k: v for k, v in extra.items() if v is not None}
        if collective is not None:
            kwargs["collective"] = collective
        return Issuer(level=level, **values, **kwargs)  # type: ignore[arg-type]

    def number(self, node: Node | None) -> str | None:
        if node is None or node.value is None:
            return None
        value = node.value
        # ASCII digits only: "²" and "٣" pass str.isdigit() but not int()
        if isinstance(value, bool) or not isinstance(value, int | str) or \
                not _PLAN_NUMBER.fullmatch(str(value).strip()):
            self.r.error(node.location, _("number: expected the plan's number as digits (e.g. "
                                          "118); got '{value}'. Leave it out for a draft")
                         .format(value=value))
            return None
        return str(int(str(value).strip()))

    def plan_date(self, node: Node | None, year: int | None) -> PlanDate | None:
        if year is None:
            return None
        if node is None or node.value is None:
            return PlanDate(year)
        value = node.value
        try:
            found = read_date(value)
        except ImpossibleDate as exc:
            self.r.error(node.location, _("date: '{value}' is an impossible date: {reason}")
                         .format(value=value, reason=exc))
            return None
        if found is None:
            self.r.error(node.location, _("date: not a date kh-gen can read; got {value}; "
                                          "{hint}").format(value=describe(value),
                                                           hint=_(DATE_HINT)))
            return None
        return PlanDate(*found)

    def title(self, node: Node | None) -> tuple[str, ...] | None:
        if node is None:
            return None
        if node.is_list:
            lines = [None if self.r.colon_in_text(item, "title") else
                     self.r.text(item, "title", required=True) for item in node.value]
            return None if None in lines or not lines else tuple(lines)  # type: ignore[misc]
        text = self.r.text(node, "title", required=True)
        return (text,) if text else None

    def opening(self, node: Node | None) -> Opening | None:
        r = self.r
        m = r.mapping(node, "opening", optional=("lead", "style", "dates", "bases",
                                                 "enacting"))
        if m is None:
            return None
        bases = []
        for index, item in enumerate(r.sequence(m.get("bases"), "opening.bases") or [], 1):
            entry = self.entry(item, f"opening.bases[{index}]", 1, 1, basis=True)
            if entry is not None:
                bases.append(entry)
        enacting_node = m.get("enacting")
        enacting = None
        if enacting_node is not None:
            enacting = "" if enacting_node.value in (None, "") else \
                r.text(enacting_node, "opening.enacting")
            if enacting:
                self._markers(enacting, enacting_node.location)
        return Opening(
            lead=r.text(m.get("lead"), "opening.lead") or "Căn cứ",
            style=r.choice(m.get("style"), "opening.style", ("list", "sentence")) or "list",
            dates=r.choice(m.get("dates"), "opening.dates", ("short", "long")) or "short",
            bases=tuple(bases), enacting=enacting)

    # -- the body --------------------------------------------------------------------------

    def sections(self, node: Node | None, path: str, *, depth: int) -> tuple[Section, ...]:
        out = []
        for index, item in enumerate(self.r.sequence(node, path) or [], 1):
            where = f"{path}[{index}]"
            if not item.is_mapping or not ({"heading", "items", "part"} & item.value.keys()):
                self.r.error(item.location, _("{path}: a section is a mapping with 'heading:' "
                                              "and 'items:'").format(path=where))
                continue
            section = self.section(item, where, depth)
            if section is not None:
                out.append(section)
        return tuple(out)

    def section(self, node: Node, path: str, depth: int) -> Section | None:
        r = self.r
        m = r.mapping(node, path, optional=("heading", "part", "style", "items"))
        if m is None:
            return None
        if depth > MAX_SECTION_DEPTH:
            r.error(node.location, _("{path}: sections nest at most {count} levels (I., 1., a)); "
                                     "write this one as an entry with items").format(
                path=path, count=MAX_SECTION_DEPTH))
            return None
        heading = r.text(m.get("heading"), f"{path}.heading")
        if heading is not None:
            heading = heading.strip()
            self._typed_label(m["heading"].location, f"{path}.heading", heading)
            self._markers(heading, m["heading"].location)
        part = self.part(m.get("part"), f"{path}.part")
        style = r.choice(m.get("style"), f"{path}.style", STYLES)
        items = self.blocks(m.get("items"), f"{path}.items", depth)
        return Section(node.location, heading or None, part, style, items)

    def part(self, node: Node | None, path: str) -> str | None:
        return self.r.choice(node, path, PARTS)

    def blocks(self, node: Node | None, path: str, depth: int,
               item_depth: int = 1) -> tuple[Block, ...]:
        """A section's items in order: text entries, sub-sections, agencies, tasks, tables."""
        out: list[Block] = []
        for index, item in enumerate(self.r.sequence(node, path) or [], 1):
            where = f"{path}[{index}]"
            block = self.block(item, where, depth, item_depth)
            if block is not None:
                out.append(block)
        return tuple(out)

    def block(self, node: Node, path: str, depth: int, item_depth: int) -> Block | None:
        if node.is_mapping:
            keys = node.value.keys()
            if "heading" in keys or ("items" in keys and "part" in keys):
                return self.section(node, path, depth + 1)
            if "agency" in keys or "duties" in keys or \
                    _ref_kind(node) == "agency":
                return self.agency(node, path, depth)
            if "task" in keys or _ref_kind(node) == "task" or \
                    keys & {"lead", "support", "subtasks"}:
                return self.task(node, path)
            if "table" in keys:
                return self.table(node, path)
        return self.entry(node, path, item_depth, MAX_ITEM_DEPTH)

    def entry(self, node: Node, path: str, depth: int = 1, max_depth: int = MAX_ITEM_DEPTH,
              *, basis: bool = False) -> Entry | None:
        r = self.r
        if not node.is_mapping:
            text = r.text(node, path, required=True, multiline=True)
            if text is None:
                return None
            self._typed_label(node.location, path, text)
            self._markers(text, node.location)
            return Entry(node.location, text=text)
        keys = ("ref", "text", "lead") if basis else ("ref", "text", "items", "style")
        if not keys & node.value.keys() and r.colon_in_text(node, path):
            return None
        m = r.mapping(node, path, optional=keys)
        if m is None:
            return None
        ref = r.text(m.get("ref"), f"{path}.ref")
        text = r.text(m.get("text"), f"{path}.text", multiline=True)
        if ref is None and text is None:
            r.error(node.location, _("{path}: give 'ref: <catalogue id>' or 'text: ...'").format(
                path=path))
            return None
        if text is not None:
            self._typed_label(m["text"].location, path, text)
            self._markers(text, m["text"].location)
        items: tuple[Block, ...] = ()
        if "items" in m:
            if depth >= max_depth:
                r.error(m["items"].location, _("{path}.items: lists nest at most {count} levels "
                                               "here; move these items up a level").format(
                    path=path, count=max_depth))
            else:
                items = tuple(e for i, n in enumerate(r.sequence(m["items"], f"{path}.items")
                                                      or [], 1)
                              if (e := self.entry(n, f"{path}.items[{i}]", depth + 1,
                                                  max_depth)))
        return Entry(node.location, ref=ref, text=text, items=items,
                     style=r.choice(m.get("style"), f"{path}.style", STYLES),
                     lead=r.text(m.get("lead"), f"{path}.lead"))

    def agency(self, node: Node, path: str, depth: int) -> AgencyEntry | None:
        r = self.r
        m = r.mapping(node, path, optional=("ref", "agency", "request", "duties", "style"))
        if m is None:
            return None
        ref = r.text(m.get("ref"), f"{path}.ref")
        name = r.text(m.get("agency"), f"{path}.agency")
        if (ref is None) == (name is None):
            r.error(node.location, _("{path}: give either 'ref: agency.…' or 'agency: <name>'")
                    .format(path=path))
            return None
        if name:
            self._markers(name, m["agency"].location)
        duties = None
        if "duties" in m:
            duties = tuple(e for i, n in enumerate(r.sequence(m["duties"], f"{path}.duties")
                                                   or [], 1)
                           if (e := self.entry(n, f"{path}.duties[{i}]", 1, 3)))
        return AgencyEntry(node.location, ref=ref, name=name,
                           request=r.boolean(m.get("request"), f"{path}.request"),
                           duties=duties, style=r.choice(m.get("style"), f"{path}.style",
                                                         STYLES))

    def names(self, node: Node | None, path: str) -> tuple[str, ...] | None:
        if node is None or node.value is None:
            return None
        if node.is_list:
            names = [self.r.text(i, path, required=True) for i in node.value]
            return tuple(n for n in names if n)
        text = self.r.text(node, path, required=True)
        return (text,) if text else None

    _TASK_KEYS = ("ref", "task", "name", "items", "lead", "support", "time", "notes", "content",
                  "subtasks", "product", "monitor", "rows")

    def task(self, node: Node, path: str, depth: int = 1) -> TaskEntry | None:
        r = self.r
        m = r.mapping(node, path, optional=self._TASK_KEYS)
        if m is None:
            return None
        ref = r.text(m.get("ref"), f"{path}.ref")
        name = r.text(m.get("task"), f"{path}.task") or r.text(m.get("name"), f"{path}.name")
        items = tuple(e for i, n in enumerate(r.sequence(m["items"], f"{path}.items") or [], 1)
                      if (e := self.entry(n, f"{path}.items[{i}]", 1, 1))) \
            if "items" in m else None
        if ref is None and name is None and not items:
            r.error(node.location, _("{path}: give 'ref: <catalogue id>' or 'task: ...'").format(
                path=path))
            return None
        subtasks: tuple[TaskEntry, ...] = ()
        if "subtasks" in m:
            if depth > 1:
                r.error(m["subtasks"].location, _("{path}.subtasks: a subtask cannot have "
                                                  "subtasks of its own").format(path=path))
            else:
                subs = r.sequence(m["subtasks"], f"{path}.subtasks") or []
                subtasks = tuple(t for i, s in enumerate(subs, 1)
                                 if (t := self.task(s, f"{path}.subtasks[{i}]", depth + 1)))
        rows = []
        for index, row in enumerate(r.sequence(m.get("rows"), f"{path}.rows") or [], 1):
            where = f"{path}.rows[{index}]"
            rm = r.mapping(row, where, optional=("lead", "support", "time", "product", "notes",
                                                 "monitor"))
            if rm is not None:
                rows.append(TaskRow(row.location, self.names(rm.get("lead"), f"{where}.lead"),
                                    self.names(rm.get("support"), f"{where}.support"),
                                    *(r.text(rm.get(k), f"{where}.{k}") for k in
                                      ("time", "product", "notes", "monitor"))))
        for key in ("task", "name", "content", "notes", "product"):
            if m.get(key) is not None and isinstance(m[key].value, str):
                self._markers(m[key].value, m[key].location)
        return TaskEntry(
            location=node.location, ref=ref, name=name, items=items,
            lead=self.names(m.get("lead"), f"{path}.lead"),
            support=self.names(m.get("support"), f"{path}.support"),
            time=r.text(m.get("time"), f"{path}.time"),
            notes=r.text(m.get("notes"), f"{path}.notes"),
            content=r.text(m.get("content"), f"{path}.content"),
            subtasks=subtasks,
            product=r.text(m.get("product"), f"{path}.product"),
            monitor=r.text(m.get("monitor"), f"{path}.monitor"),
            rows=tuple(rows),
        )

    def tasks(self, node: Node | None, path: str, depth: int = 1
              ) -> tuple[TaskEntry | TaskGroup, ...]:
        r = self.r
        out: list[TaskEntry | TaskGroup] = []
        for index, item in enumerate(r.sequence(node, path) or [], 1):
            where = f"{path}[{index}]"
            if item.is_mapping and "group" in item.value:
                gm = r.mapping(item, where, required=("group",), optional=("tasks",))
                if gm is None:
                    continue
                title = r.text(gm.get("group"), f"{where}.group", required=True)
                if depth >= 3:
                    r.error(item.location, _("{path}: groups nest at most 2 levels (I., 1.)")
                            .format(path=where))
                    continue
                inner = self.tasks(gm.get("tasks"), f"{where}.tasks", depth + 1)
                if title:
                    out.append(TaskGroup(item.location, title, inner))
                continue
            task = self.task(item, where)
            if task is not None:
                out.append(task)
        return tuple(out)

    def table(self, node: Node, path: str) -> TableSpec | None:
        r = self.r
        outer = r.mapping(node, path, required=("table",))
        if outer is None:
            return None
        return self.table_body(outer["table"], f"{path}.table")

    def table_body(self, node: Node, path: str) -> TableSpec | None:
        r = self.r
        m = r.mapping(node, path, optional=("columns", "rows"))
        if m is None:
            return None
        columns = self.names(m.get("columns"), f"{path}.columns") or ()
        rows: list[tuple[tuple[str, ...], ...] | str] = []
        for index, row in enumerate(r.sequence(m.get("rows"), f"{path}.rows") or [], 1):
            where = f"{path}.rows[{index}]"
            if row.is_mapping:
                gm = r.mapping(row, where, required=("group",))
                if gm is not None and (title := r.text(gm.get("group"), f"{where}.group")):
                    rows.append(title)
                continue
            cells = r.sequence(row, where)
            if cells is None:
                continue
            line: list[tuple[str, ...]] = []
            for k, cell in enumerate(cells, 1):
                if cell.is_list:
                    line.append(tuple(t for c in cell.value
                                      if (t := r.text(c, f"{where}[{k}]")) is not None))
                else:
                    text = r.text(cell, f"{where}[{k}]", multiline=True)
                    line.append(tuple((text or "").split("\n")) if text else ())
            if columns and len(line) > len(columns):
                r.error(row.location, ngettext(
                    "{path}: {cells} cells in a table of {count} column",
                    "{path}: {cells} cells in a table of {count} columns", len(columns)).format(
                        path=where, cells=len(line), count=len(columns)))
            rows.append(tuple(line))
        if not columns and not rows:
            r.error(node.location, _("{path}: give 'columns:' and 'rows:'").format(path=path))
            return None
        return TableSpec(node.location, columns, tuple(rows))

    # -- appendices ------------------------------------------------------------------------

    def appendices(self, node: Node | None) -> tuple[AppendixSpec, ...]:
        r = self.r
        out = []
        for index, item in enumerate(r.sequence(node, "appendices") or [], 1):
            path = f"appendices[{index}]"
            m = r.mapping(item, path, optional=("heading", "title", "subtitle", "reference",
                                                "orientation", "columns", "numbering", "tasks",
                                                "table", "sections"))
            if m is None:
                continue
            bodies = [k for k in ("tasks", "table", "sections") if k in m]
            if len(bodies) != 1:
                r.error(item.location, _("{path}: give one of 'tasks:', 'table:' or "
                                         "'sections:'").format(path=path))
                continue
            texts = {k: r.text(m.get(k), f"{path}.{k}") for k in
                     ("heading", "title", "subtitle", "reference")}
            table = self.table_body(m["table"], f"{path}.table") if "table" in m else None
            out.append(AppendixSpec(
                item.location, texts["title"], texts["heading"], texts["subtitle"],
                texts["reference"],
                orientation=r.choice(m.get("orientation"), f"{path}.orientation",
                                     ("landscape", "portrait")),
                columns=self.columns(m.get("columns"), f"{path}.columns"),
                numbering=r.choice(m.get("numbering"), f"{path}.numbering",
                                   ("restart", "continue")) or "restart",
                tasks=self.tasks(m.get("tasks"), f"{path}.tasks"),
                table=table,
                sections=self.sections(m.get("sections"), f"{path}.sections", depth=1)))
        return tuple(out)

    def columns(self, node: Node | None, path: str) -> tuple[Column, ...]:
        r = self.r
        out = []
        for index, item in enumerate(r.sequence(node, path) or [], 1):
            where = f"{path}[{index}]"
            if item.is_mapping:
                m = r.mapping(item, where, required=("field",), optional=("title",))
                if m is None:
                    continue
                field = r.choice(m.get("field"), f"{where}.field", TASK_FIELDS)
                if field:
                    out.append(Column(field, r.text(m.get("title"), f"{where}.title")))
                continue
            field = r.choice(item, where, TASK_FIELDS)
            if field:
                out.append(Column(field))
        return tuple(out)

    def footnotes(self, node: Node | None) -> Mapping[str, str]:
        r = self.r
        m = r.mapping(node, "footnotes", optional=node.key_locations.keys()
                      if node is not None and node.is_mapping else ()) or {}
        out = {}
        for key, value in m.items():
            text = r.text(value, f"footnotes.{key}", required=True)
            if text:
                out[str(key)] = text
        return out

    def _markers(self, text: str, where: Location) -> None:
        for key in footnote_keys(text):
            self.markers.append((key, where))

    def _check_markers(self, footnotes: Mapping[str, str], node: Node | None) -> None:
        used = set()
        for key, where in self.markers:
            used.add(key)
            if key not in footnotes:
                self.r.error(where, _("footnote [^{key}]: no text for it under 'footnotes:'; "
                                      "add '{key}: <text>' there").format(key=key))
        if node is not None and node.is_mapping:
            for key, where in node.key_locations.items():
                if key not in used:
                    self.r.problems.add(where, _("footnotes.{key}: no text refers to it (write "
                                                 "[^{key}] where it belongs)").format(key=key),
                                        severity="warning", rule="footnote-unused")

    # -- closing ---------------------------------------------------------------------------

    def _typed_label(self, where: Location, path: str, text: str) -> None:
        match = _TYPED_LABEL.match(text)
        if match:
            self.r.problems.add(where, _("{path}: starts with '{label}'; kh-gen numbers items "
                                         "itself, remove the typed label").format(
                                    path=path, label=match[0].strip()),
                                severity="warning", rule="typed-label")

    def recipients(self, node: Node | None) -> tuple[tuple[Entry, ...] | None, str | None]:
        r = self.r
        raw = r.sequence(node, "recipients")
        if raw is None:
            return None, None
        entries: list[Entry] = []
        archive = None
        for index, item in enumerate(raw, 1):
            path = f"recipients[{index}]"
            if item.is_mapping and "archive" in item.value:
                m = r.mapping(item, path, optional=("archive",)) or {}
                archive = r.text(m.get("archive"), f"{path}.archive", required=True)
                if index != len(raw):
                    r.error(item.location, _("{path}: the archive line ('Lưu: …') must be the "
                                             "last recipient; move it to the end").format(
                        path=path))
                continue
            entry = self.entry(item, path, 1, 1)
            if entry is not None:
                entries.append(entry)
        return tuple(entries), archive

    def signer(self, node: Node | None) -> Signer | None:
        r = self.r
        m = r.mapping(node, "signer", required=("authority", "title", "name"),
                      optional=("principal", "collective"))
        if m is None:
            return None
        authority = read_authority(r, m.get("authority"), "signer.authority")
        title = r.text(m.get("title"), "signer.title", required=True)
        name = r.text(m.get("name"), "signer.name", required=True)
        principal = r.text(m.get("principal"), "signer.principal") or "Chủ tịch"
        collective = r.boolean(m.get("collective"), "signer.collective")
        if None in (authority, title, name):
            return None
        return Signer(node.location, authority, title, name, principal,  # type: ignore[arg-type]
                      True if collective is None else collective)


def _ref_kind(node: Node) -> str | None:
    """The catalogue kind a `ref:` names (`agency.xa.…` → agency), from the id alone."""
    ref = node.value.get("ref")
    if ref is None or not isinstance(ref.value, str):
        return None
    return ref.value.split(".", 1)[0]
