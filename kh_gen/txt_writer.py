"""The plain-text writer: the same outline as the DOCX, for review, diffs and golden tests.

Blocks come in reading order (header left cell, then right cell); paragraphs are separated by a
blank line; appendix rows are tab-separated with the lines of a cell joined by spaces.
"""

from __future__ import annotations

from .outline import Outline


def write_text(outline: Outline) -> str:
    h = outline.header
    blocks: list[list[str]] = [
        [*h.governing, *h.issuer, h.number],
        [h.national, h.motto, h.dateline],
        [outline.doctype, *outline.summary],
    ]
    blocks.extend([p.full_text] for p in outline.body)
    closing = outline.closing
    blocks.append([closing.label, *closing.recipient_lines()])
    blocks.append([*closing.authority, "", closing.signer])
    for appendix in outline.appendices:
        blocks.append([appendix.heading, appendix.title, appendix.reference])
        rows = ["\t".join(appendix.columns)]
        rows += ["\t".join(" ".join(cell) for cell in row.cells) for row in appendix.rows]
        blocks.append(rows)
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
