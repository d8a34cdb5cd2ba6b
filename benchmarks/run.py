"""How fast kh-gen writes a plan, next to what the machine allows and next to docxtpl.

    python benchmarks/run.py            # the full run (about two minutes)
    python benchmarks/run.py --quick    # fewer repeats and a 200-plan batch, for a smoke test

For the largest example form and for synthetic plans two and four times its size (its lists of
content items, tasks and agencies repeated), it measures:

- kh-gen in process: `build_bytes` (what `build_form` writes: `check_form` then `render` to DOCX
  bytes, the document deflated on a second thread while the linter runs), warm (catalogue and
  templates already loaded, as in a batch or a preview server), median and spread, with the
  stages;
- the floor: kh-gen's own output parts, taken out of the DOCX and zipped again with the same
  settings; only encoding and zipping are timed, the least any writer of these bytes must do;
- docxtpl rendering the same outline from an equivalent template (built here from the same
  WordprocessingML blocks kh-gen writes; and on python-docx's default template);
- a cold `kh-gen build` process (and `--help`, `check`, a bare interpreter), with peak RSS,
  and its first run after installing (an empty cache folder), next to a warm one;
- `kh-gen batch` throughput with 1 and 2 workers (and with `--keep-text`), with the peak RSS of
  a worker.

Ratios come first: absolute times on a shared machine are noise. Needs the `bench` extra
(docxtpl): `pip install -e ".[bench]"`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kh_gen  # noqa: E402
from kh_gen import ooxml  # noqa: E402
from kh_gen.build import (  # noqa: E402
    build_bytes,
    catalog_for,
    check_form,
    kind_for,
    render,
    templates_for,
)
from kh_gen.compose import compose_outline  # noqa: E402
from kh_gen.docx_writer import write_docx  # noqa: E402
from kh_gen.form import load_form  # noqa: E402
from kh_gen.lint import lint_plan  # noqa: E402
from kh_gen.outline import Outline, Table  # noqa: E402
from kh_gen.plan import resolve_plan  # noqa: E402
from kh_gen.rebase import form_data  # noqa: E402
from kh_gen.yamlsource import load_yaml_file  # noqa: E402

# Targets from the issue, checked at the end of the run.
TARGET_FLOOR_RATIO = 4.0
TARGET_DOCXTPL_SPEEDUP = 2.0
TARGET_COLD_MS = 250.0
TARGET_FIRST_RUN_RATIO = 1.2
TARGET_BATCH_RATE = 100.0
TARGET_WORKER_RSS_MB = 60.0
TARGET_TRANSLATION_MS = 5.0
# The lists a synthetic plan repeats to grow.


@dataclass
class Timing:
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> str:
        """10th to 90th percentile, in ms."""
        q = statistics.quantiles(self.samples, n=10) if len(self.samples) > 2 else \
            [min(self.samples)] * 9
        return f"{q[0] * 1000:.1f}–{q[-1] * 1000:.1f}"


def interleaved(runs: dict[str, Callable[[], object]], *, rounds: int,
                warmup: int = 2) -> dict[str, Timing]:
    """Each function timed `rounds` times, taking turns: on a shared machine whose speed
    drifts, what is compared is measured under the same conditions."""
    for _ in range(warmup):
        for fn in runs.values():
            fn()
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, fn in runs.items():
            t = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - t)
    return {name: Timing(values) for name, values in samples.items()}


def paired(a: Timing, b: Timing) -> float:
    """The median of a/b taken round by round: each pair ran side by side, so the drift of
    this machine's speed (a factor of two within minutes) cancels out of every ratio."""
    return statistics.median(x / y for x, y in zip(a.samples, b.samples, strict=True))


def paired_difference(a: Timing, b: Timing) -> float:
    """The median of a − b taken round by round (see `paired`), in seconds."""
    return statistics.median(x - y for x, y in zip(a.samples, b.samples, strict=True))


_TRANSLATION_CHILD = """
import time
from kh_gen import i18n
start = time.perf_counter()
i18n.use_language("vi")
i18n._("wrote {path}")  # the first message opens kh-gen's and click's catalogues
print(time.perf_counter() - start)
"""


def translation_time(env: dict[str, str], repeat: int) -> Timing:
    """What speaking Vietnamese adds to a new process: choosing the language and opening the
    catalogues at the first message, timed inside fresh processes. (Everything else a run
    does is the same in both languages; the difference of whole cold builds is reported too,
    but process start-up varies by more than this.)"""
    samples = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", _TRANSLATION_CHILD], env=env,
                              capture_output=True, text=True, check=True)
        samples.append(float(done.stdout.strip()))
    return Timing(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


# -- the cases: the largest example, and it grown --------------------------------------------

def largest_example() -> Path:
    preferred = ROOT / "examples" / "hai-phong-2019.yaml"
    if preferred.exists():
        return preferred
    forms = sorted((ROOT / "examples").glob("*.yaml"), key=lambda p: p.stat().st_size)
    return forms[-1] if forms else ROOT / "tests" / "data" / "minimal.yaml"


def grown_form(source: Path, factor: int, folder: Path) -> Path:
    """The form, written as sections, with the entries of every section that holds no
    sub-section (content items, agencies …) and its appendix tasks repeated `factor` times."""
    data = form_data(load_yaml_file(source))

    def grow(sections: list[dict[str, object]]) -> None:
        for section in sections:
            items = section.get("items")
            if not isinstance(items, list):
                continue
            subsections = [i for i in items if isinstance(i, dict) and "heading" in i]
            if subsections:
                grow(subsections)
            else:
                section["items"] = items * factor

    grow(data.get("sections") or [])
    for appendix in data.get("appendices") or []:
        if isinstance(appendix.get("tasks"), list):
            appendix["tasks"] = appendix["tasks"] * factor
    target = folder / f"{source.stem}-x{factor}.yaml"
    target.write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False,
                                width=1000), encoding="utf-8")
    return target


class _NoAliases(yaml.SafeDumper):
    """Repeated entries written out in full: kh-gen refuses YAML aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


# -- the floor --------------------------------------------------------------------------------

def parts_of(docx_bytes: bytes) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return [(i.filename, archive.read(i).decode("utf-8")) for i in archive.infolist()]


def zip_parts(parts: list[tuple[str, str]]) -> bytes:
    """What any writer of these exact strings must do: encode them and zip them, with the
    settings kh-gen uses (deflate level 6, fixed times)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, xml in parts:
            info = zipfile.ZipInfo(name, ooxml.ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, xml.encode("utf-8"))
    return buffer.getvalue()


# -- docxtpl ----------------------------------------------------------------------------------

def docxtpl_context(outline: Outline) -> dict[str, object]:
    """The outline as plain data for a docxtpl template (labels already computed)."""
    h, c = outline.header, outline.closing
    return {
        "governing": list(h.governing), "issuer": list(h.issuer), "number": h.number,
        "national": h.national, "motto": h.motto, "dateline": h.dateline,
        "doctype": outline.doctype, "summary": list(outline.summary),
        "body": [{"role": p.role, "text": p.full_text} for p in outline.body
                 if not isinstance(p, Table)],
        "recipients_label": c.label, "recipients": list(c.recipient_lines()),
        "authority": list(c.authority), "signer": c.signer,
        "appendices": [{"heading": a.heading, "title": a.title, "reference": a.reference,
                        "columns": list(t.columns),
                        "rows": [{"group": r.bold, "cells": [list(x) for x in r.cells]}
                                 for r in t.rows]}
                       for a in outline.appendices
                       for t in a.body[:1] if isinstance(t, Table)],
    }


def slim_template_body() -> str:
    """The template a careful docxtpl user would write for the same layout: kh-gen's own
    paragraph and table blocks (same fonts, sizes, spacing, tables, sections), with Jinja
    loops and conditions where kh-gen's Python decides."""
    from kh_gen import docx_writer as w
    from kh_gen.ooxml import Cell, ParagraphFormat, paragraph, run, section_properties, table

    def tag(statement: str) -> str:
        return paragraph([run(statement, w.BODY_PT)], ParagraphFormat())

    def loop(items: str, para: str, name: str = "line") -> list[str]:
        return [tag(f"{{%p for {name} in {items} %}}"), para, tag("{%p endfor %}")]

    def centered(text: str, size: float, **kw: bool) -> str:
        return paragraph([run(text, size, **kw)], ParagraphFormat(align="center"))

    left = (loop("governing", centered("{{ line }}", w.ISSUER_PT))
            + loop("issuer", centered("{{ line }}", w.ISSUER_PT, bold=True))
            + [w._short_rule(w.HEADER_LEFT, 1000)])
    right = [centered("{{ national }}", w.NATIONAL_PT, bold=True),
             paragraph([run("{{ motto }}", w.MOTTO_PT, bold=True)],
                       ParagraphFormat(align="center", rule_below=True, left=1000, right=1000))]
    number = paragraph([run("{{ number }}", w.NUMBER_PT)],
                       ParagraphFormat(align="center", before=w.SPACING))
    dateline = paragraph([run("{{ dateline }}", w.DATELINE_PT, italic=True)],
                         ParagraphFormat(align="center", before=w.SPACING))
    body = [table([((Cell(left, w.HEADER_LEFT), Cell(right, w.HEADER_RIGHT)), True),
                   ((Cell([number], w.HEADER_LEFT), Cell([dateline], w.HEADER_RIGHT)), True)],
                  (w.HEADER_LEFT, w.HEADER_RIGHT), borders=False)]
    body.append(centered("{{ doctype }}", w.BODY_PT, bold=True))
    body += loop("summary", centered("{{ line }}", w.BODY_PT, bold=True))
    body.append(w._short_rule(w.PORTRAIT.text_width, 2000))
    # one paragraph per role, as kh-gen's writer formats them
    closing_fmt = ParagraphFormat(align="both", first_line=w.FIRST_LINE, before=w.SPACING,
                                  after=w.SPACING)
    variants = [("section", w._FORMATS["section"], True, False),
                ("item", w._FORMATS["item"], True, False),
                ("subhead", w._FORMATS["subhead"], False, True),
                ("basis", w._BODY, False, True), ("closing", closing_fmt, False, False)]
    body.append(tag("{%p for p in body %}"))
    for index, (role, fmt, bold, italic) in enumerate(variants):
        keyword = "if" if index == 0 else "elif"
        body.append(tag(f"{{%p {keyword} p.role == '{role}' %}}"))
        body.append(paragraph([run("{{ p.text }}", w.BODY_PT, bold=bold, italic=italic)], fmt))
    body += [tag("{%p else %}"), paragraph([run("{{ p.text }}", w.BODY_PT)], w._BODY),
             tag("{%p endif %}"), tag("{%p endfor %}")]
    label = paragraph([run("{{ recipients_label }}", w.RECIPIENTS_LABEL_PT, bold=True,
                           italic=True)], ParagraphFormat(align="left", before=w.SPACING))
    recipient = paragraph([run("{{ line }}", w.RECIPIENTS_PT)], ParagraphFormat(align="left"))
    recipients = [label, *loop("recipients", recipient)]
    signature = loop("authority", paragraph([run("{{ line }}", w.BODY_PT, bold=True)],
                                            ParagraphFormat(align="center")))
    signature += [paragraph((), ParagraphFormat(align="center", size_pt=w.BODY_PT))] * 5
    signature.append(centered("{{ signer }}", w.BODY_PT, bold=True))
    right = w.PORTRAIT.text_width - w.CLOSING_LEFT
    body.append(table([((Cell(recipients, w.CLOSING_LEFT), Cell(signature, right)),
                        True)], (w.CLOSING_LEFT, right), borders=False))
    # the appendix: a landscape section with the task table
    width = w.LANDSCAPE.text_width
    widths = [ooxml.twips(mm) for mm in (10, 89, 51, 39, 30, 33)]  # kh-gen's, for Hải Phòng
    widths[1] += width - sum(widths)
    cell_fmt = ParagraphFormat(align="left", line=240, before=40, after=40)
    center_fmt = ParagraphFormat(align="center", line=240, before=40, after=40)

    def cell_lines(expr: str, width_: int, *, bold: bool = False,
                   center: bool = False) -> Cell:
        fmt = center_fmt if center else cell_fmt
        return Cell([tag(f"{{%p for line in {expr} %}}"),
                     paragraph([run("{{ line }}", w.APPENDIX_TABLE_PT, bold=bold)], fmt),
                     tag("{%p endfor %}"), tag(f"{{%p if not {expr} %}}"),
                     paragraph((), fmt), tag("{%p endif %}")], width_)

    def row_cells(group: bool) -> list[Cell]:
        cells = [cell_lines("row.cells[0]", widths[0], bold=group, center=True)]
        cells += [cell_lines(f"row.cells[{i}]", widths[i], bold=group and i == 1)
                  for i in range(1, 6)]
        return cells

    def control_row(statement: str) -> tuple[list[Cell], bool]:
        return [Cell([tag(statement)], widths[0])] + \
            [Cell([paragraph((), cell_fmt)], x) for x in widths[1:]], False

    header = [Cell([paragraph([run(f"{{{{ a.columns[{i}] }}}}", w.APPENDIX_TABLE_PT,
                                   bold=True)], center_fmt)], x)
              for i, x in enumerate(widths)]
    rows = [(header, True), control_row("{%tr for row in a.rows %}"),
            control_row("{%tr if row.group %}"), (row_cells(True), False),
            control_row("{%tr else %}"), (row_cells(False), False),
            control_row("{%tr endif %}"), control_row("{%tr endfor %}")]
    body.append(tag("{%p for a in appendices %}"))
    body.append(paragraph((), ParagraphFormat(size_pt=1, line=240),
                          section_properties(w.PORTRAIT)))
    body += [centered("{{ a.heading }}", w.BODY_PT, bold=True),
             centered("{{ a.title }}", w.BODY_PT, bold=True),
             centered("{{ a.reference }}", w.BODY_PT, italic=True),
             w._short_rule(width, round(width * 0.15)),
             paragraph((), ParagraphFormat(size_pt=6)),
             table(rows, widths, borders=True, header_rows=1, cell_margin=85),
             tag("{%p endfor %}"),
             section_properties(w.LANDSCAPE)]
    return "".join(body)


def slim_template() -> bytes:
    """The slim docxtpl template: kh-gen's own package (styles, settings, page-number header)
    around the templated body."""
    from kh_gen.docx_writer import BODY_PT
    from kh_gen.ooxml import ParagraphFormat, field_run, package_files, paragraph, zip_archive

    page_number = paragraph([field_run("PAGE", BODY_PT)], ParagraphFormat(align="center"))
    return zip_archive(package_files(slim_template_body(), page_number, title="template",
                                     timestamp="2020-01-01T00:00:00Z", size_pt=BODY_PT))


def default_template() -> bytes:
    """The same body in python-docx's default template (its styles, theme, fonts, settings)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    for child in list(body):
        body.remove(child)
    xml = (f'<w:body xmlns:w="{ooxml._W}" xmlns:r="{ooxml._R}">{slim_template_body()}'
           f"</w:body>")
    for child in parse_xml(xml.encode("utf-8")):
        body.append(child)
    for reference in body.xpath(".//w:headerReference"):  # this package has no headers
        reference.getparent().remove(reference)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docxtpl_render(template: bytes, context: dict[str, object]) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(template))
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def visible_text(docx_bytes: bytes) -> list[str]:
    """Every non-empty paragraph's text, body and table cells, in document order."""
    import docx

    document = docx.Document(io.BytesIO(docx_bytes))
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    out = []
    for p in document.element.body.iter(f"{ns}p"):
        text = "".join(t.text or "" for t in p.iter(f"{ns}t"))
        if text.strip():
            out.append(text)
    return out


# -- one case ---------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    form: Path
    document_kb: float
    kh_gen: Timing  # taking turns with the floor
    stages: dict[str, float]
    floor: Timing
    kh_gen_beside_docxtpl: Timing  # taking turns with docxtpl
    slim: Timing
    default: Timing
    same_text: bool


def measure_cases(forms: list[tuple[str, Path]], rounds: int, slim: bytes,
                  default: bytes) -> list[Case]:
    """kh-gen and the floor taking turns, then kh-gen and docxtpl taking turns, every case in
    each; then the stages of each case.

    Two sets of turns, because a docxtpl run leaves the caches full of its own data and its
    garbage to collect, which the next run pays for: kh-gen run after docxtpl took 8.7 ms where
    it takes 7.4 beside the floor alone (the zip floor, mostly C, hardly feels it). Each
    comparison is measured with the runs it compares, under the same conditions.
    """
    own: dict[str, Callable[[], object]] = {}
    against: dict[str, Callable[[], object]] = {}
    facts = {}
    for name, form in forms:
        output = render(check_form(form), "docx")
        parts = parts_of(output)
        assert zip_parts(parts) == output, "the floor must rebuild kh-gen's exact bytes"
        context = docxtpl_context(check_form(form).outline)
        same = visible_text(docxtpl_render(slim, context)) == visible_text(output)
        size = len(dict(parts)["word/document.xml"].encode("utf-8")) / 1024
        facts[name] = (form, size, same)
        own[f"{name}/kh-gen"] = against[f"{name}/kh-gen"] = \
            lambda form=form: build_bytes(form, "docx")
        own[f"{name}/floor"] = lambda parts=parts: zip_parts(parts)
        against[f"{name}/slim"] = lambda context=context: docxtpl_render(slim, context)
        against[f"{name}/default"] = lambda context=context: docxtpl_render(default, context)
    beside_floor = interleaved(own, rounds=rounds)
    beside_docxtpl = interleaved(against, rounds=rounds)
    return [Case(name, form, size, beside_floor[f"{name}/kh-gen"],
                 stage_times(form, repeat=rounds), beside_floor[f"{name}/floor"],
                 beside_docxtpl[f"{name}/kh-gen"], beside_docxtpl[f"{name}/slim"],
                 beside_docxtpl[f"{name}/default"], same)
            for name, (form, size, same) in facts.items()]


def stage_times(form_path: Path, repeat: int) -> dict[str, float]:
    """Medians of each stage of a warm build, in seconds."""
    catalog, templates = catalog_for(()), templates_for(())
    samples: dict[str, list[float]] = {k: [] for k in
                                       ("load", "resolve", "lint", "compose", "write")}
    for _ in range(repeat + 2):
        t0 = time.perf_counter()
        form, _ = load_form(form_path)
        t1 = time.perf_counter()
        plan, _ = resolve_plan(form, catalog, kind_for(form.kind, ()))
        t2 = time.perf_counter()
        lint_plan(plan, catalog)
        t3 = time.perf_counter()
        outline = compose_outline(plan, templates)
        t4 = time.perf_counter()
        write_docx(outline, title="t", timestamp="2020-01-01T00:00:00Z")
        t5 = time.perf_counter()
        for key, a, b in zip(samples, (t0, t1, t2, t3, t4), (t1, t2, t3, t4, t5), strict=True):
            samples[key].append(b - a)
    return {k: statistics.median(v[2:]) for k, v in samples.items()}


# -- processes --------------------------------------------------------------------------------

def kh_gen_command() -> list[str]:
    script = Path(sys.executable).with_name("kh-gen")
    if script.exists():
        return [str(script)]
    found = shutil.which("kh-gen")
    return [found] if found else [sys.executable, "-m", "kh_gen.cli"]


def process_env(cache: Path, *, kh_gen_cache: bool = True) -> dict[str, str]:
    """The environment for child processes: Python bytecode cached (as after `pip install`) in
    a folder of this run's own, so the tree is left clean; kh-gen's own cache (checked
    catalogue, compiled templates) in this run's folder, or off."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache / "python")
    env["KH_GEN_CACHE_DIR"] = str(cache / "kh-gen") if kh_gen_cache else ""
    return env


def uncompiled_kh_gen_env(env: dict[str, str], cache: Path) -> dict[str, str]:
    """`env` with every module byte-compiled but kh-gen's own, and nothing written: a copy of
    the filled bytecode folder without kh_gen's part. (Without a folder of its own, the
    `__pycache__` folders a developer's tree may hold would be used.)"""
    mirror = cache / "python-without-kh_gen"
    shutil.copytree(env["PYTHONPYCACHEPREFIX"], mirror, dirs_exist_ok=True)
    package = Path(kh_gen.__file__).parent  # the path the import system uses, as in the child
    shutil.rmtree(mirror / package.relative_to(package.anchor))
    return {**env, "PYTHONPYCACHEPREFIX": str(mirror), "PYTHONDONTWRITEBYTECODE": "1"}


# A child forked from this (large) process would count this process's pages in its peak RSS,
# so children are started by a small launcher (an interpreter without site), which times them
# and reads their peak RSS with wait4.
_LAUNCHER = """
import json, os, sys, time
fds = (1, 2) if sys.argv[1] == "quiet" else ()
actions = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in fds]
started = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
print(json.dumps([elapsed, os.waitstatus_to_exitcode(status), usage.ru_maxrss]))
"""


def run_process(command: list[str], env: dict[str, str], *,
                quiet: bool = True) -> tuple[float, int, int, str]:
    """Wall time (s), exit status, peak RSS (KB) and output of one child process."""
    result = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER,
                             "quiet" if quiet else "pass", *command], env=env,
                            capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    elapsed, status, rss = json.loads(lines[-1])
    return elapsed, status, rss, "\n".join(lines[:-1])


def cold(commands: dict[str, tuple[list[str], dict[str, str]]],
         repeat: int) -> dict[str, tuple[Timing, int]]:
    """Wall time and peak RSS of each command, the commands taking turns (after two runs
    each that fill the bytecode and kh-gen caches). A command whose kh-gen cache folder
    is named `fresh-*` gets it empty before every run: a first run after installing."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    peaks = dict.fromkeys(commands, 0)
    for index in range(repeat + 2):
        for name, (command, env) in commands.items():
            fresh = Path(env.get("KH_GEN_CACHE_DIR") or ".")
            if fresh.name.startswith("fresh-"):
                shutil.rmtree(fresh, ignore_errors=True)
            elapsed, status, rss, _ = run_process(command, env)
            if status != 0:
                raise SystemExit(f"failed ({status}): {' '.join(command)}")
            if index >= 2:
                samples[name].append(elapsed)
                peaks[name] = max(peaks[name], rss)
    return {name: (Timing(samples[name]), peaks[name]) for name in commands}


_BATCH_CHILD = """
import json, sys
from pathlib import Path
from kh_gen.batch import run_batch
report = run_batch(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), jobs=int(sys.argv[4]),
                   rebase=sys.argv[5] == "rebase")
import resource
print(json.dumps({"written": len(report.written), "failed": len(report.failed),
                  "seconds": report.seconds, "worker_rss_kb": report.peak_rss_kb,
                  "main_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def batch_run(form: Path, plans: int, jobs: int, folder: Path, env: dict[str, str], *,
              rebase: bool = True) -> dict[str, float]:
    localities = folder / f"localities-{plans}.csv"
    if not localities.exists():
        with localities.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["locality", "level", "place", "signer"])
            for n in range(1, plans + 1):
                writer.writerow([f"xã Thử Nghiệm {n}", "xa", f"Thử Nghiệm {n}",
                                 f"Nguyễn Văn {n}"])
    output = folder / f"batch-{jobs}"
    shutil.rmtree(output, ignore_errors=True)
    wall, status, rss, text = run_process([sys.executable, "-c", _BATCH_CHILD, str(form),
                                           str(localities), str(output), str(jobs),
                                           "rebase" if rebase else "keep-text"], env,
                                          quiet=False)
    if status != 0:
        raise SystemExit(f"batch failed ({status})")
    figures = json.loads(text.strip().splitlines()[-1])
    figures["wall"] = wall
    if jobs == 1:  # the parent process builds the plans itself
        figures["worker_rss_kb"] = rss
    figures["rate"] = figures["written"] / figures["seconds"]
    shutil.rmtree(output, ignore_errors=True)
    return figures


def batch_form(folder: Path) -> Path:
    """The commune example when there is one (the batch use case), else the minimal form."""
    for candidate in (ROOT / "examples" / "xa-2026.yaml", ROOT / "tests/data/minimal.yaml"):
        if candidate.exists():
            shutil.copy(candidate, folder / candidate.name)
            return folder / candidate.name
    raise SystemExit("no form for the batch")


# -- the report -------------------------------------------------------------------------------

def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {model}; "
            f"Python {platform.python_version()} on {platform.system()} "
            f"{platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller batch")
    parser.add_argument("--batch-plans", type=int, help="plans per batch run (default 1000)")
    args = parser.parse_args()
    repeat = 5 if args.quick else 20
    cold_repeat = 5 if args.quick else 15
    plans = args.batch_plans or (200 if args.quick else 1000)

    print(f"kh-gen benchmark — {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="kh-gen-bench-") as temp:
        folder = Path(temp)
        os.environ["KH_GEN_CACHE_DIR"] = str(folder / "cache" / "kh-gen")  # this process too
        base = largest_example()
        forms = [(f"{base.stem}", base), (f"{base.stem} ×2", grown_form(base, 2, folder)),
                 (f"{base.stem} ×4", grown_form(base, 4, folder))]
        slim, default = slim_template(), default_template()
        print(f"forms: {base.relative_to(ROOT)} and it grown ×2, ×4; docxtpl templates: slim "
              f"{len(slim) / 1024:.0f} KB, python-docx default {len(default) / 1024:.0f} KB")
        cases = measure_cases(forms, repeat, slim, default)

        from kh_gen.compile import compile_builtin

        compile_builtin()  # as installing does: the built-in catalogue compiled, up to date
        command = kh_gen_command()
        cache = folder / "cache"
        env = process_env(cache)
        env.pop("KH_GEN_LANG", None)  # Vietnamese, as a user runs it
        out = folder / "out.docx"
        libraries = "import click, jinja2.sandbox, yaml, zipfile"
        build = [*command, "build", str(base), "-o", str(out)]
        run_process(build, env)  # fills the bytecode folder that uncompiled_kh_gen_env copies
        processes = cold({
            "python -c pass": ([sys.executable, "-c", "pass"], env),
            f"python -c '{libraries}'": ([sys.executable, "-c", libraries], env),
            "kh-gen --help": ([*command, "--help"], env),
            "kh-gen check": ([*command, "check", str(base)], env),
            "kh-gen build": (build, env),
            "kh-gen build (English, KH_GEN_LANG=en)": (build, {**env, "KH_GEN_LANG": "en"}),
            "kh-gen build (kh_gen not byte-compiled)": (build, uncompiled_kh_gen_env(env, cache)),
            "kh-gen build (kh-gen cache off)": (
                build, process_env(cache, kh_gen_cache=False)),
            "kh-gen build (first run, empty cache)": (
                build, {**env, "KH_GEN_CACHE_DIR": str(cache / "fresh-kh-gen")}),
            "kh-gen build ×4": ([*command, "build", str(forms[2][1]), "-o", str(out)], env),
        }, cold_repeat)
        batch_source = batch_form(folder)
        batches = {jobs: batch_run(batch_source, plans, jobs, folder, env) for jobs in (1, 2)}
        kept = batch_run(batch_source, plans, 2, folder, env, rebase=False)
        messages = translation_time(env, cold_repeat)

    report(cases, processes, batches, plans, kept, messages)


def report(cases: list[Case], processes: dict[str, tuple[Timing, int]],
           batches: dict[int, dict[str, float]], plans: int, kept: dict[str, float],
           messages: Timing) -> None:
    first = cases[0]
    base_per_kb = first.kh_gen.median / first.document_kb
    print("\nRATIOS (lower is better for kh-gen/floor; higher is better for docxtpl/kh-gen)")
    print("medians of the ratios of each round's runs; in brackets, of the fastest runs")
    print(f"{'case':<22}{'document.xml':>13}{'kh-gen/floor':>19}{'slim/kh-gen':>19}"
          f"{'default/kh-gen':>19}{'cost/KB vs base':>17}")
    for c in cases:
        best = min(c.kh_gen.samples)
        beside = c.kh_gen_beside_docxtpl
        best_beside = min(beside.samples)
        print(f"{c.name:<22}{c.document_kb:>10.0f} KB"
              f"{paired(c.kh_gen, c.floor):>11.1f}× [{best / min(c.floor.samples):4.1f}×]"
              f"{paired(c.slim, beside):>11.2f}× [{min(c.slim.samples) / best_beside:4.2f}×]"
              f"{paired(c.default, beside):>11.2f}× "
              f"[{min(c.default.samples) / best_beside:4.2f}×]"
              f"{(c.kh_gen.median / c.document_kb) / base_per_kb:>16.2f}×")
    help_t = processes["kh-gen --help"][0].median
    build_t = processes["kh-gen build"][0].median
    python_t = processes["python -c pass"][0].median
    libraries_t = next(t.median for name, (t, _) in processes.items() if "import" in name)
    best = {name: min(t.samples) for name, (t, _) in processes.items()}
    print(f"cold kh-gen build / bare interpreter start: {build_t / python_t:.1f}× "
          f"[{best['kh-gen build'] / best['python -c pass']:.1f}×]; / importing click, jinja2, "
          f"yaml: {build_t / libraries_t:.2f}×  (--help: {help_t / python_t:.1f}× the "
          f"interpreter); fastest cold build: {best['kh-gen build'] * 1000:.0f} ms")
    first_run = processes["kh-gen build (first run, empty cache)"][0]
    first_ratio = paired(first_run, processes["kh-gen build"][0])
    print(f"first run (empty cache) / warm cold build: {first_ratio:.2f}× "
          f"[{min(first_run.samples) / best['kh-gen build']:.2f}×]")
    print(f"batch, 2 workers / 1 worker: {batches[2]['rate'] / batches[1]['rate']:.2f}×")
    english = processes["kh-gen build (English, KH_GEN_LANG=en)"][0]
    translation_cost = paired_difference(processes["kh-gen build"][0], english)
    print(f"translations: {ms(messages.median)} ms [{messages.spread}] in a new process to "
          f"choose Vietnamese and open the catalogues; cold build in Vietnamese (the default) "
          f"− in English: {translation_cost * 1000:+.1f} ms (median of the rounds' "
          f"differences, within the start-up noise)")

    print("\nIN PROCESS (warm: catalogue and templates loaded), ms: median [p10–p90]; kh-gen "
          "beside the floor, then beside docxtpl")
    print(f"{'case':<22}{'kh-gen':>20}{'floor':>18}{'kh-gen':>20}{'docxtpl slim':>20}"
          f"{'docxtpl default':>20}{'same text':>11}")
    for c in cases:
        beside = c.kh_gen_beside_docxtpl
        print(f"{c.name:<22}{ms(c.kh_gen.median):>7} [{c.kh_gen.spread:>11}]"
              f"{ms(c.floor.median):>6} [{c.floor.spread:>9}]"
              f"{ms(beside.median):>7} [{beside.spread:>11}]"
              f"{ms(c.slim.median):>7} [{c.slim.spread:>11}]"
              f"{ms(c.default.median):>7} [{c.default.spread:>11}]"
              f"{'yes' if c.same_text else 'NO':>11}")
    print("stages of a kh-gen build, ms (median): "
          + "; ".join(f"{c.name}: " + ", ".join(f"{k} {ms(v)}" for k, v in c.stages.items())
                      for c in cases))

    print("\nPROCESSES (cold, bytecode cached unless said), ms: median [p10–p90], peak RSS")
    for name, (timing, rss) in processes.items():
        print(f"{name:<36}{ms(timing.median):>7} [{timing.spread:>11}]  {rss / 1024:6.1f} MB")

    print(f"\nBATCH ({plans} plans of examples/xa-2026.yaml, one per locality, re-targeted as by "
          f"rebase (the default), written to disk)")
    for jobs, b in batches.items():
        print(f"{jobs} worker{'s' if jobs > 1 else ' '}: {b['rate']:6.1f} plans/s "
              f"({b['seconds']:.1f} s in run_batch, {b['wall']:.1f} s with process start); "
              f"peak RSS of a worker {b['worker_rss_kb'] / 1024:.1f} MB, of the parent "
              f"{b['main_rss_kb'] / 1024:.1f} MB; {int(b['failed'])} failed")
    print(f"--keep-text, 2 workers: {kept['rate']:6.1f} plans/s; peak RSS of a worker "
          f"{kept['worker_rss_kb'] / 1024:.1f} MB; {int(kept['failed'])} failed")

    print("\nTARGETS (largest example)")
    ratio = paired(first.kh_gen, first.floor)
    speedup = paired(first.slim, first.kh_gen_beside_docxtpl)
    growth = cases[-1].kh_gen.median / first.kh_gen.median
    size_growth = cases[-1].document_kb / first.document_kb
    worker_rss = max(b["worker_rss_kb"] for b in batches.values()) / 1024
    checks = [
        (f"in-process build ≤ {TARGET_FLOOR_RATIO:.0f}× the floor", f"{ratio:.1f}×",
         ratio <= TARGET_FLOOR_RATIO),
        (f"≥ {TARGET_DOCXTPL_SPEEDUP:.0f}× faster than docxtpl-slim", f"{speedup:.2f}×",
         speedup >= TARGET_DOCXTPL_SPEEDUP),
        (f"cold kh-gen build ≤ {TARGET_COLD_MS:.0f} ms", f"{ms(build_t)} ms",
         build_t * 1000 <= TARGET_COLD_MS),
        (f"first run (empty cache) ≤ {TARGET_FIRST_RUN_RATIO}× a warm build",
         f"{first_ratio:.2f}×", first_ratio <= TARGET_FIRST_RUN_RATIO),
        ("cost linear in plan size (×4 content: time grows ≤ 1.25× the size)",
         f"time ×{growth:.2f} for size ×{size_growth:.2f}", growth <= size_growth * 1.25),
        (f"batch ≥ {TARGET_BATCH_RATE:.0f} plans/s with 2 workers",
         f"{batches[2]['rate']:.0f} plans/s", batches[2]["rate"] >= TARGET_BATCH_RATE),
        (f"translations cost a cold build ≤ {TARGET_TRANSLATION_MS:.0f} ms",
         f"{ms(messages.median)} ms", messages.median * 1000 <= TARGET_TRANSLATION_MS),
        (f"RSS ≤ {TARGET_WORKER_RSS_MB:.0f} MB per worker over {plans} plans",
         f"{worker_rss:.1f} MB", worker_rss <= TARGET_WORKER_RSS_MB),
        ("docxtpl output has the same text as kh-gen's", "",
         all(c.same_text for c in cases)),
    ]
    for what, got, ok in checks:
        print(f"  {'met    ' if ok else 'NOT MET'}  {what}{': ' + got if got else ''}")


if __name__ == "__main__":
    main()
