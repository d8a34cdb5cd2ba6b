"""The recognised plan written as a form: the YAML a clerk edits and `kh-gen build` reads.

Keys come in the order docs/form.md lists them; defaults are left out so the form stays short
(a list style that is already the default, a heading that is the template's own). An entry is
a plain string when it is free text alone, and a mapping when it is a catalogue reference or
has sub-entries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..yamlsource import dump_yaml
from .draft import DAgency, DBasis, DEntry, Draft, DTask


def form_data(draft: Draft) -> dict[str, Any]:
    issuer = draft.issuer
    data: dict[str, Any] = {"year": draft.year}
    issuer_data: dict[str, Any] = {"locality": issuer.locality, "level": issuer.level,
                                   "unit": issuer.unit, "place": issuer.place}
    if issuer.name != "Ủy ban nhân dân":
        issuer_data["name"] = issuer.name
    for name in ("parent", "subunits", "province", "governing_body"):
        value = getattr(issuer, name)
        if value:
            issuer_data[name] = value
    if issuer.code != "UBND":
        issuer_data["code"] = issuer.code
    data["issuer"] = issuer_data
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
    layout = {k: v for k, v in draft.layout.items()
              if not (k == "preamble" and v == "list") and not (k == "tasks" and v == "appendix")}
    if layout:
        data["layout"] = layout
    if draft.headings:
        data["headings"] = dict(draft.headings)
    preamble: dict[str, Any] = {}
    if draft.lead != "Căn cứ":
        preamble["lead"] = draft.lead
    preamble["bases"] = [_basis(b) for b in draft.bases]
    if draft.enacting:
        preamble["enacting"] = draft.enacting
    data["preamble"] = preamble
    for name in ("objectives", "requirements"):
        data[name] = _entries(getattr(draft, name))
    if draft.audience:
        data["audience"] = _entries(draft.audience)
    data["contents"] = _entries(draft.contents)
    data["forms"] = _entries(draft.forms)
    tasks: dict[str, Any] = {}
    if draft.tasks_intro:
        tasks["intro"] = [_flat_text(e) for e in draft.tasks_intro]
    appendix = {k: v for k, v in (("heading", draft.appendix_heading),
                                  ("title", draft.appendix_title)) if v}
    if appendix:
        tasks["appendix"] = appendix
    columns = {k: v for k, v in (("task", draft.column_task), ("notes", draft.column_notes)) if v}
    if columns:
        tasks["columns"] = columns
    tasks["items"] = [_task(t) for t in draft.tasks]
    data["tasks"] = tasks
    data["funding"] = _entries(draft.funding)
    data["implementation"] = [_agency(a) for a in draft.implementation]
    data["closing"] = _entry(draft.closing) if draft.closing else ""
    recipients: list[Any] = _entries(draft.recipients, depth_limit=1)
    if draft.archive:
        recipients.append({"archive": draft.archive})
    data["recipients"] = recipients
    signer = draft.signer
    signer_data: dict[str, Any] = {"authority": signer.authority, "title": signer.title,
                                   "name": signer.name}
    if signer.principal != "Chủ tịch" and signer.authority in ("KT", "TL", "TUQ"):
        signer_data["principal"] = signer.principal
    data["signer"] = signer_data
    return data


def form_text(draft: Draft, comment: str) -> str:
    return dump_yaml(form_data(draft), comment)


def _basis(basis: DBasis) -> Any:
    if basis.ref is None:
        return basis.text
    if basis.override:
        return {"ref": basis.ref, "text": basis.text}
    return {"ref": basis.ref}


def _entries(entries: list[DEntry], depth_limit: int = 3) -> list[Any]:
    return [_entry(e, depth_limit) for e in entries]


def _entry(entry: DEntry, depth_limit: int = 3, depth: int = 1) -> Any:
    items = entry.items[entry.ref_items:] if entry.ref else entry.items
    if depth >= depth_limit:
        items = []
    sub = [_entry(i, depth_limit, depth + 1) for i in items]
    if entry.ref is None:
        if not sub:
            return entry.text
        return {"text": entry.text, "items": sub}
    out: dict[str, Any] = {"ref": entry.ref}
    if entry.override:
        out["text"] = entry.text
    if sub:
        out["items"] = sub
    return out


def _flat_text(entry: DEntry) -> str:
    return "\n\n".join([entry.text, *(_flat_text(i) for i in entry.items)])


def _names(names: list[str]) -> Any:
    return names[0] if len(names) == 1 else list(names)


def _task(task: DTask) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if task.ref:
        out["ref"] = task.ref
    fields = {"name": task.name, "items": task.items, "lead": task.lead,
              "support": task.support, "time": task.time, "notes": task.notes,
              "content": task.content}
    for name, value in fields.items():
        if task.ref and name not in task.keep:
            continue
        if name in ("lead", "support"):
            if value or task.ref:
                out[name] = _names(value) if value else []  # type: ignore[arg-type]
        elif name == "items":
            if value:
                out[name] = list(value)  # type: ignore[arg-type]
        elif value or (task.ref and name in task.keep):
            out[name] = value
    if not task.ref and "name" not in out and "items" not in out:
        out["name"] = ""
    if task.subtasks:
        out["subtasks"] = [_task(s) for s in task.subtasks]
    return out


def _agency(agency: DAgency) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if agency.ref:
        out["ref"] = agency.ref
        if agency.request_default is None or agency.request != agency.request_default:
            out["request"] = agency.request
    else:
        out["agency"] = agency.name
        if agency.request:
            out["request"] = True
    out["duties"] = [_entry(d, depth_limit=2) for d in agency.duties]
    return out
