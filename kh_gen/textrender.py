"""The Jinja environments (the only module importing jinja2), all sandboxed and strict.

Catalogue texts and plan templates may come from a province's own folder, so both are rendered
in Jinja's immutable sandbox with StrictUndefined: a misspelt variable is an error with its file
and line, never an empty string, and no template can reach Python internals. A clerk's free text
never passes through here: it is data, kept literal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from .errors import KhGenError, Location, Problem
from .i18n import _
from .sandbox import PLAN_LIMITS, TEXT_LIMITS, BoundedSandbox, TemplateLimit, render_bounded

_text_env = BoundedSandbox(undefined=jinja2.StrictUndefined, autoescape=False,
                           keep_trailing_newline=False, refuse_loading=True)


def is_template(text: str) -> bool:
    # most texts have no brace at all: one scan rules out all three markers
    return "{" in text and ("{{" in text or "{%" in text or "{#" in text)


def check_text_template(text: str, where: Location) -> Problem | None:
    """Syntax-check a catalogue text; None when it is fine."""
    if not is_template(text):
        return None
    try:
        _compiled(text)
    except jinja2.TemplateSyntaxError as exc:
        line = where.line + (exc.lineno or 1) - 1 if where.line else 0
        return Problem(Location(where.path, line, where.column),
                       _("template error in catalogue text: {reason}").format(
                           reason=exc.message))
    except (RecursionError, MemoryError, SyntaxError, ValueError, OverflowError):
        return Problem(where, _("template error in catalogue text: nested too deeply or too "
                                "large to compile; simplify the text"))
    return None


@lru_cache(maxsize=4096)
def _compiled(text: str) -> jinja2.Template:
    return _text_env.from_string(text)


# A text whose only template syntax is `{{ name }}`, the common case, is filled without
# compiling it: the result is what Jinja gives (its value as text; Jinja itself is left to
# report an unknown name, and anything else: filters, statements, comments, CR, a final
# newline, which Jinja drops).
_NAME = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*) *\}\}")


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """A text's literal pieces and the names between them; None when it needs Jinja.

    Kept per text because the same catalogue texts are filled again in every build (a few
    hundred times each): only the values looked up change.
    """
    parts = _NAME.split(text)
    literals = tuple(parts[0::2])
    if "\r" in text or text.endswith("\n") or any(is_template(x) for x in literals):
        return None
    return literals, tuple(parts[1::2])


def _filled(text: str, context: Mapping[str, Any]) -> str | None:
    pieces = _pieces(text)
    if pieces is None:
        return None
    literals, names = pieces
    out = [literals[0]]
    for name, literal in zip(names, literals[1:], strict=True):
        value = context.get(name)
        exact = type(value) is str or type(value) is int  # the usual case, without isinstance
        if not exact and (isinstance(value, bool) or not isinstance(value, str | int)):
            return None
        out.append(str(value))
        out.append(literal)
    return "".join(out)


def render_text(text: str, context: Mapping[str, Any], where: Location) -> str:
    """Fill a catalogue text from the form's values; located KhGenError when it cannot."""
    if not is_template(text):
        return text
    filled = _filled(text, context)
    if filled is not None:
        return filled
    try:
        return render_bounded(_compiled(text), dict(context), TEXT_LIMITS)
    except jinja2.UndefinedError as exc:
        known = ", ".join(sorted(context))
        unknown = _UNDEFINED.fullmatch(exc.message or "")
        if unknown is not None:  # Jinja's words, "'yaer' is undefined", said in the sentence
            message = _("catalogue text uses the name '{name}', which is not given to it; the "
                        "names a text may use are: {known}").format(name=unknown.group(1),
                                                                     known=known)
        else:
            message = _("catalogue text uses {what}; the names a text may use are: "
                        "{known}").format(what=exc.message, known=known)
        raise KhGenError([Problem(where, message)]) from None
    except Exception as exc:  # whatever a text does wrong is the text's, said where it is
        raise KhGenError([Problem(where, _("catalogue text cannot be filled: {reason}").format(
            reason=_reason(exc)))]) from None


_UNDEFINED = re.compile(r"'([^']*)' is undefined")


def _reason(exc: BaseException) -> str:
    """A template failure in words: which limit, or what went wrong."""
    if isinstance(exc, RecursionError):
        return _("nested too deeply (a macro calling itself?); simplify it")
    if isinstance(exc, ZeroDivisionError):
        return _("division by zero")
    if isinstance(exc, MemoryError):
        return _("too large")
    if isinstance(exc, TemplateLimit | jinja2.TemplateError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class TemplateSet:
    """The plan templates: the user's folders first, the built-in folder last."""

    def __init__(self, folders: Sequence[Path]):
        """Nothing compiled is kept in the user's cache: Jinja's bytecode cache is marshalled
        code, which a planted file would have run. The built-in templates come compiled with
        the package (`compiled_templates`); others are compiled once per process."""
        from .compiled_templates import CompiledFirstLoader

        self.folders = [Path(f) for f in folders]
        self.env = BoundedSandbox(
            loader=CompiledFirstLoader([str(f) for f in self.folders]),
            undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True,
            lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
        )

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render template `name`; errors point at the template file and line."""
        try:
            template = self.env.get_template(name)
        except jinja2.TemplateNotFound:
            where = ", ".join(str(f) for f in self.folders)
            raise KhGenError([Problem(Location(name), _("template not found in: {folders}; "
                                                        "check the form's 'kind'").format(
                                                            folders=where))]) from None
        except jinja2.TemplateSyntaxError as exc:
            raise KhGenError([Problem(Location(exc.filename or name, exc.lineno or 0, 1),
                                      _("template syntax error: {reason}").format(
                                          reason=exc.message))]) from None
        except Exception as exc:  # unreadable, not UTF-8, nested too deeply to compile …
            found = next((str(f / name) for f in self.folders if (f / name).is_file()), name)
            reason = _("nested too deeply to compile; simplify it") \
                if isinstance(exc, RecursionError) else _reason(exc)
            raise KhGenError([Problem(Location(found), _("template cannot be read: "
                                                         "{reason}").format(
                                                             reason=reason))]) from None
        try:
            return render_bounded(template, dict(context), PLAN_LIMITS)
        except Exception as exc:  # whatever a template does wrong, said where it is
            line = _template_line(exc, template)
            raise KhGenError([Problem(Location(template.filename or name, line, 1),
                                      _("template error: {reason}").format(
                                          reason=_reason(exc)))]) from None


def _template_line(exc: BaseException, template: jinja2.Template) -> int:
    """The template line that failed, found in the traceback Jinja leaves."""
    tb = exc.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == template.filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
