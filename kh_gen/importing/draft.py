"""The plan as recognised, before it is written as a form: every part, with where it came from.

Mutable on purpose: recognition fills it part by part, catalogue matching then marks entries as
references, and `form_writer` turns it into the form's YAML. The body is an ordered tree of
sections, as the plan has it: nothing here assumes which sections a plan holds or in what
order, so a plan of any shape is kept as it was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Location


@dataclass
class DEntry:
    """A list entry: its paragraphs (joined by a blank line) and sub-entries.

    `style` is the marker of its sub-entries (None: the level below the entry's own)."""

    text: str
    where: Location
    items: list[DEntry] = field(default_factory=list)
    style: str | None = None
    ref: str | None = None
    override: bool = False  # with a ref: keep `text` as the local wording
    ref_items: int = 0  # with a ref: how many leading items the catalogue entry supplies


@dataclass
class DBasis:
    text: str
    where: Location
    ref: str | None = None
    override: bool = False
    lead: str | None = None  # a basis with its own lead word ("Thực hiện" among "Căn cứ")


@dataclass
class DTaskRow:
    """A further row of the same task (Word merged its TT and name cells down)."""

    where: Location
    fields: dict[str, list[str] | str] = field(default_factory=dict)


@dataclass
class DTask:
    where: Location
    name: str = ""
    items: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    time: str = ""
    notes: str = ""
    product: str = ""
    monitor: str = ""
    content: str = ""
    rows: list[DTaskRow] = field(default_factory=list)
    subtasks: list[DTask] = field(default_factory=list)
    ref: str | None = None
    keep: set[str] = field(default_factory=set)  # with a ref: fields that override it


@dataclass
class DGroup:
    """A group row of a task table ("I. Cải cách thể chế") and the tasks under it."""

    name: str
    where: Location
    tasks: list[DTask | DGroup] = field(default_factory=list)


@dataclass
class DAgency:
    name: str
    where: Location
    duties: list[DEntry] = field(default_factory=list)
    request: bool = False
    style: str | None = None
    ref: str | None = None
    request_default: bool | None = None  # with a ref: the catalogue's own request flag


@dataclass
class DTable:
    """A table kept as it is: its header row and its rows, a group row as one string."""

    columns: list[str]
    rows: list[list[str] | str]
    where: Location


@dataclass
class DSection:
    """A section (I.), a sub-section (1.) or a sub-sub-section (a)), or, without a heading,
    unnumbered text. `style` is the marker of its entries (None: the default for its depth)."""

    heading: str | None
    where: Location
    items: list[Item] = field(default_factory=list)
    part: str | None = None
    style: str | None = None


Item = DEntry | DSection | DAgency | DTask | DTable


@dataclass
class DColumn:
    field: str
    title: str


@dataclass
class DAppendix:
    where: Location
    heading: str | None = None
    title: str = ""
    subtitle: str | None = None
    reference: str | None = None
    columns: list[DColumn] = field(default_factory=list)
    numbering: str = "restart"
    tasks: list[DTask | DGroup] = field(default_factory=list)
    sections: list[DSection] = field(default_factory=list)
    table: DTable | None = None


@dataclass
class DIssuer:
    locality: str = ""
    level: str = ""
    unit: str = ""
    place: str = ""
    name: str = "Ủy ban nhân dân"
    parent: str = ""
    subunits: str = ""
    province: str = ""
    governing_body: str = ""
    code: str = "UBND"
    collective: bool = True  # False: a body under a governing one (a department), no "TM."


@dataclass
class DSigner:
    authority: str = "TM"
    title: str = "Chủ tịch"
    name: str = ""
    principal: str = "Chủ tịch"
    collective: bool = True  # False: signed for the head personally (no "TM. …" line)


@dataclass
class Draft:
    kind: str = "ke-hoach"
    year: int = 0
    issuer: DIssuer = field(default_factory=DIssuer)
    number: str | None = None
    date: tuple[int, int | None, int | None] | None = None  # year, month, day
    title: list[str] = field(default_factory=list)
    opening: bool = False  # the plan has an opening (bases and/or an enacting sentence)
    lead: str = "Căn cứ"
    opening_style: str = "list"
    dates: str = "short"
    bases: list[DBasis] = field(default_factory=list)
    enacting: str | None = None
    sections: list[DSection] = field(default_factory=list)
    closing: DEntry | None = None
    recipients: list[DEntry] = field(default_factory=list)
    archive: str | None = None
    signer: DSigner = field(default_factory=DSigner)
    appendices: list[DAppendix] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)


def walk_items(items: list[Item]) -> list[Item]:
    """Every item of a body, depth first, in document order (for counting and linking)."""
    out: list[Item] = []
    for item in items:
        out.append(item)
        if isinstance(item, DSection):
            out.extend(walk_items(item.items))
        elif isinstance(item, DEntry):
            out.extend(walk_items(list(item.items)))
        elif isinstance(item, DAgency):
            out.extend(walk_items(list(item.duties)))
    return out
