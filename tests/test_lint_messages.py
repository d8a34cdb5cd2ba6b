"""The linter's and the catalogue's messages in the user's language: Vietnamese by default,
English when asked for, with `FILE:LINE:COL:` and `[rule-id]` the same in both.

The catalogue is kept between runs (`cache`, `catalog_store`) and once per process
(`build.catalog_for`); what is kept is data, and every message is made when it is shown, so a
warm cache never shows a message in the language of the run that filled it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen import KhGenError, build, i18n
from kh_gen.browse import describe, find_entry
from kh_gen.cli import main
from kh_gen.errors import Location
from kh_gen.plan import _either
from kh_gen.textrender import render_text

from .conftest import DATA

LINT = DATA / "lint"
MISTAKES = LINT / "mistakes.yaml"
VIETNAMESE = {"KH_GEN_LANG": ""}  # no language asked for: the default
_LINE = re.compile(r"^(?P<where>.+?:\d+:\d+): (?P<severity>[^:]+): (?P<message>.+?)"
                   r"(?P<rule> \[[a-z-]+\])$")


def _check(*extra: str, env: dict[str, str] | None = None) -> list[re.Match[str]]:
    result = CliRunner().invoke(main, ["check", str(MISTAKES), "--catalog",
                                       str(LINT / "catalog"), *extra], env=env)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    matches = [_LINE.match(line) for line in lines]
    assert all(matches), lines
    return matches  # type: ignore[return-value]


def _message(matches: list[re.Match[str]], rule: str) -> str:
    (found,) = [m["message"] for m in matches if m["rule"] == f" [{rule}]"]
    return found


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, empty, and no catalogue kept in memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(folder))
    build._catalog_cache.clear()
    yield folder
    build._catalog_cache.clear()


def test_lint_speaks_vietnamese_by_default_and_english_when_asked(cache: Path) -> None:
    vi = _check(env=VIETNAMESE)
    en = _check("--lang", "en", env=VIETNAMESE)
    # the same diagnostics, at the same places, under the same rule ids
    assert [(m["where"], m["rule"]) for m in vi] == [(m["where"], m["rule"]) for m in en]
    assert all(m["where"].startswith(f"{MISTAKES}:") for m in vi)
    assert {m["severity"] for m in vi} == {"lỗi", "cảnh báo"}
    assert {m["severity"] for m in en} == {"error", "warning"}
    assert _message(vi, "basis-expired") == (
        "Quyết định số 900/QĐ-TEST chỉ có hiệu lực đến 31/12/2020; kế hoạch năm 2026 không thể "
        "căn cứ vào văn bản này; hãy trích dẫn Quyết định số 901/QĐ-TEST thay cho văn bản này "
        "(ref: basis.test-programme-2021-2030)")
    assert _message(en, "basis-expired") == (
        "Quyết định số 900/QĐ-TEST was valid until 31/12/2020; a 2026 plan cannot rest on it; "
        "cite Quyết định số 901/QĐ-TEST instead (ref: basis.test-programme-2021-2030)")
    assert _message(vi, "stale-year") == (
        "'năm 2023' trong kế hoạch năm 2026: có phải còn sót lại từ một kế hoạch cũ? (năm của "
        "kế hoạch là 2026, năm trước là 2025)")
    assert _message(vi, "agency-level").startswith("'Sở Thử nghiệm' là cơ quan cấp tỉnh; kế "
                                                    "hoạch cấp xã chỉ có thể đề nghị")
    assert _message(en, "agency-level").startswith("'Sở Thử nghiệm' is a provincial body; a "
                                                    "commune plan can only request it")
    assert _message(vi, "recipients-archive") == (
        "nơi nhận chưa có dòng lưu; hãy thêm '- archive: VT, <unit>' vào cuối")
    assert _message(vi, "signer-kt-title").startswith("signer: KT (ký thay người đứng đầu)")


def test_diagnostics_from_catalogue_data_follow_the_language_with_a_warm_cache(
        cache: Path) -> None:
    """The misspelling warned about (`agency-spelling`) and the successor named in
    `agency-not-valid` come from the kept catalogue: the messages are made in each run's
    language, not kept with it."""
    _check("--lang", "en")  # fills the cache (in English)
    assert list(cache.glob("catalog-*.json")), "the catalogue was not kept"
    for from_disk in (True, False):  # the copy on disk, then the one kept in memory
        if from_disk:
            build._catalog_cache.clear()
        vi_run, en_run = _check(env=VIETNAMESE), _check("--lang", "en", env=VIETNAMESE)
        spelling = [(m["where"], m["severity"], m["message"]) for m in (*vi_run, *en_run)
                    if m["message"].startswith("'Phòng Thử nhiệm xã'")]
        assert spelling == [
            (f"{MISTAKES}:27:5", "cảnh báo", "'Phòng Thử nhiệm xã' viết sai; viết 'Phòng Thử "
                                             "nghiệm xã'"),
            (f"{MISTAKES}:27:5", "warning", "'Phòng Thử nhiệm xã' is a misspelling; write "
                                            "'Phòng Thử nghiệm xã'")]
        vi, en = _message(vi_run, "agency-not-valid"), _message(en_run, "agency-not-valid")
        assert vi == ("'Phòng Thử nghiệm quận' chỉ hoạt động đến ngày 30/06/2025, trước kế "
                      "hoạch này: đây là cơ quan cấp huyện, không phải cơ quan cấp xã, và cấp "
                      "huyện đã kết thúc từ khi đó; cơ quan kế thừa là 'Phòng Thử nghiệm xã' "
                      "(ref: agency.test-commune-office)")
        assert en == ("'Phòng Thử nghiệm quận' ceased on 30/06/2025, before this plan: it is a "
                      "district body, not a commune one, and districts ended then; its "
                      "successor is 'Phòng Thử nghiệm xã' (ref: agency.test-commune-office)")


def test_a_catalogue_problem_in_either_language(cache: Path, tmp_path: Path) -> None:
    """A catalogue with an error is never kept: its problems are made on every run."""
    folder = tmp_path / "mine" / "catalog"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "- id: agency.mine\n  source: test\n  name: Phòng Của Tôi\n  level: xa\n"
        "  successor: agency.nowhere\n", encoding="utf-8")
    where = f"{folder / 'mine.yaml'}:1:3: "
    for env, args, expected in (
            (VIETNAMESE, (), "lỗi: agency.mine.successor: danh mục không có mục agency "
                             "'agency.nowhere'"),
            (VIETNAMESE, ("--lang", "en"), "error: agency.mine.successor: no agency "
                                           "'agency.nowhere' in the catalogue"),
            (VIETNAMESE, (), "lỗi: agency.mine.successor: danh mục không có mục agency "
                             "'agency.nowhere'")):
        result = CliRunner().invoke(main, ["catalog", "list", "--catalog", str(folder), *args],
                                    env=env)
        assert result.exit_code == 1
        assert where + expected in result.output, result.output
    assert not list(cache.glob("catalog-*.json"))


def test_catalog_show_labels_are_translated_ids_and_texts_are_not(vietnamese) -> None:  # type: ignore[no-untyped-def]
    catalog = build.catalog_for(())
    entry = find_entry(catalog, "agency.xa.ubnd-xa-phuong")
    rows = dict(describe(entry))
    assert rows["mã"] == "agency.xa.ubnd-xa-phuong"
    assert rows["loại"] == "agency"
    assert rows["dùng ở"].startswith("các mục có part: implementation")
    assert rows["đề nghị"] == "không"
    assert rows["cấp"] == "xa"
    assert rows["ví dụ"].startswith("các đoạn văn bản được điền")
    i18n.use_language("en")
    rows = dict(describe(entry))
    assert rows["id"] == "agency.xa.ubnd-xa-phuong"
    assert rows["kind"] == "agency"
    assert rows["fits"] == "sections with part: implementation (an agency with its duties)"
    assert rows["request"] == "no"
    assert rows["example"].startswith("texts are filled for an example plan of ")


def test_catalog_show_through_the_command_line() -> None:
    vi = CliRunner().invoke(main, ["catalog", "show", "basis.qd-749-2020-ttg"], env=VIETNAMESE)
    en = CliRunner().invoke(main, ["catalog", "show", "basis.qd-749-2020-ttg", "--lang", "en"])
    assert vi.exit_code == en.exit_code == 0
    assert vi.output.splitlines()[0].split() == ["mã:", "basis.qd-749-2020-ttg"]
    assert en.output.splitlines()[0].split() == ["id:", "basis.qd-749-2020-ttg"]
    assert "dùng ở:      opening.bases" in vi.output  # a form key is not translated
    missing = CliRunner().invoke(main, ["catalog", "list", "agencies"], env=VIETNAMESE)
    assert missing.exit_code == 1
    assert "catalog: lỗi: không rõ loại 'agencies'; có phải là 'agency'?" in missing.output


def test_template_limits_in_either_language(vietnamese) -> None:  # type: ignore[no-untyped-def]
    where = Location("catalog/mine.yaml", 3, 5)
    with pytest.raises(KhGenError) as caught:
        render_text("{{ 'a' * 10 ** 9 }}", {}, where)
    assert str(caught.value) == ("catalog/mine.yaml:3:5: lỗi: không điền được đoạn văn bản của "
                                 "danh mục: tạo ra giá trị dài hơn 200.000 ký tự; bị từ chối")
    i18n.use_language("en")
    with pytest.raises(KhGenError) as caught:
        render_text("{{ 'a' * 10 ** 9 }}", {}, where)
    assert str(caught.value) == ("catalog/mine.yaml:3:5: error: catalogue text cannot be "
                                 "filled: makes a value of more than 200,000 characters; "
                                 "refused")


def test_kinds_offered_are_joined_in_the_language(vietnamese) -> None:  # type: ignore[no-untyped-def]
    assert _either(("objective", "requirement", "audience")) == \
        "objective hoặc requirement hoặc audience"
    i18n.use_language("en")
    assert _either(("objective", "requirement", "audience")) == \
        "objective or requirement or audience"
    assert _either(("basis",)) == "basis"
