"""The plain-text writer: the same outline as the DOCX, for review, diffs and golden tests.

Blocks come in reading order (header left cell, then right cell); paragraphs are separated by a
blank line; appendix rows are tab-separated with the lines of a cell joined by spaces.
"""

from __future__ import annotations

from .outline import Block, Outline, Table


def _blocks(items: tuple[Block, ...]) -> list[list[str]]:
    out: list[list[str]] = []
    for block in items:
        if isinstance(block, Table):
            rows = ["\t".join(block.columns)] if block.columns else []
            rows += ["\t".join(" ".join(cell) for cell in row.cells) for row in block.rows]
            out.append(rows)
        else:
            out.append([block.full_text])
    return out


def write_text(outline: Outline) -> str:
    h = outline.header
    blocks: list[list[str]] = [
        [*h.governing, *h.issuer, h.number],
        [h.national, h.motto, h.dateline],
        [outline.doctype, *outline.summary],
    ]
    blocks.extend(_blocks(outline.body))
    closing = outline.closing
    blocks.append([closing.label, *closing.recipient_lines()])
    blocks.append([*closing.authority, "", closing.signer])
    for appendix in outline.appendices:
        blocks.append([line for line in (appendix.heading, appendix.title, appendix.subtitle,
                                         appendix.reference) if line])
        blocks.extend(_blocks(appendix.body))
    if outline.footnotes:
        blocks.append([f"[^{n}] {text}" for n, text in enumerate(outline.footnotes, 1)])
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
