"""Numbering labels typed by hand (`I.`, `1.`, `a)`, `-`, `+`) and the slips in them.

kh-gen computes labels itself, so an imported text keeps none: the label only tells the
recogniser the paragraph's level. Comparing the typed labels of a list with the ones kh-gen
will print finds the slips real plans have (a repeated `đ)`, a skipped letter, Latin order
`f)`), which the report lists as corrected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import _
from ..numbering import VIETNAMESE_LETTERS, label, letter, roman

RANK = {"section": 0, "item": 1, "point": 2, "dash": 3, "plus": 4}

_LABEL = re.compile(
    r"""^\s*(?:
      (?P<roman>[IVX]{1,5})\s*[./](?=\s|$)
    | (?P<sub>\d{1,2}\.\d{1,2})\.?(?=\s)
    | (?P<num>\d{1,2})\s*[.)/](?=\s|$)
    | (?P<letter>[a-zđ])\s*[)/](?=\s|$)
    | (?P<letterdot>[a-zđ])\.(?=\s+[^\W\d_])
    | (?P<dash>[-–—•·‐−∙▪➢►✓])(?=\s|[^\W\d_])
    | (?P<plus>\+)(?=\s|[^\W\d_])
    )\s*""",
    re.VERBOSE,
)
# A list item run into the end of the previous sentence: "… thành phố. đ) Đẩy mạnh …".
_RUN_TOGETHER = re.compile(r"(?<=[.;:!?…”])\s+(?:[a-zđ]\)|\d{1,2}\.)\s+(\w)")


@dataclass(frozen=True)
class Label:
    kind: str
    text: str  # as typed, e.g. "đ)"
    value: str  # the letter, number or numeral alone


def parse_label(text: str) -> tuple[Label | None, str]:
    """The typed label at the start of `text` (or None) and the text after it."""
    match = _LABEL.match(text)
    if not match:
        return None, text
    rest = text[match.end():]
    if not rest.strip():
        return None, text  # a label alone is not a label ("-", "1.")
    group = match.lastgroup or ""
    raw = match[group]
    if group == "roman":  # "I." or "I/"
        return Label("section", match[0].strip(), raw), rest
    if group == "num":
        return Label("item", match[0].strip(), raw), rest
    if group == "sub":
        return Label("point", match[0].strip(), raw), rest
    if group in ("letter", "letterdot"):
        return Label("point", match[0].strip(), raw), rest
    if group == "plus":
        return Label("plus", "+", "+"), rest
    return Label("dash", raw, raw), rest


def split_run_together(text: str) -> list[str]:
    """A paragraph that holds the next list item after its last sentence, split in two."""
    cuts = [m.start() for m in _RUN_TOGETHER.finditer(text) if m[1].isupper()]
    if not cuts:
        return [text]
    parts = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return [p for p in parts if p]


def expected(kind: str, position: int) -> str:
    """The label kh-gen prints for the `position`-th (from 1) entry of a list of this kind."""
    return label(kind, position)


def slip(kind: str, typed: str, value: str, position: int, previous: str | None) -> str | None:
    """What is wrong with a typed label at this position, or None when it is right."""
    if kind not in ("section", "item", "point"):
        return None
    want = expected(kind, position)
    if kind == "point" and "." in value:  # "1.1." numbering below "1."
        return None
    got = {"section": f"{value}.", "item": f"{value}.", "point": f"{value})"}[kind]
    if got == want or (kind == "item" and typed.endswith(")") and f"{value}." == want):
        return None
    if previous is not None and value == previous:
        return _("'{typed}' repeats the label before it; kh-gen numbers it '{want}'").format(
            typed=typed, want=want)
    if kind == "point" and value not in VIETNAMESE_LETTERS:
        return _("'{typed}' is not a Vietnamese list letter (a b c d đ e g …); kh-gen numbers "
                 "it '{want}'").format(typed=typed, want=want)
    return _("'{typed}' where '{want}' was due; kh-gen numbers it '{want}'").format(
        typed=typed, want=want)


def latin_letter_note(count: int) -> str | None:
    """Word's automatic a, b, c lists follow the Latin alphabet: from the fifth item on they
    differ from the Vietnamese order kh-gen prints."""
    if count < 5:
        return None
    return _("Word numbered this list in Latin order (…, d, e, f); kh-gen letters it a b c d "
             "đ e … up to '{last}'").format(last=f"{letter(count)})")


__all__ = ["RANK", "Label", "expected", "latin_letter_note", "parse_label", "roman", "slip",
           "split_run_together"]
