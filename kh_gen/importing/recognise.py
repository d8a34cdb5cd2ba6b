"""Recognising the parts of a plan in its blocks: header, title, preamble, sections, closing.

The document is cut into zones by the landmarks every plan has (`KẾ HOẠCH`, the first section
`I.`, "Trên đây là …", `Nơi nhận:`, the appendix heading); each zone is read by what it
holds. Body sections are told apart by the words of their headings (MỤC ĐÍCH, NỘI DUNG, NHIỆM
VỤ / HOẠT ĐỘNG, KINH PHÍ, TỔ CHỨC THỰC HIỆN), in whatever order the plan has them. What fits no
part is kept, in order, as free text in the nearest part, and reported.
"""

from __future__ import annotations

import re
from collections import Counter

from ..errors import KhGenError, Location, Problem
from . import citations
from .blocks import Para, Source, Table
from .draft import DAgency, DBasis, DEntry, Draft, DTask
from .header import Header, date_in, infer_issuer, read_closing, read_header
from .report import Report
from .tasks import COLUMN_NOTES_DEFAULT, COLUMN_TASK_DEFAULT, header_row, read_task_table
from .textutil import (
    is_upper,
    key,
    one_line,
    sentence_case,
    strip_end,
)
from .tree import Node, build, check_slips, heading_text, is_heading, lines_of, looks_like_section

DEFAULT_HEADINGS = {
    "purpose": "Mục đích, yêu cầu", "objectives": "Mục đích", "requirements": "Yêu cầu",
    "audience": "Đối tượng tuyên truyền", "contents": "Nội dung, hình thức tuyên truyền",
    "content_items": "Nội dung tuyên truyền", "forms": "Hình thức tuyên truyền",
    "tasks": "Nhiệm vụ cụ thể", "funding": "Kinh phí thực hiện",
    "implementation": "Tổ chức thực hiện",
}
BODY_PARTS = ("purpose", "contents", "tasks", "funding", "implementation")
# A plan has a few hundred paragraphs and a few dozen appendix rows; beyond these the file is
# not a plan, and refusing it keeps import (and the check after it) fast.
MAX_PARAGRAPHS = 5000
MAX_ROWS = 2000
DEFAULT_APPENDIX_HEADING = "Phụ lục"
_PREAMBLE_LEADS = ("căn cứ", "thực hiện", "theo", "triển khai", "nhằm", "xét", "để")
_MAX_DEPTH = 3


def part_of(heading: str) -> str | None:
    """The body part a section heading names."""
    folded = key(heading)
    if "mục đích" in folded or "yêu cầu" in folded:
        return "purpose"
    if "kinh phí" in folded:
        return "funding"
    if "tổ chức thực hiện" in folded or folded.startswith("trách nhiệm"):
        return "implementation"
    if any(w in folded for w in ("nội dung", "hình thức", "đối tượng")):
        return "contents"
    if any(w in folded for w in ("nhiệm vụ", "hoạt động", "giải pháp", "danh mục")):
        return "tasks"
    if "tuyên truyền" in folded:
        return "contents"
    return None


def item_part(heading: str) -> str | None:
    """The list an item heading opens ("1. Mục đích" → objectives)."""
    folded = key(heading)
    for part, word in (("objectives", "mục đích"), ("requirements", "yêu cầu"),
                       ("audience", "đối tượng"), ("forms", "hình thức"),
                       ("content_items", "nội dung")):
        if folded.startswith(word) or folded.startswith(f"các {word}"):
            return part
    return None


class Recogniser:
    def __init__(self, source: Source, report: Report):
        self.source = source
        self.report = report
        self.draft = Draft()
        self.task_tables: list[Table] = []
        self.items: list[Para | Table] = []
        self.styles: dict[str, str] = {}
        self.order: list[str] = []

    # -- plumbing ----------------------------------------------------------------------------

    def _flatten(self) -> None:
        """Task tables stay tables; every other table is read cell by cell as paragraphs."""
        for block in self.source.blocks:
            if isinstance(block, Para):
                self.items.append(block)
                continue
            if header_row(block) is not None:
                self.items.append(block)
                continue
            for index, row in enumerate(block.rows):
                where = block.row_where[index] if index < len(block.row_where) else block.where
                for cell in row:
                    if cell.continued:
                        continue
                    for line in cell.lines:
                        if line.strip():
                            self.items.append(Para(line.strip(), where, in_table=True))

    def _paras(self, start: int, end: int) -> list[Para]:
        return [b for b in self.items[start:end] if isinstance(b, Para)]

    def _find(self, test, start: int = 0, end: int | None = None) -> int | None:  # type: ignore[no-untyped-def]
        stop = len(self.items) if end is None else end
        for index in range(start, stop):
            block = self.items[index]
            if isinstance(block, Para) and test(block):
                return index
        return None

    # -- zones -------------------------------------------------------------------------------

    def run(self) -> Draft:
        self._flatten()
        paragraphs = sum(1 for b in self.items if isinstance(b, Para))
        rows = sum(len(b.rows) for b in self.items if isinstance(b, Table))
        if paragraphs > MAX_PARAGRAPHS or rows > MAX_ROWS:
            what = f"{paragraphs} paragraphs" if paragraphs > MAX_PARAGRAPHS else \
                f"{rows} table rows"
            raise KhGenError([Problem(Location(self.source.path), f"holds {what}; a plan has a "
                                      f"few hundred paragraphs and a few dozen appendix rows "
                                      f"(import reads at most {MAX_PARAGRAPHS} and {MAX_ROWS}): "
                                      f"is this the right file?")])
        doctype = self._find(_is_doctype)
        section = self._find(_is_section, doctype + 1 if doctype is not None else 0)
        if section is None:
            section = self._find(_is_section)
        recipients = self._find(lambda p: key(p.text).startswith("nơi nhận"),
                                section or 0)
        if recipients is None:
            recipients = self._find(_is_authority, section or 0)
        end = len(self.items)
        sign_end = end
        appendix = None
        if recipients is not None:
            appendix = self._find(_is_appendix_heading, recipients + 1)
            table = next((i for i in range(recipients, end) if isinstance(self.items[i], Table)),
                         None)
            if table is not None and (appendix is None or table < appendix):
                appendix = self._appendix_start(table, recipients)
            sign_end = appendix if appendix is not None else end
        body_end = recipients if recipients is not None else end
        closing = None
        if section is not None:
            for index in range(body_end - 1, section, -1):
                block = self.items[index]
                if isinstance(block, Para) and key(block.text).startswith("trên đây"):
                    closing = index
                    break
        if section is None:
            self.report.add(None, "guess", "no numbered section (I., II. …) found: the body "
                                           "is kept as free text under objectives")
        header_end = doctype if doctype is not None else self._preamble_start(0, section)
        title_end = self._title(doctype, section) if doctype is not None else header_end
        self._header(0, header_end)
        self._preamble(title_end, section if section is not None else title_end)
        body_stop = closing if closing is not None else body_end
        self._body(section if section is not None else title_end, body_stop)
        self._closing(closing, body_end)
        if recipients is not None:
            self._signature(recipients, sign_end)
        else:
            self.report.add(None, "guess", "no 'Nơi nhận:' block found; no recipients")
            self.draft.signer.name = "……"
        if appendix is not None:
            self._appendix(appendix, end)
        self._tasks_from_tables()
        self._finish()
        return self.draft

    def _appendix_start(self, table: int, recipients: int) -> int:
        """The appendix's first paragraph: its heading lines just above its table."""
        start = table
        while start - 1 > recipients:
            block = self.items[start - 1]
            if not isinstance(block, Para):
                break
            folded = key(block.text)
            if folded.startswith(("kèm theo", "ban hành kèm")) or block.text.startswith("(") \
                    or _is_appendix_heading(block) or (is_upper(block.text) and
                                                       not _is_authority(block)):
                start -= 1
                continue
            break
        return start

    def _preamble_start(self, start: int, stop: int | None) -> int:
        found = self._find(lambda p: key(p.text).startswith(_PREAMBLE_LEADS), start, stop)
        return found if found is not None else (stop or start)

    # -- header and title ----------------------------------------------------------------------

    def _header(self, start: int, end: int) -> None:
        lines = [(p.text, p.where) for p in self._paras(start, end)]
        self.header = read_header(lines, self.report)

    def _title(self, doctype: int, section: int | None) -> int:
        """Title lines after `KẾ HOẠCH`; returns the index after the last one."""
        first = self.items[doctype]
        assert isinstance(first, Para)
        lines: list[str] = []
        rest = re.sub(r"^\s*K[ẾE]\s*HO[ẠA]CH\b[:\s]*", "", first.text, flags=re.IGNORECASE)
        lines.extend(x.strip() for x in rest.split("\n") if x.strip())
        index = doctype + 1
        stop = section if section is not None else len(self.items)
        centred = first.centered
        while index < stop:
            block = self.items[index]
            if not isinstance(block, Para):
                break
            text = block.text.strip()
            folded = key(text)
            if re.fullmatch(r"[\W_]+", text):
                index += 1
                continue
            if folded.startswith(_PREAMBLE_LEADS) or _is_section(block) or \
                    len(text.split()) > 40 or text.endswith(":") or "như sau" in folded:
                break
            if lines and ((self.source.kind == "text" and block.gap) or
                          (centred and not block.centered and not block.in_table)):
                break
            lines.extend(x.strip() for x in text.split("\n") if x.strip())
            index += 1
        self.draft.title = [strip_end(x, ";,") for x in lines if x]
        return index

    # -- preamble ------------------------------------------------------------------------------

    def _preamble(self, start: int, end: int) -> None:
        paras = [p for p in self._paras(start, end) if p.text.strip()]
        draft = self.draft
        if not paras:
            draft.layout["preamble"] = "list"
            return
        texts = [one_line(p.text) for p in paras]
        leads = [_lead(t) for t in texts]
        based = [i for i, lead in enumerate(leads) if lead]
        if len(paras) == 1 or (len(based) == 1 and _enacting_split(texts[based[0]])[1]):
            index = based[0] if based else 0
            text = texts[index]
            lead = leads[index] or ""
            bases_text, enacting = _enacting_split(text[len(lead):].strip() if lead else text)
            draft.layout["preamble"] = "sentence"
            draft.lead = lead or "Căn cứ"
            for piece in citations.split(bases_text):
                draft.bases.append(DBasis(piece, paras[index].where))
            others = [t for i, t in enumerate(texts) if i != index]
            draft.enacting = " ".join([*others, enacting]) if enacting or others else None
            if others:
                self.report.add(paras[0].where, "unclassified", "preamble paragraphs around "
                                "the bases were joined to the enacting sentence")
            return
        draft.layout["preamble"] = "list"
        lead_counts = Counter(lead for lead in leads if lead)
        draft.lead = lead_counts.most_common(1)[0][0] if lead_counts else "Căn cứ"
        enacting: list[str] = []
        for para, text, lead in zip(paras, texts, leads, strict=True):
            if lead:
                body = text[len(lead):].strip()
                if lead != draft.lead:
                    body = text
                    self.report.add(para.where, "unclassified", f"a basis led by '{lead}' in "
                                    f"a preamble led by '{draft.lead}': kept with its own words")
                draft.bases.append(DBasis(strip_end(body), para.where))
            else:
                enacting.append(text)
        draft.enacting = " ".join(enacting) if enacting else None
        if len(enacting) > 1:
            self.report.add(paras[0].where, "unclassified", "several paragraphs after the "
                            "bases were joined into one enacting sentence")

    # -- body ----------------------------------------------------------------------------------

    def _body(self, start: int, end: int) -> None:
        paras: list[Para] = []
        for block in self.items[start:end]:
            if isinstance(block, Table):
                self.task_tables.append(block)
            else:
                paras.append(block)
        lines = lines_of(paras, self.report)
        if len(lines) > MAX_PARAGRAPHS:
            raise KhGenError([Problem(Location(self.source.path), f"holds {len(lines)} list "
                                      f"items; import reads at most {MAX_PARAGRAPHS}: is this "
                                      f"the right file?")])
        for line in lines:
            if line.kind is None and looks_like_section(line.text) and part_of(line.text):
                line.kind = "section"
        root = build(lines)
        check_slips(root, self.report)
        last_part: str | None = None
        for node in root.children:
            if node.kind != "section":
                self.report.add(node.where, "unclassified", "text before the first section; "
                                                           "kept as objectives")
                self.draft.objectives.append(self._entry(node))
                continue
            part = part_of(node.text)
            if part is None or (part in self.order and part != "contents"):
                self._unknown_section(node, last_part)
                continue
            if part not in self.order:
                self.order.append(part)
            handler = getattr(self, f"_part_{part}")
            handler(node)
            last_part = part

    def _heading(self, name: str, text: str, section: bool = False) -> None:
        text = heading_text(text)
        if key(text) != key(DEFAULT_HEADINGS[name]):
            self.draft.headings[name] = sentence_case(text) if section and is_upper(text) \
                else text

    def _entry(self, node: Node, depth: int = 1) -> DEntry:
        paragraphs = [node.text, *node.paras]
        items: list[DEntry] = []
        for child in node.children:
            if child.kind == "para" and not items and node.kind in ("item", "section"):
                paragraphs.append(child.full_text)
                continue
            if depth >= _MAX_DEPTH:
                paragraphs.append(_flat(child))
                self.report.add(child.where, "unclassified", f"nested deeper than "
                                f"{_MAX_DEPTH} levels: kept as a paragraph of the entry above")
                continue
            items.append(self._entry(child, depth + 1))
        return DEntry("\n\n".join(p for p in paragraphs if p.strip()), node.where, items)

    def _entries(self, nodes: list[Node], style_key: str | None) -> list[DEntry]:
        if style_key and nodes:
            self._style(style_key, nodes)
        return [self._entry(n) for n in nodes]

    def _style(self, name: str, nodes: list[Node]) -> None:
        labelled = [n.kind for n in nodes if n.kind != "para"]
        if not labelled:
            style = "paragraphs"
        else:
            counts = Counter("letters" if k in ("point", "item", "section") else "dashes"
                             for k in labelled)
            style = counts.most_common(1)[0][0]
        self.styles.setdefault(name, style)

    def _part_purpose(self, section: Node) -> None:
        self._heading("purpose", section.text, section=True)
        target: str | None = None
        for child in section.children:
            part = item_part(child.text) if child.kind == "item" and is_heading(child) else None
            if part in ("objectives", "requirements", "audience"):
                target = part
                self._heading(part, child.text)
                getattr(self.draft, part).extend(self._entries(child.children, part))
                continue
            if target is None:
                self.report.add(child.where, "unclassified", "an entry before '1. Mục đích': "
                                                            "kept as an objective")
            getattr(self.draft, target or "objectives").extend(
                self._entries([child], target or "objectives"))

    def _part_contents(self, section: Node) -> None:
        folded = key(section.text)
        default = "contents"
        if "hình thức" in folded and "nội dung" not in folded:
            default = "forms"
            self._heading("forms", section.text)
            if self.draft.contents or self.draft.audience:
                self.report.add(section.where, "unclassified", "a section of its own for the "
                                "forms: kh-gen writes it as item 2 of the contents section")
        elif "đối tượng" in folded and "nội dung" not in folded:
            default = "audience"
            self._heading("audience", section.text)
        else:
            self._heading("contents", section.text, section=True)
        target = default
        for child in section.children:
            part = item_part(child.text) if child.kind == "item" and is_heading(child) else None
            if part in ("audience", "content_items", "forms"):
                target = "contents" if part == "content_items" else part
                self._heading(part, child.text)
                getattr(self.draft, target).extend(self._entries(child.children, target))
                continue
            getattr(self.draft, target).extend(self._entries([child], target))

    def _part_tasks(self, section: Node) -> None:
        self._heading("tasks", section.text, section=True)
        self.tasks_section = section

    def _part_funding(self, section: Node) -> None:
        self._heading("funding", section.text, section=True)
        self.draft.funding.extend(self._entries(section.children, "funding"))

    def _part_implementation(self, section: Node) -> None:
        self._heading("implementation", section.text, section=True)
        duty_nodes: list[Node] = []
        pending: list[Node] = []
        for child in section.children:
            if child.kind == "item" or (not any(c.kind == "item" for c in section.children)
                                        and child.kind != "para"):
                agency = self._agency(child)
                if pending:
                    agency.duties[0:0] = [self._entry(n) for n in pending]
                    self.report.add(pending[0].where, "unclassified", f"text before the first "
                                    f"agency: kept as a duty of '{agency.name}'")
                    pending = []
                self.draft.implementation.append(agency)
                if len(child.children) > 1 or any(c.kind != "para" for c in child.children):
                    duty_nodes.extend(child.children)
                continue
            if self.draft.implementation:
                self.draft.implementation[-1].duties.append(self._entry(child))
                self.report.add(child.where, "unclassified", f"a paragraph after the duties "
                                f"of '{self.draft.implementation[-1].name}': kept as its duty")
            else:
                pending.append(child)
        if pending:
            for node in pending:
                agency = self._agency(node)
                self.draft.implementation.append(agency)
        if duty_nodes:
            self._style("duties", duty_nodes)

    def _agency(self, node: Node) -> DAgency:
        name = heading_text(node.text)
        duties = [self._entry(c) for c in node.children]
        if not duties and ":" in name:
            head, _, rest = name.partition(":")
            if rest.strip() and len(head.split()) <= 15:
                name = head.strip()
                duties = [DEntry(rest.strip(), node.where)]
        if node.paras:
            duties[0:0] = [DEntry(p, node.where) for p in node.paras]
        request = False
        match = re.match(r"^Đề\s+nghị\s+", name, re.IGNORECASE)
        if match:
            request = True
            name = name[match.end():]
        if not duties:
            self.report.add(node.where, "guess", f"agency '{name}' has no duties; add them to "
                                                 f"the form")
        return DAgency(name, node.where, duties, request)

    def _unknown_section(self, section: Node, last_part: str | None) -> None:
        heading = heading_text(section.text)
        shown = sentence_case(heading) if is_upper(heading) else heading
        if last_part == "implementation":
            agency = DAgency(shown, section.where, [self._entry(c) for c in section.children])
            if not agency.duties:
                agency.duties = [DEntry(shown, section.where)]
            self.draft.implementation.append(agency)
            where = "implementation, as an agency item"
        else:
            target = {"purpose": "requirements", "contents": "forms", "tasks": "tasks_intro",
                      "funding": "funding", None: "objectives"}[last_part]
            entry = DEntry(shown, section.where, [self._entry(c) for c in section.children])
            getattr(self.draft, target).append(entry)
            where = target.replace("_", " ")
        self.report.add(section.where, "unclassified", f"section '{heading[:50]}' is not a "
                                                       f"part kh-gen knows: kept in {where}")

    # -- tasks -------------------------------------------------------------------------------

    def _tasks_from_tables(self) -> None:
        section = getattr(self, "tasks_section", None)
        if self.task_tables:
            table = read_task_table(self.task_tables, self.report)
            self.draft.tasks = table.tasks
            self.draft.layout["tasks"] = "appendix"
            columns = table.columns
            if "task" in columns:
                found = one_line(table.header[columns["task"]])
                if key(found) != key(COLUMN_TASK_DEFAULT):
                    self.draft.column_task = found
            if "notes" in columns:
                found = one_line(table.header[columns["notes"]])
                if key(found) != key(COLUMN_NOTES_DEFAULT):
                    self.draft.column_notes = found
            if section is not None:
                for child in section.children:
                    self.draft.tasks_intro.extend(_flat_entries(child))
            return
        if section is None:
            return
        tasks: list[DTask] = []
        intro: list[DEntry] = []
        for child in section.children:
            task = _inline_task(child, self.report) if child.kind != "para" else None
            if task is None:
                if tasks:
                    tasks[-1].content = one_line(f"{tasks[-1].content} {_flat(child)}")
                    self.report.add(child.where, "unclassified", "a paragraph after a task "
                                    "that is not its lead, support or content: added to its "
                                    "content")
                else:
                    intro.extend(_flat_entries(child))
                continue
            tasks.append(task)
        if tasks:
            self.draft.tasks = tasks
            self.draft.tasks_intro = intro
            self.draft.layout["tasks"] = "inline"
        else:
            self.draft.tasks_intro = intro
            self.draft.layout["tasks"] = "appendix"
            if any(c.kind != "para" for c in section.children):
                self.report.add(section.where, "unclassified", "part III lists no tasks (no "
                                "table, no 'Cơ quan chủ trì'): its text is kept as paragraphs")

    # -- closing, signature, appendix ---------------------------------------------------------

    def _closing(self, start: int | None, end: int) -> None:
        if start is None:
            title = " ".join(self.draft.title)
            text = f"Trên đây là Kế hoạch {title[:1].lower()}{title[1:]}"
            self.draft.closing = DEntry(text, Location(self.source.path))
            self.report.add(None, "guess", f"no closing sentence ('Trên đây là …') found; "
                                           f"wrote '{text}'")
            return
        paras = self._paras(start, end)
        text = " ".join(one_line(p.text) for p in paras)
        text = re.sub(r"\s*\.?/\.\s*$", "", text)
        self.draft.closing = DEntry(strip_end(text, "./;,"), paras[0].where)
        if len(paras) > 1:
            self.report.add(paras[1].where, "unclassified", "paragraphs after the closing "
                                                            "sentence were joined to it")

    def _signature(self, start: int, end: int) -> None:
        lines = [(p.text, p.where) for p in self._paras(start, end)]
        closing = read_closing(lines, self.report)
        self.draft.recipients = closing.recipients
        self.draft.archive = closing.archive
        self.draft.signer = closing.signer
        self.signing_body = closing.body

    def _appendix(self, start: int, end: int) -> None:
        heading: str | None = None
        title: list[str] = []
        for block in self.items[start:end]:
            if isinstance(block, Table):
                if header_row(block) is not None:
                    self.task_tables.append(block)
                continue
            text = one_line(block.text)
            folded = key(text)
            if heading is None and _is_appendix_heading(block):
                heading = text
                rest = re.sub(r"^(PHỤ LỤC|DANH MỤC|Phụ lục|Danh mục)(\s+[IVX\d]+)?\s*", "",
                              text)
                if rest and len(text.split()) > 4:
                    heading = text[:len(text) - len(rest)].strip()
                    title.append(rest)
                continue
            if text.startswith("(") or folded.startswith(("kèm theo", "ban hành kèm")):
                self.appendix_ref = text
                continue
            if not self.task_tables:
                title.append(text)
            else:
                self.draft.tasks_intro.append(DEntry(text, block.where))
                self.report.add(block.where, "unclassified", "text after the appendix table: "
                                                            "kept at the end of part III")
        if heading and key(heading) != key(DEFAULT_APPENDIX_HEADING):
            self.draft.appendix_heading = heading
        if title:
            self.draft.appendix_title = " ".join(title)

    # -- putting it together -----------------------------------------------------------------

    def _finish(self) -> None:
        draft = self.draft
        header: Header = self.header
        ref_text = getattr(self, "appendix_ref", "")
        draft.number = header.number
        if draft.number is None and ref_text:
            match = re.search(r"số\s+(\d+)\s*/", ref_text)
            if match:
                draft.number = match[1]
        draft.date = header.date
        ref_date = date_in(ref_text) if ref_text else None
        if ref_date and (draft.date is None or (draft.date[1] is None and
                                                ref_date[1] is not None)):
            draft.date = ref_date
        title = " ".join(draft.title)
        years = re.findall(r"năm\s+(\d{4})", title)
        body_text = self._all_text()
        if years:
            draft.year = int(years[-1])
        elif draft.date:
            draft.year = draft.date[0]
        else:
            counts = Counter(re.findall(r"năm\s+((?:19|20)\d{2})\b", body_text))
            draft.year = int(counts.most_common(1)[0][0]) if counts else 2026
            self.report.add(None, "guess", f"the plan's year is not in its title or date; "
                                           f"took {draft.year}")
        if not draft.title:
            match = re.search(r"ban hành Kế hoạch\s+(.+?)(?:,?\s*(?:cụ thể\s+)?như sau|$)",
                              draft.enacting or "")
            draft.title = [match[1]] if match else ["Kế hoạch"]
            self.report.add(None, "guess", f"no title under 'KẾ HOẠCH'; took "
                                           f"'{draft.title[0]}'")
        draft.issuer = infer_issuer(header, draft.enacting or "", title, body_text,
                                    draft.closing.text if draft.closing else "", draft.year,
                                    self.report)
        if not self.order:
            self.order = ["purpose"]
        missing = [p for p in BODY_PARTS if p not in self.order]
        for part in missing:
            if part == "tasks" and (draft.tasks or draft.tasks_intro):
                continue
            self.report.add(None, "guess", f"the plan has no '{DEFAULT_HEADINGS[part]}' "
                                           f"section; kh-gen still writes its heading")
        order = list(self.order)
        for part in missing:  # each where the template's order puts it among the found ones
            later = [q for q in order if BODY_PARTS.index(q) > BODY_PARTS.index(part)]
            order.insert(order.index(later[0]) if later else len(order), part)
        if tuple(order) != BODY_PARTS:
            draft.layout["order"] = order
        for name, style in self.styles.items():
            if name == "funding":
                if style != "paragraphs":
                    draft.layout.setdefault("lists", {})[name] = style  # type: ignore[index]
            elif style != "letters":
                draft.layout.setdefault("lists", {})[name] = style  # type: ignore[index]
        dates = [citations.parse(b.text) for b in draft.bases]
        long_dates = sum(1 for c in dates if c and c.date and c.long_date)
        short_dates = sum(1 for c in dates if c and c.date and not c.long_date)
        if long_dates > short_dates:
            draft.layout["citation_dates"] = "long"
        enacting_default = (f"{draft.issuer.name} {draft.issuer.locality} ban hành Kế hoạch "
                            f"{title[:1].lower()}{title[1:]} như sau:")
        if draft.enacting and one_line(draft.enacting) == enacting_default:
            draft.enacting = None

    def _all_text(self) -> str:
        return "\n".join(b.text for b in self.items if isinstance(b, Para))


# -- helpers ---------------------------------------------------------------------------------


def _is_doctype(para: Para) -> bool:
    text = para.text.strip()
    if key(text) == "kế hoạch":
        return True
    return bool(re.match(r"^K[ẾE] HO[ẠA]CH(?:\s|:|$)", text)) and not re.match(
        r"^KẾ HOẠCH SỐ", text)


def _is_section(para: Para) -> bool:
    if para.kind == "section" and (para.auto_format != "heading" or is_upper(para.text)):
        return True
    text = para.text.strip()
    match = re.match(r"^([IVX]{1,5})\s*\.\s+(.+)", text)
    if match and part_of(match[2]) is not None:
        return True
    if match and is_upper(match[2]):
        return True
    return looks_like_section(text) and part_of(text) is not None and \
        not key(text).startswith(("kế hoạch", "nơi nhận", "cộng hòa", "độc lập"))


def _is_authority(para: Para) -> bool:
    return bool(re.match(r"^(T\s*/?\s*M|K\s*/?\s*T|TUQ|T\s*/?\s*L)\s*\.\s*\S", para.text.strip()))


def _is_appendix_heading(para: Para) -> bool:
    text = para.text.strip()
    folded = key(text)
    return folded.startswith(("phụ lục", "danh mục")) and (len(text.split()) <= 4 or
                                                          is_upper(text.split()[0]))


def _lead(text: str) -> str | None:
    for lead in ("Căn cứ", "Thực hiện"):
        if text[:len(lead)].casefold() == lead.casefold():
            return text[:len(lead)]
    return None


def _enacting_split(text: str) -> tuple[str, str]:
    """ "A; B, Ủy ban nhân dân … ban hành Kế hoạch … như sau:" → ("A; B", "Ủy ban …")."""
    candidates = [m.start() for m in re.finditer(r"(?<=[,.;])\s+(?:Ủy ban nhân dân|Uỷ ban nhân "
                                                 r"dân|UBND)\b", text)]
    for start in reversed(candidates):
        rest = text[start:].strip()
        if rest.endswith(":") or "như sau" in rest:
            return strip_end(text[:start]), rest
    return strip_end(text), ""


def _flat(node: Node) -> str:
    parts = [node.full_text]
    parts.extend(_flat(c) for c in node.children)
    return "\n\n".join(p for p in parts if p)


def _flat_entries(node: Node) -> list[DEntry]:
    out = [DEntry(node.full_text, node.where)]
    for child in node.children:
        out.extend(_flat_entries(child))
    return out


_TRIPLET = (
    ("lead", ("cơ quan chủ trì", "đơn vị chủ trì", "chủ trì")),
    ("support", ("cơ quan phối hợp", "đơn vị phối hợp", "phối hợp")),
    ("content", ("nội dung",)),
)


def _triplet_line(text: str) -> tuple[str, str] | None:
    head, sep, rest = text.partition(":")
    if not sep:
        return None
    folded = key(head)
    for field, words in _TRIPLET:
        if folded in words:
            return field, rest.strip()
    return None


def _inline_task(node: Node, report: Report) -> DTask | None:
    """A task written inline: its name, then "Cơ quan chủ trì: …" lines or sub-tasks."""
    task = DTask(node.where, name=strip_end(heading_text(node.text), ";"))
    found = False
    extra: list[str] = list(node.paras)
    for child in node.children:
        parsed = _triplet_line(child.text)
        if parsed is not None:
            field, value = parsed
            found = True
            if field == "content":
                task.content = one_line(" ".join([value, *child.paras]))
            else:
                value = strip_end(value, ";.")
                setattr(task, field, [value] if value else [])
            continue
        if child.kind in ("point", "item"):
            sub = _inline_task(child, report)
            if sub is not None:
                task.subtasks.append(sub)
                found = True
                continue
        extra.append(_flat(child))
    if not found:
        return None
    if extra:
        task.content = one_line(" ".join([task.content, *extra]))
        report.add(node.where, "unclassified", f"lines under task '{task.name[:40]}' that are "
                                               f"not its lead, support or content: added to "
                                               f"its content")
    if task.content == task.name:
        task.content = ""
    return task
