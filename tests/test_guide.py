"""The clerks' guide (docs/huong-dan.md) stays true: its commands and examples are real.

A clerk copies the guide's lines as they are, so every `kh-gen` command in it must name a real
command and real options, its form snippets put together must pass `kh-gen check`, its
localities lists must be read by `kh-gen batch`, and every message it quotes must be what
`kh-gen check` says, in Vietnamese, for the mistake named in the comment above it
(`<!-- lỗi mẫu: ["what the form has", "what the clerk wrote instead"] -->`).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
from click.testing import CliRunner

from kh_gen.batch import read_localities
from kh_gen.cli import main
from kh_gen.form import load_form

from .conftest import EXAMPLES, ROOT

GUIDE = ROOT / "docs" / "huong-dan.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def _commands() -> list[list[str]]:
    lines = [line for block in _blocks("sh") for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("kh-gen ")]


def test_every_command_in_the_guide_is_a_real_command_with_real_options() -> None:
    commands = _commands()
    assert {c[0] for c in commands} >= {"new", "check", "build", "catalog", "import", "rebase",
                                        "batch"}
    for args in commands:
        command: click.Command = main
        rest = list(args)
        while isinstance(command, click.Group):
            command = command.commands[rest.pop(0)]
        known = {name for p in command.params for name in (*p.opts, *p.secondary_opts)}
        used = {a for a in rest if a.startswith("-")}
        assert used <= known, (args, used - known)


def test_the_guide_links_resolve() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    anchors = {_anchor(h) for h in re.findall(r"^#+ (.*)$", text, re.M)}
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert target in anchors, target
    for target in re.findall(r"\]\(([\w./-]+\.md)\)", text):
        assert (GUIDE.parent / target).is_file(), target
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/huong-dan.md)" in readme
    for target in re.findall(r"\(docs/huong-dan\.md#([^)]+)\)", readme):
        assert target in anchors, target


def _anchor(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading: lower case, punctuation dropped."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _guide_form() -> str:
    """The guide's form: its YAML snippets put together, as a clerk following it writes them."""
    return "".join(b for b in _blocks("yaml") if not b.startswith(("- địa phương", "  number",
                                                                     "      - ")))


def test_the_guide_form_snippets_make_a_form_that_passes_check(tmp_path: Path) -> None:
    form = tmp_path / "an-phu-2026.yaml"
    form.write_text(_guide_form(), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(form)])
    assert result.exit_code == 0, result.output
    assert ": error:" not in result.output
    plan = load_form(form)[0]
    assert (plan.issuer.level, plan.signer.authority) == ("xa", "KT")


def test_the_guide_localities_lists_are_read(tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    (csv_text,) = re.findall(r"```\n(địa phương;.*?)```", text, re.S)
    (yaml_text,) = [b for b in _blocks("yaml") if b.startswith("- địa phương")]
    form = load_form(EXAMPLES / "xa-2026.yaml")[0]
    for name, content in (("dia-phuong.csv", csv_text), ("dia-phuong.yaml", yaml_text)):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        rows, problems = read_localities(path, form)
        assert not problems, problems
        assert [(r.locality, r.level, r.place) for r in rows] == \
            [("xã An Phú", "xa", "An Phú"), ("phường Mỹ Phước", "xa", "Bến Cát")]


def test_the_guide_quotes_what_kh_gen_says_for_each_mistake(tmp_path: Path,
                                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]
    examples = re.findall(r"<!-- lỗi mẫu: (\[.*?\]) -->\n```\n(.*?)```",
                          GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(examples) >= 12
    monkeypatch.chdir(tmp_path)  # the messages name the form as the clerk typed it
    for mistake, quoted in examples:
        right, wrong = json.loads(mistake)
        assert right in _guide_form(), right
        Path("an-phu-2026.yaml").write_text(_guide_form().replace(right, wrong, 1),
                                            encoding="utf-8")
        said = CliRunner().invoke(main, ["check", "an-phu-2026.yaml"],
                                  env={"KH_GEN_LANG": ""}).output
        for line in quoted.splitlines():
            assert line in said.splitlines(), (wrong, line, said)
