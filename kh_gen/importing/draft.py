"""The plan as recognised, before it is written as a form: every part, with where it came from.

Mutable on purpose: recognition fills it part by part, catalogue matching then marks entries as
references, and `form_writer` turns it into the form's YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Location


@dataclass
class DEntry:
    """A list entry: its paragraphs (joined by a blank line) and sub-entries."""

    text: str
    where: Location
    items: list[DEntry] = field(default_factory=list)
    ref: str | None = None
    override: bool = False  # with a ref: keep `text` as the local wording
    ref_items: int = 0  # with a ref: how many leading items the catalogue entry supplies


@dataclass
class DBasis:
    text: str
    where: Location
    ref: str | None = None
    override: bool = False


@dataclass
class DTask:
    where: Location
    name: str = ""
    items: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    time: str = ""
    notes: str = ""
    content: str = ""
    subtasks: list[DTask] = field(default_factory=list)
    ref: str | None = None
    keep: set[str] = field(default_factory=set)  # with a ref: fields that override it


@dataclass
class DAgency:
    name: str
    where: Location
    duties: list[DEntry] = field(default_factory=list)
    request: bool = False
    ref: str | None = None
    request_default: bool | None = None  # with a ref: the catalogue's own request flag


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


@dataclass
class DSigner:
    authority: str = "TM"
    title: str = "Chủ tịch"
    name: str = ""
    principal: str = "Chủ tịch"


@dataclass
class Draft:
    year: int = 0
    issuer: DIssuer = field(default_factory=DIssuer)
    number: str | None = None
    date: tuple[int, int | None, int | None] | None = None  # year, month, day
    title: list[str] = field(default_factory=list)
    layout: dict[str, object] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)
    lead: str = "Căn cứ"
    bases: list[DBasis] = field(default_factory=list)
    enacting: str | None = None
    objectives: list[DEntry] = field(default_factory=list)
    requirements: list[DEntry] = field(default_factory=list)
    audience: list[DEntry] = field(default_factory=list)
    contents: list[DEntry] = field(default_factory=list)
    forms: list[DEntry] = field(default_factory=list)
    tasks_intro: list[DEntry] = field(default_factory=list)
    tasks: list[DTask] = field(default_factory=list)
    appendix_heading: str | None = None
    appendix_title: str | None = None
    column_task: str | None = None
    column_notes: str | None = None
    funding: list[DEntry] = field(default_factory=list)
    implementation: list[DAgency] = field(default_factory=list)
    closing: DEntry | None = None
    recipients: list[DEntry] = field(default_factory=list)
    archive: str | None = None
    signer: DSigner = field(default_factory=DSigner)

    LISTS = ("objectives", "requirements", "audience", "contents", "forms", "funding")
