"""From a resolved plan to its outline, through the plan kind's Jinja template.

Python computes what the template must not: the number and date in the administrative style,
the citations, the list markers chosen in the form, and the appendix rows (numbered here). The
template decides wording and order only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .catalog import Agency, LegalBasis
from .dates import date_line, long_date
from .errors import Location
from .form import (
    AgencyEntry,
    Entry,
    Form,
    Issuer,
    Layout,
    PlanDate,
    Preamble,
    Signer,
    TaskEntry,
    Tasks,
)
from .outline import Outline, Row, parse_outline
from .plan import AgencyRole, Citation, Item, Plan, Task
from .resources import builtin_folder
from .textrender import TemplateSet, allow_records

# The marker a list style gives its entries, and what their sub-items get.
_MARKERS = {"letters": "point", "dashes": "dash", "paragraphs": "para"}
_BELOW = {"point": "dash", "para": "dash", "dash": "plus", "plus": "plus", "subhead": "dash"}
NUMBER_BLANK = "     "  # a draft's number, written by hand after signing

# Every record a plan template can reach from `_context`: their fields are read without the
# sandbox's per-access checks (see `allow_records`). A record missing here still works, slower.
allow_records(Plan, Citation, Item, Task, AgencyRole, Form, Issuer, PlanDate, Layout, Preamble,
              Entry, Tasks, TaskEntry, AgencyEntry, Signer, LegalBasis, Agency, Location)


def template_folders(user_folders: Sequence[Path] = ()) -> list[Path]:
    return [*(Path(f) for f in user_folders), builtin_folder("templates")]


def compose_outline(plan: Plan, templates: TemplateSet) -> Outline:
    """Render the plan through `<kind>/plan.j2` and parse the result."""
    name = f"{plan.form.kind}/plan.j2"
    markup = templates.render(name, _context(plan))
    return parse_outline(markup, name, {"tasks": task_rows(plan.tasks)})


def number_text(plan: Plan) -> str:
    """The number as the decree writes it: below 10 with a leading zero; blank in a draft."""
    number = plan.form.number
    if number is None:
        return NUMBER_BLANK
    return f"{int(number):02d}"


def _context(plan: Plan) -> dict[str, Any]:
    form = plan.form
    layout = form.layout
    title = " ".join(form.title)
    return {
        "plan": plan,
        "form": form,
        "issuer": form.issuer,
        "year": form.year,
        "layout": layout,
        "headings": form.headings,
        "number": number_text(plan),
        "date": long_date(form.date),
        "dateline": date_line(form.issuer.place, form.date),
        "title": title,
        "title_in_sentence": title[:1].lower() + title[1:],
        "marker": lambda part: _MARKERS[layout.list_style(part)],
        "below": lambda marker: _BELOW[marker],
        "closing": _with_end_mark(plan.closing),
        "requested": requested,
    }


def requested(name: str) -> str:
    """A name after "Đề nghị": a group named by a common noun loses its capital ("Đề nghị
    các cơ quan báo chí"), a proper name keeps it ("Đề nghị Ban Tuyên giáo")."""
    first = name.split(" ", 1)[0]
    if first in ("Các", "Những", "Mọi"):
        return name[0].lower() + name[1:]
    return name


def _with_end_mark(text: str) -> str:
    """The closing sentence ends with `./.`, whatever the clerk typed at its end."""
    text = text.rstrip()
    while text and text[-1] in "./;,":
        text = text[:-1].rstrip()
    return f"{text}./."


def task_rows(tasks: Sequence[Task]) -> tuple[Row, ...]:
    """Appendix rows, `TT` numbered here: 1, 2 … and 2.1, 2.2 … for the parts of a task."""
    rows: list[Row] = []
    for n, task in enumerate(tasks, 1):
        rows.append(_row(str(n), task, group=bool(task.subtasks)))
        rows.extend(_row(f"{n}.{k}", sub) for k, sub in enumerate(task.subtasks, 1))
    return tuple(rows)


def _row(number: str, task: Task, group: bool = False) -> Row:
    return Row((
        (number,),
        _lines(task.name, task.items),
        _names(task.lead),
        _names(task.support),
        (task.time,) if task.time else (),
        (task.notes,) if task.notes else (),
    ), group=group)


def _lines(first: str, items: Sequence[str]) -> tuple[str, ...]:
    return (*((first,) if first else ()), *(f"- {i}" for i in items))


def _names(names: Sequence[str]) -> tuple[str, ...]:
    if len(names) <= 1:
        return tuple(names)
    return tuple(f"- {n}" for n in names)
