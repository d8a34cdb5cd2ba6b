from __future__ import annotations

import pytest

from kh_gen.numbering import label, letter, roman


def test_letters_follow_the_vietnamese_alphabet() -> None:
    letters = [letter(n) for n in range(1, 24)]
    assert letters[:7] == ["a", "b", "c", "d", "đ", "e", "g"]
    assert not {"f", "j", "w", "z"} & set(letters)
    assert letters[-1] == "y"


def test_letters_past_y_never_repeat() -> None:
    labels = [letter(n) for n in range(1, 200)]
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(("n", "expected"), [(1, "I"), (4, "IV"), (9, "IX"), (12, "XII"),
                                             (14, "XIV"), (40, "XL")])
def test_roman(n: int, expected: str) -> None:
    assert roman(n) == expected


@pytest.mark.parametrize(("kind", "n", "expected"), [
    ("section", 3, "III."), ("item", 10, "10."), ("point", 5, "đ)"), ("dash", 7, "-"),
    ("plus", 2, "+"), ("para", 1, "")])
def test_label_by_level(kind: str, n: int, expected: str) -> None:
    assert label(kind, n) == expected
