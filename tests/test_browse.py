"""`kh-gen catalog`: search finds whole words, and texts are shown filled for an example."""

from __future__ import annotations

import datetime as dt
import re

from click.testing import CliRunner

from kh_gen.browse import fold, summary_text
from kh_gen.catalog import Agency, load_catalog
from kh_gen.cli import main

YEAR = dt.date.today().year


def _ids(output: str) -> list[str]:
    return [line.split()[0] for line in output.splitlines()]


def _words(entry) -> set[str]:  # type: ignore[no-untyped-def]
    names = (*entry.short, *entry.misspellings) if isinstance(entry, Agency) else ()
    return set(re.findall(r"\w+", fold(" ".join((entry.id, summary_text(entry), *names)))))


def test_search_matches_whole_words_only() -> None:
    result = CliRunner().invoke(main, ["catalog", "search", "cong", "an"])
    assert result.exit_code == 0, result.output
    found = _ids(result.stdout)
    assert "agency.xa.cong-an" in found
    catalog = load_catalog()
    for entry_id in found:
        assert {"cong", "an"} <= _words(catalog.get(entry_id)), entry_id
    # an entry with "công" and "ban hành" (the "an" inside "ban") but no word "an"
    inside = [e.id for e in catalog.entries.values()
              if "an" not in _words(e) and "cong" in _words(e) and "an" in fold(summary_text(e))]
    assert inside, "the catalogue has an entry the old substring search matched"
    assert not set(inside) & set(found)


def test_entries_holding_the_words_together_come_first() -> None:
    result = CliRunner().invoke(main, ["catalog", "search", "cong an"])
    first = result.stdout.splitlines()[0]
    assert re.search(r"\bCông an\b", first), first


def test_a_word_inside_another_finds_nothing() -> None:
    result = CliRunner().invoke(main, ["catalog", "search", "truye"])
    assert result.exit_code == 1
    assert result.stdout == "" and "no entry found" in result.stderr


def test_list_and_search_show_texts_filled_for_an_example() -> None:
    listed = CliRunner().invoke(main, ["catalog", "list", "channel"])
    assert listed.exit_code == 0
    assert "{{" not in listed.stdout
    assert f"xã An Thới Đông năm {YEAR}" in listed.stdout
    assert f"texts are filled for an example plan of {YEAR}" in listed.stderr
    assert "xã An Thới Đông" in listed.stderr
    found = CliRunner().invoke(main, ["catalog", "search", "truyen thanh"])
    assert "{{" not in found.stdout and "example" in found.stderr


def test_show_fills_the_text_for_the_entry_level_and_says_so() -> None:
    shown = CliRunner().invoke(main, ["catalog", "show", "channel.dk.portal-radio"])
    assert shown.exit_code == 0
    assert "{{" not in shown.stdout
    assert f"text:        Tuyên truyền cải cách hành chính nhà nước xã An Thới Đông năm " \
           f"{YEAR} trên Cổng Thông tin điện tử của xã;" in shown.stdout
    assert f"example:     texts are filled for an example plan of {YEAR}" in shown.stdout
    province = CliRunner().invoke(main, ["catalog", "show",
                                         "agency.tinh.dai-phat-thanh-truyen-hinh"])
    assert "name:        Đài Phát thanh và Truyền hình Đồng Tháp" in province.stdout


def test_an_entry_without_a_template_is_shown_as_it_is() -> None:
    shown = CliRunner().invoke(main, ["catalog", "show", "basis.nq-76-2021-cp"])
    assert shown.exit_code == 0
    assert "example:" not in shown.stdout
