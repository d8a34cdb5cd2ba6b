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
from .i18n import N_, _
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
        raise KhGenError([Problem(_loc(name, exc.mark), _too_deep())]) from None
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
    """`load_yaml_file`, with the warnings of `comments_cutting_text` for the file; a list
    item YAML joins to the text above (`over_indented_items`) is an error."""
    text = _read_text(path)
    root = load_yaml_text(text, str(path))
    cuts = comments_cutting_text(text, str(path))
    joined = over_indented_items(text, str(path))
    if joined:
        raise KhGenError([*joined, *cuts])
    return root, cuts


def _read_text(path: Path) -> str:
    """A YAML file's text, or KhGenError if it is too large or not UTF-8."""
    where = Location.of_file(path)
    raw = read_at_most(path, MAX_BYTES, N_("a YAML file"))
    if len(raw) > MAX_BYTES:
        raise KhGenError([Problem(where, _("is {size}; a YAML file may have at most {limit} "
                                           "bytes").format(size=size_text(path, len(raw)),
                                                           limit=MAX_BYTES))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KhGenError([Problem(Location(str(path), line, 1),
                                  _("is not UTF-8 text; save the file as UTF-8"))]) from None
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
            quoted = quote(whole)
            start = event.start_mark
            if start.line == end.line:  # the line as it should be written
                corrected = (lines[end.line][:start.column] + quoted).strip()
                message = _("'{whole}' is cut at ' #': YAML reads the rest of the line as a "
                            "comment, so the text is '{value}'; put the whole text in quotes: "
                            "{quoted}; the corrected line: {line}")
            else:
                corrected = ""
                message = _("'{whole}' is cut at ' #': YAML reads the rest of the line as a "
                            "comment, so the text is '{value}'; put the whole text in quotes: "
                            "{quoted}")
            message = message.format(whole=whole, value=value, quoted=quoted, line=corrected)
            if not touching:
                message += " " + _("(if '#' starts a comment, put two spaces before it)")
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
                                  _("YAML aliases (*name) are not allowed; write the value "
                                    "out"))]) from None
    except _TooDeep as exc:
        raise KhGenError([Problem(_loc(name, exc.mark), _too_deep())]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "nesting depth" in (exc.problem or ""):  # libyaml's own limit (PyYAML ≥ 6.0.4)
            raise KhGenError([Problem(_loc(name, mark), _too_deep())]) from None
        explained = explain_syntax_error(text, name, exc)
        if explained is not None:
            raise KhGenError([explained]) from None
        what = exc.problem or exc.context or "malformed YAML"
        raise KhGenError([Problem(_loc(name, mark),
                                  _("YAML syntax error: {problem}; check indentation, colons "
                                    "and quotes on this line or the one before").format(
                                      problem=what))]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, anywhere
        # PyYAML counts characters, libyaml bytes of the UTF-8 text
        before = text[: exc.position] if exc.encoding == "unicode" else \
            text.encode("utf-8")[: exc.position].decode("utf-8", "replace")
        where = Location(name, before.count("\n") + 1, len(before) - before.rfind("\n"))
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise KhGenError([Problem(where, _("YAML error: {reason} (U+{code}); delete this "
                                           "character").format(reason=exc.reason,
                                                               code=f"{code:04X}"))]) from None
    except yaml.YAMLError as exc:
        raise KhGenError([Problem(Location(name), _("YAML error: {problem}").format(
            problem=exc))]) from None
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
        raise KhGenError([Problem(where, _too_deep())])
    if isinstance(node, MappingNode):
        values: dict[str, Node] = {}
        keys: dict[str, Location] = {}
        problems: list[Problem] = []
        for key_node, value_node in node.value:
            key_where = _loc(name, key_node.start_mark)
            if not isinstance(key_node, ScalarNode):
                problems.append(Problem(key_where, _("a key must be a plain word")))
                continue
            key = str(_scalar(key_node))
            if key in values:
                problems.append(Problem(key_where, _("key '{key}' appears twice in this "
                                                     "mapping").format(key=key)))
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


# -- YAML mistakes explained for a clerk ------------------------------------------------------
#
# PyYAML's and libyaml's messages ("mapping values are not allowed here", "did not find
# expected key") name what the parser met, at the place it gave up: often a column after the
# mistake, sometimes the line after it. The mistakes clerks make are few: a text with ": " or
# " #" in it, a tab, a line indented differently from its siblings. Each is told from the text
# itself (so libyaml and PyYAML, whose words differ, give the same message), at the line to
# fix, with what to write there.


def _too_deep() -> str:
    return _("nested deeper than {count} levels").format(count=MAX_DEPTH)


def quote(text: str) -> str:
    """`text` as a YAML double-quoted scalar: in double quotes, `\\` and `"` escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_KEY_LIKE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*|\"[^\"]*\"|'[^']*'")
_TRAILING_COMMENT = re.compile(r"(?:[ \t]{2,}#|[ \t]#(?=[ \t]|$)).*$")


class _Level(NamedTuple):
    """Where a line opens a node: its column (from 0) and whether it is a list item's dash."""

    column: int
    dash: bool
    line: int  # from 0


def _levels(line: str, number: int) -> list[_Level]:
    """The dashes of list items and the key a YAML line starts with, left to right:
    `  - heading: A` → the dash at 2, the key at 4."""
    content, _comment = split_comment(line, clerk_hash=True)
    indent = len(content) - len(content.lstrip(" "))
    out = []
    at = indent
    while content[at:at + 1] == "-" and content[at + 1:at + 2] in ("", " ", "\t"):
        out.append(_Level(at, True, number))
        at += 1
        while content[at:at + 1] in (" ", "\t"):
            at += 1
    if at < len(content) and _colon_at(content, at) is not None:
        out.append(_Level(at, False, number))
    return out


def split_comment(line: str, *, clerk_hash: bool = False) -> tuple[str, str | None]:
    """The content of a YAML line and its comment's text (None when it has none).

    A '#' starts a comment at the start of a line or after a space, outside a quoted scalar;
    a quote opens a scalar only where one may start (after ': ', '- ', '[', '{', ','). With
    `clerk_hash`, a '#' touching the next character after a single space (`#2`, `#CCHC`) is
    taken as the clerk's text, the way `comments_cutting_text` reports it.
    """
    quote_char = ""
    index = 0
    while index < len(line):
        char = line[index]
        if quote_char:
            if char == "\\" and quote_char == '"':
                index += 1
            elif char == quote_char:
                if quote_char == "'" and line[index + 1:index + 2] == "'":
                    index += 1  # '' inside a single-quoted text
                else:
                    quote_char = ""
        elif char in "\"'":
            before = line[:index].rstrip()
            if not before or before[-1] in ":-[{,":
                quote_char = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t") and (
                not clerk_hash or line[index + 1:index + 2] in ("", " ", "\t")
                or line[index - 2:index - 1] in (" ", "\t")):
            return line[:index].rstrip(), line[index + 1:].removeprefix(" ")
        index += 1
    return line.rstrip(), None


def _colon_at(content: str, start: int) -> int | None:
    """Where the first ': ' (or a ':' ending the line) after `start` stands, outside quotes."""
    quote_char = ""
    for index in range(start, len(content)):
        char = content[index]
        if quote_char:
            if char == quote_char:
                quote_char = ""
            continue
        if char in "\"'" and index == start:
            quote_char = char
        elif char == ":" and content[index + 1:index + 2] in ("", " ", "\t"):
            return index
    return None


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _open_levels(lines: list[str], number: int) -> list[_Level]:
    """The levels open at line `number` (from 0): those of the lines above it that are not
    inside a line nearer to it (each line's parent, its parent's parent … and the siblings
    that came before it on the way)."""
    levels: list[_Level] = []
    lowest = 10**9
    for above in range(number - 1, -1, -1):
        line = lines[above]
        if not _is_content(line):
            continue
        found = [level for level in _levels(line, above) if level.column < lowest]
        levels.extend(found)
        if found:
            lowest = min(level.column for level in found)
        if lowest == 0:
            break
    return levels


def _nearest(levels: list[_Level], column: int, dash: bool, after: int | None = None
             ) -> _Level | None:
    """The open level of the same kind nearest to `column`. On a tie, the column `after` (where
    the next line starts: the line most likely stands with it), else the deeper one (the
    line most likely belongs with the lines just above it)."""
    same = [level for level in levels if level.dash == dash and level.column != column]
    if not same:
        return None
    return min(same, key=lambda level: (abs(level.column - column), level.column != after,
                                        -level.column))


def _next_column(lines: list[str], number: int) -> int | None:
    """The column the first line with content after line `number` starts at."""
    for line in lines[number + 1:]:
        if _is_content(line):
            return len(line) - len(line.lstrip(" "))
    return None


def explain_syntax_error(text: str, name: str, exc: yaml.MarkedYAMLError) -> Problem | None:
    """A clerk's YAML mistake in words a clerk can act on, at the line to fix; None when the
    error is not one of the mistakes known here (the parser's own words are shown then)."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    lines = _LINE_BREAK.split(text)
    if mark.line >= len(lines):
        return None
    problem = exc.problem or ""
    return (_tab(name, lines, mark.line)
            or (_colon_or_indent(name, lines, mark.line, mark.column)
                if problem.startswith("mapping values are not allowed") else None)
            or (_misaligned(name, lines, mark.line)
                if problem.startswith(("expected <block end>", "did not find expected key",
                                       "did not find expected '-'")) else None))


def _tab(name: str, lines: list[str], number: int) -> Problem | None:
    """A tab in the indentation of the line YAML stopped at."""
    line = lines[number]
    indent = line[:len(line) - len(line.lstrip(" \t"))]
    if "\t" not in indent:
        return None
    return Problem(Location(name, number + 1, indent.index("\t") + 1),
                   _("this line is indented with a tab character; YAML indents with spaces "
                     "only: replace the tab with spaces, as many as the lines of the same "
                     "level have"))


def _colon_or_indent(name: str, lines: list[str], number: int, column: int) -> Problem | None:
    """'mapping values are not allowed': a ': ' inside a text, or a key indented more than
    its siblings (YAML then reads it as more of the text above it)."""
    line = lines[number]
    content, comment = split_comment(line, clerk_hash=True)
    levels = _levels(line, number)
    start = levels[-1].column if levels else len(content) - len(content.lstrip(" "))
    first = _colon_at(content, start)
    if first is not None and first < column:
        # `title: Kế hoạch: tuyên truyền`, `- Mục tiêu: nâng cao: nhận thức`: the text starts
        # after the key when there is a key (a word of kh-gen's), else at the item
        key = content[start:first]
        value_at = start
        if _KEY_LIKE.fullmatch(key):
            value_at = first + 1
            while content[value_at:value_at + 1] in (" ", "\t"):
                value_at += 1
        corrected = content[:value_at] + quote(content[value_at:])
        if comment is not None:
            corrected += "  # " + comment
        if column + 1 >= len(content):
            message = _("this text ends with a colon (':'), which YAML reads as the end of a "
                        "key; put the whole text in double quotes. The corrected line: {line}")
        else:
            message = _("this text has a colon followed by a space (': '), which YAML reads "
                        "as the end of a key; put the whole text in double quotes. The "
                        "corrected line: {line}")
        return Problem(Location(name, number + 1, column + 1),
                       message.format(line=corrected.strip()))
    if first is not None and first == column and levels:
        if not _KEY_LIKE.fullmatch(content[start:first]):
            # more of a text of several lines, with ': ' in it
            return Problem(Location(name, number + 1, column + 1),
                           _("this text has a colon followed by a space (': '), which YAML "
                             "reads as the end of a key; put the whole text in double "
                             "quotes"))
        return _off_level(name, lines, number, levels[0])
    return None


def _misaligned(name: str, lines: list[str], number: int) -> Problem | None:
    """'expected <block end>', 'did not find expected key': the line YAML stopped at is not
    in line with its siblings, or the sibling before it is not."""
    levels = _levels(lines[number], number)
    if not levels:
        return None
    return _off_level(name, lines, number, levels[0])


def _off_level(name: str, lines: list[str], number: int, at: _Level) -> Problem | None:
    """The message for a line (`at` its first key or dash) whose indentation is off, naming the
    line to fix and the column it should start at: the column of its siblings. When the
    siblings that follow it agree with it and outnumber those before it that do not, the line
    to fix is the one before (the first key of a mapping indented more than the rest)."""
    sibling = _nearest(_open_levels(lines, number), at.column, at.dash,
                       _next_column(lines, number))
    if sibling is None:
        return None
    before = _same_level_run(lines, sibling, upward=True)
    after = _same_level_run(lines, at, upward=False)
    if at.column < sibling.column and len(after) > len(before):
        first = before[0]
        return Problem(Location(name, first.line + 1, first.column + 1),
                       _("the indentation of this line is off: it starts at column {column}, "
                         "and the lines of the same level after it start at column {expected} "
                         "(line {line}: {text}); move it to column {expected}").format(
                           column=first.column + 1, expected=at.column + 1, line=at.line + 1,
                           text=lines[at.line].strip()))
    return Problem(Location(name, number + 1, at.column + 1),
                   _("the indentation of this line is off: it starts at column {column}, and "
                     "the lines of the same level above it start at column {expected} (line "
                     "{line}: {text}); move it to column {expected}").format(
                       column=at.column + 1, expected=sibling.column + 1,
                       line=sibling.line + 1, text=lines[sibling.line].strip()))


def _same_level_run(lines: list[str], level: _Level, *, upward: bool) -> list[_Level]:
    """The lines next to `level`'s line (above or below it) with a key or a dash at the same
    column, up to a line that starts to the left of it; in the order of the text."""
    found = [level]
    step = -1 if upward else 1
    number = level.line + step
    while 0 <= number < len(lines):
        line = lines[number]
        if _is_content(line):
            levels = _levels(line, number)
            indent = len(line) - len(line.lstrip(" "))
            if indent < level.column:
                break
            found += [x for x in levels if x.column == level.column and x.dash == level.dash]
        number += step
    return sorted(found, key=lambda x: x.line)


_DASH_LINE = re.compile(r"[ \t]*-(?:[ \t]|$)")


def over_indented_items(text: str, name: str) -> list[Problem]:
    """Errors for a list item indented more than the items above it: YAML reads
    `  - Nội dung a\\n   - Nội dung b` as the one text "Nội dung a - Nội dung b", without a
    word. Such a line stands inside a plain text of several lines; only a text having a line
    that starts with '- ' after a line that opens no block is parsed for it."""
    lines = _LINE_BREAK.split(text)
    if not _may_join(lines):
        return []
    text = unicodedata.normalize("NFC", text)
    lines = _LINE_BREAK.split(text)
    problems: list[Problem] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if event.__class__ is not ScalarEvent or event.style not in (None, ""):
                continue
            start, end = event.start_mark, event.end_mark
            for number in range(start.line + 1, min(end.line, len(lines) - 1) + 1):
                if _DASH_LINE.match(lines[number]):
                    problems.append(_joined_item(name, lines, number, start.line))
                    break
    except yaml.YAMLError:
        return []
    return problems


def _may_join(lines: list[str]) -> bool:
    """Whether a line starting with '- ' follows a line that does not open a block (does not
    end with ':', '-', '|' or '>') and is indented more than it. Runs on every form: one
    `lstrip` a line, the comment scanner only for the rare candidate."""
    previous, previous_indent = "", 0
    for line in lines:
        stripped = line.lstrip()
        if not stripped or stripped[0] == "#":
            continue
        indent = len(line) - len(stripped)
        if previous and indent > previous_indent and stripped[0] == "-" and \
                stripped[1:2] in ("", " ", "\t"):
            content = split_comment(previous, clerk_hash=True)[0]
            if not content.endswith((":", "-", "|", ">", "|-", ">-", "|+", ">+")):
                return True
        previous, previous_indent = line, indent
    return False


def _joined_item(name: str, lines: list[str], number: int, text_line: int) -> Problem:
    line = lines[number]
    column = len(line) - len(line.lstrip(" \t"))
    sibling = _nearest(_open_levels(lines, number), column, True)
    if sibling is not None:
        return Problem(Location(name, number + 1, column + 1),
                       _("this list item is indented more than the items above it (it starts "
                         "at column {column}, line {line} at column {expected}), so YAML reads "
                         "it as more of the text of line {text_line}; move it to column "
                         "{expected}").format(column=column + 1, line=sibling.line + 1,
                                              expected=sibling.column + 1,
                                              text_line=text_line + 1))
    return Problem(Location(name, number + 1, column + 1),
                   _("this line starts with '- ' but YAML reads it as more of the text of line "
                     "{text_line}: a list item must be indented like the items above it; "
                     "put the text in double quotes if the '- ' belongs to it").format(
                       text_line=text_line + 1))
