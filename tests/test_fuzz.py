"""Generated forms either build a DOCX that reads back with the text put in, or fail with
KhGenError whose every problem has a line: never another exception, never a hang.

Forms are made as Python data and dumped to YAML (odd Unicode, very long and very many items,
wrong types, deep nesting), or are broken YAML text. Profiles: `ci` (default, bounded for CI)
and `long` (HYPOTHESIS_PROFILE=long, for a run by hand).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kh_gen.build import check_form, render
from kh_gen.errors import KhGenError

# Forms are big inputs and builds take tens of milliseconds; tmp_path is only overwritten.
_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
         HealthCheck.function_scoped_fixture]
# CI: the same examples every run, no shrinking (a failure is reported as found, at once;
# shrink it by hand with the long profile and the printed blob).
settings.register_profile("ci", max_examples=60, deadline=dt.timedelta(seconds=20),
                          suppress_health_check=_SLOW, derandomize=True, print_blob=True,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.register_profile("long", max_examples=1500, deadline=dt.timedelta(seconds=60),
                          suppress_health_check=_SLOW)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
HANG_SECONDS = 60  # one example taking this long is a hang


def profile(share: float) -> settings:
    """The chosen profile with `share` of its examples, for the costlier properties."""
    return settings(PROFILE, max_examples=max(3, round(PROFILE.max_examples * share)))


# -- text ------------------------------------------------------------------------------------

VIETNAMESE = ("Tuyên truyền cải cách hành chính", "Ủy ban nhân dân", "đẩy mạnh", "Nhân dân",
              "ứng dụng", "thủ tục", "Đảng ủy", "chuyển đổi số", "người dân", "ĐỒNG THÁP")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
EMOJI = ("😀", "🇻🇳", "👨\u200d👩\u200d👧", "✅", "🏳️\u200d🌈", "🧑🏽", "⚖️")
OTHER_SCRIPTS = ("שלום", "مرحبا", "Ελλάδα", "Москва", "東京", "ﬁ", "Å")
MARKUP = ("&", "<", ">", '"', "'", "{{ year }}", "{% if x %}", "{#", "@section ", "#", ": ",
          "- ", "* ", "[", "]", "{", "}", "|", "%", "`", "\\", "...", "—")
SPACES = (" ", "  ", "\t", "\u00a0", "\u3000", "\u2009")
LINE_BREAKS = ("\n", "\u2028", "\u2029", "\x85", "\r\n")
INVISIBLE = set(ZERO_WIDTH + BIDI)

_word = st.one_of(
    st.sampled_from(VIETNAMESE),
    st.sampled_from(VIETNAMESE).map(lambda w: unicodedata.normalize("NFD", w)),
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộứừửữựý", min_size=1,
            max_size=12),
    st.sampled_from(EMOJI), st.sampled_from(OTHER_SCRIPTS),
    st.integers(0, 3000).map(str))
_piece = st.one_of(_word, _word, _word, st.sampled_from(MARKUP), st.sampled_from(SPACES),
                   st.sampled_from(ZERO_WIDTH), st.sampled_from(BIDI))


@st.composite
def texts(draw: st.DrawFn, *, lines: bool = False, long: bool = True) -> str:
    """A text with at least one visible word; with `lines`, paragraphs and line breaks."""
    pieces = [draw(_word)]
    pieces += draw(st.lists(st.one_of(_piece, st.sampled_from(LINE_BREAKS)) if lines
                            else _piece, max_size=12))
    text = "".join(draw(st.permutations(pieces)))
    if long and draw(st.integers(0, 30)) == 0:  # now and then a 10,000-character item
        text = (text + " ") * (10_000 // (len(text) + 1) + 1)
    return text


def _normal(text: str) -> list[str]:
    """What the plan shows of a text, as the docs promise: NFC, no zero-width or direction
    marks, blank lines separating paragraphs, every other run of white space one space."""
    text = "".join(c for c in text.replace("\r\n", "\n") if c not in INVISIBLE)
    text = unicodedata.normalize("NFC", text)
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.split()]


# -- forms -----------------------------------------------------------------------------------

AGENCY = "Tổ công tác tuyên truyền"  # not in the catalogue: no validity dates to meet


@st.composite
def entries(draw: st.DrawFn, depth: int = 1, max_size: int = 4, max_depth: int = 3) -> list[Any]:
    out: list[Any] = []
    for _ in range(draw(st.integers(1, max_size))):
        if depth < max_depth and draw(st.booleans()):
            out.append({"text": draw(texts(lines=True)),
                        "items": draw(entries(depth + 1, 3, max_depth))})
        else:
            out.append(draw(texts(lines=True)))
    return out


@st.composite
def forms(draw: st.DrawFn, many: bool = False) -> dict[str, Any]:
    """A valid form: every required part, free text only (catalogue ids are not generated)."""
    year = draw(st.integers(2026, 2030))
    if many:  # a few thousand items, varied by their number (a small draw for hypothesis)
        seeds = draw(st.lists(texts(long=False), min_size=1, max_size=8))
        objectives: list[Any] = [f"{seeds[n % len(seeds)]} {n}" for n in range(3000)]
    else:
        objectives = draw(entries())
    deputy = draw(st.booleans())
    form: dict[str, Any] = {
        "year": year,
        "issuer": {"locality": f"xã {draw(texts(long=False))}", "level": "xa", "unit": "xã",
                   "place": draw(texts(long=False))},
        "title": draw(texts(long=False)),
        "preamble": {"bases": [draw(texts(long=False))]},
        "objectives": objectives,
        "requirements": draw(entries()),
        "contents": draw(entries()),
        "forms": draw(entries()),
        "tasks": {"items": [{"name": draw(texts(long=False)), "lead": AGENCY,
                             "time": f"Năm {year}"}
                            for _ in range(draw(st.integers(1, 3)))]},
        "funding": draw(entries(max_size=2)),
        "implementation": [{"agency": AGENCY, "duties": draw(entries(max_depth=2))}],
        "closing": draw(texts(long=False)),
        "recipients": ["UBND tỉnh", {"archive": "VT"}],
        "signer": {"authority": "KT" if deputy else "TM",
                   "title": "Phó Chủ tịch" if deputy else "Chủ tịch",
                   "name": draw(texts(long=False))},
    }
    if draw(st.booleans()):
        form["number"] = draw(st.integers(1, 999))
        form["date"] = dt.date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    return form


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(form: Any) -> str:
    return yaml.dump(form, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


# -- wrong types and deep nesting ----------------------------------------------------------

WRONG = (None, True, 0, -7, 3.5, 10**40, "", " ", "text", [], {}, ["x"], {"a": "b"},
         [[["x"]]], {"text": {"items": 1}}, dt.date(1900, 1, 1), "2026-13-45", "TM ", "*x")


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (_replace(v, rest, new) if k == head else v) for k, v in value.items()}
    return [(_replace(v, rest, new) if i == head else v) for i, v in enumerate(value)]


def _nested(depth: int, leaf: Any) -> Any:
    for level in range(depth):
        leaf = [leaf] if level % 2 else {"text": "x", "items": [leaf]}
    return leaf


@st.composite
def broken_forms(draw: st.DrawFn) -> Any:
    """A valid form with one to three values replaced by a wrong type, a deep nest, a
    missing or unknown key."""
    form: Any = draw(forms())
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(form))))
        kind = draw(st.integers(0, 9))
        if kind <= 5:
            form = _replace(form, path, draw(st.sampled_from(WRONG)))
        elif kind == 6:
            form = _replace(form, path, _nested(draw(st.integers(3, 60)), "x"))
        elif kind == 7 and path and isinstance(form, dict):
            parent = _get(form, path[:-1])
            if isinstance(parent, dict):
                form = _replace(form, path[:-1], {k: v for k, v in parent.items()
                                                  if k != path[-1]})
        elif isinstance(_get(form, path), dict):
            form = _replace(form, path, {**_get(form, path), draw(st.sampled_from(
                ["locallity", "tittle", "ref", "items", "Năm", "", "123"])): "x"})
    return form


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


# -- the properties ------------------------------------------------------------------------

@contextlib.contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise TimeoutError(f"no result after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def build_or_fail(text: str | bytes, folder: Path) -> bytes | None:
    """The DOCX bytes, or None after checking that every problem is located on a line."""
    form = folder / "form.yaml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    form.write_bytes(text)
    try:
        with no_hang():
            return render(check_form(form), "docx")
    except KhGenError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.location.path == str(form), str(problem)
            assert problem.location.line >= 1, f"no line: {problem}"
        return None


def paragraphs(data: bytes, folder: Path) -> list[str]:
    """Every paragraph's text, body and tables, as python-docx reads it back."""
    target = folder / "plan.docx"
    target.write_bytes(data)
    document = docx.Document(str(target))
    out = [p.text for p in document.paragraphs]
    out += [p.text for t in document.tables for row in t.rows for c in row.cells
            for p in c.paragraphs]
    return out


_LABEL = re.compile(r"^(?:[IVXLCDM]+\.|\d+\.|[a-zđ]+\)|[-+]) ")


def assert_text_kept(form: dict[str, Any], shown: list[str]) -> None:
    """Each text put in is a paragraph of the plan, give or take its numbering label."""
    unlabelled = {_LABEL.sub("", p, count=1) for p in shown} | set(shown)
    expected: list[str] = []

    def collect(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, str):
                expected.extend(_normal(item))
            else:
                expected.extend(_normal(item["text"]))
                collect(item.get("items", []))

    for part in ("objectives", "requirements", "contents", "forms", "funding"):
        collect(form[part])
    for agency in form["implementation"]:
        collect(agency["duties"])
    expected += [" ".join(_normal(t["name"])) for t in form["tasks"]["items"]]
    missing = [e for e in expected if e not in unlabelled]
    assert not missing, f"not in the plan: {missing[:3]!r}"


@profile(0.4)
@given(form=forms())
def test_valid_forms_build_and_keep_their_text(form: dict[str, Any], tmp_path: Path) -> None:
    text = dump(form)
    data = build_or_fail(text, tmp_path)
    assert data is not None, "a valid form must build"
    # what the file says: YAML folds some line breaks (NEL, LS, PS) on the way
    assert_text_kept(yaml.safe_load(text), paragraphs(data, tmp_path))


@profile(1.0)
@given(form=broken_forms())
def test_broken_forms_build_or_fail_located(form: Any, tmp_path: Path) -> None:
    data = build_or_fail(dump(form), tmp_path)
    if data is not None:
        assert any(p.strip() for p in paragraphs(data, tmp_path))


@profile(0.5)
@given(form=forms(), where=st.integers(0, 10**6),
       insert=st.sampled_from(["\x07", "\x00", "\t", "\ufffe", "*a", "&a ", "! ", "%", "@",
                               "`", "'", "\"", "[", "{", "- ", ": ", "? ", "\n  ", "\n\t",
                               "\udcff", "\xff", "|\n", ">-\n", "---\n", "...\n", "!!python"]))
def test_broken_yaml_fails_located(form: dict[str, Any], where: int, insert: str,
                                   tmp_path: Path) -> None:
    text = dump(form)
    where %= len(text)
    raw = (text[:where] + insert + text[where:]).encode("utf-8", "surrogateescape")
    if insert == "\xff":
        raw = text[:where].encode() + b"\xff" + text[where:].encode()
    data = build_or_fail(raw, tmp_path)
    if data is not None:
        assert any(p.strip() for p in paragraphs(data, tmp_path))


@profile(0.1)
@given(form=forms(many=True))
def test_thousands_of_items(form: dict[str, Any], tmp_path: Path) -> None:
    text = dump(form)
    data = build_or_fail(text, tmp_path)
    assert data is not None
    assert_text_kept(yaml.safe_load(text), paragraphs(data, tmp_path))


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,        # flow nesting: the YAML parser must not be reached
    "a: " + "[" * 2_000 + "]" * 2_000,
    "- " * 100_000 + "x",                 # block nesting on one line
    "a:\n" + "".join(" " * n + "- b:\n" for n in range(1, 400)),
    "a: &x [1]\nb: *x\n",
    "a: &x [" + ", ".join(["*x"] * 10) + "]\n",
    "year: " + "9" * 100_000 + "\n",
    "\ufeff" + "x: 1\n" * 50_000,
    "key: 'unterminated\n",
    "\t- tab indented\n",
    "objectives: !!python/object/apply:os.system ['true']\n",
    "- \x07 bell\n",
])
def test_hostile_yaml_fails_located_and_fast(text: str, tmp_path: Path) -> None:
    assert build_or_fail(text, tmp_path) is None


def test_a_form_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    form.write_text("x: " + "y" * (3 * 1024 * 1024), encoding="utf-8")
    with pytest.raises(KhGenError, match="a YAML file may have at most 2097152 bytes"):
        check_form(form)


def test_the_normalisation_of_the_expected_text() -> None:
    assert _normal("a\u200b\u0301  b\u2028c\n\n\u3000d\r\n") == ["á b c", "d"]


_template_piece = st.one_of(
    st.sampled_from(["{{ year }}", "{{year}}", "{{  unit }}", "{{ locality }}", "{{ nothing }}",
                     "{{ year|string }}", "{{ year }", "{ year }}", "{%", "%}", "{#", "#}",
                     "{{-", "-}}", "}}", "{{", "{", "}", "\n", "\r", "\r\n", " ", "\t",
                     "{{ flag }}", "{{ none }}", "{{ _x }}"]),
    st.text(max_size=6))


@profile(1.0)
@given(pieces=st.lists(_template_piece, max_size=10))
def test_catalogue_texts_filled_without_jinja_match_jinja(pieces: list[str]) -> None:
    from kh_gen.textrender import _compiled, _filled

    text = "".join(pieces)
    context = {"year": 2026, "unit": "xã", "locality": "xã An Phú", "flag": True,
               "none": None, "_x": "x"}
    fast = _filled(text, context)
    if fast is None:
        return
    assert fast == _compiled(text).render(context)
