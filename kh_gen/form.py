"""The form a clerk writes, read into typed values with every position kept.

`load_form` validates the whole file and reports every problem in one run (unknown keys, wrong
types, missing parts) as `FILE:LINE:COL: message`. What comes out is a frozen `Form`: catalogue
references are still ids here; `plan.resolve_plan` turns them into text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from .errors import Location, Problem, Problems
from .schema import Reader
from .yamlsource import Node, load_yaml_file_noting_cuts

LEVELS = ("tinh", "huyen", "xa")
AUTHORITIES = ("TM", "KT", "Q", "TL", "TUQ")
LIST_STYLES = ("letters", "dashes", "paragraphs")
LIST_PARTS = ("default", "objectives", "requirements", "audience", "contents", "forms",
              "funding", "duties")
BODY_PARTS = ("purpose", "contents", "tasks", "funding", "implementation")
HEADING_KEYS = ("purpose", "objectives", "requirements", "audience", "contents",
                "content_items", "forms", "tasks", "funding", "implementation")
MAX_NESTING = 3

_TYPED_LABEL = re.compile(r"^(?:[IVXL]+\.|\d{1,2}\.|[a-zđ]\)|[-+•])\s")


class Entry(NamedTuple):
    """A list entry: a catalogue reference (with optional local text) or free text."""

    location: Location
    ref: str | None = None
    text: str | None = None
    items: tuple[Entry, ...] = ()


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


class Layout(NamedTuple):
    preamble: str = "list"
    tasks: str = "appendix"
    lists: Mapping[str, str] = MappingProxyType({})
    citation_dates: str = "short"
    order: tuple[str, ...] = BODY_PARTS

    def list_style(self, part: str) -> str:
        return self.lists.get(part, self.lists.get("default", "letters"))


class Preamble(NamedTuple):
    lead: str
    bases: tuple[Entry, ...]
    enacting: str | None


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


class Tasks(NamedTuple):
    intro: tuple[Entry, ...]
    items: tuple[TaskEntry, ...]
    appendix_heading: str | None = None
    appendix_title: str | None = None
    column_task: str | None = None
    column_notes: str | None = None


class AgencyEntry(NamedTuple):
    location: Location
    ref: str | None = None
    name: str | None = None
    request: bool | None = None
    duties: tuple[Entry, ...] | None = None


class Signer(NamedTuple):
    location: Location
    authority: str
    title: str
    name: str
    principal: str = "Chủ tịch"


class Form(NamedTuple):
    path: Path
    kind: str
    year: int
    issuer: Issuer
    number: str | None
    date: PlanDate
    title: tuple[str, ...]
    layout: Layout
    headings: dict[str, str]
    preamble: Preamble
    objectives: tuple[Entry, ...]
    requirements: tuple[Entry, ...]
    audience: tuple[Entry, ...]
    contents: tuple[Entry, ...]
    forms: tuple[Entry, ...]
    tasks: Tasks
    funding: tuple[Entry, ...]
    implementation: tuple[AgencyEntry, ...]
    closing: Entry
    recipients: tuple[Entry, ...]
    archive: str | None
    signer: Signer
    where: Mapping[str, Location] = MappingProxyType({})


TOP_REQUIRED = ("year", "issuer", "title", "preamble", "objectives", "requirements",
                "contents", "forms", "tasks", "funding", "implementation", "closing",
                "recipients", "signer")
TOP_OPTIONAL = ("kind", "number", "date", "layout", "headings", "audience")


def load_form(path: Path) -> tuple[Form, list[Problem]]:
    """Read and validate a form; raise KhGenError listing every problem, else return the form
    and the warnings found on the way."""
    root, cut_texts = load_yaml_file_noting_cuts(path)
    form, warnings = read_form(root, path)
    return form, [*cut_texts, *warnings]


def read_form(root: Node, path: Path) -> tuple[Form, list[Problem]]:
    """`load_form` for YAML already parsed (a batch re-targets one form in memory)."""
    problems = Problems()
    form = _FormReader(Reader(problems), path).read(root)
    problems.raise_if_errors()
    assert form is not None
    return form, problems.warnings


class _FormReader:
    def __init__(self, reader: Reader, path: Path):
        self.r = reader
        self.path = path

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
                         "issuer.level: districts issue no plans from 1 July 2025 (two-level "
                         "local government); use 'xa' or 'tinh', or date the plan before then")
        title = self.title(top.get("title"))
        layout = self.layout(top.get("layout"))
        headings = self.headings(top.get("headings"))
        preamble = self.preamble(top.get("preamble"))
        lists = {key: self.entries(top.get(key), key) for key in
                 ("objectives", "requirements", "audience", "contents", "forms", "funding")}
        tasks = self.tasks(top.get("tasks"))
        implementation = self.implementation(top.get("implementation"))
        closing = self.entry(top["closing"], "closing", 1) if "closing" in top else None
        recipients, archive = self.recipients(top.get("recipients"))
        signer = self.signer(top.get("signer"))
        kind = r.text(top.get("kind"), "kind") or "tuyen-truyen-cchc"
        if None in (year, issuer, date, title, preamble, tasks, implementation, closing,
                    recipients, signer) or self.r.problems.errors:
            return None
        return Form(
            path=self.path, kind=kind, year=year, issuer=issuer, number=number, date=date,
            title=title, layout=layout, headings=headings, preamble=preamble,
            objectives=lists["objectives"], requirements=lists["requirements"],
            audience=lists["audience"], contents=lists["contents"], forms=lists["forms"],
            tasks=tasks, funding=lists["funding"], implementation=implementation,
            closing=closing, recipients=recipients, archive=archive, signer=signer,
            where=dict(root.key_locations),
        )

    # -- parts ---------------------------------------------------------------------------

    def issuer(self, node: Node | None) -> Issuer | None:
        r = self.r
        m = r.mapping(node, "issuer", required=("locality", "level", "unit", "place"),
                      optional=("name", "parent", "subunits", "province", "governing_body",
                                "code", "collective"))
        if m is None:
            return None
        values = {k: r.text(m.get(k), f"issuer.{k}", required=True)
                  for k in ("locality", "unit", "place")}
        level = r.choice(m.get("level"), "issuer.level", LEVELS)
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
        if isinstance(value, bool) or not isinstance(value, int | str) or \
                not str(value).strip().isdigit():
            self.r.error(node.location, f"number: expected the plan's number as digits "
                                        f"(e.g. 118); got '{value}'. Leave it out for a draft")
            return None
        return str(int(str(value).strip()))

    def plan_date(self, node: Node | None, year: int | None) -> PlanDate | None:
        if year is None:
            return None
        if node is None or node.value is None:
            return PlanDate(year)
        value = node.value
        import datetime as dt

        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return PlanDate(value.year, value.month, value.day)
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value).strip())
        if match and 1 <= int(match[2]) <= 12:
            return PlanDate(int(match[1]), int(match[2]))
        self.r.error(node.location, f"date: expected YYYY-MM-DD, or YYYY-MM when the day is "
                                    f"not known yet; got '{value}'")
        return None

    def title(self, node: Node | None) -> tuple[str, ...] | None:
        if node is None:
            return None
        if node.is_list:
            lines = [self.r.text(item, "title", required=True) for item in node.value]
            return None if None in lines or not lines else tuple(lines)  # type: ignore[misc]
        text = self.r.text(node, "title", required=True)
        return (text,) if text else None

    def layout(self, node: Node | None) -> Layout:
        r = self.r
        m = r.mapping(node, "layout", optional=("preamble", "tasks", "lists",
                                                "citation_dates", "order"))
        if not m:
            return Layout()
        lists: dict[str, str] = {}
        lm = r.mapping(m.get("lists"), "layout.lists", optional=LIST_PARTS) or {}
        for part, value in lm.items():
            style = r.choice(value, f"layout.lists.{part}", LIST_STYLES)
            if style:
                lists[part] = style
        order = BODY_PARTS
        items = r.sequence(m.get("order"), "layout.order")
        if items is not None:
            names = [r.choice(i, "layout.order", BODY_PARTS) for i in items]
            if None not in names:
                if sorted(names) != sorted(BODY_PARTS):  # type: ignore[type-var]
                    r.error(m["order"].location, "layout.order: list each of "
                            f"{', '.join(BODY_PARTS)} exactly once")
                else:
                    order = tuple(names)  # type: ignore[arg-type]
        return Layout(
            preamble=r.choice(m.get("preamble"), "layout.preamble", ("list", "sentence"))
            or "list",
            tasks=r.choice(m.get("tasks"), "layout.tasks", ("appendix", "inline")) or "appendix",
            lists=lists,
            citation_dates=r.choice(m.get("citation_dates"), "layout.citation_dates",
                                    ("short", "long")) or "short",
            order=order,
        )

    def headings(self, node: Node | None) -> dict[str, str]:
        m = self.r.mapping(node, "headings", optional=HEADING_KEYS) or {}
        out = {}
        for key, value in m.items():
            text = self.r.text(value, f"headings.{key}", required=True)
            if text:
                out[key] = text
        return out

    def preamble(self, node: Node | None) -> Preamble | None:
        r = self.r
        m = r.mapping(node, "preamble", required=("bases",), optional=("lead", "enacting"))
        if m is None:
            return None
        bases = self.entries(m.get("bases"), "preamble.bases", max_depth=1)
        return Preamble(lead=r.text(m.get("lead"), "preamble.lead") or "Căn cứ",
                        bases=bases, enacting=r.text(m.get("enacting"), "preamble.enacting"))

    def entries(self, node: Node | None, path: str, *, depth: int = 1,
                max_depth: int = MAX_NESTING) -> tuple[Entry, ...]:
        items = self.r.sequence(node, path) or []
        out = []
        for index, item in enumerate(items, 1):
            entry = self.entry(item, f"{path}[{index}]", depth, max_depth)
            if entry is not None:
                out.append(entry)
        return tuple(out)

    def entry(self, node: Node, path: str, depth: int = 1,
              max_depth: int = MAX_NESTING) -> Entry | None:
        r = self.r
        if not node.is_mapping:
            text = r.text(node, path, required=True, multiline=True)
            if text is None:
                return None
            self._typed_label(node.location, path, text)
            return Entry(node.location, text=text)
        m = r.mapping(node, path, optional=("ref", "text", "items"))
        if m is None:
            return None
        ref = r.text(m.get("ref"), f"{path}.ref")
        text = r.text(m.get("text"), f"{path}.text", multiline=True)
        if ref is None and text is None:
            r.error(node.location, f"{path}: give 'ref: <catalogue id>' or 'text: ...'")
            return None
        if text is not None:
            self._typed_label(m["text"].location, path, text)
        items: tuple[Entry, ...] = ()
        if "items" in m:
            if depth >= max_depth:
                r.error(m["items"].location, f"{path}.items: lists nest at most {max_depth} "
                                             f"levels here; move these items up a level")
            else:
                items = self.entries(m["items"], f"{path}.items", depth=depth + 1,
                                     max_depth=max_depth)
        return Entry(node.location, ref=ref, text=text, items=items)

    def _typed_label(self, where: Location, path: str, text: str) -> None:
        match = _TYPED_LABEL.match(text)
        if match:
            self.r.problems.add(where, f"{path}: starts with '{match[0].strip()}'; kh-gen "
                                       f"numbers items itself, remove the typed label",
                                severity="warning", rule="typed-label")

    def names(self, node: Node | None, path: str) -> tuple[str, ...] | None:
        if node is None or node.value is None:
            return None
        if node.is_list:
            names = [self.r.text(i, path, required=True) for i in node.value]
            return tuple(n for n in names if n)
        text = self.r.text(node, path, required=True)
        return (text,) if text else None

    def task(self, node: Node, path: str, depth: int = 1) -> TaskEntry | None:
        r = self.r
        m = r.mapping(node, path, optional=("ref", "name", "items", "lead", "support", "time",
                                            "notes", "content", "subtasks"))
        if m is None:
            return None
        ref = r.text(m.get("ref"), f"{path}.ref")
        name = r.text(m.get("name"), f"{path}.name")
        items = self.entries(m["items"], f"{path}.items", max_depth=1) if "items" in m else None
        if ref is None and name is None and not items:
            r.error(node.location, f"{path}: give 'ref: <catalogue id>' or 'name: ...'")
            return None
        subtasks: tuple[TaskEntry, ...] = ()
        if "subtasks" in m:
            if depth > 1:
                r.error(m["subtasks"].location, f"{path}.subtasks: a subtask cannot have "
                                                f"subtasks of its own")
            else:
                subs = r.sequence(m["subtasks"], f"{path}.subtasks") or []
                subtasks = tuple(t for i, s in enumerate(subs, 1)
                                 if (t := self.task(s, f"{path}.subtasks[{i}]", depth + 1)))
        return TaskEntry(
            location=node.location, ref=ref, name=name, items=items,
            lead=self.names(m.get("lead"), f"{path}.lead"),
            support=self.names(m.get("support"), f"{path}.support"),
            time=r.text(m.get("time"), f"{path}.time"),
            notes=r.text(m.get("notes"), f"{path}.notes"),
            content=r.text(m.get("content"), f"{path}.content"),
            subtasks=subtasks,
        )

    def tasks(self, node: Node | None) -> Tasks | None:
        r = self.r
        m = r.mapping(node, "tasks", required=("items",),
                      optional=("intro", "appendix", "columns"))
        if m is None:
            return None
        appendix = r.mapping(m.get("appendix"), "tasks.appendix",
                             optional=("heading", "title")) or {}
        columns = r.mapping(m.get("columns"), "tasks.columns", optional=("task", "notes")) or {}
        raw = r.sequence(m.get("items"), "tasks.items") or []
        items = tuple(t for i, n in enumerate(raw, 1) if (t := self.task(n, f"tasks.items[{i}]")))
        return Tasks(
            intro=self.entries(m.get("intro"), "tasks.intro", max_depth=1),
            items=items,
            appendix_heading=r.text(appendix.get("heading"), "tasks.appendix.heading"),
            appendix_title=r.text(appendix.get("title"), "tasks.appendix.title"),
            column_task=r.text(columns.get("task"), "tasks.columns.task"),
            column_notes=r.text(columns.get("notes"), "tasks.columns.notes"),
        )

    def implementation(self, node: Node | None) -> tuple[AgencyEntry, ...] | None:
        r = self.r
        raw = r.sequence(node, "implementation")
        if raw is None:
            return None
        out = []
        for index, item in enumerate(raw, 1):
            path = f"implementation[{index}]"
            m = r.mapping(item, path, optional=("ref", "agency", "request", "duties"))
            if m is None:
                continue
            ref = r.text(m.get("ref"), f"{path}.ref")
            name = r.text(m.get("agency"), f"{path}.agency")
            if (ref is None) == (name is None):
                r.error(item.location, f"{path}: give either 'ref: agency.…' or "
                                       f"'agency: <name>'")
                continue
            duties = self.entries(m["duties"], f"{path}.duties", max_depth=2) \
                if "duties" in m else None
            out.append(AgencyEntry(item.location, ref=ref, name=name,
                                   request=r.boolean(m.get("request"), f"{path}.request"),
                                   duties=duties))
        return tuple(out)

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
                    r.error(item.location, f"{path}: the archive line ('Lưu: …') must be "
                                           f"the last recipient; move it to the end")
                continue
            entry = self.entry(item, path, max_depth=1)
            if entry is not None:
                entries.append(entry)
        return tuple(entries), archive

    def signer(self, node: Node | None) -> Signer | None:
        r = self.r
        m = r.mapping(node, "signer", required=("authority", "title", "name"),
                      optional=("principal",))
        if m is None:
            return None
        authority = r.choice(m.get("authority"), "signer.authority", AUTHORITIES)
        title = r.text(m.get("title"), "signer.title", required=True)
        name = r.text(m.get("name"), "signer.name", required=True)
        principal = r.text(m.get("principal"), "signer.principal") or "Chủ tịch"
        if None in (authority, title, name):
            return None
        return Signer(node.location, authority, title, name, principal)  # type: ignore[arg-type]
