"""The resolved plan: every catalogue reference replaced by final text, nothing left to look up.

`resolve_plan` is where the form meets the catalogue. Checks that need the whole picture and
that the layout depends on (an unknown id, a `KT.` signed by someone who is not a deputy) stop
the build here, located at the clerk's line.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from .catalog import Agency, Catalog, CatalogEntry, Duty, LegalBasis, TaskDef, TextEntry, TextItem
from .dates import citation_date
from .errors import KhGenError, Location, Problem, Problems
from .form import (
    AgencyEntry,
    AppendixSpec,
    Entry,
    Form,
    Signer,
    TableSpec,
    TaskEntry,
)
from .form import Section as SectionSpec
from .form import TaskGroup as TaskGroupSpec
from .i18n import _
from .kinds import Kind
from .schema import one_line
from .textrender import render_text

_BLANK_LINE = re.compile(r"\n\s*\n")
LAW_TYPES = ("Luật", "Bộ luật", "Hiến pháp")


class Item(NamedTuple):
    """A list item: its paragraphs (the first carries the label) and sub-items."""

    paragraphs: tuple[str, ...]
    items: tuple[Item, ...]
    location: Location
    ref: str | None = None
    style: str | None = None  # how its items are marked; None: the level below its own

    @property
    def text(self) -> str:
        return self.paragraphs[0]


class Citation(NamedTuple):
    text: str
    location: Location
    basis: LegalBasis | None = None
    lead: str | None = None  # a basis with its own lead word


class TaskRow(NamedTuple):
    lead: tuple[str, ...]
    support: tuple[str, ...]
    time: str
    product: str
    notes: str
    monitor: str


class Task(NamedTuple):
    name: str
    items: tuple[str, ...]
    lead: tuple[str, ...]
    support: tuple[str, ...]
    time: str
    notes: str
    content: str
    subtasks: tuple[Task, ...]
    location: Location
    ref: str | None = None
    product: str = ""
    monitor: str = ""
    rows: tuple[TaskRow, ...] = ()


class TaskGroup(NamedTuple):
    title: str
    tasks: tuple[Task | TaskGroup, ...]
    location: Location


class AgencyRole(NamedTuple):
    name: str
    request: bool
    duties: tuple[Item, ...]
    location: Location
    agency: Agency | None = None
    style: str | None = None


class Table(NamedTuple):
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], ...] | str, ...]
    location: Location


class Section(NamedTuple):
    heading: str | None
    part: str | None
    style: str | None
    blocks: tuple[Item | Section | AgencyRole | Task | Table, ...]
    location: Location


class Appendix(NamedTuple):
    heading: str
    title: str
    subtitle: str
    reference: str | None
    orientation: str
    columns: tuple[tuple[str, str], ...]  # (field, title)
    numbering: str
    tasks: tuple[Task | TaskGroup, ...]
    table: Table | None
    sections: tuple[Section, ...]
    location: Location


class Plan(NamedTuple):
    form: Form
    context: dict[str, Any]
    citations: tuple[Citation, ...]
    sections: tuple[Section, ...]
    closing: str
    recipients: tuple[Item, ...]
    authority: tuple[str, ...]
    appendices: tuple[Appendix, ...]
    kind: Kind
    tasks: tuple[Task, ...]  # every task, in a section or an appendix, in order
    implementation: tuple[AgencyRole, ...]  # every agency role, wherever it stands

    def sections_of(self, part: str) -> list[Section]:
        """The sections (at any depth) that play this part."""
        return [s for s in walk_sections(self.sections) if s.part == part]


def walk_sections(sections: tuple[Section, ...]) -> list[Section]:
    out = []
    for section in sections:
        out.append(section)
        out.extend(walk_sections(tuple(b for b in section.blocks if isinstance(b, Section))))
    return out


# The catalogue kinds a text entry may refer to (agencies and tasks are blocks of their own).
TEXT_KINDS = ("objective", "requirement", "audience", "content", "channel", "funding",
              "closing", "recipient", "duty")


def template_values(form: Form) -> dict[str, Any]:
    """The values a catalogue text may use (documented in docs/catalog.md)."""
    issuer = form.issuer
    return {"year": form.year, "last_year": form.year - 1, "locality": issuer.locality,
            "unit": issuer.unit, "parent": issuer.parent, "subunits": issuer.subunits,
            "province": issuer.province}


def resolve_plan(form: Form, catalog: Catalog, kind: Kind) -> tuple[Plan, list[Problem]]:
    """Turn a form into a plan, with every problem met on the way (errors included: an entry
    that cannot be resolved is left out, so the rest can still be checked in the same run)."""
    resolver = _Resolver(form, catalog, kind)
    plan = resolver.plan()
    return plan, resolver.problems.items


class _Resolver:
    def __init__(self, form: Form, catalog: Catalog, kind: Kind):
        self.form = form
        self.catalog = catalog
        self.kind = kind
        self.all_tasks: list[Task] = []
        self.roles: list[AgencyRole] = []
        self.context = template_values(form)
        self.problems = Problems()

    # -- plumbing ------------------------------------------------------------------------

    def fill(self, text: str, where: Location) -> str:
        try:
            return render_text(text, self.context, where)
        except KhGenError as exc:
            self.problems.extend(exc.problems)
            return text

    def lookup(self, ref: str, where: Location, part: str,
               kinds: tuple[str, ...]) -> CatalogEntry | None:
        entry = self.catalog.get(ref)
        if entry is None:
            hint = self.catalog.suggest(ref)
            message = _("{part}: unknown catalogue id '{ref}'; did you mean '{hint}'?") \
                if hint else _("{part}: unknown catalogue id '{ref}'; see 'kh-gen catalog list'")
            self.problems.add(where, message.format(part=part, ref=ref, hint=hint))
            return None
        if entry.kind not in kinds:
            self.problems.add(where, _("{part}: '{ref}' is a {kind} entry; this list takes "
                                       "{kinds} entries").format(part=part, ref=ref,
                                                                 kind=entry.kind,
                                                                 kinds=_either(kinds)))
            return None
        return entry

    # -- lists ---------------------------------------------------------------------------

    def items(self, entries: tuple[Entry, ...], part: str) -> tuple[Item, ...]:
        out = []
        for entry in entries:
            item = self.item(entry, part)
            if item is not None:
                out.append(item)
        return tuple(out)

    def item(self, entry: Entry, part: str, kinds: tuple[str, ...] = TEXT_KINDS
             ) -> Item | None:
        extra = self.items(entry.items, part)  # type: ignore[arg-type]
        if entry.ref is None:
            return Item(_paragraphs(entry.text or ""), extra, entry.location, style=entry.style)
        found = self.lookup(entry.ref, entry.location, part, kinds)
        if not isinstance(found, TextEntry | Duty):
            return None
        text = entry.text if entry.text is not None else self.fill(found.text, found.location)
        own = tuple(self.catalog_item(i, found.location, entry.location) for i in found.items)
        return Item(_paragraphs(text), own + extra, entry.location, ref=entry.ref,
                    style=entry.style)

    def catalog_item(self, item: TextItem, source: Location, used_at: Location) -> Item:
        """A catalogue sub-item: filled (errors point at the catalogue), but located at the
        form line that referred to it, where the clerk can act on a diagnostic."""
        return Item(_paragraphs(self.fill(item.text, source)),
                    tuple(self.catalog_item(i, source, used_at) for i in item.items), used_at)

    # -- parts ---------------------------------------------------------------------------

    def citations(self) -> tuple[Citation, ...]:
        out = []
        opening = self.form.opening
        if opening is None:
            return ()
        style = opening.dates
        for entry in opening.bases:
            if entry.ref is None:
                out.append(Citation(one_line(entry.text or ""), entry.location,
                                    lead=entry.lead))
                continue
            found = self.lookup(entry.ref, entry.location, "opening.bases", ("basis",))
            if not isinstance(found, LegalBasis):
                continue
            if entry.text is not None:
                text = one_line(entry.text)
            else:
                text = self.citation_text(found, style)
            out.append(Citation(text, entry.location, found, entry.lead))
        return tuple(out)

    def citation_text(self, basis: LegalBasis, style: str) -> str:
        """`<type> số <number> ngày <date> của <issuer> <summary>`; a law is cited by its
        name and date instead (`Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm
        2025`), as laws are."""
        when = f" {citation_date(basis.date, style)}" if basis.date else ""
        summary = self.fill(basis.summary, basis.location)
        if basis.type in LAW_TYPES:
            return f"{basis.type} {summary}{when}"
        issuer = self.fill(basis.issuer, basis.location)
        return f"{basis.type} số {basis.number}{when} của {issuer} {summary}".rstrip()

    def task(self, entry: TaskEntry, listed: bool = True) -> Task | None:
        base: TaskDef | None = None
        if entry.ref is not None:
            found = self.lookup(entry.ref, entry.location, "task", ("task",))
            if not isinstance(found, TaskDef):
                return None
            base = found
        where = base.location if base else entry.location

        def pick(own: str | None, from_catalog: str) -> str:
            return own if own is not None else self.fill(from_catalog, where)

        def names(own: tuple[str, ...] | None, from_catalog: tuple[str, ...]) -> tuple[str, ...]:
            return own if own is not None else tuple(self.fill(n, where) for n in from_catalog)

        if entry.items is not None:
            items = tuple(one_line(i.text or "") for i in entry.items)
        else:
            items = names(None, base.items if base else ())
        subtasks = tuple(t for s in entry.subtasks if (t := self.task(s, listed=False)))
        task = Task(
            name=pick(entry.name, base.name if base else ""),
            items=items,
            lead=names(entry.lead, base.lead if base else ()),
            support=names(entry.support, base.support if base else ()),
            time=pick(entry.time, base.time if base else ""),
            notes=pick(entry.notes, base.notes if base else ""),
            content=pick(entry.content, base.content if base else ""),
            subtasks=subtasks, location=entry.location, ref=entry.ref,
            product=entry.product or "", monitor=entry.monitor or "",
            rows=tuple(TaskRow(r.lead or (), r.support or (), r.time or "", r.product or "",
                               r.notes or "", r.monitor or "") for r in entry.rows),
        )
        if listed:
            self.all_tasks.append(task)
        return task

    def task_list(self, entries: tuple[TaskEntry | TaskGroupSpec, ...]
                  ) -> tuple[Task | TaskGroup, ...]:
        out: list[Task | TaskGroup] = []
        for entry in entries:
            if isinstance(entry, TaskGroupSpec):
                out.append(TaskGroup(entry.title, self.task_list(entry.tasks), entry.location))
            elif (task := self.task(entry)) is not None:
                out.append(task)
        return tuple(out)

    def role(self, entry: AgencyEntry) -> AgencyRole | None:
        agency: Agency | None = None
        if entry.ref is not None:
            found = self.lookup(entry.ref, entry.location, "agency", ("agency",))
            if not isinstance(found, Agency):
                return None
            agency = found
            name = self.fill(found.name, found.location)
        else:
            name = entry.name or ""
        if entry.duties is not None:
            duties = self.items(entry.duties, "duties")  # type: ignore[arg-type]
        elif agency is not None:
            standard = self.catalog.duties_of(agency.id, self.form.kind)
            duties = tuple(Item(_paragraphs(self.fill(d.text, d.location)),
                                tuple(self.catalog_item(i, d.location, entry.location)
                                      for i in d.items),
                                entry.location, ref=d.id) for d in standard)
        else:
            duties = ()
        if not duties:
            self.problems.add(entry.location, _("'{name}' has no duties; list them under "
                                                "'duties:'").format(name=name))
        request = entry.request if entry.request is not None else bool(agency and agency.request)
        role = AgencyRole(one_line(name), request, duties, entry.location, agency, entry.style)
        self.roles.append(role)
        return role

    def closing(self) -> str:
        if self.form.closing is None:
            return ""
        item = self.item(self.form.closing, "closing")
        return " ".join(item.paragraphs) if item else ""

    def recipients(self) -> tuple[Item, ...]:
        return tuple(Item((" ".join(i.paragraphs),), (), i.location, i.ref)
                     for i in self.items(self.form.recipients, "recipients"))

    def section(self, spec: SectionSpec) -> Section:
        blocks: list[Item | Section | AgencyRole | Task | Table] = []
        part = spec.part or "section"
        for block in spec.items:
            if isinstance(block, SectionSpec):
                blocks.append(self.section(block))
            elif isinstance(block, AgencyEntry):
                if (role := self.role(block)) is not None:
                    blocks.append(role)
            elif isinstance(block, TaskEntry):
                if (task := self.task(block)) is not None:
                    blocks.append(task)
            elif isinstance(block, TableSpec):
                blocks.append(Table(block.columns, block.rows, block.location))
            elif (item := self.item(block, part)) is not None:
                blocks.append(item)
        return Section(spec.heading, spec.part, spec.style, tuple(blocks), spec.location)

    def appendix(self, spec: AppendixSpec) -> Appendix:
        titles = self.kind.column_titles
        columns = tuple((c.field, c.title or titles.get(c.field, c.field))
                        for c in spec.columns) or self.kind.columns
        table = Table(spec.table.columns, spec.table.rows, spec.table.location) \
            if spec.table is not None else None
        title = spec.title
        if title is None:
            title = self.fill(self.kind.appendix_title, spec.location) if spec.tasks else ""
        orientation = spec.orientation or ("portrait" if spec.sections else "landscape")
        return Appendix(
            heading=spec.heading or self.kind.wording.get("appendix_heading", "Phụ lục"),
            title=title, subtitle=spec.subtitle or "", reference=spec.reference,
            orientation=orientation, columns=columns, numbering=spec.numbering,
            tasks=self.task_list(spec.tasks), table=table,
            sections=tuple(self.section(s) for s in spec.sections), location=spec.location)

    def plan(self) -> Plan:
        form = self.form
        sections = tuple(self.section(s) for s in form.sections)
        appendices = tuple(self.appendix(a) for a in form.appendices)
        return Plan(
            form=form, context=self.context, citations=self.citations(),
            sections=sections, closing=self.closing(), recipients=self.recipients(),
            authority=self.authority(form.signer), appendices=appendices, kind=self.kind,
            tasks=tuple(self.all_tasks), implementation=tuple(self.roles),
        )

    def authority(self, signer: Signer) -> tuple[str, ...]:
        """The signing-authority lines, derived from who signs; contradictions refused.

        `TM` is the head signing: for a collective body "TM. <BODY>" then the title; where the
        body is not collective (a department, `issuer.collective: false`) or the head signs in
        person (`signer.collective: false`), the title alone ("GIÁM ĐỐC")."""
        body = self.form.issuer.name
        collective = self.form.issuer.collective and signer.collective
        title = signer.title
        deputy = title.lower().startswith("phó")
        where = signer.location
        if signer.authority == "KT" and not deputy:
            self.problems.add(where, _("signer: KT (signing for the head) needs a deputy's "
                                       "title such as 'Phó {principal}'; got '{title}'. Use "
                                       "authority TM when the head signs").format(
                                           principal=signer.principal, title=title),
                              rule="signer-kt-title")
        if signer.authority == "TM" and deputy:
            self.problems.add(where, _("signer: '{title}' is a deputy; a deputy signs with "
                                       "authority KT").format(title=title),
                              rule="signer-kt-title")
        on_behalf = (f"TM. {body}",) if collective and signer.authority in ("TM", "KT", "Q") \
            else ()
        principal = signer.principal
        if signer.authority == "TM":
            return (*on_behalf, title)
        if signer.authority == "Q":
            acting = re.sub(r"^(quyền|q\.)\s*", "", title, flags=re.IGNORECASE)
            return (*on_behalf, f"Q. {acting}")
        return (*on_behalf, f"{signer.authority}. {principal}", title)


def _paragraphs(text: str) -> tuple[str, ...]:
    if "\n" not in text:  # one paragraph, the usual case
        return (one_line(text),)
    parts = [one_line(p) for p in _BLANK_LINE.split(text)]
    return tuple(p for p in parts if p) or ("",)


def _either(kinds: tuple[str, ...]) -> str:
    """Kinds of entry as alternatives: "objective or requirement or …"."""
    text = kinds[0] if kinds else ""
    for kind in kinds[1:]:
        text = _("{first} or {second}").format(first=text, second=kind)
    return text
