"""Cleaning text gives what it always gave, on the quick path for clean text and off it; a
mapping reports unknown and missing keys as before."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kh_gen.errors import Location, Problems
from kh_gen.schema import Reader, clean_text
from kh_gen.yamlsource import Node

_SPACES = re.compile(r"[^\S\n]+")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _reference(text: str) -> str:
    """clean_text as written before its quick path."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", _INVISIBLE.sub("", text)))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


ODD = ("a", "b", "ê", " ", "  ", "\n", "\n\n", "\t", "\r", "\r\n", "e\u0301", "\u0301",
       "A\u0302\u0301", "Ấ", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202b",
       "\u202e", "\u2060", "\ufeff", "\xa0", "\u2003", "\u3000", "\u2028", "\u2029", "\x85",
       "\x00", "\x07", "\x0b", "\x0c", "\x1c", "\x1f", "\x7f", "\ufb01", "Ω", "\u212b")


@pytest.mark.parametrize("text", [
    "Tuyên truyền", "Tuye\u0302n truye\u0302\u0300n", "Kế\u200bhoạch", "a\u200e\u202bb",
    "Ủy\xa0ban", "a\tb", "a\r\nb", " a ", "a  b", "a\n\n b \n", "\n a", "a\n", "e\u200b\u0301",
    "đoạn một\n\nđoạn hai", "", " ", "\n",
])
def test_clean_text_is_unchanged(text: str) -> None:
    assert clean_text(text) == _reference(text)


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(ODD), max_size=12).map("".join))
def test_clean_text_matches_the_reference_on_odd_text(text: str) -> None:
    assert clean_text(text) == _reference(text)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text())
def test_clean_text_matches_the_reference_on_any_text(text: str) -> None:
    assert clean_text(text) == _reference(text)


def test_clean_text_keeps_clean_text_as_it_is() -> None:
    text = "Ủy ban nhân dân xã Tân Thạnh (huyện Thanh Bình)."
    assert clean_text(text) is text


def test_only_the_space_is_both_printable_and_cleaned() -> None:
    """The quick path's premise, checked against this Python's Unicode database."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isprintable() and char != " ":
            assert not char.isspace() and char != "\n", hex(code)
            assert not _INVISIBLE.match(char) and not _CONTROL.match(char), hex(code)


def _mapping(**values: object) -> Node:
    where = {key: Location("t.yaml", line, 1) for line, key in enumerate(values, 1)}
    return Node({k: Node(v, where[k]) for k, v in values.items()}, Location("t.yaml", 1, 1),
                where)


def test_mapping_reports_unknown_and_missing_keys() -> None:
    problems = Problems()
    got = Reader(problems).mapping(_mapping(nam=1, extra=2, note=None), "x",
                                   required=("name", "note"), optional=("extra",))
    assert got is not None and list(got) == ["extra", "note"]
    assert [str(p) for p in problems.items] == [
        "t.yaml:1:1: error: x.nam: unknown key 'nam'; did you mean 'name'?",
        "t.yaml:1:1: error: x.name: missing; add 'name:' here",
        "t.yaml:1:1: error: x.note: missing; add 'note:' here",
    ]


def test_mapping_with_known_keys_is_a_copy() -> None:
    node = _mapping(a=1, b=2)
    got = Reader(Problems()).mapping(node, "", required=iter(["a"]), optional=["b"])
    assert got == node.value and got is not node.value
