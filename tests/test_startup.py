"""What a `kh-gen` process imports: start-up is most of a single build's time, so commands load
only what they use (python-docx is for tests and the benchmark, never for kh-gen itself)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import DATA

_PROBE = """
import json, sys
from kh_gen.cli import main
try:
    main(sys.argv[1:], prog_name="kh-gen", standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def _imported(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                            text=True, check=True)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_help_imports_no_yaml_jinja_or_docx() -> None:
    imported = _imported("--help")
    assert "click" in imported
    assert not imported & {"docx", "lxml", "yaml", "jinja2", "babel"}


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_do_not_import_python_docx(command: str, tmp_path) -> None:
    args = [command, str(DATA / "minimal.yaml")]
    if command == "build":
        args += ["-o", str(tmp_path / "plan.docx")]
    imported = _imported(*args)
    assert {"yaml", "jinja2"} <= imported, "the probe ran the command"
    assert not imported & {"docx", "lxml"}
    if command == "build":
        assert (tmp_path / "plan.docx").stat().st_size > 5000
