"""The one-pass reading gives what the careful reading gives: the same Nodes, values, places and
messages, for plain forms and for hostile text alike.

`_load_checked` is the careful reading (scan every event, then compose and convert) of text
made NFC; it stays the reference, and `load_yaml_text` must agree with it on any text.
"""

from __future__ import annotations

import datetime as dt
import time
import unicodedata
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.constructor import SafeConstructor

from kh_gen.errors import KhGenError, Location
from kh_gen.yamlsource import MAX_DEPTH, Node, _load_checked, load_yaml_text

# The same examples every run, as in the other property tests.
FUZZ = settings(max_examples=400, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _tree(node: Node) -> Any:
    """Every value with its type and place, and every key with its place."""
    value = node.value
    if isinstance(value, dict):
        assert list(node.key_locations) == list(value)
        return ("mapping", node.location,
                [(key, node.key_locations[key], _tree(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", node.location, [_tree(item) for item in value])
    return (type(value).__name__, repr(value), node.location)  # repr: nan is not nan


def _outcome(read: Any, text: str) -> Any:
    try:
        return _tree(read(text, "t.yaml"))
    except KhGenError as exc:
        return ("KhGenError", str(exc))
    except Exception as exc:  # a crash must stay the same crash
        return (type(exc).__name__, str(exc))


def _careful(text: str, name: str) -> Node:
    return _load_checked(unicodedata.normalize("NFC", text), name)


def _same_as_careful(text: str) -> Any:
    outcome = _outcome(load_yaml_text, text)
    assert outcome == _outcome(_careful, text), repr(text)
    return outcome


def _message(text: str) -> str:
    with pytest.raises(KhGenError) as caught:
        load_yaml_text(text, "t.yaml")
    (problem,) = caught.value.problems
    return str(problem)


# -- values ----------------------------------------------------------------------------------

# Plain, quoted and tagged scalars whose value depends on the tag the composer resolves.
TRICKY = ("0x1F", "1_000", ".5", "yes", "No", "off", "~", "null", "Null", "", "2024-05-06",
          "2024-05-06 10:00", "2024-05-06 00:00:00", "2001-12-14t21:59:43.10-05:00", "2024-5-6",
          "'5'", '"5"', "'yes'", "!!str 5", "!!str yes", "!!int '7'", "!!float 1", "! 12",
          "! '12'", "!!null ''", "!!bool yes", "!!int x", "!!float x", "!!timestamp 2024-13-45",
          "!!binary aGVsbG8=", "!foo bar", ".inf", "-.Inf", ".NaN", "0o17", "-0o17", "0b101",
          "190:20:30", "1e3", "1.0e+3", "+12", "-0", "09", "0_1", "<<", "=", "Tuyên truyền",
          "Năm 2024", "tháng 5", "12 tháng", "|\n  nhiều\n  dòng\n", ">\n  gấp\n  dòng\n")


@pytest.mark.parametrize("scalar", TRICKY)
def test_a_scalar_is_what_the_constructor_builds(scalar: str) -> None:
    """Or its text, where the constructor refuses it (an unknown tag, '!!int x')."""
    text = f"v: {scalar}"
    ((_, node),) = yaml.compose(text, Loader=yaml.SafeLoader).value
    try:
        expected = SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError):
        expected = node.value
    if isinstance(expected, dt.datetime) and expected.time() == dt.time():
        expected = expected.date()  # kh-gen's one change: a midnight timestamp is a date
    value = load_yaml_text(text, "t.yaml").value["v"].value
    assert (type(value), repr(value)) == (type(expected), repr(expected))
    _same_as_careful(text)


@pytest.mark.parametrize("scalar", [s for s in TRICKY if s and s[0] not in "|>"])
def test_a_key_is_the_text_of_what_the_constructor_builds(scalar: str) -> None:
    _same_as_careful(f"{scalar}: v\nother: w")


@pytest.mark.parametrize("text", [
    "!!set {a, b}", "!!omap [a: 1]", "v: !!set x", "v: !!omap x", "!!str {a: 1}", "!!seq [1]",
    "%TAG !e! tag:example.com,2000:\n---\nv: !e!x 1", "%YAML 1.1\n---\nv: 1", "---\nv: 1\n...\n",
    "---\n...\n", "", "# only a comment\n", "\ufeffv: 1", "v: e\u0301", "e\u0301: 1",
    "v: !!bool maybe", "v: !!timestamp x",
])
def test_tags_documents_and_odd_values_read_as_before(text: str) -> None:
    _same_as_careful(text)


@pytest.mark.parametrize("text", ["v: !!bool maybe", "v: !!timestamp x", "v: !!int x",
                                  "v: !!float x"])
def test_an_explicit_tag_on_a_value_it_cannot_take_keeps_the_text(text: str) -> None:
    """No traceback for a clerk: the text is kept, and the form's reader says what it wanted."""
    assert load_yaml_text(text, "t.yaml").value["v"].value == text.split(" ", 2)[2].strip("'")


def test_places_are_those_of_the_source() -> None:
    root = load_yaml_text("a: 1\nb:\n  - x\n  - {c: [d]}\n", "t.yaml")
    assert root.location == Location("t.yaml", 1, 1)
    assert root.key_locations == {"a": Location("t.yaml", 1, 1), "b": Location("t.yaml", 2, 1)}
    seq = root.value["b"]
    assert seq.location == Location("t.yaml", 3, 3)
    assert [item.location for item in seq.value] == [Location("t.yaml", 3, 5),
                                                   Location("t.yaml", 4, 5)]
    inner = seq.value[1]
    assert inner.key_locations == {"c": Location("t.yaml", 4, 6)}
    assert inner.value["c"].value[0].location == Location("t.yaml", 4, 10)
    assert root.plain() == {"a": 1, "b": ["x", {"c": ["d"]}]}


def test_node_is_a_small_immutable_record() -> None:
    node = Node("x", Location("t.yaml", 1, 1))
    assert (node.value, node.location, node.key_locations) == ("x", Location("t.yaml", 1, 1), {})
    assert not node.is_mapping and not node.is_list and node.plain() == "x"
    with pytest.raises(AttributeError):
        node.value = "y"  # type: ignore[misc]


# -- hostile text ----------------------------------------------------------------------------

def test_aliases_are_refused_where_they_stand() -> None:
    assert _message("a: &x 1\nb: *x") == \
        "t.yaml:2:4: error: YAML aliases (*name) are not allowed; write the value out"
    assert _message("- [1, *x]") == \
        "t.yaml:1:7: error: YAML aliases (*name) are not allowed; write the value out"


def test_an_alias_bomb_is_refused_quickly() -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    bomb += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]"
             for i in range(9)]
    start = time.perf_counter()
    assert "aliases" in _message("\n".join(bomb))
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize("text", ["a: &x 1\nb: 2", "- &x [1]\n- &y {a: b}", "&a a: 1"])
def test_anchors_without_aliases_load(text: str) -> None:
    _same_as_careful(text)


@pytest.mark.parametrize("text", ["a: '*x'", 'a: "*"', "a: b*c", "# *x\na: 1", "a: 1 # *x",
                                  "a: |\n  x *y\n", 'a: "multi\n  line *x"', "'*': 1"])
def test_a_star_that_is_not_an_alias_loads(text: str) -> None:
    assert _same_as_careful(text)[0] == "mapping"


def test_deep_flow_nesting_is_refused_quickly() -> None:
    start = time.perf_counter()
    assert _message("[" * 100_000 + "]" * 100_000) == \
        "t.yaml:1:42: error: nested deeper than 40 levels"
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("text", [
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),  # the innermost list is 40 deep: allowed
    "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2),
    "{a: " * MAX_DEPTH + "1" + "}" * MAX_DEPTH,
    "{a: " * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1),
    "[a: " * 20 + "1" + "]" * 20,  # single-pair mappings inside lists count too
    "[a: " * 21 + "1" + "]" * 21,
    "- " * MAX_DEPTH + "x",  # compact sequences nest on one line
    "- " * (MAX_DEPTH + 1) + "x",
    "- " * 30 + "[" * 10 + "]" * 10,
    "- " * 30 + "[" * 11 + "]" * 11,
    "\n".join("  " * i + f"k{i}:" for i in range(MAX_DEPTH)) + " x",
    "\n".join("  " * i + f"k{i}:" for i in range(MAX_DEPTH + 1)) + " x",
    "a:\n" + "".join(" " * i + "-\n" for i in range(MAX_DEPTH + 5)),
    # a block sequence at its mapping's own column: two levels per column
    "\n".join(" " * i + f"k{i}:\n" + " " * i + "-" for i in range(19)) + " x",
    "\n".join(" " * i + f"k{i}:\n" + " " * i + "-" for i in range(21)) + " x",
    "? " * 25 + "x",
    "a: 1\n" + "- " * 50 + "x",  # too deep and a syntax error: the first one is reported
])
def test_nesting_is_refused_past_the_limit_as_before(text: str) -> None:
    _same_as_careful(text)


@pytest.mark.parametrize("text", [
    "a: [1, 2\nb: 3", "a: b: c", "\ta: 1", "a: \x07", "a: 1\na: 2", "[a]: 1", "? [a]\n: 1",
    "a: 1\n---\nb: 2", "a: 1\n---\nb: [", "a: &x 1\nb: &x 2", "a: &x 1\nb: &x 2\nc: [",
    "a: {b: 1, b: 2}\nc: *x", "1: a\n'1': b", "a: 1\n...\nb: 2", "- a\nb: c", "a:\n  - b\n c: d",
    "{a: [b}", "a: 'unclosed", 'a: "bad \\q escape"', "a: !<tag:yaml.org,2002:str 1",
])
def test_broken_text_gets_the_same_message(text: str) -> None:
    assert _same_as_careful(text)[0] == "KhGenError"


# -- generated text --------------------------------------------------------------------------

PIECES = ("a", "b", "k: ", "- ", "? ", ": ", ":", "-", "?", "[", "]", "{", "}", ", ", ",", "\n",
          "  ", " ", "\t", "'q'", '"d\\u00e9"', "'", '"', "&x ", "&y ", "*x", "*", "!!str ",
          "!!int ", "!!set ", "! ", "!t ", "|\n", ">-\n", "# c", " #", "---\n", "...\n",
          "%YAML 1.1\n", "12", "0x1F", "1_000", ".5", "yes", "~", "2024-05-06",
          "2024-05-06 10:00", "<<", "=", "\ufeff", "\r\n", "\r", "\u2028", "\x85", "é",
          "e\u0301", "\u200b", "\x07", "Đảng ủy")


@FUZZ
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_any_text_reads_as_the_careful_reading_reads_it(text: str) -> None:
    _same_as_careful(text)


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.dates(), st.datetimes(), st.text(max_size=12), st.sampled_from(TRICKY))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=30)


@FUZZ
@given(DATA, st.sampled_from([None, True, False]), st.integers(0, 2))
def test_dumped_data_reads_as_the_careful_reading_reads_it(data: Any, flow: bool | None,
                                                           depth: int) -> None:
    for _ in range(depth * 20):  # now and then deep, near and past the limit
        data = [data]
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    _same_as_careful(text)
