"""Browsing the catalogue: list by kind, show one entry, search without accents.

Clerks type without diacritics more often than not, so search folds both the query and the
entries ("tuyen truyen" finds "tuyên truyền", "dang" finds "Đảng").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from .catalog import KINDS, Agency, Catalog, CatalogEntry, Duty, LegalBasis, TaskDef, TextEntry
from .errors import KhGenError, Location, Problem
from .schema import nearest


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


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
        raise KhGenError([Problem(Location("catalog"), f"unknown kind '{kind}'"
                                  + (f"; did you mean '{hint}'?" if hint
                                     else f"; kinds: {', '.join(KINDS)}"))])
    return [e for e in catalog.entries.values() if kind is None or e.kind == kind]


def find_entry(catalog: Catalog, entry_id: str) -> CatalogEntry:
    entry = catalog.get(entry_id)
    if entry is None:
        hint = catalog.suggest(entry_id)
        raise KhGenError([Problem(Location("catalog"), f"no entry '{entry_id}'"
                                  + (f"; did you mean '{hint}'?" if hint else ""))])
    return entry


def search_entries(catalog: Catalog, query: str) -> list[CatalogEntry]:
    """Entries whose id, text or names contain every word of the query, accents ignored."""
    words = fold(query).split()
    found = []
    for entry in catalog.entries.values():
        haystack = fold(" ".join(_searchable(entry)))
        if all(w in haystack for w in words):
            found.append(entry)
    return found


def _searchable(entry: CatalogEntry) -> Iterator[str]:
    yield entry.id
    yield summary_text(entry)
    if isinstance(entry, Agency):
        yield from entry.short
        yield from entry.misspellings
    if isinstance(entry, TaskDef):
        yield from (*entry.lead, *entry.support, entry.content)


# Where a form uses each kind of entry: the `part` of the sections it belongs in (docs/form.md).
FITS = {
    "basis": "opening.bases", "objective": "sections with part: objectives or purpose",
    "requirement": "sections with part: requirements or purpose",
    "audience": "sections with part: audience", "content": "sections with part: contents",
    "channel": "sections with part: forms", "funding": "sections with part: funding",
    "duty": "an agency's duties, in a section with part: implementation",
    "agency": "sections with part: implementation (an agency with its duties)",
    "task": "appendices[].tasks, or a section with part: tasks (written inline)",
    "closing": "closing", "recipient": "recipients",
}


def describe(entry: CatalogEntry) -> list[tuple[str, str]]:
    """An entry as (field, value) rows for `catalog show`: text, source, validity and where a
    form uses it."""
    rows: list[tuple[str, str]] = [("id", entry.id), ("kind", entry.kind),
                                   ("fits", FITS.get(entry.kind, ""))]
    if isinstance(entry, LegalBasis):
        rows += [("citation", summary_text(entry)), ("scope", entry.scope)]
    elif isinstance(entry, Agency):
        rows += [("name", entry.name), ("level", entry.level),
                 ("short", ", ".join(entry.short)),
                 ("misspellings", ", ".join(entry.misspellings)),
                 ("request", "yes (the plan writes 'Đề nghị …')" if entry.request else "no"),
                 ("successor", entry.successor or "")]
    elif isinstance(entry, Duty):
        rows += [("agency", entry.agency), ("plan kind", entry.plan_kind), ("text", entry.text)]
    elif isinstance(entry, TaskDef):
        rows += [("task", entry.name), ("lead", ", ".join(entry.lead)),
                 ("support", ", ".join(entry.support)), ("time", entry.time),
                 ("notes", entry.notes), ("content", entry.content)]
    elif isinstance(entry, TextEntry):
        rows.append(("text", entry.text))
        rows += [("item", item.text) for item in entry.items]
    if isinstance(entry, LegalBasis | Agency):
        start = f"{entry.valid_from:%d/%m/%Y}" if entry.valid_from else "…"
        end = f"{entry.valid_to:%d/%m/%Y}" if entry.valid_to else "…"
        rows.append(("valid", f"{start} – {end}"))
    if isinstance(entry, LegalBasis) and entry.replaced_by:
        rows.append(("replaced by", entry.replaced_by))
    rows += [("source", entry.source), ("defined at", str(entry.location))]
    return [(k, v) for k, v in rows if v]
