"""Every example builds, from any directory, to its reviewed golden outline; the reference
plans are rebuilt word for word apart from the corrections listed in examples/README.md."""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen import build_form
from kh_gen.cli import main

from .golden import EXAMPLES, ROOT, build_outline, golden_path

REFERENCE = Path(__file__).resolve().parent / "data" / "reference"
_LABEL = re.compile(r"^(?:[IVX]+\.|\d+\.|[a-zđ]\)|[-+])\s+")
_MARKUP = re.compile(r"[#*]+|<[^>]+>")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_matches_its_golden_outline(example: Path, tmp_path: Path) -> None:
    expected = golden_path(example).read_text(encoding="utf-8")
    got = build_outline(example, tmp_path)
    if got != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), got.splitlines(),
                                              "golden", "built", lineterm="", n=1))
        pytest.fail(f"{example.name} differs from its golden outline "
                    f"(run 'python -m tests.golden' to review and accept):\n{diff[:4000]}")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_builds_without_errors_or_typed_labels(example: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(example), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 0, result.output
    assert "[typed-label]" not in result.output


def test_examples_build_from_any_directory(tmp_path: Path) -> None:
    example = ROOT / "examples" / "xa-2026.yaml"
    out = tmp_path / "plan.docx"
    subprocess.run([sys.executable, "-m", "kh_gen.cli", "build", str(example), "-o", str(out)],
                   cwd=tmp_path, check=True, capture_output=True)
    assert out.stat().st_size > 5000


def _words(text: str) -> list[str]:
    words = []
    for line in text.splitlines():
        line = _LABEL.sub("", _MARKUP.sub("", line).strip())
        words += re.findall(r"\w+", line.lower())
    return words


@pytest.mark.parametrize("name", ["duong-kinh-2023", "hong-ngu-2024", "hai-phong-2019"])
def test_reference_plan_rebuilt_word_for_word(name: str, tmp_path: Path) -> None:
    target, _ = build_form(ROOT / "examples" / f"{name}.yaml", tmp_path / "plan.txt", "txt")
    ours = _words(target.read_text(encoding="utf-8"))
    theirs = _words((REFERENCE / f"{name}.txt").read_text(encoding="utf-8"))
    ratio = difflib.SequenceMatcher(None, theirs, ours, autojunk=False).ratio()
    assert ratio >= 0.98, ratio
