"""The command line in the user's language: `--lang`, the help texts and click's own messages.

click writes its usage errors and help headings ("Usage:", "Missing argument") through the
standard `gettext` functions it imported; pointing those names at kh-gen's catalogue makes
click speak the language kh-gen speaks, from `locale/vi/LC_MESSAGES/click.po`. Help texts are
written in English in `cli.py`, marked with `N_`, and translated when a command line is read:
the language is only known then, and a test may run several commands in different languages
in one process.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import click

from . import i18n
from .i18n import N_

# click's modules that show text, each having imported `_` (gettext) and maybe `ngettext`
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui",
                  "types", "utils", "shell_completion")

OPTIONS_METAVAR = N_("[OPTIONS]")
SUBCOMMAND_METAVAR = N_("COMMAND [ARGS]...")
LANG_HELP = N_("The language of messages and help: vi (the default) or en. The "
               "KH_GEN_LANG environment variable does the same.")


def speak_click() -> None:
    """Route click's messages through kh-gen's catalogue (module globals, looked up per call)."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = i18n._  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def requested_language(args: Sequence[str]) -> str | None:
    """The value of `--lang` anywhere on the command line, before click reads it.

    The language must be known before click shows help or an error, and `--lang` may follow
    the command name (`kh-gen build --help --lang en`). A value kh-gen does not know is left
    for click to refuse, in the language of the environment.
    """
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None:
            try:
                return i18n.language_code(value)
            except i18n.UnknownLanguage:
                return None
    return None


def _lang_option() -> click.Option:
    return click.Option(["--lang"], type=click.Choice(i18n.LANGUAGES), expose_value=False,
                        is_eager=True, help=LANG_HELP)


def _commands(command: click.Command) -> Iterator[click.Command]:
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _commands(sub)


def _translate(holder: Any, attribute: str) -> None:
    """Set a help text to its translation, keeping the English it was written in beside it."""
    source_name = f"_kh_gen_source_{attribute}"
    if not hasattr(holder, source_name):
        setattr(holder, source_name, getattr(holder, attribute))
    source = getattr(holder, source_name)
    setattr(holder, attribute, i18n._(source) if source else source)


def _path_word(path: click.Path) -> str:
    """click's own word for a path type (its msgids, translated in click.po)."""
    if path.file_okay and not path.dir_okay:
        return "file"
    return "directory" if path.dir_okay and not path.file_okay else "path"


HELP_HELP = N_("Show this message and exit.")


class _TranslatedHelpOption:
    """click makes a command's `--help` once and keeps it; its text is set again per run."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = i18n._(HELP_HELP)
        return option


class Command(_TranslatedHelpOption, click.Command):
    """A `kh-gen` command."""


class Group(_TranslatedHelpOption, click.Group):
    """The `kh-gen` group: chooses the language, then runs click as usual."""

    command_class = Command
    group_class = type  # a group under it is a Group too

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        given = list(args) if args is not None else sys.argv[1:]
        i18n.use_language(requested_language(given))
        for command in _commands(self):
            command.options_metavar = i18n._(OPTIONS_METAVAR)
            if isinstance(command, click.Group):
                command.subcommand_metavar = i18n._(SUBCOMMAND_METAVAR)
            _translate(command, "help")
            _translate(command, "short_help")
            for param in command.params:
                if isinstance(param, click.Option):
                    _translate(param, "help")
                    _translate(param, "metavar")  # a word ("NAME"), marked where it is given
                if isinstance(param.type, click.Path):  # named when it was made
                    param.type.name = i18n._(_path_word(param.type))
        return super().main(given, *rest, **options)


def add_language_option(group: click.Group) -> None:
    """Give the group and every command under it `--lang`, so it is accepted anywhere."""
    for command in _commands(group):
        command.params.append(_lang_option())
