"""Tasks: the appendix table's rows, or the activities written inline in part III.

A table row is mapped to a task by its header (`TT`, the task, `Cơ quan chủ trì`, `Cơ quan
phối hợp`, the time, `Sản phẩm`/`Ghi chú`), whatever the column order. Rows broken by a page
(a row whose `TT` is empty continues the one before), cells merged down (a `vMerge` cell takes
the text of the cell it continues), group rows spanning the table (`I`, `II` …, or a row with
only a name) and sub-rows (`2.1`) are all read back as kh-gen's tasks and subtasks.
Inline activities are "Cơ quan chủ trì: … / Cơ quan phối hợp: … / Nội dung: …" under a task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Location
from .blocks import Cell, Table
from .draft import DTask
from .report import Report
from .textutil import key, one_line

COLUMN_TASK_DEFAULT = "Nhiệm vụ"
COLUMN_NOTES_DEFAULT = "Sản phẩm"
_ROLE_WORDS = (
    ("lead", ("chủ trì",)),
    ("support", ("phối hợp",)),
    ("time", ("thời gian", "thời hạn", "tiến độ")),
    ("notes", ("sản phẩm", "ghi chú", "kết quả", "dự kiến")),
    ("number", ("stt", "tt", "số tt", "số thứ tự")),
    ("task", ("nhiệm vụ", "nội dung", "hoạt động", "công việc", "tên")),
)
_ITEM_CUT = re.compile(r"(?:^|(?<=[.;:!?”\"]))\s*[-–•+]\s+")


@dataclass
class TaskTable:
    columns: dict[str, int]
    header: list[str]
    tasks: list[DTask]


def column_roles(row: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, text in enumerate(row):
        folded = key(text)
        for role, words in _ROLE_WORDS:
            if role in roles:
                continue
            if role == "number":
                if folded in words:
                    roles[role] = index
                    break
                continue
            if any(w in folded for w in words):
                roles[role] = index
                break
    return roles


def header_row(table: Table) -> int | None:
    """The index of the row naming the columns, when this is a task table."""
    for index, row in enumerate(table.rows[:3]):
        roles = column_roles(_expanded(row))
        if "lead" in roles and ("task" in roles or "number" in roles):
            return index
    return None


def _expanded(row: list[Cell]) -> list[str]:
    """The row's text per grid column (a spanning cell fills its first column)."""
    out: list[str] = []
    for cell in row:
        out.append(" ".join(cell.lines))
        out.extend([""] * (cell.span - 1))
    return out


def read_task_table(tables: list[Table], report: Report) -> TaskTable:
    """Tasks from one or more tables (a table split by a page or repeated header)."""
    tasks: list[DTask] = []
    columns: dict[str, int] = {}
    header: list[str] = []
    last: DTask | None = None
    group: DTask | None = None
    for table in tables:
        start = header_row(table)
        if start is None:
            continue
        head = _expanded(table.rows[start])
        if not columns:
            columns, header = column_roles(head), head
        above: dict[int, list[str]] = {}
        for index in range(start + 1, len(table.rows)):
            row = table.rows[index]
            where = table.row_where[index] if index < len(table.row_where) else table.where
            cells = _grid(row, above)
            texts = [" ".join(c) for c in cells]
            if _is_repeat(texts, head) or _is_column_numbers(texts):
                continue
            if not any(t.strip() for t in texts):
                continue
            number = _cell(cells, columns, "number")
            number_text = " ".join(number).strip()
            spanning = len(row) == 1 and row[0].span > 1
            continued = _number_continued(row, columns)
            own = _grid(row, {})
            bare = not _cell(own, columns, "lead") and not _cell(own, columns, "support")
            if (not number_text and bare and last is not None and not spanning) or continued:
                _continue(last, cells, columns, where, report)
                continue
            task = _task(cells, columns, where)
            if spanning or re.fullmatch(r"[IVX]+\.?", number_text) or (
                    not task.lead and not task.support and not task.time and number_text
                    and not number_text[:1].isdigit()):
                if spanning and task.name == "" and number_text:
                    task.name, number_text = number_text, ""
                tasks.append(task)
                group = task
                last = task
                continue
            if re.fullmatch(r"\d+\.\d+\.?", number_text) and last is not None:
                parent = group or (tasks[-1] if tasks else None)
                if parent is not None:
                    parent.subtasks.append(task)
                    last = task
                    continue
            if group is not None and re.fullmatch(r"\d+\.?", number_text or "1"):
                group.subtasks.append(task)
            else:
                tasks.append(task)
            last = task
    return TaskTable(columns, header, tasks)


def _grid(row: list[Cell], above: dict[int, list[str]]) -> list[list[str]]:
    """One list of lines per grid column; a cell merged down takes the lines above it."""
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


def _number_continued(row: list[Cell], columns: dict[str, int]) -> bool:
    """The TT cell is merged down from the row above: the same task goes on."""
    index = columns.get("number")
    if index is None:
        return False
    column = 0
    for cell in row:
        if column == index:
            return cell.continued
        column += cell.span
    return False


def _cell(cells: list[list[str]], columns: dict[str, int], role: str) -> list[str]:
    index = columns.get(role)
    if index is None or index >= len(cells):
        return []
    return [one_line(line) for line in cells[index] if one_line(line)]


def _is_repeat(texts: list[str], head: list[str]) -> bool:
    return [key(t) for t in texts] == [key(h) for h in head][:len(texts)]


def _is_column_numbers(texts: list[str]) -> bool:
    filled = [t.strip() for t in texts if t.strip()]
    return len(filled) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?", t) for t in filled)


def _task(cells: list[list[str]], columns: dict[str, int], where: Location) -> DTask:
    task = DTask(where)
    name_lines = _cell(cells, columns, "task")
    task.name, task.items = _name_and_items(name_lines)
    task.lead = _names(_cell(cells, columns, "lead"))
    task.support = _names(_cell(cells, columns, "support"))
    task.time = " ".join(_cell(cells, columns, "time"))
    task.notes = " ".join(_cell(cells, columns, "notes"))
    return task


def _continue(task: DTask | None, cells: list[list[str]], columns: dict[str, int],
              where: Location, report: Report) -> None:
    """A row broken by a page: its cells go on with the task above."""
    if task is None:
        return
    name_lines = _cell(cells, columns, "task")
    if name_lines:
        if task.items:
            more_name, more_items = _name_and_items(name_lines)
            if more_name:
                task.items[-1] = f"{task.items[-1]} {more_name}"
            task.items.extend(more_items)
        else:
            task.name = one_line(f"{task.name} {' '.join(name_lines)}")
    for role in ("lead", "support"):
        extra = _names(_cell(cells, columns, role))
        if extra:
            current: list[str] = getattr(task, role)
            if len(current) == 1 and len(extra) == 1:
                current[0] = one_line(f"{current[0]} {extra[0]}")
            else:
                current.extend(extra)
    for role in ("time", "notes"):
        extra = " ".join(_cell(cells, columns, role))
        if extra:
            setattr(task, role, one_line(f"{getattr(task, role)} {extra}"))
    report.add(where, "mended", "a table row broken by a page was joined to the row above")


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
    """Agencies in a cell: one per line, or several "- A; - B" on one line."""
    out: list[str] = []
    for line in lines:
        for piece in _split_dashes(line):
            text = piece.lstrip("\u0000").strip()
            text = text.rstrip(";").strip()
            if text:
                out.append(text)
    return out
