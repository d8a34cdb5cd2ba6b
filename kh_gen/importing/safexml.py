"""XML from a file somebody else made, parsed with limits: no DTD, no entities, bounded depth.

A DOCX is a zip of XML parts, and XML can attack its reader: entity expansion ("billion
laughs"), external entities that read local files, or nesting deep enough to exhaust memory.
WordprocessingML never needs a DTD, so any DOCTYPE or entity declaration is refused outright;
depth and element count are bounded; the parse is driven through expat directly into an
ElementTree, so nothing else (no resolver, no network) is involved.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat

from ..errors import KhGenError, Location, Problem
from ..i18n import _

MAX_DEPTH = 256  # Word's own documents nest below 40
MAX_ELEMENTS = 3_000_000


class _Refused(Exception):
    def __init__(self, message: str):
        self.message = message


def parse_xml(data: bytes, name: str) -> ET.Element:
    """The root element of `data`; KhGenError located at `name:line:col` when the XML is
    malformed or uses what a Word part never needs (DTD, entities, extreme nesting)."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    depth = 0
    count = 0

    def refuse(message: str) -> None:
        raise _Refused(message)

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth, count
        depth += 1
        count += 1
        if depth > MAX_DEPTH:
            refuse(_("XML nested deeper than {depth} levels; a Word document never is")
                   .format(depth=MAX_DEPTH))
        if count > MAX_ELEMENTS:
            refuse(_("more than {count} XML elements").format(count=MAX_ELEMENTS))
        builder.start(_qualified(tag), {_qualified(k): v for k, v in attrs.items()})

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(_qualified(tag))

    def doctype(*_args: object) -> None:
        refuse(_("the XML declares a DTD (<!DOCTYPE …>); a Word part never does, so it is "
                 "refused"))

    def entity(*_args: object) -> None:
        refuse(_("the XML declares entities; refused"))

    def external(*_args: object) -> int:
        refuse(_("the XML refers to an external entity; refused"))
        return 0

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        where = Location(name, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        raise KhGenError([Problem(where, exc.message)]) from None
    except expat.ExpatError as exc:
        where = Location(name, exc.lineno, exc.offset + 1)
        raise KhGenError([Problem(where, _("malformed XML ({reason}); the file is damaged: "
                                           "open it in Word and save it again")
                                  .format(reason=expat.ErrorString(exc.code)))]) from None
    except RecursionError:
        raise KhGenError([Problem(Location(name), _("XML too deeply nested"))]) from None
    return builder.close()


def _qualified(name: str) -> str:
    """expat's `uri}local` as ElementTree's `{uri}local`."""
    return "{" + name if "}" in name else name
