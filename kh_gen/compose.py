"""From a resolved plan to its outline: the body's sections in Python, the frame in Jinja.

Python computes what a template must not: the number and date in the administrative style, the
citations, the markers each list's style gives, the body's sections in the clerk's order (each
as `@role text` lines whose labels `outline.parse_outline` numbers), the tables with their rows
numbered, the footnotes numbered in reading order. The kind's template (`<kind>/plan.j2`)
decides the wording and order of the frame around the body: header, title, opening, closing,
signature and the appendices' headings. It receives plain data only: text, numbers, tuples
and mappings of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .dates import date_line, long_date
from .errors import Location
from .form import DEFAULT_STYLES, FOOTNOTE_MARKER, STYLE_BELOW
from .kinds import Kind
from .outline import Outline, Paragraph, Row, Table, parse_outline
from .plan import AgencyRole, Appendix, Item, Plan, Section, Task, TaskGroup
from .plan import Table as PlanTable
from .resources import builtin_folder
from .textrender import TemplateSet, render_text

# The marker a list style gives its entries, and what their sub-items get by default.
MARKERS = {"letters": "point", "dashes": "dash", "plus": "plus", "paragraphs": "para",
           "numbers": "entry"}
_BELOW = {MARKERS[style]: MARKERS[below] for style, below in STYLE_BELOW.items()}
# A section's heading role by depth, and the style of its entries when it names none.
HEADING_ROLES = {1: "section", 2: "item", 3: "subhead"}
NUMBER_BLANK = "     "  # a draft's number, written by hand after signing
END_MARK = "./."


def template_folders(user_folders: Sequence[Path] = ()) -> list[Path]:
    return [*(Path(f) for f in user_folders), builtin_folder("templates")]


def compose_outline(plan: Plan, templates: TemplateSet) -> Outline:
    """Render the plan through its kind's template and parse the result."""
    composer = _Composer(plan)
    context = composer.context()
    name = plan.kind.template or f"{plan.kind.id}/plan.j2"
    markup = templates.render(name, context)
    outline = parse_outline(markup, name, composer.tables)
    return composer.number_footnotes(outline)


def number_text(plan: Plan) -> str:
    """The number as the decree writes it: below 10 with a leading zero; blank in a draft."""
    number = plan.form.number
    if number is None:
        return NUMBER_BLANK
    return f"{int(number):02d}"


def requested(name: str) -> str:
    """A name after "Đề nghị": a group named by a common noun loses its capital ("Đề nghị
    các cơ quan báo chí"), a proper name keeps it ("Đề nghị Ban Tuyên giáo")."""
    first = name.split(" ", 1)[0]
    if first in ("Các", "Những", "Mọi"):
        return name[0].lower() + name[1:]
    return name


def with_end_mark(text: str) -> str:
    """The last text of the body ends with `./.`, whatever the clerk typed at its end."""
    text = text.rstrip()
    while text and text[-1] in "./;,":
        text = text[:-1].rstrip()
    return f"{text}{END_MARK}"


class _Composer:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.kind: Kind = plan.kind
        self.wording = plan.kind.wording
        self.tables: dict[str, Table] = {}

    # -- the frame's values ------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the kind's wording may use, besides the catalogue's own values."""
        form = self.plan.form
        title = " ".join(form.title)
        issuer = form.issuer
        return {**self.plan.context, "title": title,
                "title_in_sentence": title[:1].lower() + title[1:],
                "issuer_name": issuer.name, "code": issuer.code,
                "number": number_text(self.plan), "date": long_date(form.date)}

    def word(self, key: str, values: dict[str, Any], default: str = "") -> str:
        text = self.wording.get(key, default)
        return render_text(text, values, Location(f"{self.kind.id}/kind.yaml"))

    def context(self) -> dict[str, Any]:
        plan = self.plan
        form = plan.form
        issuer = form.issuer
        values = self.values()
        body = self.body(plan.sections)
        closing = plan.closing
        if closing:
            closing = with_end_mark(closing)
        elif body and not body[-1].startswith("@table "):
            body[-1] = _end_marked(body[-1])  # a body ending on a table has no text to mark
        opening = None
        if form.opening is not None:
            enacting = form.opening.enacting
            if enacting is None:
                enacting = self.word("enacting", values) if plan.citations else ""
            opening = {"lead": form.opening.lead, "style": form.opening.style,
                       "bases": tuple((c.lead or form.opening.lead, c.text)
                                      for c in plan.citations),
                       "enacting": enacting}
        appendices = tuple(self.appendix(a, index, values)
                           for index, a in enumerate(plan.appendices))
        return {
            "issuer": {"name": issuer.name, "locality": issuer.locality,
                       "governing_body": issuer.governing_body, "code": issuer.code,
                       "level": issuer.level},
            "year": form.year,
            "number": values["number"],
            "date": values["date"],
            "dateline": date_line(issuer.place, form.date),
            "title": values["title"],
            "title_lines": tuple(form.title),
            "opening": opening,
            "body": "\n".join(body),
            "closing": closing,
            "recipients": tuple(r.text for r in plan.recipients),
            "archive": form.archive or "",
            "authority": plan.authority,
            "signer": form.signer.name,
            "appendices": appendices,
            "several_appendices": len(appendices) > 1,
        }

    # -- the body ------------------------------------------------------------------------------

    def body(self, sections: Sequence[Section]) -> list[str]:
        lines: list[str] = []
        for section in sections:
            self.section(section, 1, lines)
        return lines

    def section(self, section: Section, depth: int, out: list[str]) -> None:
        if section.heading:
            out.append(f"@{HEADING_ROLES.get(depth, 'dash')} {section.heading}")
        marker = MARKERS[section.style or DEFAULT_STYLES.get(depth, "dashes")]
        for block in section.blocks:
            if isinstance(block, Section):
                self.section(block, depth + 1, out)
            elif isinstance(block, AgencyRole):
                self.role(block, depth, out)
            elif isinstance(block, Task):
                self.inline_task(block, depth, out)
            elif isinstance(block, PlanTable):
                out.append(f"@table {self.plain_table(block)}")
            else:
                self.entry(block, marker, out)

    def entry(self, item: Item, marker: str, out: list[str]) -> None:
        out.append(f"@{marker} {item.paragraphs[0]}")
        out.extend(f"@cont {more}" for more in item.paragraphs[1:])
        below = MARKERS[item.style] if item.style else _BELOW[marker]
        for sub in item.items:
            self.entry(sub, below, out)

    def role(self, role: AgencyRole, depth: int, out: list[str]) -> None:
        heading = f"{self.wording.get('request', 'Đề nghị')} {requested(role.name)}" \
            if role.request else role.name
        out.append(f"@{HEADING_ROLES.get(depth + 1, 'dash')} {heading}")
        if len(role.duties) == 1 and not role.duties[0].items:
            marker = "para"
        else:
            marker = MARKERS[role.style or DEFAULT_STYLES.get(depth + 1, "dashes")]
        for duty in role.duties:
            self.entry(duty, marker, out)

    def inline_task(self, task: Task, depth: int, out: list[str]) -> None:
        out.append(f"@{HEADING_ROLES.get(depth + 1, 'dash')} {task.name}")
        if task.subtasks:
            for sub in task.subtasks:
                out.append(f"@{HEADING_ROLES.get(depth + 2, 'dash')} {sub.name}")
                self.task_lines(sub, out)
        else:
            self.task_lines(task, out)

    def task_lines(self, task: Task, out: list[str]) -> None:
        w = self.wording
        out.append(f"@dash {w.get('task_lead', 'Cơ quan chủ trì')}: {', '.join(task.lead)}")
        out.append(f"@dash {w.get('task_support', 'Cơ quan phối hợp')}: "
                   f"{', '.join(task.support)}")
        out.append(f"@dash {w.get('task_content', 'Nội dung')}: {task.content or task.name}")

    # -- tables --------------------------------------------------------------------------------

    def _add(self, table: Table) -> str:
        name = f"t{len(self.tables) + 1}"
        self.tables[name] = table
        return name

    def plain_table(self, table: PlanTable) -> str:
        rows = []
        for row in table.rows:
            if isinstance(row, str):
                rows.append(Row(((row,),), bold=True, span=True))
            else:
                rows.append(Row(tuple(row)))
        return self._add(Table(table.columns, tuple(rows), ("",) * len(table.columns)))

    def task_table(self, appendix: Appendix) -> str:
        fields = tuple(field for field, _ in appendix.columns)
        rows: list[Row] = []
        counter = [0]

        def add_tasks(entries: Sequence[Task | TaskGroup], depth: int) -> None:
            groups = 0
            for entry in entries:
                if isinstance(entry, TaskGroup):
                    groups += 1
                    if appendix.numbering == "restart":
                        counter[0] = 0
                    label = _group_label(depth, groups)
                    rows.append(Row(((label,), (entry.title,)), bold=True, span=True))
                    add_tasks(entry.tasks, depth + 1)
                    continue
                counter[0] += 1
                number = str(counter[0])
                rows.append(_task_row(number, entry, fields, bold=bool(entry.subtasks)))
                rows.extend(_task_row(f"{number}.{k}", sub, fields)
                            for k, sub in enumerate(entry.subtasks, 1))
                for extra in entry.rows:
                    rows.append(_extra_row(extra, fields))

        add_tasks(appendix.tasks, 1)
        titles = tuple(title for _, title in appendix.columns)
        return self._add(Table(titles, tuple(rows), fields))

    # -- appendices ----------------------------------------------------------------------------

    def appendix(self, appendix: Appendix, index: int, values: dict[str, Any]
                 ) -> dict[str, Any]:
        lines: list[str] = []
        if appendix.tasks:
            lines.append(f"@table {self.task_table(appendix)}")
        if appendix.table is not None:
            lines.append(f"@table {self.plain_table(appendix.table)}")
        for section in appendix.sections:
            self.section(section, 1, lines)
        reference = appendix.reference
        if reference is None:
            reference = self.word("appendix_reference", values)
        from .numbering import roman

        return {"heading": appendix.heading, "title": appendix.title, "numeral": roman(index + 1),
                "subtitle": appendix.subtitle, "reference": reference,
                "orientation": appendix.orientation, "body": "\n".join(lines),
                "index": index + 1}

    # -- footnotes -----------------------------------------------------------------------------

    def number_footnotes(self, outline: Outline) -> Outline:
        """`[^key]` markers become `[^1]`, `[^2]` … in reading order, with the texts in that
        order (a key used twice keeps its first number)."""
        notes = self.plan.form.footnotes
        if not notes:
            return outline
        numbers: dict[str, int] = {}

        def renumber(text: str) -> str:
            if "[^" not in text:
                return text

            def one(match: re.Match[str]) -> str:
                key = match[1]
                if key not in notes:
                    return match[0]
                numbers.setdefault(key, len(numbers) + 1)
                return f"[^{numbers[key]}]"

            return FOOTNOTE_MARKER.sub(one, text)

        def blocks(items: Sequence[Paragraph | Table]) -> tuple[Paragraph | Table, ...]:
            out: list[Paragraph | Table] = []
            for block in items:
                if isinstance(block, Paragraph):
                    out.append(block._replace(text=renumber(block.text)))
                else:
                    out.append(block._replace(rows=tuple(
                        row._replace(cells=tuple(tuple(renumber(x) for x in cell)
                                                 for cell in row.cells))
                        for row in block.rows)))
            return tuple(out)

        summary = tuple(renumber(line) for line in outline.summary)
        body = blocks(outline.body)
        closing = outline.closing._replace(recipients=outline.closing.recipients)
        appendices = tuple(a._replace(body=blocks(a.body)) for a in outline.appendices)
        texts = tuple(notes[key] for key in sorted(numbers, key=numbers.__getitem__))
        return outline._replace(summary=summary, body=body, closing=closing,
                                appendices=appendices, footnotes=texts)


def _end_marked(line: str) -> str:
    role, _, text = line.partition(" ")
    return f"{role} {with_end_mark(text)}" if text else line


def _group_label(depth: int, position: int) -> str:
    from .numbering import roman

    return roman(position) if depth == 1 else str(position)


def _task_row(number: str, task: Task, fields: Sequence[str], bold: bool = False) -> Row:
    cells = []
    for field in fields:
        if field == "number":
            cells.append((number,))
        elif field == "name":
            cells.append(_lines(task.name, task.items))
        elif field in ("lead", "support"):
            cells.append(_names(getattr(task, field)))
        else:
            value = getattr(task, field, "")
            cells.append((value,) if value else ())
    return Row(tuple(cells), bold=bold)


def _extra_row(extra: Any, fields: Sequence[str]) -> Row:
    cells = []
    merged = []
    for index, field in enumerate(fields):
        if field in ("number", "name"):
            cells.append(())
            merged.append(index)
        elif field in ("lead", "support"):
            cells.append(_names(getattr(extra, field)))
        else:
            value = getattr(extra, field, "")
            cells.append((value,) if value else ())
    return Row(tuple(cells), merged=tuple(merged))


def _lines(first: str, items: Sequence[str]) -> tuple[str, ...]:
    return (*((first,) if first else ()), *(f"- {i}" for i in items))


def _names(names: Sequence[str]) -> tuple[str, ...]:
    if len(names) <= 1:
        return tuple(names)
    return tuple(f"- {n}" for n in names)
