"""Numbering labels, computed from position: I. → 1. → a) → - → +.

Labels are never typed in data and never left to Word's automatic lists, which letter in the
Latin order; the letter level follows the Vietnamese alphabet (no f, j, w, z; đ after d).
"""

from __future__ import annotations

VIETNAMESE_LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p",
                      "q", "r", "s", "t", "u", "v", "x", "y")
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    if n < 1:
        raise ValueError(f"no Roman numeral for {n}")
    out = []
    for value, symbol in _ROMAN:
        count, n = divmod(n, value)
        out.append(symbol * count)
    return "".join(out)


def letter(n: int) -> str:
    """The n-th point letter (1 → a, 5 → đ); past y, letters double (aa, ab …) as a last
    resort so a label is never repeated."""
    if n < 1:
        raise ValueError(f"no letter for {n}")
    size = len(VIETNAMESE_LETTERS)
    if n <= size:
        return VIETNAMESE_LETTERS[n - 1]
    first, rest = divmod(n - 1, size)
    return letter(first) + VIETNAMESE_LETTERS[rest]


def label(kind: str, n: int) -> str:
    """The label printed before a paragraph of the given numbering kind."""
    if kind == "section":
        return f"{roman(n)}."
    if kind == "item":
        return f"{n}."
    if kind == "point":
        return f"{letter(n)})"
    if kind == "dash":
        return "-"
    if kind == "plus":
        return "+"
    return ""
