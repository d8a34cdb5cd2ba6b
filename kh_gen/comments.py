"""Carry a form's comments into a form kh-gen writes from it (`rebase`).

The new form is written from data, and YAML loaders drop comments, so the clerk's notes would
vanish. Each comment of the source is tied to the place of the value it stands above or beside,
as a path of keys and list positions (`sections`, 5, `items`, 0). The source is read as the
section form it stands for (an old form is upgraded first, and the upgrade keeps each value's
line), so the paths are those of the new form, whose text is read back to find each path's
line. A comment goes above that line, or at its end for a comment that ended a line. When its
value is gone, a comment goes above the next value of the source that is still there, and is
reported. The header (the comments before the first value) stays the header. The result is
read back and must give the same data; otherwise the form is written without the comments.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .errors import KhGenError
from .i18n import _
from .yamlsource import Node, load_yaml_text, split_comment

Path_ = tuple[Any, ...]


class Comment(NamedTuple):
    """A comment of the source: full lines above a value, or the end of a value's line."""

    lines: tuple[str, ...]  # without the leading '#' and one space
    anchor: int  # the source line of the value it belongs to; 0 for the header
    trailing: bool = False


def read_comments(text: str) -> list[Comment]:
    """The comments of a YAML text, each tied to the line of the value that follows it."""
    out: list[Comment] = []
    pending: list[str] = []
    seen_value = False
    for number, line in enumerate(text.splitlines(), 1):
        content, comment = split_comment(line)
        if not content.strip():
            if comment is not None:
                pending.append(comment)
            elif pending and not seen_value:  # a blank line ends the header
                out.append(Comment(tuple(pending), 0))
                pending = []
            continue
        if pending:
            out.append(Comment(tuple(pending), number if seen_value else 0))
            pending = []
        seen_value = True
        if comment is not None:
            out.append(Comment((comment,), number, trailing=True))
    if pending:
        out.append(Comment(tuple(pending), -1))  # after the last value
    return out


def line_paths(root: Node) -> dict[int, Path_]:
    """Each line holding a key or a list item, with the path of the outermost value there."""
    lines: dict[int, Path_] = {}

    def walk(node: Node, path: Path_) -> None:
        if isinstance(node.value, dict):
            for key, child in node.value.items():
                where = node.key_locations.get(key)
                if where is not None and where.line:
                    lines.setdefault(where.line, (*path, key))
                walk(child, (*path, key))
        elif isinstance(node.value, list):
            for index, child in enumerate(node.value):
                if child.location.line:
                    lines.setdefault(child.location.line, (*path, index))
                walk(child, (*path, index))

    walk(root, ())
    return lines


def carry(comments: list[Comment], source: Node, text: str, name: str,
          drop_header: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """`text` (a form kh-gen wrote) with the source's comments put back, and a note for each
    comment placed away from its own value. `source` is the source form as Nodes, with the
    source's lines; header lines starting with one of `drop_header` are left out (the notes
    an earlier run wrote, which this run writes anew)."""
    try:
        new_root = load_yaml_text(text, name)
    except KhGenError:
        return text, [_("comments not carried: the new form could not be read back")]
    by_path: dict[Path_, int] = {}
    for line, path in sorted(line_paths(new_root).items()):
        by_path.setdefault(path, line)
    old_lines = line_paths(source)
    anchors = sorted(old_lines)
    lines = text.splitlines()
    above: dict[int, list[str]] = {}
    after: dict[int, str] = {}
    header: list[str] = []
    notes: list[str] = []
    for comment in comments:
        if comment.anchor == 0:
            header += [c for c in comment.lines if not c.startswith(drop_header)]
            continue
        target = _target(comment.anchor, old_lines, anchors, by_path, len(lines))
        if target is None:
            notes.append(_("comment of line {line} not carried: '{comment}'").format(
                line=comment.anchor, comment=comment.lines[0][:40]))
            continue
        new_line, moved = target
        if moved:
            notes.append(_("comment of line {line} ('{comment}') placed above the next entry: "
                           "its own entry is gone").format(line=comment.anchor,
                                                           comment=comment.lines[0][:40]))
        if comment.trailing and old_lines.get(comment.anchor) is not None and not moved:
            after[new_line] = comment.lines[0]
        else:
            above.setdefault(new_line, []).extend(comment.lines)
    head = [f"# {c}".rstrip() for c in header]
    expected = new_root.plain()
    lifted = {n: [*above.get(n, ()), *([after[n]] if n in after else [])]
              for n in {*above, *after}}
    # The end-of-line comments beside their values; if that reads differently (a line that
    # cannot take one), above them.
    for ends, placed in ((after, above), ({}, lifted)):
        result = "\n".join([*head, *_placed(lines, placed, ends)]) + "\n"
        try:
            if load_yaml_text(result, name).plain() == expected:
                return result, notes
        except KhGenError:
            pass
    return text, [_("comments not carried: with them the form would read differently")]


def _placed(lines: list[str], above: dict[int, list[str]], ends: dict[int, str]) -> list[str]:
    """The lines with each comment above its line (at its indentation) or at its end."""
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        indent = line[:len(line) - len(line.lstrip())]
        out += [f"{indent}# {c}".rstrip() for c in above.get(number, ())]
        out.append(f"{line}  # {ends[number]}" if number in ends else line)
    out += [f"# {c}".rstrip() for c in above.get(len(lines) + 1, ())]
    return out


def _target(anchor: int, old_lines: dict[int, Path_], anchors: list[int],
            by_path: dict[Path_, int], end: int) -> tuple[int, bool] | None:
    """The new line a comment goes to, and whether that is another value's (its own gone)."""
    if anchor == -1:
        return end + 1, False
    path = old_lines.get(anchor)
    if path is not None and path in by_path:
        return by_path[path], False
    # A line of no path is a key of the first form's layout (`implementation:`), whose values
    # now stand in a section: the comment goes above them, as it did.
    for line in anchors:
        if line > anchor and old_lines[line] in by_path:
            return by_path[old_lines[line]], path is not None
    return end + 1, path is not None
