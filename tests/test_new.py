"""`kh-gen new` starts a form that checks clean and builds, with only valid entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen import check_form, load_catalog
from kh_gen.catalog import Agency, LegalBasis
from kh_gen.cli import main


@pytest.mark.parametrize(("level", "locality"), [("xa", "xã An Thới Đông"),
                                                 ("xa", "phường Bến Nghé"),
                                                 ("tinh", "tỉnh Đồng Tháp")])
def test_new_form_checks_clean_and_builds(tmp_path: Path, level: str, locality: str) -> None:
    form = tmp_path / "plan.yaml"
    result = CliRunner().invoke(main, ["new", "--level", level, "--locality", locality,
                                       "--year", "2026", "-o", str(form)])
    assert result.exit_code == 0, result.output
    checked = check_form(form)
    # only what the clerk must fill in: the signer's name (and a commune's province)
    expected = ["signer-placeholder"] + (["issuer-province-empty"] if level == "xa" else [])
    assert sorted(w.rule for w in checked.warnings) == sorted(expected), \
        [str(w) for w in checked.warnings]
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace('province: ""', "province: Đồng Tháp")
                    .replace("name: Nguyễn Văn A", "name: Trần Văn Bình"), encoding="utf-8")
    checked = check_form(form)
    assert checked.warnings == (), [str(w) for w in checked.warnings]
    built = CliRunner().invoke(main, ["build", str(form)])
    assert built.exit_code == 0, built.output
    assert form.with_suffix(".docx").stat().st_size > 5000


def test_new_form_uses_only_entries_valid_that_year(tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    CliRunner().invoke(main, ["new", "--level", "xa", "--locality", "xã An Thới Đông",
                              "--year", "2026", "-o", str(form)])
    text = form.read_text(encoding="utf-8")
    catalog = load_catalog()
    refs = [line.split("ref:", 1)[1].strip() for line in text.splitlines()
            if line.strip().startswith("- ref:")]
    assert refs
    for ref in refs:
        entry = catalog.get(ref)
        assert entry is not None, ref
        if isinstance(entry, LegalBasis | Agency):
            assert entry.valid_to is None or entry.valid_to.year >= 2026, ref
        assert not ref.startswith("agency.huyen"), ref
    assert "# I.1. Mục đích" in text, "every part is commented in Vietnamese"


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    form.write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "--level", "xa", "--locality", "xã A",
                                       "--year", "2026", "-o", str(form)])
    assert result.exit_code == 1
    assert form.read_text(encoding="utf-8") == "mine"
