"""YAML reading with the line and column of every value kept (the only module importing yaml).

Forms and catalogue files are read into a tree of `Node`s, so any later stage can point at the
clerk's own line. Loading is safe by construction: only plain scalars, lists and mappings are
built, aliases are refused (no alias bombs), and size and depth are bounded.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import KhGenError, Location, Problem
from .userfile import read_at_most, size_text

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40


class Node(NamedTuple):
    """A YAML value with where it stands; `value` is a scalar, a list of Nodes or a dict.

    A named tuple, not a dataclass: a form has hundreds of nodes and a tuple is the cheapest
    record to build. The default `key_locations` is one shared empty dict: never change it.
    """

    value: Any
    location: Location
    key_locations: dict[str, Location] = {}  # noqa: RUF012 (shared, never written to)

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The value without locations (for data that needs none)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value

    @classmethod
    def of_plain(cls, value: Any, name: str) -> Node:
        """Plain values as Nodes: what `dump_yaml` then reading back gives, without either (a
        batch re-targets one form in memory for each locality). Each value stands on a line
        of its own, counted in reading order, as it would in the dumped text: rules that
        report a mistake once per place see as many places."""
        lines = itertools.count(1)

        def node(value: Any) -> Node:
            where = Location(name, next(lines), 1)
            if isinstance(value, dict):
                keys = {str(k): where for k in value}
                return cls({str(k): node(v) for k, v in value.items()}, where, keys)
            if isinstance(value, list):
                return cls([node(v) for v in value], where)
            return cls(value, where)

        return node(value)


# libyaml's parser when the machine has it (several times faster), else PyYAML's own.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _AliasRefused(Exception):
    def __init__(self, mark: yaml.Mark):
        self.mark = mark


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark):
        self.mark = mark


def _check_events(text: str) -> None:
    """Scan the event stream before composing: aliases are refused before any is expanded,
    and nesting past MAX_DEPTH before the composer sees it. The parser is iterative, but
    libyaml's composer recurses (a form of 100,000 '[' overflows the C stack) and deep flow
    nesting makes the scanner quadratic, so the scan stops at the first node too deep."""
    depth = 0  # collections open around the next node: the root is at depth 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            continue
        if isinstance(event, yaml.NodeEvent) and depth > MAX_DEPTH:
            raise _TooDeep(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            raise _AliasRefused(event.start_mark)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1


_scalars = SafeConstructor()


_FLOW_SCAN = 4 * MAX_DEPTH  # flow depth at which the text is cut for the event scan


def _refuse_deep_flow(text: str, name: str) -> None:
    """Refuse a deep flow nesting (`[[[[…`) before any YAML reader sees the whole of it.

    libyaml's scanner holds every token of a flow nesting until it knows where it ends
    (quadratic time), and since PyYAML 6.0.4 it stops first, at 1000 levels, with its own
    message. So the text up to a flow depth of _FLOW_SCAN is scanned for events on its own:
    the first node deeper than MAX_DEPTH lies in it, and is reported exactly where and as
    the full scan would report it, whatever the PyYAML version.
    """
    cut = _deep_flow(text)
    if cut is None:
        return
    try:
        _check_events(text[:cut])
    except _TooDeep as exc:
        raise KhGenError([Problem(_loc(name, exc.mark),
                                  f"nested deeper than {MAX_DEPTH} levels")]) from None
    except Exception:  # anything else: the full reading reports it
        return


def _deep_flow(text: str) -> int | None:
    """The offset in `text` where flow collections (`[…]`, `{…}`) first nest _FLOW_SCAN
    deep, or None. A conservative character scan: it skips quoted text, comments and block
    scalars, and counts a bracket at block level only where a node starts; a deep nesting it
    misses is still refused by the event scan, only more slowly."""
    if text.count("[") + text.count("{") < _FLOW_SCAN:
        return None  # too few brackets to nest that deep: most forms, at C speed
    offset = 0  # of the line in text
    depth = 0  # flow collections open
    quote = ""
    block_indent = -1  # inside a block scalar (| or >): its parent line's indentation
    for line in text.split("\n"):
        line_offset, offset = offset, offset + len(line) + 1
        indent = len(line) - len(line.lstrip(" "))
        if block_indent >= 0:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = -1
        start = depth == 0 and not quote  # at a place where a block node may start
        previous = "["  # in flow: the last significant character
        i = indent if start else 0
        while i < len(line):
            c = line[i]
            if quote:
                if c == "\\" and quote == '"':
                    i += 1
                elif c == quote:
                    if quote == "'" and line[i + 1:i + 2] == "'":
                        i += 1
                    else:
                        quote = ""
                        previous = "x"
                i += 1
                continue
            if c == "#" and (i == 0 or line[i - 1] in " \t"):
                break
            if depth:
                if c in "[{":
                    depth += 1
                    if depth >= _FLOW_SCAN:
                        return line_offset + i + 1
                elif c in "]}":
                    depth -= 1
                elif c in "'\"" and previous in "[{,:?":
                    quote = c
                if c not in " \t":
                    previous = c
            elif start and c in "[{":
                depth, previous = 1, c
            elif start and c in "'\"":
                quote = c
            elif start and c in "|>":
                block_indent = indent
                break
            elif c in " \t":
                pass
            else:
                start = c in "-?:" and line[i + 1:i + 2] in ("", " ", "\t")
            i += 1
    return None


def load_yaml_file(path: Path) -> Node:
    """Read a YAML file into located Nodes, or raise KhGenError located in that file."""
    return load_yaml_text(_read_text(path), str(path))


def load_yaml_file_noting_cuts(path: Path) -> tuple[Node, list[Problem]]:
    """`load_yaml_file`, with the warnings of `comments_cutting_text` for the file."""
    text = _read_text(path)
    root = load_yaml_text(text, str(path))
    return root, comments_cutting_text(text, str(path))


def _read_text(path: Path) -> str:
    """A YAML file's text, or KhGenError if it is too large or not UTF-8."""
    where = Location.of_file(path)
    raw = read_at_most(path, MAX_BYTES, "a YAML file")
    if len(raw) > MAX_BYTES:
        raise KhGenError([Problem(where, f"is {size_text(path, len(raw))}; a YAML file may "
                                         f"have at most {MAX_BYTES} bytes")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KhGenError([Problem(Location(str(path), line, 1),
                                  "is not UTF-8 text; save the file as UTF-8")]) from None
    return text


def load_yaml_text(text: str, name: str) -> Node:
    """Parse YAML text (named `name` in messages) into located Nodes."""
    text = unicodedata.normalize("NFC", text)
    _refuse_deep_flow(text, name)
    loader = _Loader(text)
    try:
        return _PlainReader(loader, name).document()
    except Exception:  # whatever it was, the careful reading reports it
        pass
    finally:
        loader.dispose()
    # Read again the careful way, which words the message (or fails) exactly as it always has:
    # it reports the first problem in the whole text, where the plain reading stopped at the
    # first unusual thing.
    return _load_checked(text, name)


_COMMENT_AFTER = re.compile(r"([ \t]+)#(.*)")
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def _may_cut(text: str) -> bool:
    """Whether some line has something other than a comment before a " #": only such a text
    is parsed for cut texts. Looked for from each line's first " #" (few in a form), not
    line by line."""
    for mark in (" #", "\t#"):
        at = text.find(mark)
        while at >= 0:
            head = text[text.rfind("\n", 0, at) + 1:at].strip()
            if head and not head.startswith("#"):
                return True
            # the rest of this line is a comment: on to the next line, so that a hostile
            # line of a million " #" is read once, not once per mark
            end = text.find("\n", at)
            at = text.find(mark, end) if end >= 0 else -1
    return False


def comments_cutting_text(text: str, name: str) -> list[Problem]:
    """Warnings for a clerk's text that YAML cuts at a " #" without a word said: in
    `- Nguồn kinh phí #2: xã hội hóa` everything from " #" on is a comment, so the plan reads
    "Nguồn kinh phí".

    A comment after a plain (unquoted) text on its line is reported when it cannot be told
    from the text: its "#" touches the next character ("#2", "#CCHC"; a comment, by hand or
    by `kh-gen new`, starts "# "), or only one space stands before the "#" and the text is a
    list item or a value of two words or more. kh-gen's own comments stand apart, after two
    spaces or more ("locality: xã X    # tên địa phương"), and a comment after a number, a
    date, a single word or a reference is left alone. Texts in quotes or block scalars
    (`|`, `>`) are not cut by YAML and so never reported. A text that does not parse gives
    nothing here: loading it reports the error.
    """
    if not _may_cut(text):
        return []
    text = unicodedata.normalize("NFC", text)  # as loading reads it, so columns agree
    lines = _LINE_BREAK.split(text)
    problems: list[Problem] = []
    # per open collection: [is a mapping, the next scalar is a key, is in flow style]
    stack: list[list[bool]] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = event.__class__
            if kind in (SequenceEndEvent, MappingEndEvent):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            parent = stack[-1] if stack else None
            is_key = parent is not None and parent[0] and parent[1]
            if parent is not None and parent[0]:
                parent[1] = not parent[1]
            if isinstance(event, yaml.CollectionStartEvent):
                flow = bool(event.flow_style) or (parent is not None and parent[2])
                stack.append([kind is not SequenceStartEvent, True, flow])
                continue
            if kind is not ScalarEvent or is_key or event.style not in (None, "") or \
                    (parent is not None and parent[2]):
                continue
            end = event.end_mark
            if end.line >= len(lines):
                continue
            comment = _COMMENT_AFTER.match(lines[end.line], end.column)
            if comment is None:
                continue
            spaces, rest = comment[1], comment[2]
            value = str(event.value)
            touching = rest[:1] not in ("", " ", "\t")
            close = spaces == " " and (parent is None or not parent[0] or len(value.split()) > 1)
            if not (touching or close):
                continue
            column = end.column + len(spaces) + 1
            whole = f"{value} #{rest.rstrip()}"
            quoted = '"' + whole.replace("\\", "\\\\").replace('"', '\\"') + '"'
            message = (f"'{whole}' is cut at ' #': YAML reads the rest of the line as a "
                       f"comment, so the text is '{value}'; put the whole text in quotes: "
                       f"{quoted}")
            if not touching:
                message += " (if '#' starts a comment, put two spaces before it)"
            problems.append(Problem(Location(name, end.line + 1, column), message, "warning",
                                    "yaml-comment-cuts-text"))
    except yaml.YAMLError:
        return []
    return problems


_STR_TAG = "tag:yaml.org,2002:str"


class _NotPlain(Exception):
    """Raised by _PlainReader at anything but a single document of plain data."""


class _PlainReader:
    """The Nodes of a text of plain data, built in one pass over the parser's events.

    The careful reading (`_load_checked`) scans the events, then parses the text again to
    compose and convert it: two parses and a tree of yaml nodes built only to be converted.
    This builds our tree during the scan itself, so it is as safe as the scan: libyaml's
    recursive composer never runs, nothing is expanded, and it stops at the first node deeper
    than MAX_DEPTH (before a deep flow nesting slows the scanner). It stops with _NotPlain
    too at anything else the careful reading refuses or words: an anchor or alias, a key that
    is a collection or appears twice, a second document. Otherwise it builds exactly what
    composing and `_convert` build (tests/test_yamlsource.py compares the two).
    """

    def __init__(self, loader: Any, name: str):
        if loader.yaml_path_resolvers:  # none are registered; they would need the composer
            raise _NotPlain
        self.next_event = loader.get_event
        self.resolve = loader.resolve  # the composer's, with the loader's implicit resolvers
        self.implicit = loader.yaml_implicit_resolvers
        self.name = name

    def document(self) -> Node:
        next_event = self.next_event
        next_event()  # the stream's start
        if next_event().__class__ is StreamEndEvent:  # else the document's start
            return Node({}, Location(self.name, 1, 1))
        root = self.node(next_event(), 0)
        next_event()  # the document's end
        if next_event().__class__ is not StreamEndEvent:
            raise _NotPlain  # another document
        return root

    def node(self, event: yaml.Event, depth: int) -> Node:
        """The node that `event` starts, `depth` collections deep."""
        kind = event.__class__
        if kind is AliasEvent or event.anchor is not None or depth > MAX_DEPTH:
            raise _NotPlain
        mark = event.start_mark
        where = Location(self.name, mark.line + 1, mark.column + 1)
        if kind is ScalarEvent:
            value = event.value
            if event.tag is not None or (event.implicit[0] and (
                    value[:1] in self.implicit or None in self.implicit)):
                value = self.scalar(event)  # else plain text, the usual case
            if isinstance(value, dt.datetime):
                value = value.date() if value.time() == dt.time() else value
            return Node(value, where)
        next_event = self.next_event
        if kind is SequenceStartEvent:
            items = []
            while (event := next_event()).__class__ is not SequenceEndEvent:
                items.append(self.node(event, depth + 1))
            return Node(items, where)
        values: dict[str, Node] = {}  # a mapping
        keys: dict[str, Location] = {}
        while (event := next_event()).__class__ is not MappingEndEvent:
            if event.__class__ is not ScalarEvent or event.anchor is not None or \
                    depth + 1 > MAX_DEPTH:
                raise _NotPlain
            key = str(self.scalar(event))
            if key in values:
                raise _NotPlain
            mark = event.start_mark
            keys[key] = Location(self.name, mark.line + 1, mark.column + 1)
            values[key] = self.node(next_event(), depth + 1)
        return Node(values, where, keys)

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        """The value composing then constructing give the scalar, before dates are made."""
        value = event.value
        tag = event.tag
        if tag is None or tag == "!":
            # the composer resolves the tag; the patterns (true, 12, null, 2024-05-06...) are
            # tried only on a plain scalar, and only those listed under its first character
            if not event.implicit[0] or (value[:1] not in self.implicit and
                                         None not in self.implicit):
                return value
            tag = self.resolve(ScalarNode, value, event.implicit)
        if tag == _STR_TAG:
            return value
        return _scalar(ScalarNode(tag, value, event.start_mark, event.end_mark, event.style))


def _load_checked(text: str, name: str) -> Node:
    """Scan the whole event stream, then compose and convert: the reading that words every
    refusal and syntax error (at the first one in the text)."""
    try:
        _check_events(text)
        root = yaml.compose(text, Loader=_Loader)
    except _AliasRefused as exc:
        raise KhGenError([Problem(_loc(name, exc.mark),
                                  "YAML aliases (*name) are not allowed; write the value out")]
                         ) from None
    except _TooDeep as exc:
        raise KhGenError([Problem(_loc(name, exc.mark),
                                  f"nested deeper than {MAX_DEPTH} levels")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "nesting depth" in (exc.problem or ""):  # libyaml's own limit (PyYAML ≥ 6.0.4)
            raise KhGenError([Problem(_loc(name, mark), f"nested deeper than {MAX_DEPTH} "
                                                        f"levels")]) from None
        what = exc.problem or exc.context or "malformed YAML"
        raise KhGenError([Problem(_loc(name, mark),
                                  f"YAML syntax error: {what}; check indentation, colons and "
                                  f"quotes on this line or the one before")]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, anywhere
        # PyYAML counts characters, libyaml bytes of the UTF-8 text
        before = text[: exc.position] if exc.encoding == "unicode" else \
            text.encode("utf-8")[: exc.position].decode("utf-8", "replace")
        where = Location(name, before.count("\n") + 1, len(before) - before.rfind("\n"))
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise KhGenError([Problem(where, f"YAML error: {exc.reason} (U+{code:04X}); delete "
                                         f"this character")]) from None
    except yaml.YAMLError as exc:
        raise KhGenError([Problem(Location(name), f"YAML error: {exc}")]) from None
    if root is None:
        return Node({}, Location(name, 1, 1))
    return _convert(root, name, 0)


def _loc(name: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(name)
    return Location(name, mark.line + 1, mark.column + 1)


def _convert(node: yaml.Node, name: str, depth: int) -> Node:
    where = _loc(name, node.start_mark)
    if depth > MAX_DEPTH:
        raise KhGenError([Problem(where, f"nested deeper than {MAX_DEPTH} levels")])
    if isinstance(node, MappingNode):
        values: dict[str, Node] = {}
        keys: dict[str, Location] = {}
        problems: list[Problem] = []
        for key_node, value_node in node.value:
            key_where = _loc(name, key_node.start_mark)
            if not isinstance(key_node, ScalarNode):
                problems.append(Problem(key_where, "a key must be a plain word"))
                continue
            key = str(_scalar(key_node))
            if key in values:
                problems.append(Problem(key_where, f"key '{key}' appears twice in this mapping"))
                continue
            values[key] = _convert(value_node, name, depth + 1)
            keys[key] = key_where
        if problems:
            raise KhGenError(problems)
        return Node(values, where, keys)
    if isinstance(node, SequenceNode):
        return Node([_convert(item, name, depth + 1) for item in node.value], where)
    value = _scalar(node)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    return Node(value, where)


def _scalar(node: ScalarNode) -> Any:
    try:
        return _scalars.construct_object(node)
    except Exception:  # an explicit tag on a value it cannot take
        # (`!!bool maybe`, `!!timestamp x`) fails inside PyYAML in many ways: keep the text,
        # and the reader of the form says what it expected there
        return node.value
    finally:  # the constructor remembers every node it built: forget them, or they pile up
        _scalars.constructed_objects.clear()
        _scalars.recursive_objects.clear()


class _FormDumper(yaml.SafeDumper):
    """Block style, no aliases, multi-paragraph text as a literal block (`|`)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_FormDumper.add_representer(str, _represent_text)


def dump_yaml(data: Any, comment: str = "") -> str:
    """Plain data (dicts, lists, strings, numbers, dates) as YAML text that `load_yaml_text`
    reads back to the same values: keys in the given order, Unicode kept, long lines left
    whole, each line of `comment` written first as a `#` comment."""
    text = yaml.dump(data, Dumper=_FormDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=4096, indent=2)
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    return "\n".join([*lines, text]) if lines else text
