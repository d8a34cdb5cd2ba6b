"""Golden outlines: each example's DOCX, read back, as style + text per paragraph.

`python -m tests.golden` rebuilds every example and rewrites tests/golden/*.outline, so a change
in the output shows up as a reviewable diff in version control.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from kh_gen import build_form

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
_ALIGN = {None: "inherit", 0: "left", 1: "center", 2: "right", 3: "justify"}


def _paragraph(p: Paragraph, indent: str = "") -> str:
    run = p.runs[0] if p.runs else None
    style = []
    if run is not None:
        style.append(f"{run.font.size.pt:g}pt" if run.font.size else "?pt")
        style += [flag for flag, on in (("bold", run.bold), ("italic", run.italic)) if on]
    style.append(_ALIGN.get(p.alignment, str(p.alignment)))
    return f"{indent}[{' '.join(style)}] {p.text}"


def _table(t: Table) -> list[str]:
    lines = [f"table {len(t.rows)}x{len(t.columns)}"]
    for r, row in enumerate(t.rows, 1):
        for c, cell in enumerate(row.cells, 1):
            for p in cell.paragraphs:
                if p.text:
                    lines.append(_paragraph(p, f"  r{r}c{c} "))
    return lines


def outline_of(path: Path) -> str:
    """The readable outline of a DOCX: sections, paragraphs with their style, table cells."""
    doc = docx.Document(str(path))
    lines = [f"section {s.orientation.name.lower()} {round(s.page_width.mm)}x"
             f"{round(s.page_height.mm)}mm" for s in doc.sections]
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            lines += _table(block)
        elif block.text:
            lines.append(_paragraph(block))
    return "\n".join(lines) + "\n"


def golden_path(example: Path) -> Path:
    return GOLDEN / f"{example.stem}.outline"


def build_outline(example: Path, folder: Path) -> str:
    target, _ = build_form(example, folder / f"{example.stem}.docx")
    return outline_of(target)


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for example in EXAMPLES:
            golden_path(example).write_text(build_outline(example, Path(folder)),
                                            encoding="utf-8")
            print(f"wrote {golden_path(example).relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
