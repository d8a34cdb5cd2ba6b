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
from .form import AgencyEntry, Entry, Form, Signer, TaskEntry
from .textrender import render_text

_BLANK_LINE = re.compile(r"\n\s*\n")
LAW_TYPES = ("Luật", "Bộ luật", "Hiến pháp")


class Item(NamedTuple):
    """A list item: its paragraphs (the first carries the label) and sub-items."""

    paragraphs: tuple[str, ...]
    items: tuple[Item, ...]
    location: Location
    ref: str | None = None

    @property
    def text(self) -> str:
        return self.paragraphs[0]


class Citation(NamedTuple):
    text: str
    location: Location
    basis: LegalBasis | None = None


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


class AgencyRole(NamedTuple):
    name: str
    request: bool
    duties: tuple[Item, ...]
    location: Location
    agency: Agency | None = None


class Plan(NamedTuple):
    form: Form
    context: dict[str, Any]
    citations: tuple[Citation, ...]
    objectives: tuple[Item, ...]
    requirements: tuple[Item, ...]
    audience: tuple[Item, ...]
    contents: tuple[Item, ...]
    forms: tuple[Item, ...]
    tasks_intro: tuple[Item, ...]
    tasks: tuple[Task, ...]
    funding: tuple[Item, ...]
    implementation: tuple[AgencyRole, ...]
    closing: str
    recipients: tuple[Item, ...]
    authority: tuple[str, ...]


TEXT_KINDS_FOR = {
    "objectives": ("objective",), "requirements": ("requirement",), "audience": ("audience",),
    "contents": ("content",), "forms": ("channel",), "funding": ("funding",),
    "closing": ("closing",), "recipients": ("recipient",), "duties": ("duty",),
    "tasks.intro": ("objective", "requirement", "audience", "content", "channel", "funding",
                    "closing"),
}


def template_values(form: Form) -> dict[str, Any]:
    """The values a catalogue text may use (documented in docs/catalog.md)."""
    issuer = form.issuer
    return {"year": form.year, "last_year": form.year - 1, "locality": issuer.locality,
            "unit": issuer.unit, "parent": issuer.parent, "subunits": issuer.subunits,
            "province": issuer.province}


def resolve_plan(form: Form, catalog: Catalog) -> tuple[Plan, list[Problem]]:
    """Turn a form into a plan, with every problem met on the way (errors included: an entry
    that cannot be resolved is left out, so the rest can still be checked in the same run)."""
    resolver = _Resolver(form, catalog)
    plan = resolver.plan()
    return plan, resolver.problems.items


class _Resolver:
    def __init__(self, form: Form, catalog: Catalog):
        self.form = form
        self.catalog = catalog
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
            self.problems.add(where, f"{part}: unknown catalogue id '{ref}'"
                              + (f"; did you mean '{hint}'?" if hint else
                                 "; see 'kh-gen catalog list'"))
            return None
        if entry.kind not in kinds:
            self.problems.add(where, f"{part}: '{ref}' is a {entry.kind} entry; this list "
                                     f"takes {' or '.join(kinds)} entries")
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

    def item(self, entry: Entry, part: str) -> Item | None:
        extra = self.items(entry.items, part)
        if entry.ref is None:
            return Item(_paragraphs(entry.text or ""), extra, entry.location)
        found = self.lookup(entry.ref, entry.location, part, TEXT_KINDS_FOR[part])
        if not isinstance(found, TextEntry | Duty):
            return None
        text = entry.text if entry.text is not None else self.fill(found.text, found.location)
        own = tuple(self.catalog_item(i, found.location, entry.location) for i in found.items)
        return Item(_paragraphs(text), own + extra, entry.location, ref=entry.ref)

    def catalog_item(self, item: TextItem, source: Location, used_at: Location) -> Item:
        """A catalogue sub-item: filled (errors point at the catalogue), but located at the
        form line that referred to it, where the clerk can act on a diagnostic."""
        return Item(_paragraphs(self.fill(item.text, source)),
                    tuple(self.catalog_item(i, source, used_at) for i in item.items), used_at)

    # -- parts ---------------------------------------------------------------------------

    def citations(self) -> tuple[Citation, ...]:
        out = []
        style = self.form.layout.citation_dates
        for entry in self.form.preamble.bases:
            if entry.ref is None:
                out.append(Citation(_one_line(entry.text or ""), entry.location))
                continue
            found = self.lookup(entry.ref, entry.location, "preamble.bases", ("basis",))
            if not isinstance(found, LegalBasis):
                continue
            if entry.text is not None:
                text = _one_line(entry.text)
            else:
                text = self.citation_text(found, style)
            out.append(Citation(text, entry.location, found))
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

    def task(self, entry: TaskEntry) -> Task | None:
        base: TaskDef | None = None
        if entry.ref is not None:
            found = self.lookup(entry.ref, entry.location, "tasks.items", ("task",))
            if not isinstance(found, TaskDef):
                return None
            base = found
        where = base.location if base else entry.location

        def pick(own: str | None, from_catalog: str) -> str:
            return own if own is not None else self.fill(from_catalog, where)

        def names(own: tuple[str, ...] | None, from_catalog: tuple[str, ...]) -> tuple[str, ...]:
            return own if own is not None else tuple(self.fill(n, where) for n in from_catalog)

        if entry.items is not None:
            items = tuple(_one_line(i.text or "") for i in entry.items)
        else:
            items = names(None, base.items if base else ())
        subtasks = tuple(t for s in entry.subtasks if (t := self.task(s)))
        return Task(
            name=pick(entry.name, base.name if base else ""),
            items=items,
            lead=names(entry.lead, base.lead if base else ()),
            support=names(entry.support, base.support if base else ()),
            time=pick(entry.time, base.time if base else ""),
            notes=pick(entry.notes, base.notes if base else ""),
            content=pick(entry.content, base.content if base else ""),
            subtasks=subtasks, location=entry.location, ref=entry.ref,
        )

    def role(self, entry: AgencyEntry) -> AgencyRole | None:
        agency: Agency | None = None
        if entry.ref is not None:
            found = self.lookup(entry.ref, entry.location, "implementation", ("agency",))
            if not isinstance(found, Agency):
                return None
            agency = found
            name = self.fill(found.name, found.location)
        else:
            name = entry.name or ""
        if entry.duties is not None:
            duties = self.items(entry.duties, "duties")
        elif agency is not None:
            standard = self.catalog.duties_of(agency.id, self.form.kind)
            duties = tuple(Item(_paragraphs(self.fill(d.text, d.location)),
                                tuple(self.catalog_item(i, d.location, entry.location)
                                      for i in d.items),
                                entry.location, ref=d.id) for d in standard)
        else:
            duties = ()
        if not duties:
            self.problems.add(entry.location, f"implementation: '{name}' has no duties; list "
                                              f"them under 'duties:'")
        request = entry.request if entry.request is not None else bool(agency and agency.request)
        return AgencyRole(_one_line(name), request, duties, entry.location, agency)

    def closing(self) -> str:
        item = self.item(self.form.closing, "closing")
        return " ".join(item.paragraphs) if item else ""

    def recipients(self) -> tuple[Item, ...]:
        return tuple(Item((" ".join(i.paragraphs),), (), i.location, i.ref)
                     for i in self.items(self.form.recipients, "recipients"))

    def plan(self) -> Plan:
        form = self.form
        tasks = tuple(t for e in form.tasks.items if (t := self.task(e)))
        roles = tuple(r for e in form.implementation if (r := self.role(e)))
        return Plan(
            form=form, context=self.context, citations=self.citations(),
            objectives=self.items(form.objectives, "objectives"),
            requirements=self.items(form.requirements, "requirements"),
            audience=self.items(form.audience, "audience"),
            contents=self.items(form.contents, "contents"),
            forms=self.items(form.forms, "forms"),
            tasks_intro=self.items(form.tasks.intro, "tasks.intro"),
            tasks=tasks,
            funding=self.items(form.funding, "funding"),
            implementation=roles,
            closing=self.closing(),
            recipients=self.recipients(),
            authority=self.authority(form.signer),
        )

    def authority(self, signer: Signer) -> tuple[str, ...]:
        """The signing-authority lines, derived from who signs; contradictions refused."""
        body = self.form.issuer.name
        collective = self.form.issuer.collective
        title = signer.title
        deputy = title.lower().startswith("phó")
        where = signer.location
        if signer.authority == "KT" and not deputy:
            self.problems.add(where, f"signer: KT (signing for the head) needs a deputy's "
                                     f"title such as 'Phó {signer.principal}'; got '{title}'. "
                                     f"Use authority TM when the head signs",
                              rule="signer-kt-title")
        if signer.authority == "TM" and deputy:
            self.problems.add(where, f"signer: '{title}' is a deputy; a deputy signs with "
                                     f"authority KT", rule="signer-kt-title")
        if signer.authority == "TM" and not collective:
            self.problems.add(where, "signer: TM signs on behalf of a collective body; this "
                                     "issuer is not collective (issuer.collective: false)",
                              rule="signer-collective")
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
        return (" ".join(text.split()),)
    parts = [_one_line(p) for p in _BLANK_LINE.split(text)]
    return tuple(p for p in parts if p) or ("",)


def _one_line(text: str) -> str:
    return " ".join(text.split())
