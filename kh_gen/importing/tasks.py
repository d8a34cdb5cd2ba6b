"""Task tables: an appendix (or body) table whose header names a task and who leads it.

Each column is mapped to a task field by the words of its header (`STT`, `Nhiệm vụ`, `Sản
phẩm`, `Thời gian …`, `Chủ trì …`, `Phối hợp …`, `Theo dõi, kiểm tra, đôn đốc`, `Ghi chú`),
whatever their order, and keeps its own title, so the rebuilt table has the plan's columns.
Rows are read as the clerk laid them out: a group row (`I`, `II` …, or a row with only a name)
opens a group; a row whose TT and name are empty (or merged down by Word) is a further row of
the same task; a row with a name but no TT, lead or support continues the row a page broke;
`2.1` rows are parts of the task above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Location
from ..i18n import _
from .blocks import Cell, Table
from .draft import DColumn, DGroup, DTask, DTaskRow
from .report import Report
from .textutil import key, one_line

# Checked in this order: "Theo dõi, kiểm tra, đôn đốc" before anything naming "thực hiện".
_FIELD_WORDS = (
    ("number", ("stt", "tt", "số tt", "số thứ tự")),
    ("monitor", ("theo dõi", "đôn đốc", "giám sát")),
    ("lead", ("chủ trì",)),
    ("support", ("phối hợp",)),
    ("time", ("thời gian", "thời hạn", "tiến độ")),
    ("product", ("sản phẩm", "kết quả")),
    ("notes", ("ghi chú",)),
    ("name", ("nhiệm vụ", "nội dung", "hoạt động", "công việc", "tên")),
)
_LIST_FIELDS = ("lead", "support")  # one agency a line; the rest is text
_ITEM_CUT = re.compile(r"(?:^|(?<=[.;:!?”\"]))\s*[-–•+]\s+")


@dataclass
class TaskTable:
    columns: list[DColumn]
    tasks: list[DTask | DGroup]
    numbering: str = "restart"  # "continue": TT runs on across groups (1, 2 | 3, 4)


def column_fields(row: list[str]) -> list[str | None]:
    """The task field each column holds (None: a column no field names)."""
    out: list[str | None] = []
    taken: set[str] = set()
    for text in row:
        folded = key(text)
        found = None
        for name, words in _FIELD_WORDS:
            if name in taken:
                continue
            if name == "number":
                if folded in words:
                    found = name
                    break
                continue
            if any(w in folded for w in words):
                found = name
                break
        if found:
            taken.add(found)
        out.append(found)
    return out


def header_row(table: Table) -> int | None:
    """The index of the row naming the columns, when every column names a task field and
    the table has a task and who leads it."""
    for index, row in enumerate(table.rows[:3]):
        fields = column_fields(expanded(row))
        # a column no field names (or a header cell spanning two: "Thời gian" over "Bắt
        # đầu | Kết thúc") makes it a table of its own, kept cell for cell
        if "lead" in fields and "name" in fields and None not in fields:
            return index
    return None


def expanded(row: list[Cell]) -> list[str]:
    """The row's text per grid column (a spanning cell fills its first column)."""
    out: list[str] = []
    for cell in row:
        out.append(" ".join(cell.lines))
        out.extend([""] * (cell.span - 1))
    return out


def read_task_table(tables: list[Table], report: Report) -> TaskTable:
    """Tasks from one or more tables (a table split by a page or a repeated header)."""
    top: list[DTask | DGroup] = []
    columns: list[DColumn] = []
    fields: dict[str, int] = {}
    head: list[str] = []
    last: DTask | None = None
    parent: DTask | None = None  # the last task that is not a part of another
    groups: list[DGroup] = []  # the open groups, outermost first
    firsts: list[str] = []  # the TT typed on the first task of each group
    for table in tables:
        start = header_row(table)
        if start is None:
            continue
        if not columns:
            head = expanded(table.rows[start])
            found = column_fields(head)
            columns = [DColumn(f, one_line(t)) for f, t in zip(found, head, strict=True) if f]
            fields = {f: i for i, f in enumerate(found) if f}
        above: dict[int, list[str]] = {}
        for index in range(start + 1, len(table.rows)):
            row = table.rows[index]
            where = table.row_where[index] if index < len(table.row_where) else table.where
            cells = _grid(row, above)
            own = _grid(row, {})
            texts = [" ".join(c) for c in own]
            if _is_repeat(texts, head) or _is_column_numbers(texts):
                continue
            if not any(t.strip() for t in texts):
                continue
            number = " ".join(_cell(own, fields, "number")).strip()
            name = _cell(own, fields, "name")
            spanning = len(row) == 1 and row[0].span > 1
            merged = _continued(row, fields, "number") or _continued(row, fields, "name")
            others = any(_cell(own, fields, f) for f in fields if f not in ("number", "name"))
            if last is not None and not spanning and (merged or (not number and not name)):
                last.rows.append(_row(own, fields, where))
                continue
            if last is not None and not number and not spanning and not others:
                _join(last, name, report, where)
                continue
            if spanning or re.fullmatch(r"[IVX]+\.?", number) or (not others and name and (
                    not number or not number[:1].isdigit() or _is_group_number(number, groups))):
                title = one_line(" ".join(name)) or number
                if spanning and not name:
                    title = re.sub(r"^[IVX]+\.?\s+|^\d+\.\s+", "", " ".join(cells[0]).strip())
                group = DGroup(title, where)
                nested = bool(groups) and bool(re.fullmatch(r"\d+\.?", number))
                if nested:
                    del groups[1:]
                    groups[0].tasks.append(group)
                    groups.append(group)
                else:
                    groups[:] = [group]
                    top.append(group)
                last = parent = None
                continue
            task = _task(cells, fields, where)
            if not task.name and not task.items:
                task.name = "…"  # a form's task has a name
                report.add(where, "guess", _("a table row with no task name (and no row "
                                             "above it continues): named '…'"))
            if re.fullmatch(r"\d+\.\d+\.?", number) and parent is not None:
                parent.subtasks.append(task)
                last = task
                continue
            siblings = groups[-1].tasks if groups else top
            if groups and not any(isinstance(t, DTask) for t in siblings):
                firsts.append(number)
            siblings.append(task)
            last = parent = task
    numbering = "continue" if any(n.isdigit() and int(n) > 1 for n in firsts[1:]) else \
        "restart"
    return TaskTable(columns, top, numbering)


def _is_group_number(number: str, groups: list[DGroup]) -> bool:
    return bool(groups) and bool(re.fullmatch(r"\d+\.", number))


def _grid(row: list[Cell], above: dict[int, list[str]]) -> list[list[str]]:
    """One list of lines per grid column; a cell merged down takes the lines above it (or,
    with `above` empty, none: the row's own text)."""
    out: list[list[str]] = []
    column = 0
    for cell in row:
        lines = above.get(column, []) if cell.continued else cell.lines
        if not cell.continued:
            above[column] = cell.lines
        out.append(list(lines))
        out.extend([] for _ in range(cell.span - 1))
        column += cell.span
    return out


def _continued(row: list[Cell], fields: dict[str, int], name: str) -> bool:
    """The cell of this field is merged down from the row above: the same task goes on."""
    index = fields.get(name)
    if index is None:
        return False
    column = 0
    for cell in row:
        if column == index:
            return cell.continued
        column += cell.span
    return False


def _cell(cells: list[list[str]], fields: dict[str, int], name: str) -> list[str]:
    index = fields.get(name)
    if index is None or index >= len(cells):
        return []
    return [one_line(line) for line in cells[index] if one_line(line)]


def _is_repeat(texts: list[str], head: list[str]) -> bool:
    return [key(t) for t in texts] == [key(h) for h in head][:len(texts)]


def _is_column_numbers(texts: list[str]) -> bool:
    filled = [t.strip() for t in texts if t.strip()]
    return len(filled) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?", t) for t in filled)


def _task(cells: list[list[str]], fields: dict[str, int], where: Location) -> DTask:
    task = DTask(where)
    task.name, task.items = _name_and_items(_cell(cells, fields, "name"))
    for name in _LIST_FIELDS:
        setattr(task, name, _names(_cell(cells, fields, name)))
    task.monitor = " ".join(_cell(cells, fields, "monitor"))
    task.time = " ".join(_cell(cells, fields, "time"))
    task.notes = " ".join(_cell(cells, fields, "notes"))
    task.product = " ".join(_cell(cells, fields, "product"))
    return task


def _row(cells: list[list[str]], fields: dict[str, int], where: Location) -> DTaskRow:
    row = DTaskRow(where)
    for name in ("product", "time", "lead", "support", "monitor", "notes"):
        lines = _cell(cells, fields, name)
        if lines:
            row.fields[name] = _names(lines) if name in _LIST_FIELDS else " ".join(lines)
    return row


def _join(task: DTask, name_lines: list[str], report: Report, where: Location) -> None:
    """A row broken by a page: its name cell goes on with the task above."""
    if task.rows:
        return
    more_name, more_items = _name_and_items(name_lines)
    if task.items:
        if more_name:
            task.items[-1] = f"{task.items[-1]} {more_name}"
        task.items.extend(more_items)
    else:
        task.name = one_line(f"{task.name} {more_name}")
        task.items.extend(more_items)
    report.add(where, "mended", _("a table row broken by a page was joined to the row above"))


def _name_and_items(lines: list[str]) -> tuple[str, list[str]]:
    """The task's name and the lines under it ("- …"); one line may hold several "- …"."""
    pieces: list[str] = []
    for line in lines:
        pieces.extend(_split_dashes(line))
    if not pieces:
        return "", []
    dashed = [p for p in pieces if p.startswith("\u0000")]
    if not dashed:
        return " ".join(pieces), []
    name = " ".join(p for p in pieces[:pieces.index(dashed[0])])
    items = []
    for piece in pieces[pieces.index(dashed[0]):]:
        if piece.startswith("\u0000"):
            items.append(piece[1:])
        elif items:
            items[-1] = f"{items[-1]} {piece}"
    return name, items


def _split_dashes(line: str) -> list[str]:
    """ "- A. - B." → ["\\0A.", "\\0B."]; a dash only starts an item at the start of the line
    or after the end of a sentence, so "kinh tế - xã hội" stays whole."""
    line = line.strip()
    if not re.match(r"^[-–•+]\s", line):
        return [line] if line else []
    parts = _ITEM_CUT.split(line)
    return ["\u0000" + p.strip() for p in parts if p.strip()]


def _names(lines: list[str]) -> list[str]:
    """Agencies in a cell: one per line, or several "- A; - B" on one line. A single line
    "A; B" stays one line: the clerk's own punctuation is kept."""
    out: list[str] = []
    for line in lines:
        for piece in _split_dashes(line):
            text = piece.lstrip("\u0000").strip()
            text = text.rstrip(";").strip()
            if text:
                out.append(text)
    return out
