"""The body tree (`tree.Node`) as the form's sections: headings, levels, markers, in order.

A section (`I.`) holds what the plan put under it. A numbered line under it (`1.`, then `a)`)
becomes a sub-section when things stand under it and it reads as a heading; otherwise it is a
numbered entry. Every other line is an entry, its marker (none, `a)`, `-`, `+`, `1.`) kept as
the style of its list; a run of entries with another marker than the list's is nested under
the entry before it, and an unmarked paragraph after a marked entry is a further paragraph of
that entry, so the rebuilt plan shows each line with the marker it had. Nothing is moved,
renamed or added: a plan with sections no other plan has keeps them.
"""

from __future__ import annotations

import re

from ..i18n import _
from .draft import DAgency, DEntry, DSection, DTable, DTask, Item
from .report import Report
from .textutil import is_upper, key, sentence_case
from .tree import Line, Node, heading_text, looks_like_section

MAX_SECTION_DEPTH = 3  # I. / 1. / a)
MAX_ITEM_DEPTH = 4  # entries below a section: a) → - → + and one more
MARKERS = {"para": "paragraphs", "item": "numbers", "point": "letters", "dash": "dashes",
           "plus": "plus", "section": "numbers"}
DEFAULT_STYLE = {1: "paragraphs", 2: "letters", 3: "dashes"}
_HEAD_KINDS = {1: ("item", "point"), 2: ("point", "item")}

# Words of a heading → the part a section plays; only one may match, or the part is unsure.
_PARTS = (
    ("objectives", ("mục đích",)), ("requirements", ("yêu cầu",)),
    ("targets", ("chỉ tiêu",)), ("audience", ("đối tượng",)),
    ("funding", ("kinh phí",)), ("implementation", ("tổ chức thực hiện",)),
    ("reporting", ("chế độ báo cáo", "thông tin báo cáo")),
    ("schedule", ("thời gian", "tiến độ thực hiện", "lịch trình")),
    ("criteria", ("tiêu chuẩn", "tiêu chí")), ("rewards", ("khen thưởng",)),
    ("dossier", ("hồ sơ",)), ("forms", ("hình thức",)),
    ("contents", ("nội dung",)), ("tasks", ("nhiệm vụ", "hoạt động")),
    ("solutions", ("giải pháp",)),
)


def parts_named(heading: str) -> list[str]:
    """The parts whose words a heading holds ("Nội dung hoạt động": contents and tasks);
    none for a sentence, which does not name what a section is."""
    if len(heading.split()) > 12 or heading.rstrip().endswith((".", ";")):
        return []
    folded = key(heading)
    return [part for part, words in _PARTS if any(w in folded for w in words)]


def part_of(heading: str) -> str | None:
    """The part a heading names, when it names exactly one ("Mục đích, yêu cầu" is the
    purpose); None when unsure."""
    found = parts_named(heading)
    if set(found) == {"objectives", "requirements"}:
        return "purpose"
    if "implementation" in found:
        return "implementation"
    if "rewards" in found and "dossier" in found:
        return "dossier"
    return found[0] if len(found) == 1 else None


def body_sections(root: Node, report: Report) -> list[DSection]:
    """The sections of a body, with unnumbered text before the first kept as a section
    without a heading."""
    out: list[DSection] = []
    loose: list[Node] = []
    for node in root.children:
        if node.kind == "section":
            if loose:
                out.append(_loose(loose, report))
                loose = []
            out.append(section_of(node, 1, report))
        else:
            loose.append(node)
    if loose:
        out.append(_loose(loose, report))
    return out


def _loose(nodes: list[Node], report: Report) -> DSection:
    section = DSection(None, nodes[0].where)
    _fill(section, nodes, 1, report)
    return section


def section_of(node: Node, depth: int, report: Report) -> DSection:
    heading = heading_text(node.text)
    if depth == 1 and is_upper(heading):
        heading = sentence_case(heading)
    section = DSection(heading, node.where, part=part_of(heading))
    paras = [Node("para", p, node.where) for p in node.paras]  # lines under a lettered head
    _fill(section, [*paras, *node.children], depth, report)
    return section


def _reads_as_heading(node: Node) -> bool:
    text = node.text.rstrip()
    if text.endswith((".", ";")):
        return False
    return not (text.endswith(":") and len(text.split()) > 12)


def _fill(section: DSection, children: list[Node], depth: int, report: Report) -> None:
    """Put the children of a section node into `section`, in order."""
    kinds = _HEAD_KINDS.get(depth, ())
    subs = {id(c) for c in children if c.kind in kinds and (c.children or c.paras) and
            _reads_as_heading(c)}
    if subs:  # a numbered line among sub-sections is one of them, so the numbering holds
        head_kind = next(c.kind for c in children if id(c) in subs)
        subs.update(id(c) for c in children if c.kind == head_kind)
        if head_kind != kinds[0]:
            first = next(c for c in children if id(c) in subs)
            labels = "1., 2." if depth == 1 else "a), b)"
            message = _("sub-headings labelled as points at this level: kh-gen numbers them "
                        "as its {labels} here") if head_kind == "point" else \
                _("sub-headings labelled as items at this level: kh-gen numbers them as its "
                  "{labels} here")
            report.add(first.where, "guess", message.format(labels=labels))
    style: str | None = None
    for child in children:
        if id(child) in subs:
            section.items.append(section_of(_labelled(child), depth + 1, report))
            continue
        if child.table is not None:
            section.items.append(child.table)
            continue
        marker = MARKERS[child.kind]
        last = section.items[-1] if section.items else None
        if style is None:
            style = marker
        if marker == style:
            section.items.append(entry_of(child))
        elif child.kind == "para" and isinstance(last, DEntry):
            _add_paragraph(last, child, 1)
        elif isinstance(last, DEntry) and (last.style in (None, marker)):
            last.style = marker
            last.items.append(entry_of(child, 2))
        else:
            section.items.append(entry_of(child))
            report.add(child.where, "guess", _("'{start}' is marked otherwise than the list "
                                               "it stands in: written as its entry")
                       .format(start=child.text[:40]))
    if style is not None and style != DEFAULT_STYLE.get(depth):
        section.style = style


def _labelled(node: Node) -> Node:
    """A numbered line among sub-sections that holds its text after a colon ("1. Văn phòng
    HĐND và UBND: Chủ trì, theo dõi …"): the heading, and the text as its paragraph."""
    head, sep, rest = node.text.partition(":")
    if node.children or not sep or not rest.strip() or len(head.split()) > 15 or \
            not _reads_as_heading(Node(node.kind, head, node.where)):
        return node
    return Node(node.kind, head.strip(), node.where, node.label, [rest.strip(), *node.paras],
                auto_format=node.auto_format)


def entry_of(node: Node, depth: int = 1) -> DEntry:
    """An entry: its text and further paragraphs, and what stands under it. Lists nest at
    most `MAX_ITEM_DEPTH` levels below a section (a) → - → + and one more, as deep as real
    plans go); what stands deeper becomes further paragraphs of the entry at the last level."""
    entry = DEntry(node.full_text, node.where)
    if depth >= MAX_ITEM_DEPTH:
        entry.text = _flat_text(node)
        return entry
    for child in node.children:
        if child.table is not None:
            entry.text += "\n\n" + _table_text(child.table)
            continue
        if child.kind == "para" and not entry.items:
            entry.text += "\n\n" + child.full_text
            if child.children:
                _nest(entry, child.children, depth)
            continue
        if child.kind == "para":
            _add_paragraph(entry.items[-1], child, depth + 1)
            continue
        marker = MARKERS[child.kind]
        if entry.style is None:
            entry.style = marker
        if marker == entry.style or not entry.items:
            entry.items.append(entry_of(child, depth + 1))
        elif depth + 1 >= MAX_ITEM_DEPTH:
            entry.items[-1].text += "\n\n" + _flat_text(child)
        else:
            last = entry.items[-1]
            last.style = last.style or marker
            last.items.append(entry_of(child, depth + 2))
    return entry


def _flat_text(node: Node) -> str:
    return "\n\n".join([node.full_text, *(_flat_text(c) for c in node.children)])


def _nest(entry: DEntry, children: list[Node], depth: int) -> None:
    for child in children:
        if child.kind == "para" and entry.items:
            _add_paragraph(entry.items[-1], child, depth + 1)
        elif child.kind == "para":
            entry.text += "\n\n" + child.full_text
        else:
            entry.style = entry.style or MARKERS[child.kind]
            entry.items.append(entry_of(child, depth + 1))


def _add_paragraph(entry: DEntry, node: Node, depth: int) -> None:
    """An unmarked paragraph after a marked entry (at `depth`): a further paragraph of it (of
    its last sub-entry, when it has some, so the order is kept)."""
    while entry.items:
        entry = entry.items[-1]
        depth += 1
    entry.text += "\n\n" + node.full_text
    for child in node.children:
        if depth >= MAX_ITEM_DEPTH:
            entry.text += "\n\n" + _flat_text(child)
            continue
        entry.items.append(entry_of(child, depth + 1))
        entry.style = entry.style or MARKERS[child.kind]


def _table_text(table: DTable) -> str:
    return "\n\n".join(" | ".join(r) if isinstance(r, list) else r for r in
                       [table.columns, *table.rows])


def items_count(items: list[Item]) -> dict[str, int]:
    """What a list of items holds, counted through its sub-sections (for the report)."""
    counts = {"sub-section": 0, "entry": 0, "agency": 0, "task": 0, "table": 0}
    for item in items:
        if isinstance(item, DSection):
            counts["sub-section"] += 1
            for name, n in items_count(item.items).items():
                counts[name] += n
        elif isinstance(item, DTable):
            counts["table"] += 1
        elif isinstance(item, DAgency):
            counts["agency"] += 1
        elif isinstance(item, DTask):
            counts["task"] += 1
        else:
            counts["entry"] += 1
    return counts


def label_split(text: str) -> tuple[str, str] | None:
    """ "Mục đích, yêu cầu: Nâng cao …" → ("Mục đích, yêu cầu", "Nâng cao …"): a heading
    written as a label, as plans copied from web pages have them."""
    head, sep, rest = text.partition(":")
    if not sep or len(head.split()) > 6 or not head[:1].isupper() or not parts_named(head):
        return None  # a label names what a plan's sections are about, if not which one
    return head.strip(), rest.strip()


def _short_heading(text: str) -> bool:
    text = text.strip()
    return bool(text) and len(text.split()) <= 15 and text[:1].isupper() and \
        not text.endswith((".", ";", ":", ",")) and not text.startswith("(")


# a section heading lettered "A.", "B." … as some plans have them (a capital and a dot)
_LETTERED_SECTION = re.compile(r"^[A-HĐ]\.\s+(?=\S)")


def mark_headings(lines: list[Line], report: Report) -> None:
    """Give headings without a label their level: a short line in capitals is a section; a
    label-style heading ("Mục đích, yêu cầu: …") in a plan without numbered sections is a
    section and the text after it; a short unlabelled line followed by a lettered list (Word
    numbered it, and the text copy lost the number) is a numbered sub-section."""
    numbered = any(line.kind == "section" for line in lines)
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if line.kind is None and line.table is None:
            split = None if numbered else label_split(line.text)
            if looks_like_section(line.text) and not line.text.startswith("("):
                line.kind = "section"
                lettered = _LETTERED_SECTION.match(line.text)
                if lettered:  # "A. MỤC ĐÍCH, YÊU CẦU": kh-gen numbers sections I., II., …
                    report.add(line.where, "guess", _("'{label}' before the section heading "
                                                      "'{heading}' left out: kh-gen numbers "
                                                      "sections I., II., …").format(
                                   label=lettered[0].strip(),
                                   heading=line.text[lettered.end():][:40]))
                    line.text = line.text[lettered.end():]
            elif split is not None:
                line.kind, line.text = "section", split[0]
                if split[1]:
                    lines.insert(index + 1, Line(None, split[1], line.where))
                report.add(line.where, "guess", _("'{label}:' read as a section heading")
                           .format(label=split[0]))
            elif _short_heading(line.text) and following is not None and \
                    following.kind == "point":
                line.kind = "item"
        index += 1


_AGENCY = re.compile(
    r"^(?:Đề nghị\s+)?(?:Phòng|Sở|Ban|Văn phòng|Ủy ban|Uỷ ban|UBND|Công an|Bộ Chỉ huy|Bộ đội|"
    r"Trung tâm|Đài|Báo|Hội|Liên đoàn|Đoàn|Tỉnh đoàn|Thành đoàn|Huyện đoàn|Các|Cơ quan|"
    r"Kho bạc|Chi cục|Cục|Viện|Tòa án|Toà án|Ngân hàng|Bưu điện|Công đoàn|Mặt trận|Trường|"
    r"Bệnh viện|Thủ trưởng|Chủ tịch|Giám đốc|Thanh tra|Hạt|Đội|Ủy ban Mặt trận)\b")


def agencies_in(sections: list[DSection]) -> int:
    """In a section whose part is the implementation, a sub-section headed by an agency
    ("1. Phòng Văn hóa và Thông tin", "6. Đề nghị Ủy ban Mặt trận …") is that agency with
    its duties, so the catalogue, the linter and rebase know who is charged with what."""
    found = 0
    for section in sections:
        if section.part != "implementation":
            continue
        for index, item in enumerate(section.items):
            if not isinstance(item, DSection) or not item.heading or \
                    not _AGENCY.match(item.heading) or len(item.heading.split()) > 25 or \
                    item.heading.rstrip().endswith((".", ";", ":")) or \
                    not all(isinstance(i, DEntry) for i in item.items) or not item.items:
                continue
            name, request = item.heading, False
            match = re.match(r"^Đề nghị\s+", name)
            if match:
                name, request = name[match.end():], True
            duties = [i for i in item.items if isinstance(i, DEntry)]
            section.items[index] = DAgency(name, item.where, duties, request, item.style)
            found += 1
    return found


_TASK_LINES = (("lead", "Cơ quan chủ trì"), ("support", "Cơ quan phối hợp"),
               ("content", "Nội dung"))


def _task_of(section: DSection) -> DTask | None:
    """A sub-section written as kh-gen writes an inline task: its name, then exactly the lines
    "Cơ quan chủ trì: …", "Cơ quan phối hợp: …", "Nội dung: …" (or parts of it, each so)."""
    if not section.heading:
        return None
    if section.items and all(isinstance(i, DSection) for i in section.items):
        subtasks = [_task_of(i) for i in section.items if isinstance(i, DSection)]
        if any(t is None for t in subtasks):
            return None
        return DTask(section.where, name=section.heading,
                     subtasks=[t for t in subtasks if t is not None])
    if len(section.items) != 3:
        return None
    task = DTask(section.where, name=section.heading)
    for item, (field, words) in zip(section.items, _TASK_LINES, strict=True):
        if not isinstance(item, DEntry) or item.items or "\n" in item.text:
            return None
        head, sep, value = item.text.partition(":")
        if not sep or key(head) != key(words) or not value.strip():
            return None
        value = value.strip()
        if field == "content":
            task.content = value
        else:
            setattr(task, field, [value])
    return task


def tasks_in(sections: list[DSection]) -> int:
    """In a section whose part is the tasks, a sub-section that is an inline task (see
    `_task_of`) becomes one, so the plan's tasks are data wherever they are written."""
    found = 0
    for section in sections:
        if section.part not in ("tasks", "solutions"):
            continue
        for index, item in enumerate(section.items):
            task = _task_of(item) if isinstance(item, DSection) else None
            if task is not None:
                section.items[index] = task
                found += 1
    return found
