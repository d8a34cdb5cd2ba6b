"""The recognised plan written as a form: the YAML a clerk edits and `kh-gen build` reads.

Keys come in the order docs/form.md lists them; defaults are left out so the form stays short
(the "Căn cứ" lead, a list style that is already the default for its depth, the appendix
heading "Phụ lục"). An entry is a plain string when it is free text alone, and a mapping when
it is a catalogue reference or has sub-entries; a section is a mapping with its heading, part,
style and items, nested as the plan nests them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..form import DEFAULT_STYLES, STYLE_BELOW
from ..yamlsource import dump_yaml
from .draft import (
    DAgency,
    DAppendix,
    DBasis,
    DEntry,
    DGroup,
    Draft,
    DSection,
    DTable,
    DTask,
    Item,
)


def form_data(draft: Draft) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": draft.kind, "year": draft.year, "issuer": _issuer(draft)}
    if draft.number:
        data["number"] = int(draft.number)
    if draft.date:
        year, month, day = draft.date
        if month and day:
            try:
                data["date"] = dt.date(year, month, day)
            except ValueError:
                data["date"] = f"{year:04d}-{month:02d}"
        elif month:
            data["date"] = f"{year:04d}-{month:02d}"
    data["title"] = draft.title[0] if len(draft.title) == 1 else list(draft.title)
    if draft.opening:
        data["opening"] = _opening(draft)
    data["sections"] = [_section(s, 1) for s in draft.sections]
    if draft.closing:
        data["closing"] = _entry(draft.closing, "paragraphs")
    recipients: list[Any] = [_entry(DEntry(r.text, r.where, ref=r.ref, override=r.override),
                                    "dashes") for r in draft.recipients]
    if draft.archive:
        recipients.append({"archive": draft.archive})
    data["recipients"] = recipients
    data["signer"] = _signer(draft)
    if draft.appendices:
        data["appendices"] = [_appendix(a) for a in draft.appendices]
    if draft.footnotes:
        data["footnotes"] = {int(k) if k.isascii() and k.isdigit() else k: v
                             for k, v in draft.footnotes.items()}
    return data


def form_text(draft: Draft, comment: str) -> str:
    return dump_yaml(form_data(draft), comment)


def _issuer(draft: Draft) -> dict[str, Any]:
    issuer = draft.issuer
    out: dict[str, Any] = {"locality": issuer.locality, "level": issuer.level,
                           "unit": issuer.unit, "place": issuer.place}
    if issuer.name != "Ủy ban nhân dân":
        out["name"] = issuer.name
    for name in ("parent", "subunits", "province", "governing_body"):
        value = getattr(issuer, name)
        if value:
            out[name] = value
    if issuer.code != "UBND":
        out["code"] = issuer.code
    if not issuer.collective:
        out["collective"] = False
    return out


def _opening(draft: Draft) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if draft.lead != "Căn cứ":
        out["lead"] = draft.lead
    if draft.opening_style != "list":
        out["style"] = draft.opening_style
    if draft.dates != "short":
        out["dates"] = draft.dates
    out["bases"] = [_basis(b) for b in draft.bases]
    if draft.enacting is not None:
        out["enacting"] = draft.enacting
    return out


def _basis(basis: DBasis) -> Any:
    if basis.lead:
        return {"text": basis.text, "lead": basis.lead}
    if basis.ref is None:
        return basis.text
    if basis.override:
        return {"ref": basis.ref, "text": basis.text}
    return {"ref": basis.ref}


def _section(section: DSection, depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if section.heading:
        out["heading"] = section.heading
    if section.part:
        out["part"] = section.part
    style = section.style or DEFAULT_STYLES.get(depth, "dashes")
    if section.style and section.style != DEFAULT_STYLES.get(depth):
        out["style"] = section.style
    if section.items:  # a heading with nothing under it ("III. NHIỆM VỤ CỤ THỂ") stays so
        out["items"] = [_item(i, style, depth) for i in section.items]
    return out


def _item(item: Item, style: str, depth: int) -> Any:
    if isinstance(item, DSection):
        return _section(item, depth + 1)
    if isinstance(item, DTable):
        return {"table": _table(item)}
    if isinstance(item, DAgency):
        return _agency(item, depth)
    if isinstance(item, DTask):
        return _inline_task(item)
    return _entry(item, style)


def _entry(entry: DEntry, style: str) -> Any:
    """`style` is the marker the entry itself carries; its items' default is the one below."""
    items = entry.items[entry.ref_items:] if entry.ref else entry.items
    own = entry.style or STYLE_BELOW[style]
    sub = [_entry(i, own) for i in items]
    if entry.ref is None and not sub:
        return entry.text
    out: dict[str, Any] = {}
    if entry.ref is None:
        out["text"] = entry.text
    else:
        out["ref"] = entry.ref
        if entry.override:
            out["text"] = entry.text
    if sub and entry.style and entry.style != STYLE_BELOW[style]:
        out["style"] = entry.style
    if sub:
        out["items"] = sub
    return out


def _names(names: list[str]) -> Any:
    return names[0] if len(names) == 1 else list(names)


def _table(table: DTable) -> dict[str, Any]:
    rows: list[Any] = [{"group": r} if isinstance(r, str) else list(r) for r in table.rows]
    return {"columns": list(table.columns), "rows": rows}


def _agency(agency: DAgency, depth: int) -> dict[str, Any]:
    """An agency in a section at `depth`: its duties are marked as a sub-section's would be
    (a single duty without items is a paragraph)."""
    out: dict[str, Any] = {}
    if agency.ref:
        out["ref"] = agency.ref
        if agency.request_default is None or agency.request != agency.request_default:
            out["request"] = agency.request
    else:
        out["agency"] = agency.name
        if agency.request:
            out["request"] = True
    default = DEFAULT_STYLES.get(depth + 1, "dashes")
    style = agency.style or default
    out["duties"] = [_entry(d, style) for d in agency.duties]
    if agency.style and agency.style != default:
        out["style"] = agency.style
    return out


def _inline_task(task: DTask) -> dict[str, Any]:
    out: dict[str, Any] = {"task": task.name}
    if task.lead:
        out["lead"] = _names(task.lead)
    if task.support:
        out["support"] = _names(task.support)
    if task.content:
        out["content"] = task.content
    if task.subtasks:
        out["subtasks"] = [_inline_task(t) for t in task.subtasks]
    return out


def _task(task: DTask) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if task.ref:
        out["ref"] = task.ref
    fields: dict[str, Any] = {"task": task.name, "items": task.items, "lead": task.lead,
                              "support": task.support, "time": task.time,
                              "product": task.product, "notes": task.notes,
                              "monitor": task.monitor}
    for name, value in fields.items():
        keep = name if name != "task" else "name"
        if task.ref and keep not in task.keep:
            continue
        if name in ("lead", "support"):
            if value or (task.ref and keep in task.keep):
                out[name] = _names(value) if value else []
        elif name == "items":
            if value:
                out[name] = list(value)
        elif value or name == "task" or (task.ref and keep in task.keep):
            out[name] = value
    if task.rows:
        out["rows"] = [{k: (_names(v) if isinstance(v, list) else v)
                        for k, v in row.fields.items()} for row in task.rows]
    if task.subtasks:
        out["subtasks"] = [_task(s) for s in task.subtasks]
    return out


def _group(item: DTask | DGroup) -> dict[str, Any]:
    if isinstance(item, DGroup):
        return {"group": item.name, "tasks": [_group(t) for t in item.tasks]}
    return _task(item)


def _appendix(appendix: DAppendix) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if appendix.heading:
        out["heading"] = appendix.heading
    out["title"] = appendix.title
    if appendix.subtitle:
        out["subtitle"] = appendix.subtitle
    if appendix.reference:
        out["reference"] = appendix.reference
    if appendix.columns:
        out["columns"] = [{"field": c.field, "title": c.title} for c in appendix.columns]
        if appendix.numbering != "restart":
            out["numbering"] = appendix.numbering
        out["tasks"] = [_group(t) for t in appendix.tasks]
    if appendix.sections:
        out["sections"] = [_section(s, 1) for s in appendix.sections]
    if appendix.table is not None:
        out["table"] = _table(appendix.table)
    return out


def _signer(draft: Draft) -> dict[str, Any]:
    signer = draft.signer
    out: dict[str, Any] = {"authority": signer.authority, "title": signer.title,
                           "name": signer.name}
    if signer.principal != "Chủ tịch" and signer.authority in ("KT", "TL", "TUQ"):
        out["principal"] = signer.principal
    if not signer.collective:
        out["collective"] = False
    return out
