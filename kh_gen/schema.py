"""Typed reading of located YAML values, with every mismatch reported where it stands.

Both the form and the catalogue are read through a `Reader`, so a wrong type, a missing key or
an unknown key gives the same kind of message everywhere: `path.to.key: expected X; got Y`.
A reader never raises on bad input; it records a problem and returns None so reading goes on
and the user sees every problem in one run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from .errors import Location, Problems
from .i18n import _
from .yamlsource import Node, quote

# Every white space but the newline: tabs, no-break and typographic spaces, and the Unicode
# line and paragraph separators, which would otherwise end a line of the outline markup.
_SPACES = re.compile(r"[^\S\n]+")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def clean_text(text: str) -> str:
    """NFC, no control or invisible characters, single spaces: what a DOCX paragraph can hold.

    Newlines are kept (a blank line separates paragraphs); each line is trimmed.
    """
    # Most texts are clean already, and a form holds hundreds. Every control, invisible or
    # odd space character and the newline are "other" or "separator" in Unicode, so not
    # printable; a printable NFC text with single inner spaces is its own clean form.
    if text.isprintable() and "  " not in text and not text.startswith(" ") and \
            not text.endswith(" ") and unicodedata.is_normalized("NFC", text):
        return text
    # NFC last: a mark removed from between a letter and its accent lets them compose
    text = unicodedata.normalize("NFC", _CONTROL.sub("", _INVISIBLE.sub("", text)))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def one_line(text: str) -> str:
    """The text with its white space made single spaces, ends trimmed. Most texts are so
    already: a printable text has no white space but the space, so a few C scans tell it,
    where splitting it into words and joining them makes a string per word."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def describe(value: Any) -> str:
    """How a received value is named in a message."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"'{shown}'"
    return f"'{value}'"


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, if any is close enough to suggest."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


class Reader:
    """Reads Nodes into Python values, recording problems instead of raising."""

    def __init__(self, problems: Problems):
        self.problems = problems

    def error(self, where: Location, message: str) -> None:
        self.problems.add(where, message)

    def mapping(self, node: Node | None, path: str, *, required: Iterable[str] = (),
                optional: Iterable[str] = ()) -> dict[str, Node] | None:
        """A mapping with exactly the allowed keys; unknown keys get the nearest suggestion."""
        if node is None:
            return None
        if not node.is_mapping:
            self.error(node.location, _("{path}: expected a mapping of keys; got {value}").format(
                path=path or _("the file"), value=describe(node.value)))
            return None
        values = node.value
        required = tuple(required)
        allowed = {*required, *optional}
        unknown = not allowed.issuperset(node.key_locations)
        if unknown:
            for key, where in node.key_locations.items():
                if key not in allowed:
                    hint = nearest(key, allowed)
                    if hint:
                        message = _("{path}: unknown key '{key}'; did you mean '{hint}'?")
                    else:
                        message = _("{path}: unknown key '{key}'; known keys: {keys}")
                    self.error(where, message.format(path=_join(path, key), key=key, hint=hint,
                                                     keys=", ".join(sorted(allowed))))
        for key in required:
            if key not in values or values[key].value is None:
                self.error(node.location, _("{path}: missing; add '{key}:' here").format(
                    path=_join(path, key), key=key))
        return {k: v for k, v in values.items() if k in allowed} if unknown else dict(values)

    def colon_in_text(self, node: Node, path: str) -> bool:
        """Report a list item that YAML read as a key and its value because its text has
        ': ' in it (`- Mục tiêu: nâng cao nhận thức`), with the line as it should be written;
        whether it was one. A key of kh-gen's is a plain ASCII word: a key with a space or a
        Vietnamese letter is the clerk's text."""
        if not node.is_mapping or len(node.value) != 1:
            return False
        ((key, child),) = node.value.items()
        if _PLAIN_KEY.fullmatch(key) or isinstance(child.value, dict | list):
            return False
        value = child.value
        if value is None:
            text = f"{key}:"
        else:
            shown = str(value).lower() if isinstance(value, bool) else str(value)
            text = f"{key}: {shown}"
        self.error(node.key_locations.get(key, node.location),
                   _("{path}: '{text}' has a colon followed by a space (': '), so YAML reads "
                     "'{key}' as a key; put the whole text in double quotes. The corrected "
                     "line: {line}").format(path=path, text=text, key=key,
                                            line="- " + quote(text)))
        return True

    def text(self, node: Node | None, path: str, *, required: bool = False,
             multiline: bool = False) -> str | None:
        """A string (numbers are accepted and written as typed)."""
        if node is None or node.value is None:
            if required and node is not None:
                self.error(node.location, _("{path}: missing; write the text here").format(
                    path=path))
            return None
        value = node.value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(node.location, _("{path}: expected text; got {value}").format(
                path=path, value=describe(value)))
            return None
        text = clean_text(str(value))
        if not multiline:
            text = text.replace("\n", " ")
        if required and not text:
            self.error(node.location, _("{path}: is empty; write the text here").format(
                path=path))
            return None
        return text

    def integer(self, node: Node | None, path: str, *, low: int, high: int) -> int | None:
        if node is None or node.value is None:
            return None
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(node.location, _("{path}: expected a whole number; got {value}").format(
                path=path, value=describe(value)))
            return None
        if not low <= value <= high:
            self.error(node.location, _("{path}: expected a number from {low} to {high}; got "
                                        "{value}").format(path=path, low=low, high=high,
                                                          value=value))
            return None
        return value

    def boolean(self, node: Node | None, path: str) -> bool | None:
        if node is None or node.value is None:
            return None
        if not isinstance(node.value, bool):
            self.error(node.location, _("{path}: expected true or false; got {value}").format(
                path=path, value=describe(node.value)))
            return None
        return node.value

    def choice(self, node: Node | None, path: str, choices: Iterable[str]) -> str | None:
        if node is None or node.value is None:
            return None
        options = list(choices)
        if node.value not in options:
            self.error(node.location, _("{path}: expected one of {choices}; got {value}").format(
                path=path, choices=", ".join(options), value=describe(node.value)))
            return None
        return str(node.value)

    def date(self, node: Node | None, path: str) -> dt.date | None:
        if node is None or node.value is None:
            return None
        value = node.value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        self.error(node.location, _("{path}: expected a date written YYYY-MM-DD (e.g. "
                                    "2026-03-15); got {value}").format(
            path=path, value=describe(value)))
        return None

    def sequence(self, node: Node | None, path: str) -> list[Node] | None:
        if node is None or node.value is None:
            return None
        if not node.is_list:
            self.error(node.location, _("{path}: expected a list (lines starting with '- '); "
                                        "got {value}").format(path=path,
                                                              value=describe(node.value)))
            return None
        return node.value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
