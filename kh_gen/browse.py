"""Browsing the catalogue: list by kind, show one entry, search without accents.

Clerks type without diacritics more often than not, so search folds both the query and the
entries ("tuyen truyen" finds "tuyên truyền", "dang" finds "Đảng"), and matches whole words:
"cong an" finds "Công an", never the "an" inside "ban hành". A catalogue text is a template
(`Ủy ban nhân dân {{ unit }}`); a clerk reading it wants the sentence the plan will hold, so
the browser shows it filled for an example locality of the entry's level, and says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from .catalog import KINDS, Agency, Catalog, CatalogEntry, Duty, LegalBasis, TaskDef, TextEntry
from .errors import KhGenError, Location, Problem
from .i18n import N_, _
from .schema import nearest
from .spellings import LEVELS, fold
from .textrender import is_template, render_text

_WORD = re.compile(r"\w+")
_TEMPLATE = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)


def example_values(level: str | None, year: int | None = None) -> dict[str, Any]:
    """The values an example plan of this level gives a catalogue text: a commune, a province
    or (before 1 July 2025) a district, in the year being planned (this year by default)."""
    year = year or dt.date.today().year
    if level == "tinh":
        place = {"locality": "tỉnh Đồng Tháp", "unit": "tỉnh", "parent": "",
                 "subunits": "các xã, phường", "province": "Đồng Tháp"}
    elif level == "huyen":
        place = {"locality": "huyện Cao Lãnh", "unit": "huyện", "parent": "tỉnh",
                 "subunits": "các xã, thị trấn", "province": "Đồng Tháp"}
    else:
        place = {"locality": "xã An Thới Đông", "unit": "xã", "parent": "thành phố",
                 "subunits": "các ấp", "province": "Thành phố Hồ Chí Minh"}
    return {"year": year, "last_year": year - 1, **place}


def example_note(year: int | None = None) -> str:
    """What the browser says about the texts it shows filled."""
    places = ", ".join(example_values(level, year)["locality"] for level in ("xa", "tinh",
                                                                            "huyen"))
    return _("texts are filled for an example plan of {year}, by the entry's level: "
             "{places}").format(year=example_values(None, year)["year"], places=places)


def filled(entry: CatalogEntry, text: str, year: int | None = None) -> str:
    """A catalogue text as an example plan of the entry's level would hold it; the text as
    written when it cannot be filled (a mistake `kh-gen check` reports where it stands)."""
    if not is_template(text):
        return text
    try:
        return render_text(text, example_values(_level(entry), year), entry.location)
    except KhGenError:
        return text


def _level(entry: CatalogEntry) -> str | None:
    """The entry's level, or the one its id names (`duty.tinh.…`); None for any level."""
    level = getattr(entry, "level", None)
    if isinstance(level, str):
        return level
    parts = entry.id.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in LEVELS else None


def summary_text(entry: CatalogEntry) -> str:
    """The words an entry is known by, as one line."""
    if isinstance(entry, LegalBasis):
        when = f" ngày {entry.date:%d/%m/%Y}" if entry.date else ""
        return f"{entry.type} số {entry.number}{when} của {entry.issuer} {entry.summary}".rstrip()
    if isinstance(entry, Agency):
        return entry.name
    if isinstance(entry, TaskDef):
        return entry.name
    return entry.text


def list_entries(catalog: Catalog, kind: str | None = None) -> list[CatalogEntry]:
    if kind is not None and kind not in KINDS:
        hint = nearest(kind, KINDS)
        message = _("unknown kind '{kind}'; did you mean '{hint}'?") if hint else \
            _("unknown kind '{kind}'; kinds: {kinds}")
        raise KhGenError([Problem(Location("catalog"), message.format(
            kind=kind, hint=hint, kinds=", ".join(KINDS)))])
    return [e for e in catalog.entries.values() if kind is None or e.kind == kind]


def find_entry(catalog: Catalog, entry_id: str) -> CatalogEntry:
    entry = catalog.get(entry_id)
    if entry is None:
        hint = catalog.suggest(entry_id)
        message = _("no entry '{id}'; did you mean '{hint}'?") if hint else _("no entry '{id}'")
        raise KhGenError([Problem(Location("catalog"), message.format(id=entry_id, hint=hint))])
    return entry


def shown_text(entry: CatalogEntry, year: int | None = None) -> str:
    """`summary_text` filled for the example locality: what `catalog list` and `search` show."""
    return filled(entry, summary_text(entry), year)


def search_entries(catalog: Catalog, query: str) -> list[CatalogEntry]:
    """Entries whose id, text or names hold every word of the query as a whole word, accents
    ignored; those where the words stand together, as typed, come first."""
    words = _words(query)
    if not words:
        return []
    wanted = set(words)
    phrase = f" {' '.join(words)} "
    together: list[CatalogEntry] = []
    apart: list[CatalogEntry] = []
    for entry in catalog.entries.values():
        # a template's variables ({{ unit }}) are no words of the text
        haystack = _words(_TEMPLATE.sub(" ", " ".join(_searchable(entry))))
        if wanted.issubset(haystack):
            (together if phrase in f" {' '.join(haystack)} " else apart).append(entry)
    return together + apart


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _searchable(entry: CatalogEntry) -> Iterator[str]:
    yield entry.id
    yield summary_text(entry)
    if isinstance(entry, Agency):
        yield from entry.short
        yield from entry.misspellings
    if isinstance(entry, TaskDef):
        yield from (*entry.lead, *entry.support, entry.content)


# Where a form uses each kind of entry: the `part` of the sections it belongs in (docs/form.md).
# Shown translated (`_`), but for the values that are only a form key.
FITS = {
    "basis": "opening.bases", "objective": N_("sections with part: objectives or purpose"),
    "requirement": N_("sections with part: requirements or purpose"),
    "audience": N_("sections with part: audience"), "content": N_("sections with part: contents"),
    "channel": N_("sections with part: forms"), "funding": N_("sections with part: funding"),
    "duty": N_("an agency's duties, in a section with part: implementation"),
    "agency": N_("sections with part: implementation (an agency with its duties)"),
    "task": N_("appendices[].tasks, or a section with part: tasks (written inline)"),
    "closing": "closing", "recipient": "recipients",
}
_FORM_KEYS = frozenset(("", "opening.bases", "closing", "recipients"))  # shown as they are


def describe(entry: CatalogEntry) -> list[tuple[str, str]]:
    """An entry as (field, value) rows for `catalog show`: text, source, validity and where a
    form uses it. The field names (marked here, compared in English) and the words of the
    values kh-gen writes itself are given in the current language; the entry's own texts, id
    and kind stay as they are."""
    fits = FITS.get(entry.kind, "")
    rows: list[tuple[str, str]] = [(N_("id"), entry.id), (N_("kind"), entry.kind),
                                   (N_("fits"), fits if fits in _FORM_KEYS else _(fits))]
    if isinstance(entry, LegalBasis):
        rows += [(N_("citation"), summary_text(entry)), (N_("scope"), entry.scope)]
    elif isinstance(entry, Agency):
        rows += [(N_("name"), entry.name), (N_("level"), entry.level),
                 (N_("short"), ", ".join(entry.short)),
                 (N_("misspellings"), ", ".join(entry.misspellings)),
                 (N_("request"), _("yes (the plan writes 'Đề nghị …')") if entry.request
                  else _("no")),
                 (N_("successor"), entry.successor or "")]
    elif isinstance(entry, Duty):
        rows += [(N_("agency"), entry.agency), (N_("plan kind"), entry.plan_kind),
                 (N_("text"), entry.text)]
    elif isinstance(entry, TaskDef):
        rows += [(N_("task"), entry.name), (N_("lead"), ", ".join(entry.lead)),
                 (N_("support"), ", ".join(entry.support)), (N_("time"), entry.time),
                 (N_("notes"), entry.notes), (N_("content"), entry.content)]
    elif isinstance(entry, TextEntry):
        rows.append((N_("text"), entry.text))
        rows += [(N_("item"), item.text) for item in entry.items]
    if isinstance(entry, LegalBasis | Agency):
        start = f"{entry.valid_from:%d/%m/%Y}" if entry.valid_from else "…"
        end = f"{entry.valid_to:%d/%m/%Y}" if entry.valid_to else "…"
        rows.append((N_("valid"), f"{start} – {end}"))
    if isinstance(entry, LegalBasis) and entry.replaced_by:
        rows.append((N_("replaced by"), entry.replaced_by))
    shown = [(k, filled(entry, v) if k in _FILLED else v) for k, v in rows]
    if shown != rows:
        shown.append((N_("example"), example_note()))
    rows = shown
    rows += [(N_("source"), entry.source), (N_("defined at"), str(entry.location))]
    return [(_(k), v) for k, v in rows if v]


# The fields `catalog show` fills for the example locality (the others are names and dates).
_FILLED = frozenset(("citation", "name", "short", "text", "item", "task", "lead", "support",
                     "time", "notes", "content"))
