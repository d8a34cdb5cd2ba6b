"""`kh-gen new`: a ready-to-edit form for a level and year, with only valid entries chosen.

The plan kind's `new.yaml.j2` holds the wording, the comments and the candidate entries; here
the candidates are checked against the catalogue: a legal basis must be national and in force
in the year, an agency must exist at that level on 1 January of that year, and an agency's
duties must name no body abolished by then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .catalog import Agency, Catalog, LegalBasis
from .errors import Location
from .textrender import TemplateSet, render_text

LEVEL_UNITS = {"xa": ("xã", "phường", "đặc khu"), "tinh": ("tỉnh", "thành phố")}
# Who leads the standard tasks at each level (canonical catalogue ids).
_TASK_LEADS = {
    "xa": {"lead": "agency.xa.phong-van-hoa-xa-hoi", "support": "agency.xa.van-phong-hdnd-ubnd"},
    "tinh": {"lead": "agency.tinh.so-noi-vu", "support": "agency.tinh.co-quan-bao-chi"},
}
_TASKS = ("task.dk.press-news", "task.dk.visual", "task.dk.social-media", "task.hn.training",
          "task.hn.online-contest")


@dataclass(frozen=True)
class _Task:
    ref: str
    lead: str
    support: str


def split_locality(locality: str, level: str) -> tuple[str, str]:
    """('xã', 'An Thới Đông') from 'xã An Thới Đông': the generic noun and the proper name."""
    lowered = locality.lower()
    for unit in LEVEL_UNITS[level]:
        if lowered.startswith(unit + " "):
            return unit, locality[len(unit) + 1:].strip()
    return LEVEL_UNITS[level][0], locality


@dataclass(frozen=True)
class _Role:
    ref: str
    duties: tuple[str, ...] | None  # None: all the agency's standard duties


def new_form(level: str, locality: str, year: int, catalog: Catalog,
             templates: TemplateSet, kind: str = "tuyen-truyen-cchc") -> str:
    """The starter form's YAML text."""
    unit, place = split_locality(locality.strip(), level)
    day = dt.date(year, 1, 1)
    context = {"year": year, "last_year": year - 1, "locality": locality, "unit": unit,
               "parent": "", "subunits": "", "province": place}

    def fill(text: str, where: Location) -> str:
        return render_text(text, context, where)

    def valid(entry: LegalBasis | Agency) -> bool:
        return (entry.valid_from is None or entry.valid_from <= day) and \
            (entry.valid_to is None or entry.valid_to >= day)

    agencies = [a for a in catalog.of_kind("agency") if isinstance(a, Agency)]
    living = {fill(a.name, a.location) for a in agencies if valid(a)}
    gone = {fill(a.name, a.location) for a in agencies if not valid(a)} - living

    def bases(candidates: list[str]) -> list[str]:
        return [i for i in candidates if isinstance(b := catalog.get(i), LegalBasis)
                and valid(b) and b.replaced_by is None and (b.date is None or b.date < day)]

    def roles(candidates: list[str]) -> list[_Role]:
        out = []
        for agency_id in candidates:
            agency = catalog.get(agency_id)
            if not isinstance(agency, Agency) or agency.level != level or not valid(agency):
                continue
            duties = catalog.duties_of(agency_id, kind)
            kept = [d.id for d in duties
                    if not any(name in fill(d.text, d.location) for name in gone)]
            if kept:
                out.append(_Role(agency_id, None if len(kept) == len(duties) else tuple(kept)))
        return out

    lead, support = (catalog.get(_TASK_LEADS[level][role]) for role in ("lead", "support"))
    tasks = [_Task(t, fill(lead.name, lead.location), fill(support.name, support.location))
             for t in _TASKS if catalog.get(t) is not None and lead and support]
    return templates.render(f"{kind}/new.yaml.j2", {
        "level": level, "locality": locality, "unit": unit, "place": place, "year": year,
        "bases": bases, "roles": roles, "tasks": tasks,
        "pick": lambda ids: [i for i in ids if catalog.get(i) is not None],
    })
