"""Recognising the parts of a plan in its blocks: header, title, opening, body, closing,
signature, appendices.

The document is cut into zones by the landmarks every plan has (`KẾ HOẠCH`, the first section
`I.`, "Trên đây là …", `Nơi nhận:` or the signing authority, the appendix headings); each zone
is read by what it holds. The body becomes the plan's own tree of sections (`sections`), in
its order and with its headings; nothing is added that the plan does not have, and what no
rule recognises stays in place as text.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from ..errors import KhGenError, Location, Problem
from ..form import FOOTNOTE_MARKER
from ..i18n import _, ngettext, number
from . import citations
from .blocks import Para, Source, Table
from .draft import (
    DAppendix,
    DBasis,
    DEntry,
    DGroup,
    Draft,
    DSection,
    DTable,
    DTask,
    walk_items,
)
from .header import Header, date_in, infer_issuer, read_closing, read_header
from .labels import parse_label, roman
from .report import Report
from .sections import (
    agencies_in,
    body_sections,
    items_count,
    mark_headings,
    part_of,
    tasks_in,
)
from .tasks import expanded, header_row, read_task_table
from .textutil import is_upper, key, one_line, sentence_case, starts_lower, strip_end
from .tree import Line, build, check_slips, lines_of, looks_like_section

# A plan has a few hundred paragraphs and a few dozen appendix rows; beyond these the file is
# not a plan, and refusing it keeps import (and the check after it) fast.
MAX_PARAGRAPHS = 5000
MAX_ROWS = 2000
LEADS = ("Tiếp tục thực hiện", "Căn cứ", "Thực hiện")
_OPENING_WORDS = ("căn cứ", "thực hiện", "tiếp tục thực hiện", "theo", "triển khai", "nhằm",
                  "xét", "để")
_LAYOUT_WORDS = ("nơi nhận", "cộng hòa", "độc lập", "số ", "tm ", "kt ", "ủy ban nhân dân")


class Recogniser:
    def __init__(self, source: Source, report: Report):
        self.source = source
        self.report = report
        self.draft = Draft()
        self.items: list[Para | Table] = []
        self.header: Header | None = None

    # -- plumbing ----------------------------------------------------------------------------

    def _flatten(self) -> None:
        """Data tables stay tables; a layout table (the header, the signature block) is read
        cell by cell as paragraphs."""
        for block in self.source.blocks:
            if isinstance(block, Para) or _is_data_table(block):
                self.items.append(block)
            else:
                for index, row in enumerate(block.rows):
                    where = block.row_where[index] if index < len(block.row_where) else \
                        block.where
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
            # the counts as digits alone, as a reader compares them with the limits
            message = ngettext(
                "holds {count} paragraph; a plan has a few hundred paragraphs and a few dozen "
                "appendix rows (import reads at most {paragraphs} and {rows}): is this the "
                "right file?",
                "holds {count} paragraphs; a plan has a few hundred paragraphs and a few dozen "
                "appendix rows (import reads at most {paragraphs} and {rows}): is this the "
                "right file?", paragraphs) if paragraphs > MAX_PARAGRAPHS else ngettext(
                "holds {count} table row; a plan has a few hundred paragraphs and a few dozen "
                "appendix rows (import reads at most {paragraphs} and {rows}): is this the "
                "right file?",
                "holds {count} table rows; a plan has a few hundred paragraphs and a few dozen "
                "appendix rows (import reads at most {paragraphs} and {rows}): is this the "
                "right file?", rows)
            count = paragraphs if paragraphs > MAX_PARAGRAPHS else rows
            raise KhGenError([Problem(Location(self.source.path), message.format(
                count=count, paragraphs=MAX_PARAGRAPHS, rows=MAX_ROWS))])
        self._footnotes()
        doctype = self._find(_is_doctype)
        if doctype is None:  # a copy without the header: "Kế hoạch tổ chức …" as its first line
            doctype = self._find(_is_titled_doctype, 0, min(len(self.items), 12))
        section = self._find(_is_section, doctype + 1 if doctype is not None else 0)
        if section is None:
            section = self._find(_is_section)
        recipients = self._find(lambda p: key(p.text).startswith("nơi nhận"), section or 0)
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
        else:  # no signature block: an appendix heading still ends the body
            appendix = self._find(_is_appendix_heading, (section or 0) + 1)
        body_end = recipients if recipients is not None else (
            appendix if appendix is not None else end)
        header_end = doctype if doctype is not None else self._opening_start(0, section)
        title_end = self._title(doctype, section) if doctype is not None else header_end
        body_start = section if section is not None else self._opening_end(title_end, body_end)
        closing = None
        for index in range(body_end - 1, body_start - 1, -1):
            block = self.items[index]
            if isinstance(block, Para) and key(block.text).startswith("trên đây"):
                closing = index
                break
        self._header(0, header_end)
        self._opening(title_end, body_start)
        self._body(body_start, closing if closing is not None else body_end)
        self._closing(closing, body_end)
        if recipients is not None:
            self._signature(recipients, sign_end)
        else:
            self.report.add(None, "guess", _("no 'Nơi nhận:' block found; no recipients"))
            self.draft.signer.name = "……"
        if appendix is not None:
            self._appendices(appendix, end)
        self._finish()
        return self.draft

    def _footnotes(self) -> None:
        """Footnote markers numbered 1, 2 … in the order the text refers to them; the notes'
        texts go to the form's `footnotes`."""
        notes = getattr(self.source, "footnotes", {}) or {}
        if not notes:
            return
        numbers: dict[str, str] = {}

        def renumber(match: re.Match[str]) -> str:
            found = match[1]
            if found not in notes:
                return match[0]
            if found not in numbers:
                numbers[found] = str(len(numbers) + 1)
                self.draft.footnotes[numbers[found]] = notes[found]
            return f"[^{numbers[found]}]"

        for block in self.items:
            if isinstance(block, Para):
                block.text = FOOTNOTE_MARKER.sub(renumber, block.text)
            else:
                for row in block.rows:
                    for cell in row:
                        cell.lines = [FOOTNOTE_MARKER.sub(renumber, line) for line in cell.lines]

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

    def _opening_start(self, start: int, stop: int | None) -> int:
        found = self._find(lambda p: key(p.text).startswith(_OPENING_WORDS), start, stop)
        return found if found is not None else (stop or start)

    def _opening_end(self, start: int, stop: int) -> int:
        """Without a numbered section: the opening is the paragraphs that cite bases, up to
        the enacting sentence ("… ban hành Kế hoạch … như sau:")."""
        index = start
        while index < stop:
            block = self.items[index]
            if not isinstance(block, Para):
                break
            folded = key(block.text)
            if _lead(one_line(block.text)):
                index += 1
                continue
            if ("ban hành" in folded or "như sau" in folded or "xây dựng kế hoạch" in folded) \
                    and (block.text.rstrip().endswith(":") or "như sau" in folded):
                index += 1
            break
        return index

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
        paras = [b for b in self.items if isinstance(b, Para)]
        spaced = sum(1 for p in paras if p.gap) > 0.8 * len(paras)  # a blank line after each
        while index < stop:
            block = self.items[index]
            if not isinstance(block, Para):
                break
            text = block.text.strip()
            folded = key(text)
            if re.fullmatch(r"[\W_]+", text):
                index += 1
                continue
            if _opens(text) or _is_section(block) or parse_label(text)[0] is not None or \
                    _is_appendix_heading(block) or key(text).startswith("nơi nhận") or \
                    len(text.split()) > 40 or text.endswith(":") or "như sau" in folded or \
                    _label_heading(text):
                break
            if lines and ((self.source.kind == "text" and block.gap and not spaced and
                           not starts_lower(text)) or
                          (centred and not block.centered and not block.in_table)):
                break
            lines.extend(x.strip() for x in text.split("\n") if x.strip())
            index += 1
        self.draft.title = [strip_end(x, ";,") for x in lines if x]
        if self.draft.title and starts_lower(self.draft.title[0]):
            self.draft.title[0] = self.draft.title[0][:1].upper() + self.draft.title[0][1:]
        return index

    # -- opening -------------------------------------------------------------------------------

    def _opening(self, start: int, end: int) -> None:
        paras = [p for p in self._paras(start, end) if p.text.strip()]
        draft = self.draft
        if not paras:
            return
        draft.opening = True
        texts = [one_line(p.text) for p in paras]
        leads = [_lead(t) for t in texts]
        based = [i for i, lead in enumerate(leads) if lead]
        if len(paras) == 1 or (len(based) == 1 and _enacting_split(texts[based[0]])[1]):
            index = based[0] if based else 0
            text = texts[index]
            lead = leads[index] or ""
            bases_text, enacting = _enacting_split(text[len(lead):].strip() if lead else text)
            if not lead:
                draft.enacting = text
                return
            draft.opening_style = "sentence"
            draft.lead = lead
            for piece in citations.split(bases_text):
                draft.bases.append(DBasis(piece, paras[index].where))
            others = [t for i, t in enumerate(texts) if i != index]
            draft.enacting = " ".join([*others, enacting]) if enacting or others else ""
            if others:
                self.report.add(paras[0].where, "unclassified", _(
                    "opening paragraphs around the bases were joined to the enacting sentence"))
            return
        lead_counts = Counter(lead for lead in leads if lead)
        draft.lead = lead_counts.most_common(1)[0][0] if lead_counts else "Căn cứ"
        enacting: list[str] = []
        for para, text, lead in zip(paras, texts, leads, strict=True):
            if lead and not enacting:
                body = strip_end(text[len(lead):].strip())
                draft.bases.append(DBasis(body, para.where,
                                          lead=lead if lead != draft.lead else None))
            else:
                enacting.append(text)
        draft.enacting = " ".join(enacting)
        if len(enacting) > 1:
            self.report.add(paras[0].where, "unclassified", _(
                "several paragraphs after the bases were joined into one enacting sentence"))

    # -- body ----------------------------------------------------------------------------------

    def _lines(self, blocks: list[Para | Table]) -> list[Line]:
        """Body lines: paragraphs with their levels, a table as a line of its own."""
        lines: list[Line] = []
        run: list[Para] = []
        for block in blocks:
            if isinstance(block, Para):
                run.append(block)
                continue
            lines.extend(lines_of(run, self.report))
            run = []
            lines.append(Line(None, "", block.where, table=_table(block)))
        lines.extend(lines_of(run, self.report))
        if len(lines) > MAX_PARAGRAPHS:
            raise KhGenError([Problem(Location(self.source.path), ngettext(
                "holds {count} list item; import reads at most {limit}: is this the right "
                "file?", "holds {count} list items; import reads at most {limit}: is this the "
                "right file?", len(lines)).format(count=len(lines), limit=MAX_PARAGRAPHS))])
        mark_headings(lines, self.report)
        return lines

    def _body(self, start: int, end: int) -> None:
        blocks = [b for b in self.items[start:end]
                  if not (isinstance(b, Para) and not b.text.strip())]
        root = build(self._lines(blocks))
        check_slips(root, self.report)
        self.draft.sections = body_sections(root, self.report)
        agencies_in(self.draft.sections)
        tasks_in(self.draft.sections)
        if not self.draft.sections:
            self.draft.sections = [DSection(None, Location(self.source.path),
                                            [DEntry("……", Location(self.source.path))])]
            self.report.add(None, "guess", _("the plan has no body text; the form holds "
                                             "'……'"))
        elif not any(isinstance(i, DSection) and i.heading
                     for i in walk_items(list(self.draft.sections))):
            self.report.add(None, "guess", _("no section heading (I., II. … or a label such "
                                             "as 'Mục đích, yêu cầu:') found: the body is "
                                             "kept as text"))

    # -- closing, signature, appendix ---------------------------------------------------------

    def _closing(self, start: int | None, end: int) -> None:
        if start is None:
            self._end_of_body()
            return
        paras = self._paras(start, end)
        text = " ".join(one_line(p.text) for p in paras)
        text = re.sub(r"\s*\.?/\.\s*$", "", text)
        self.draft.closing = DEntry(strip_end(text, "./;,"), paras[0].where)
        if len(paras) > 1:
            self.report.add(paras[1].where, "unclassified", _(
                "paragraphs after the closing sentence were joined to it"))

    def _end_of_body(self) -> None:
        """No "Trên đây là …": the body's last text loses its "./." (kh-gen writes it)."""
        items = self.draft.sections[-1].items if self.draft.sections else []
        while items:
            last = items[-1]
            if isinstance(last, DSection):
                items = last.items
            elif isinstance(last, DEntry) and last.items:
                items = list(last.items)
            elif isinstance(last, DEntry):
                last.text = re.sub(r"\s*\.?/\.\s*$", ".", last.text)
                break
            else:
                break

    def _signature(self, start: int, end: int) -> None:
        lines = [(p.text, p.where) for p in self._paras(start, end)]
        closing = read_closing(lines, self.report)
        self.draft.recipients = closing.recipients
        self.draft.archive = closing.archive
        self.draft.signer = closing.signer
        self.signing_body = closing.body

    def _appendices(self, start: int, end: int) -> None:
        """Each appendix from its heading ("PHỤ LỤC", "Phụ lục II", "DANH MỤC") to the next."""
        def heading(index: int) -> bool:
            block = self.items[index]
            return isinstance(block, Para) and _is_appendix_heading(block)

        # "Phụ lục" then "DANH MỤC NHIỆM VỤ …": the second line is the title, not an appendix
        cuts = [i for i in range(start + 1, end) if heading(i) and not heading(i - 1)]
        bounds = [start, *cuts, end]
        for a, b in itertools.pairwise(bounds):
            appendix = self._appendix(a, b)
            if appendix is not None:
                self.draft.appendices.append(appendix)

    def _appendix(self, start: int, end: int) -> DAppendix | None:
        blocks = self.items[start:end]
        if not blocks:
            return None
        appendix = DAppendix(blocks[0].where)
        title: list[str] = []
        index = 0
        first = blocks[0]
        if isinstance(first, Para) and _is_appendix_heading(first):
            text = one_line(first.text)
            match = re.match(r"^(PHỤ LỤC|DANH MỤC|Phụ lục|Danh mục)(?:\s+(?:số\s+)?[IVX\d]+)?"
                             r"\s*[:.\-–]?\s*", text)
            word = match[1] if match else text
            rest = text[match.end():] if match else ""
            if word != "Phụ lục":  # kh-gen's own; "PHỤ LỤC" in capitals is kept as written
                appendix.heading = word
            if rest:
                title.append(rest)
            index = 1
        content: list[Para | Table] = []
        for block in blocks[index:]:
            if isinstance(block, Table):
                content.append(block)
                continue
            text = one_line(block.text)
            folded = key(text)
            if not content and (text.startswith("(") or folded.startswith(
                    ("kèm theo", "ban hành kèm"))) and appendix.reference is None:
                appendix.reference = text
                continue
            if not content and appendix.reference is None and \
                    not re.match(r"^[IVX]{1,5}\s*[./]\s", text) and len(text.split()) <= 40:
                title.append(text)
                continue
            content.append(block)
        tables = [b for b in content if isinstance(b, Table)]
        prose = content if len(tables) < len(content) else []
        upper = [t for t in title if is_upper(t)]
        if upper and title and is_upper(title[0]):
            appendix.title = sentence_case(" ".join(upper))
            rest = [t for t in title if not is_upper(t)]
            appendix.subtitle = " ".join(rest) or None
        else:
            appendix.title = " ".join(title)
        if tables and not prose:
            if header_row(tables[0]) is not None:
                table = read_task_table(tables, self.report)
                appendix.columns, appendix.tasks = table.columns, table.tasks
                appendix.numbering = table.numbering
            else:
                appendix.table = _table(tables[0])
                for more in tables[1:]:
                    appendix.table.rows.extend(_table(more).rows)
        if prose:  # text, with any table in its place
            root = build(self._lines(prose))
            check_slips(root, self.report)
            appendix.sections = body_sections(root, self.report)
        if not content:
            if title or appendix.reference:
                self.report.add(appendix.where, "unclassified", _(
                    "an appendix heading with nothing under it ('{title}'): left out")
                    .format(title=" ".join(title)[:40]))
            return None
        return appendix

    # -- putting it together -----------------------------------------------------------------

    def _finish(self) -> None:
        draft = self.draft
        header = self.header or Header()
        ref_text = " ".join(a.reference or "" for a in draft.appendices[:1])
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
        years = re.findall(r"(?<!đến )năm\s+(\d{4})", title)  # not "đến năm 2030"
        body_text = self._all_text()
        if years:
            draft.year = int(years[-1])
        elif draft.date:
            draft.year = draft.date[0]
        else:
            counts = Counter(re.findall(r"năm\s+((?:19|20)\d{2})\b", body_text))
            draft.year = int(counts.most_common(1)[0][0]) if counts else 2026
            self.report.add(None, "guess", _("the plan's year is not in its title or date; "
                                             "took {year}").format(year=draft.year))
        if not draft.title:
            match = re.search(r"ban hành Kế hoạch\s+(.+?)(?:,?\s*(?:cụ thể\s+)?như sau|$)",
                              draft.enacting or "")
            draft.title = [match[1]] if match else ["Kế hoạch"]
            self.report.add(None, "guess", _("no title under 'KẾ HOẠCH'; took '{title}'")
                            .format(title=draft.title[0]))
            title = " ".join(draft.title)
        draft.issuer = infer_issuer(header, draft.enacting or "", title, body_text,
                                    draft.closing.text if draft.closing else "", draft.year,
                                    self.report)
        dates = [citations.parse(b.text) for b in draft.bases]
        long_dates = sum(1 for c in dates if c and c.date and c.long_date)
        short_dates = sum(1 for c in dates if c and c.date and not c.long_date)
        if long_dates > short_dates:
            draft.dates = "long"
        looks = _kind_of(title)
        if looks:
            self.report.add(None, "guess", _("the plan reads as a '{kind}' plan; the form says "
                                             "kind: ke-hoach, which builds any plan as written "
                                             "(change the kind to take its defaults)")
                            .format(kind=looks))
        numbered = 0
        for section in draft.sections:
            counts = ", ".join(_counted(what, n)
                               for what, n in items_count(section.items).items() if n)
            contents = counts or _("nothing under it")
            if section.heading:
                numbered += 1
                label = _("section {number}").format(number=roman(numbered))
                what = _("'{heading}' (part {part}): {contents}") if section.part else \
                    _("'{heading}': {contents}")
                what = what.format(heading=section.heading[:50], part=section.part,
                                   contents=contents)
            else:
                label = _("text")
                what = _("without a heading: {contents}").format(contents=contents)
            self.report.placed.append((label, what))
        for index, appendix in enumerate(draft.appendices, 1):
            title = appendix.title[:50]
            if appendix.columns:
                tasks = _count_tasks(appendix.tasks)
                what = ngettext("'{title}': {count} task in {columns} columns",
                                "'{title}': {count} tasks in {columns} columns", tasks).format(
                    title=title, count=number(tasks), columns=len(appendix.columns))
            elif appendix.table:
                what = _("'{title}': a table").format(title=title)
            else:
                what = ngettext("'{title}': {count} section of text",
                                "'{title}': {count} sections of text",
                                len(appendix.sections)).format(
                    title=title, count=number(len(appendix.sections)))
            self.report.placed.append((_("appendix {number}").format(number=index), what))
        if draft.footnotes:
            self.report.placed.append((_("footnotes"), number(len(draft.footnotes))))

    def _all_text(self) -> str:
        return "\n".join(b.text for b in self.items if isinstance(b, Para))


# -- helpers ---------------------------------------------------------------------------------


def _counted(what: str, count: int) -> str:
    """A count of what a section holds (`sections.items_count`), for the report."""
    counted = {
        "sub-section": lambda: ngettext("{count} sub-section", "{count} sub-sections", count),
        "entry": lambda: ngettext("{count} entry", "{count} entries", count),
        "agency": lambda: ngettext("{count} agency", "{count} agencies", count),
        "task": lambda: ngettext("{count} task", "{count} tasks", count),
        "table": lambda: ngettext("{count} table", "{count} tables", count),
    }
    return counted[what]().format(count=number(count))


def _count_tasks(items: list[DTask | DGroup]) -> int:
    return sum(_count_tasks(i.tasks) if isinstance(i, DGroup) else 1 for i in items)


def _kind_of(title: str) -> str | None:
    """The shipped kind a title names: "(Thông tin,) tuyên truyền cải cách hành chính …" or
    "Cải cách hành chính (nhà nước) năm …"; None for any other plan."""
    folded = re.sub(r"^kế hoạch ", "", key(title))
    if re.match(r"^(?:thông tin )?tuyên truyền cải cách hành chính", folded):
        return "tuyen-truyen-cchc"
    if folded.startswith("cải cách hành chính"):
        return "cai-cach-hanh-chinh"
    return None


def _is_data_table(table: Table) -> bool:
    """A table of data (tasks, a schedule), not the layout of the header or the signature."""
    if header_row(table) is not None:
        return True
    if len(table.rows) < 2 or max(sum(c.span for c in r) for r in table.rows) < 3:
        return False
    first = " ".join(key(" ".join(c.lines)) + " " for row in table.rows[:2] for c in row)
    return not any(f" {w}" in f" {first}" for w in _LAYOUT_WORDS)


def _table(table: Table) -> DTable:
    """A table as literal cells: the first row names the columns; a row of one cell spanning
    the table is a group row."""
    rows = [expanded(r) for r in table.rows]
    width = max(len(r) for r in rows)
    out: list[list[str] | str] = []
    for cells, row in zip(table.rows[1:], rows[1:], strict=True):
        if len(cells) == 1 and cells[0].span > 1:
            out.append(one_line(row[0]))
        else:
            out.append([one_line(c) for c in row] + [""] * (width - len(row)))
    # every column has a title in a form: a header cell left empty (or covered by the one
    # spanning it) is written "…"
    columns = [one_line(c) or "…" for c in rows[0]] + ["…"] * (width - len(rows[0]))
    return DTable(columns, out, table.where)


def _is_doctype(para: Para) -> bool:
    text = para.text.strip()
    if key(text) == "kế hoạch":
        return True
    return bool(re.match(r"^K[ẾE] HO[ẠA]CH(?:\s|:|$)", text)) and not re.match(
        r"^KẾ HOẠCH SỐ", text)


def _is_titled_doctype(para: Para) -> bool:
    text = one_line(para.text)
    return key(text).startswith("kế hoạch ") and len(text.split()) <= 40 and \
        not text.endswith((";", ".", ":")) and not re.search(r"\bsố\s+\d", text)


def _is_section(para: Para) -> bool:
    if para.kind == "section" and (para.auto_format != "heading" or is_upper(para.text)):
        return True
    text = para.text.strip()
    match = re.match(r"^([IVX]{1,5})\s*[./]\s+(.+)", text)
    if match and (part_of(match[2]) is not None or is_upper(match[2])):
        return True
    return looks_like_section(text) and part_of(text) is not None and \
        not key(text).startswith(("kế hoạch", "nơi nhận", "cộng hòa", "độc lập", "phụ lục",
                                  "danh mục"))


def _opens(text: str) -> bool:
    """A paragraph of the opening, not a title line that starts with the same words ("Triển
    khai thực hiện Chương trình …"): it cites a document or is a sentence."""
    folded = key(text)
    if not folded.startswith(_OPENING_WORDS):
        return False
    return len(text.split()) > 20 or text.rstrip().endswith((";", ".", ":")) or \
        bool(re.search(r"\bsố\s+\d", text))


def _label_heading(text: str) -> bool:
    head, sep, _rest = text.partition(":")
    return bool(sep) and len(head.split()) <= 6 and part_of(head) is not None


def _is_authority(para: Para) -> bool:
    return bool(re.match(r"^(T\s*/?\s*M|K\s*/?\s*T|TUQ|T\s*/?\s*L)\s*\.\s*\S", para.text.strip()))


def _is_appendix_heading(para: Para) -> bool:
    text = para.text.strip()
    folded = key(text)
    return folded.startswith(("phụ lục", "danh mục")) and (len(text.split()) <= 4 or
                                                          is_upper(text.split()[0]))


def _lead(text: str) -> str | None:
    for lead in LEADS:
        if text[:len(lead)].casefold() == lead.casefold():
            return text[:len(lead)]
    return None


def _enacting_split(text: str) -> tuple[str, str]:
    """ "A; B, Ủy ban nhân dân … ban hành Kế hoạch … như sau:" → ("A; B", "Ủy ban …"): the
    enacting sentence is the last clause, after a comma, that names who issues the plan."""
    candidates = [m.start() for m in re.finditer(r"(?<=[,.;])\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ]|Ủy|Uỷ)",
                                                 text)]
    for start in candidates:
        rest = text[start:].strip()
        folded = key(rest)
        if not (rest.endswith(":") or "như sau" in folded):
            continue
        if re.match(r"(?:Chủ tịch\s+)?(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Ban|Hội đồng|"
                    r"Sở|Phòng)\b", rest) and any(w in folded for w in (
                        "ban hành", "xây dựng", "triển khai", "kế hoạch")):
            return strip_end(text[:start]), rest
    return strip_end(text), ""
