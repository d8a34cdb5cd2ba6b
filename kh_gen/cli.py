"""The `kh-gen` command: thin wrappers over the library (click is imported here and in clilang).

Every user mistake arrives as KhGenError and is printed one problem per line, exit code 1; the
exit code 2 is click's own for a wrong command line. Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from .clilang import Command, Group, add_language_option, speak_click
from .errors import KhGenError, Location, Problem
from .i18n import N_, _, ngettext, number

speak_click()

# One instance per kind of path: click looks up its message translations for each one made.
_DIRS = click.Path(file_okay=False, path_type=Path)
_FILE = click.Path(dir_okay=False, path_type=Path)
_ANY_PATH = click.Path(path_type=Path)


def _sources_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--templates", "template_dirs", multiple=True, type=_DIRS,
                           help=N_("A folder of your own templates, searched before the "
                                "built-in ones (repeatable)."))(command)
    return click.option("--catalog", "catalog_dirs", multiple=True, type=_DIRS,
                        help=N_("A folder of your own catalogue entries, searched before the "
                             "built-in catalogue (repeatable)."))(command)


_STRICT = click.option("--strict", is_flag=True, help=N_("Treat warnings as errors."))
_FORCE = click.option("--force", is_flag=True,
                      help=N_("Replace an existing output even if kh-gen did not write it (by "
                           "default such a file is kept and nothing is written)."))
FORM_SUFFIXES = (".yaml", ".yml")


def _show_version(ctx: click.Context, value: bool) -> None:
    """`kh-gen --version`, worded in the run's language (click's own is worded at import)."""
    if value and not ctx.resilient_parsing:
        from importlib.metadata import version

        click.echo(_("kh-gen, version {version}").format(version=version("kh-gen")))
        ctx.exit()


def _report(problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("kh-gen drafts Vietnamese government plans (Kế hoạch) laid out per Nghị định "
            "30/2020/NĐ-CP, from a YAML form."))
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _param, value: _show_version(ctx, value),
              help=N_("Show the version and exit."))
def main() -> None:
    """The `kh-gen` group; its commands follow."""


@main.command(
    help=N_("Write the plan described by FORM (errors stop it, warnings are printed). An existing "
            "file that kh-gen did not write is kept unless --force is given."))
@click.argument("form", type=_FILE)
@click.option("-o", "--output", type=_ANY_PATH,
              help=N_("Where to write the plan (default: the form's name with the format's "
                   "suffix, next to the form)."))
@click.option("--format", "fmt", type=click.Choice(["docx", "txt"]), default="docx",
              show_default=True, help=N_("docx for signing, txt for review and diffs."))
@_sources_options
@_STRICT
@_FORCE
def build(form: Path, output: Path | None, fmt: str, catalog_dirs: tuple[Path, ...],
          template_dirs: tuple[Path, ...], strict: bool, force: bool) -> None:
    from .build import Sources, build_form
    from .outputs import replacing_allowed

    try:
        with replacing_allowed(force):
            target, checked = build_form(form, output, fmt,
                                         Sources(catalog_dirs, template_dirs), strict=strict)
    except KhGenError as exc:
        _report(exc.problems)
        sys.exit(1)
    _report(checked.warnings)
    click.echo(_("wrote {path}").format(path=target))


@main.command(
    help=N_("Check FORM and lint its content; report every problem as FILE:LINE:COL and write "
            "nothing."))
@click.argument("form", type=_FILE)
@_sources_options
@_STRICT
def check(form: Path, catalog_dirs: tuple[Path, ...], template_dirs: tuple[Path, ...],
          strict: bool) -> None:
    from .build import Sources, check_form

    try:
        checked = check_form(form, Sources(catalog_dirs, template_dirs), strict=strict)
    except KhGenError as exc:
        _report(exc.problems)
        sys.exit(1)
    if checked.warnings:
        # the warnings are the answer; "ok" stands alone, for a form with nothing to say
        _report(checked.warnings)
    else:
        click.echo(_("{form}: ok").format(form=form))


@main.group("catalog",
    help=N_("Browse the catalogue: legal bases, agencies, duties and standard texts."))
def catalog_group() -> None:
    """The `kh-gen catalog` group; its commands follow."""


def _load_catalog(catalog_dirs: tuple[Path, ...]):  # type: ignore[no-untyped-def]
    from .build import catalog_for

    try:
        return catalog_for(catalog_dirs)
    except KhGenError as exc:
        _report(exc.problems)
        sys.exit(1)


def _entry_lines(entries) -> None:  # type: ignore[no-untyped-def]
    """One line per entry, its text filled for an example locality; the note saying so goes
    to stderr, so that the lines piped elsewhere are only entries."""
    from .browse import example_note, shown_text, summary_text

    example = False
    for entry in entries:
        text = shown_text(entry)
        example = example or text != summary_text(entry)
        click.echo(f"{entry.id}  {text[:90]}{'…' if len(text) > 90 else ''}")
    if example:
        click.echo(f"({example_note()})", err=True)


_CATALOG_DIRS = click.option("--catalog", "catalog_dirs", multiple=True, type=_DIRS,
                             help=N_("A folder of your own entries, searched first (repeatable)."))


@catalog_group.command("list",
    help=N_("List the entries, all or of one KIND (basis, agency, duty, task, objective, …)."))
@click.argument("kind", required=False)
@_CATALOG_DIRS
def catalog_list(kind: str | None, catalog_dirs: tuple[Path, ...]) -> None:
    from .browse import list_entries

    try:
        _entry_lines(list_entries(_load_catalog(catalog_dirs), kind))
    except KhGenError as exc:
        _report(exc.problems)
        sys.exit(1)


@catalog_group.command("show",
    help=N_("Show one entry with its text, source and validity."))
@click.argument("entry_id", metavar="ID")
@_CATALOG_DIRS
def catalog_show(entry_id: str, catalog_dirs: tuple[Path, ...]) -> None:
    from .browse import describe, find_entry

    try:
        entry = find_entry(_load_catalog(catalog_dirs), entry_id)
    except KhGenError as exc:
        _report(exc.problems)
        sys.exit(1)
    rows = describe(entry)
    width = max(13, *(len(field) + 2 for field, _value in rows))  # long labels in Vietnamese
    for field, value in rows:
        click.echo(f"{field + ':':<{width}}{value}")


@catalog_group.command("search",
    help=N_('Find entries holding every word of TEXT as a whole word; accents optional ("tuyen '
            'truyen").'))
@click.argument("text", nargs=-1, required=True)
@_CATALOG_DIRS
def catalog_search(text: tuple[str, ...], catalog_dirs: tuple[Path, ...]) -> None:
    from .browse import search_entries

    found = search_entries(_load_catalog(catalog_dirs), " ".join(text))
    _entry_lines(found)
    if not found:
        click.echo(_("no entry found"), err=True)
        sys.exit(1)


def _level(value: str | None, allowed: tuple[str, ...]) -> str | None:
    """A `--level` written as a code or as clerks write it (`xã`, `tỉnh`), as its code."""
    from .spellings import LEVEL_WORDS, level

    found = level(value) if value is not None else None
    if value is not None and found not in allowed:
        words = ", ".join(w for w, code in LEVEL_WORDS.items() if code in allowed)
        raise click.BadParameter(_("expected one of {codes} (or {words}); got '{value}'")
                                 .format(codes=", ".join(allowed), words=words, value=value))
    return found


def _kinds() -> list[tuple[str, str]]:
    """The kinds shipped with kh-gen, for `kh-gen new --help` (read from their folders)."""
    from .compose import template_folders
    from .kinds import kind_names, load_kind

    folders = template_folders()
    out = []
    for name in kind_names(folders):
        try:
            out.append((name, load_kind(name, folders).name))
        except KhGenError:
            continue
    return out


class _NewCommand(Command):
    """`kh-gen new`, whose help lists the plan kinds found in the template folders."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help(ctx, formatter)
        with formatter.section(_("Plan kinds (--kind)")):
            formatter.write_dl(_kinds())


@main.command(cls=_NewCommand,
    help=N_("Start a form of a plan kind for a level and year, with the standard entries valid "
            "then."))
@click.option("--kind", default="ke-hoach", show_default=True, metavar=N_("KIND"),
              help=N_("The plan kind: the name of a folder under templates/ (listed below), or "
                   "of your own folder given with --templates."))
@click.option("--level", metavar="xa|tinh", required=True,
              callback=lambda ctx, param, value: _level(value, ("xa", "tinh")),
              help=N_("xa: a commune, ward or special zone; tinh: a province (also as written: "
                   "xã, phường, đặc khu, tỉnh, thành phố)."))
@click.option("--locality", required=True, metavar=N_("NAME"),
              help=N_('As written in text, e.g. "xã An Thới Đông".'))
@click.option("--year", type=click.IntRange(2020, 2100), required=True, metavar=N_("YEAR"))
@click.option("-o", "--output", type=_FILE,
              help=N_("Where to write the form (default: print it)."))
@_sources_options
@_FORCE
def new(kind: str, level: str, locality: str, year: int, output: Path | None,
        catalog_dirs: tuple[Path, ...], template_dirs: tuple[Path, ...], force: bool) -> None:
    from .build import kind_for
    from .outputs import check_output, check_suffix, replacing_allowed, write_atomically
    from .starter import new_form

    try:
        with replacing_allowed(force):
            if output is not None:
                check_suffix(output, FORM_SUFFIXES, "a form")
                check_output(Path("<new>"), output)
            text = new_form(kind_for(kind, template_dirs, Location("--kind")), level,
                            locality, year, _load_catalog(catalog_dirs))
            if output is None:
                click.echo(text, nl=False)
                return
            write_atomically(output, text.encode("utf-8"))
    except KhGenError as exc:
        _report(exc.problems)
        sys.exit(1)
    click.echo(_("wrote {path}").format(path=output))


@main.command(
    help=N_("Rewrite a form of the first layout (objectives, contents, tasks … as fixed parts) as "
            "sections, the layout every form has now. kh-gen still reads old forms as they are; "
            "this gives one you can reorder and extend. Its comments are kept, each above or "
            "beside the value it was written for."))
@click.argument("form", type=_FILE)
@click.option("-o", "--output", type=_FILE,
              help=N_("Where to write the upgraded form (default: <form>-sections.yaml beside "
                      "it)."))
@_FORCE
def upgrade(form: Path, output: Path | None, force: bool) -> None:
    from .comments import carry, read_comments
    from .oldform import is_old_form
    from .oldform import upgrade as upgraded
    from .outputs import check_output, check_suffix, replacing_allowed, write_atomically
    from .yamlsource import dump_yaml, load_yaml_file

    try:
        root = load_yaml_file(form)
        if not is_old_form(root):
            click.echo(_("{form}: already written as sections; nothing to do").format(form=form))
            return
        target = output or form.with_name(f"{form.stem}-sections.yaml")
        check_suffix(target, FORM_SUFFIXES, "a form")
        with replacing_allowed(force):
            check_output(form, target)
            tree = upgraded(root)
            comments = read_comments(form.read_text(encoding="utf-8"))
            body, notes = carry(comments, tree, dump_yaml(tree.plain()), str(target),
                                drop_header=("Nâng cấp từ ",))
            header = f"# Nâng cấp từ {form.name} bằng kh-gen upgrade.\n"
            write_atomically(target, (header + body).encode("utf-8"))
    except KhGenError as exc:
        _report(exc.problems)
        sys.exit(1)
    for note in notes:
        click.echo(f"  {note}")
    click.echo(_("wrote {path}").format(path=target))


@main.command(
    help=N_("Write FORM once for every locality in a list, re-targeted to each as by rebase: "
            "issuer and signer replaced, number and date left blank. A bad row is reported at its "
            "line and the others are still written."))
@click.argument("form", type=_FILE)
@click.option("--localities", required=True, type=_FILE,
              help=N_("A CSV or YAML list with locality, level, place, issuer, signer (and "
                   "optionally signer_title, signer_authority, unit, parent, subunits, "
                   "province), or the same columns named in Vietnamese (địa phương, cấp, "
                   "địa danh, cơ quan ban hành, người ký …); a CSV may be separated by ';'. "
                   "One plan per row."))
@click.option("-o", "--output", type=_DIRS,
              help=N_("The folder for the plans (default: a folder named after the form, next "
                   "to it)."))
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help=N_("How many plans to build at once (default: one per CPU)."))
@click.option("--rebase/--keep-text", "use_rebase", default=True,
              help=N_("Re-target each plan as kh-gen rebase does, the old locality, level and "
                   "agencies renamed in free text too (the default); or keep the form's free "
                   "text as written, for a form that names no locality (about twice as fast)."))
@_sources_options
@_STRICT
@_FORCE
def batch(form: Path, localities: Path, output: Path | None, jobs: int | None,
          use_rebase: bool, catalog_dirs: tuple[Path, ...], template_dirs: tuple[Path, ...],
          strict: bool, force: bool) -> None:
    from contextlib import ExitStack

    from .batch import run_batch
    from .build import Sources

    with ExitStack() as stack:
        bars: list[Any] = []

        def start(total: int) -> None:
            bars.append(stack.enter_context(click.progressbar(
                length=total, label=_("Building plans"), file=sys.stderr)))

        try:
            report = run_batch(form, localities, output, jobs=jobs,
                               sources=Sources(catalog_dirs, template_dirs), strict=strict,
                               rebase=use_rebase, force=force, on_start=start,
                               progress=lambda _: bars[0].update(1))
        except KhGenError as exc:
            _report(exc.problems)
            sys.exit(1)
    _report(report.warnings)
    for outcome in report.failed:
        _report(outcome.problems)
    click.echo(ngettext("wrote {count} plan to {folder}", "wrote {count} plans to {folder}",
                        len(report.written)).format(count=number(len(report.written)),
                                                    folder=report.output_dir)
               + (ngettext("; {count} failed (listed above)", "; {count} failed (listed above)",
                           len(report.failed)).format(count=number(len(report.failed)))
                  if report.failed else ""))
    if report.failed:
        sys.exit(1)


@main.command("import",
    help=N_("Read PLAN (a DOCX, or its text) into a form, and report what went where."))
@click.argument("plan", type=_FILE)
@click.option("-o", "--output", type=_FILE,
              help=N_("Where to write the form (default: the plan's name with .yaml; an "
                   "existing file that kh-gen did not write is kept unless --force)."))
@click.option("--catalog", "catalog_dirs", multiple=True, type=_DIRS,
              help=N_("A folder of your own catalogue entries, searched first (repeatable)."))
@_FORCE
def import_command(plan: Path, output: Path | None, catalog_dirs: tuple[Path, ...],
                   force: bool) -> None:
    from .build import Sources
    from .importing import import_plan
    from .outputs import check_suffix, replacing_allowed

    try:
        if output is not None:
            check_suffix(output, FORM_SUFFIXES, "a form")
        with replacing_allowed(force):
            result = import_plan(plan, output, Sources(catalog_dirs))
    except KhGenError as exc:
        _report(exc.problems)
        sys.exit(1)
    for line in result.report.lines():
        click.echo(line)
    if result.report.check_failed:
        sys.exit(1)


@main.command(
    help=N_("Write FORM's plan for another locality, level or year, with FORM's comments, and "
            "list every change, also in NEW.changes.txt beside it (with what to review)."))
@click.argument("form", type=_FILE)
@click.option("--locality", metavar=N_("NAME"),
              help=N_('The new locality as written in text, e.g. "phường Hưng Đạo".'))
@click.option("--level", metavar="xa|tinh|huyen",
              help=N_("The new level, as a code or as written (xã, phường, tỉnh …; default: "
                   "from the locality's unit word)."))
@click.option("--year", type=click.IntRange(1990, 2100), metavar=N_("YEAR"),
              help=N_("The new year."))
@click.option("--issuer", metavar=N_("NAME"),
              help=N_('The issuing body\'s name (default "Ủy ban nhân dân").'))
@click.option("--place", metavar=N_("NAME"),
              help=N_("The place before the date (default: the locality's name)."))
@click.option("--province", metavar=N_("NAME"), help=N_("The province's name, when it changes."))
@click.option("--subunits", metavar=N_("WORDS"),
              help=N_('How the plan names the units below, e.g. "các tổ dân phố".'))
@click.option("--signer", metavar=N_("NAME"), help=N_("Who signs the new plan."))
@click.option("--map", "agency_map", multiple=True, metavar="OLD=NEW",
              help=N_("An agency's counterpart (name or catalogue id) where the catalogue has "
                   "none (repeatable)."))
@click.option("-o", "--output", type=_FILE,
              help=N_("Where to write the new form (default: <locality>-<year>.yaml beside FORM)."))
@click.option("--catalog", "catalog_dirs", multiple=True, type=_DIRS,
              help=N_("A folder of your own catalogue entries, searched first (repeatable)."))
@_FORCE
def rebase(form: Path, locality: str | None, level: str | None, year: int | None,
           issuer: str | None, place: str | None, province: str | None, subunits: str | None,
           signer: str | None, agency_map: tuple[str, ...], output: Path | None,
           catalog_dirs: tuple[Path, ...], force: bool) -> None:
    from .build import Sources
    from .outputs import check_suffix, replacing_allowed
    from .rebase import Target, parse_map, rebase_form

    try:
        if output is not None:
            check_suffix(output, FORM_SUFFIXES, "a form")
        target = Target(locality=locality, level=level, year=year, issuer=issuer, place=place,
                        province=province, subunits=subunits, signer=signer,
                        agency_map=parse_map(agency_map))
        with replacing_allowed(force):
            result = rebase_form(form, target, output, Sources(catalog_dirs))
    except KhGenError as exc:
        _report(exc.problems)
        sys.exit(1)
    for line in result.changes:
        click.echo(f"  {line}")
    _report(result.problems)
    click.echo(_("wrote {path}").format(path=result.form)
               + ("" if result.ok else _("; kh-gen check finds errors (listed above)")))
    if not result.ok:
        sys.exit(1)


add_language_option(main)


def run() -> None:
    """The `kh-gen` program: `main`, then an exit that skips tearing the interpreter down.

    A `kh-gen` process is short and every object in it dies with it, yet the interpreter's
    teardown (collecting and freeing the objects of click, Jinja, YAML and the catalogue) is
    about a sixth of a cold build. Nothing is lost by skipping it: plans are written to a
    temporary file, closed and renamed before the command returns, the zip thread has been
    joined, a batch's worker pool is closed, and the standard streams are flushed here. A bug
    still propagates with its traceback and the interpreter's normal exit.
    """
    try:
        main.main(prog_name="kh-gen")
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what the interpreter does with sys.exit("message")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe, e.g. `kh-gen catalog list | head -1`
        code = code or 120  # the interpreter's own code when its final flush fails
    os._exit(code or 0)


if __name__ == "__main__":
    run()
