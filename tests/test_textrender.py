"""Catalogue texts filled without Jinja give what Jinja gives, whatever was filled before."""

from __future__ import annotations

import enum

import pytest

from kh_gen.errors import KhGenError, Location
from kh_gen.textrender import _compiled, _pieces, render_text

WHERE = Location("catalog/mine.yaml", 3, 5)


class _Name(str):
    def __str__(self) -> str:
        return "another text"


class _Number(enum.IntEnum):
    TWO = 2


def test_a_text_is_filled_from_each_context_it_is_given() -> None:
    text = "Năm {{ year }} tại {{locality}}."
    assert render_text(text, {"year": 2025, "locality": "xã A"}, WHERE) == "Năm 2025 tại xã A."
    assert render_text(text, {"year": 2026, "locality": "xã B"}, WHERE) == "Năm 2026 tại xã B."


@pytest.mark.parametrize("value", ["xã A", "", 7, -1, True, None, 2.5, _Name("x"),
                                   _Number.TWO, ("a",)])
def test_any_value_gives_what_jinja_gives(value: object) -> None:
    text = "{{ value }} - {{ year }}"
    context = {"value": value, "year": 2026}
    assert render_text(text, context, WHERE) == _compiled(text).render(context)


def test_an_unknown_name_is_located_and_the_known_ones_listed() -> None:
    with pytest.raises(KhGenError, match=r"mine\.yaml:3:5: error: catalogue text uses the "
                                         r"name 'yaer', which is not given to it; the names a "
                                         r"text may use are: locality, year"):
        render_text("Năm {{ yaer }}", {"year": 2026, "locality": "xã A"}, WHERE)


def test_texts_kept_for_reuse_are_bounded() -> None:
    assert _pieces.cache_info().maxsize is not None
