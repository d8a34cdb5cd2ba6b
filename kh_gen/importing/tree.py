"""The body of a plan as a tree: sections, items, points, dashes, with paragraphs attached.

The level of a paragraph comes from its label (typed, or Word's automatic numbering); a
paragraph without one continues the entry before it, or is an entry of its own where a list has
no labels at all. Typed labels are then compared with what kh-gen will print, sibling by
sibling, and every difference is reported as a corrected slip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Location
from ..i18n import _
from .blocks import Para
from .draft import DTable
from .labels import RANK, Label, latin_letter_note, parse_label, slip, split_run_together
from .report import Report
from .textutil import ends_sentence, is_upper, key, starts_lower

_PARA_RANK = 10  # an unlabelled entry sits at its list's top level


@dataclass
class Node:
    kind: str  # section item point dash plus para root
    text: str
    where: Location
    label: Label | None = None
    paras: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    auto_format: str = ""
    italic: bool = False
    table: DTable | None = None  # a table standing in the body at this place
    parent: Node | None = field(default=None, repr=False)

    @property
    def rank(self) -> float:
        if self.kind == "root":
            return -1
        if self.kind == "para":
            return (self.parent.rank if self.parent else 0) + 0.5
        return RANK[self.kind]

    @property
    def full_text(self) -> str:
        return "\n\n".join([self.text, *self.paras])

    def add(self, child: Node) -> Node:
        child.parent = self
        self.children.append(child)
        return child


@dataclass
class Line:
    """A body paragraph with its level worked out."""

    kind: str | None  # a label kind, or None for an unlabelled paragraph
    text: str
    where: Location
    label: Label | None = None
    auto_format: str = ""
    italic: bool = False
    footnote: bool = False
    table: DTable | None = None
    bold: bool = False


def lines_of(paras: list[Para], report: Report) -> list[Line]:
    """Label each paragraph; split list items run into the paragraph before them; join a
    paragraph broken in two (by a page break or a stray Enter) back into one."""
    out: list[Line] = []
    for para in paras:
        text = " ".join(para.text.replace("\t", " ").split())
        pieces = split_run_together(text)
        for index, piece in enumerate(pieces):
            if index:
                report.add(para.where, "slip", _("'{start}…' was run into the paragraph "
                                                 "before it; made a paragraph of its own")
                           .format(start=piece[:30]))
            # a piece after the first has its own typed label, whatever Word numbered
            source = para if not index else Para(piece, para.where, italic=para.italic)
            line = _line(piece, source)
            line.bold = para.bold
            previous = out[-1] if out else None
            if previous is not None and _continues(previous, line, para):
                previous.text = f"{previous.text} {line.text}"
                report.add(para.where, "mended", _("'{start}…' continues the paragraph "
                                                   "before it; joined")
                           .format(start=line.text[:30]))
                continue
            out.append(line)
    return out


def _line(text: str, para: Para) -> Line:
    if para.kind and para.auto_format == "heading":  # a heading style: a typed label wins
        label, rest = parse_label(text)
        if label is not None:
            return Line(label.kind, rest.strip(), para.where, label, italic=para.italic)
        return Line(para.kind, text, para.where, None, "", para.italic, para.footnote)
    if para.kind:
        typed, rest = parse_label(text)  # a label typed over Word's numbering is dropped too
        return Line(para.kind, rest if typed and typed.kind == para.kind else text, para.where,
                    None, para.auto_format, para.italic, para.footnote)
    label, rest = parse_label(text)
    if label is None:
        return Line(None, text, para.where, italic=para.italic, footnote=para.footnote)
    return Line(label.kind, rest.strip(), para.where, label, italic=para.italic)


def _continues(previous: Line, line: Line, para: Para) -> bool:
    """A paragraph that is the rest of the one before: no label, the one before does not end
    a sentence, and it starts in lower case (or with a number, as "19-NQ/TW ngày …")."""
    if line.kind is not None or line.footnote or para.in_table or line.table is not None or \
            previous.table is not None:
        return False
    if previous.kind in ("section", "item") and len(previous.text.split()) < 12:
        return False
    return not ends_sentence(previous.text) and starts_lower(line.text)


def build(lines: list[Line]) -> Node:
    """The tree of body lines under a root."""
    root = Node("root", "", Location(""))
    stack = [root]
    for line in lines:
        if line.table is not None:  # under the nearest heading or numbered entry
            while len(stack) > 1 and stack[-1].kind not in ("section", "item", "point"):
                stack.pop()
            stack[-1].add(Node("para", "", line.where, table=line.table))
            continue
        if line.kind is None:
            top = stack[-1]
            if top.kind in ("point", "dash", "plus") or (
                    top.kind == "para" and line.footnote):
                top.paras.append(line.text)
                continue
            if top.kind == "item" and line.footnote:
                top.paras.append(line.text)
                continue
            parent = top.parent if top.kind == "para" else top
            assert parent is not None
            node = parent.add(Node("para", line.text, line.where, italic=line.italic))
            if top.kind == "para":
                stack.pop()
            stack.append(node)
            continue
        rank = RANK[line.kind]
        while len(stack) > 1:
            top = stack[-1]
            if top.kind == "para":
                if top.text.rstrip().endswith(":") and rank > (top.parent.rank if top.parent
                                                               else 0) + 1:
                    break
                stack.pop()
                continue
            if top.rank >= rank:
                stack.pop()
                continue
            break
        node = stack[-1].add(Node(line.kind, line.text, line.where, line.label,
                                  auto_format=line.auto_format, italic=line.italic))
        stack.append(node)
    return root


def check_slips(node: Node, report: Report) -> None:
    """Compare typed labels with kh-gen's numbering, list by list, over the whole tree."""
    for kind in ("section", "item", "point"):
        siblings = [c for c in node.children if c.kind == kind]
        previous: str | None = None
        for position, child in enumerate(siblings, 1):
            if child.label is not None:
                problem = slip(kind, child.label.text, child.label.value, position, previous)
                if problem:
                    report.add(child.where, "slip", problem)
                previous = child.label.value
        automatic = [c for c in siblings if c.auto_format == "lowerLetter"]
        note = latin_letter_note(len(automatic))
        if note:
            report.add(automatic[0].where, "slip", note)
    for child in node.children:
        check_slips(child, report)


def is_heading(node: Node) -> bool:
    """An item that names a part ("1. Mục đích") rather than saying something."""
    text = node.text.rstrip()
    return len(text.split()) <= 12 and not text.endswith((".", ";")) and not node.paras


def heading_text(text: str) -> str:
    return text.rstrip().rstrip(":").rstrip()


def looks_like_section(text: str) -> bool:
    """An unnumbered section heading: a short line in capitals."""
    return is_upper(text) and len(text.split()) <= 12 and not text.rstrip().endswith(".")


def section_key(text: str) -> str:
    return key(text)
