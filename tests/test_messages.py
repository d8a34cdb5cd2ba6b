"""The translations are complete and faithful: every message marked in the code has its
Vietnamese, keeps its placeholders, and the `.po` files hold nothing the code no longer says.

This is also the CI check that the `.po` files are up to date with the code: it extracts the
messages as `pybabel extract` does (same configuration, `babel.cfg`) and compares.
"""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kh_gen import i18n

from .golden import ROOT

PO = i18n.LOCALE_DIR / "vi" / "LC_MESSAGES" / "kh_gen.po"
CLICK_PO = i18n.LOCALE_DIR / "vi" / "LC_MESSAGES" / "click.po"


def _extracted() -> dict[str, tuple[str, ...]]:
    """msgid → all its forms, as `pybabel extract -F babel.cfg` finds them in kh_gen/."""
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, tuple[str, ...]] = {}
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map):
        forms = _forms(message)
        if forms[0]:
            found[forms[0]] = forms
    return found


def _catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def _key(message) -> str:  # type: ignore[no-untyped-def]
    return _forms(message.id)[0]


def _forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    """A message's id or string as its forms: one, or singular and plural."""
    return value if isinstance(value, tuple) else (value,)


def _placeholders(text: str) -> set[str]:
    brace = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    percent = set(re.findall(r"%\(\w+\)[sdr]", text))
    return brace | percent


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[str, ...]]:
    return _extracted()


def test_every_marked_message_has_its_vietnamese(extracted) -> None:  # type: ignore[no-untyped-def]
    catalog = {_key(m): m for m in _catalog(PO) if m.id}
    missing = sorted(set(extracted) - set(catalog))
    assert not missing, f"not in kh_gen.po (run the update in docs/translating.md): {missing}"
    untranslated = sorted(k for k, m in catalog.items()
                          if not all(_forms(m.string)) or m.fuzzy)
    assert not untranslated, f"no Vietnamese (or fuzzy) in kh_gen.po: {untranslated}"


def test_po_holds_only_what_the_code_says(extracted) -> None:  # type: ignore[no-untyped-def]
    stale = sorted(_key(m) for m in _catalog(PO) if m.id and _key(m) not in extracted)
    assert not stale, f"kh_gen.po has messages the code no longer marks: {stale}"
    plural_mismatch = sorted(_key(m) for m in _catalog(PO) if m.id and _key(m) in extracted
                             and isinstance(m.id, tuple) != (len(extracted[_key(m)]) > 1))
    assert not plural_mismatch, f"singular/plural differs from the code: {plural_mismatch}"


def test_translations_keep_every_placeholder() -> None:
    for message in _catalog(PO):
        if not message.id:
            continue
        wanted = set().union(*(_placeholders(f) for f in _forms(message.id)))
        for text in _forms(message.string):
            assert _placeholders(text) == wanted, (message.id, text)


def test_click_translations_use_only_clicks_placeholders() -> None:
    """click fills its own placeholders; a translation may leave one out, never add one."""
    for message in _catalog(CLICK_PO):
        if not message.id:
            continue
        offered = set().union(*(_placeholders(f) for f in _forms(message.id)))
        strings = _forms(message.string)
        assert all(strings), message.id
        for text in strings:
            assert _placeholders(text) <= offered, (message.id, text)


def test_vietnamese_is_the_default_and_english_is_asked_for(vietnamese) -> None:  # type: ignore[no-untyped-def]
    assert i18n.language() == "vi"
    assert i18n._("wrote {path}") == "đã ghi {path}"
    i18n.use_language("en")
    assert i18n._("wrote {path}") == "wrote {path}"


def test_the_system_locale_does_not_choose(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clerk's Windows is often set to English; only kh-gen's own switch changes language."""
    monkeypatch.delenv(i18n.ENV_VAR)
    for variable in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.setenv(variable, "en_US.UTF-8")
    assert i18n.use_language(None) == "vi"
    monkeypatch.setenv(i18n.ENV_VAR, "en_US.UTF-8")
    assert i18n.use_language(None) == "en"
    monkeypatch.setenv(i18n.ENV_VAR, "klingon")  # a typo in the variable: the default, no crash
    assert i18n.use_language(None) == "vi"


def test_numbers_and_plurals_read_naturally(vietnamese) -> None:  # type: ignore[no-untyped-def]
    assert i18n.number(1234567) == "1.234.567"
    one = i18n.ngettext("wrote {count} plan to {folder}", "wrote {count} plans to {folder}", 1)
    assert one == "đã viết {count} kế hoạch vào {folder}"
    i18n.use_language("en")
    assert i18n.number(1234567) == "1,234,567"
    assert i18n.ngettext("wrote {count} plan to {folder}", "wrote {count} plans to {folder}",
                         1).format(count=1, folder="f") == "wrote 1 plan to f"
    assert i18n.ngettext("wrote {count} plan to {folder}", "wrote {count} plans to {folder}",
                         2).format(count=2, folder="f") == "wrote 2 plans to f"


def test_the_compiled_catalogue_matches_the_po(tmp_path: Path) -> None:
    """What the build ships (`python -m kh_gen.compile`) says what the `.po` says."""
    import gettext

    from kh_gen.compile import compile_messages

    written = compile_messages(tmp_path)
    mo = tmp_path / "locale" / "vi" / "LC_MESSAGES" / "kh_gen.mo"
    assert mo in written and (mo.parent / "click.mo") in written
    with mo.open("rb") as handle:
        shipped = gettext.GNUTranslations(handle)
    for message in _catalog(PO):
        if message.id and isinstance(message.id, str):
            assert shipped.gettext(message.id) == message.string


def test_the_lazy_reader_says_what_the_standard_one_says(tmp_path: Path) -> None:
    """`i18n.Compiled` decodes a message only when it is shown; it must agree with gettext's
    own reader on every message of both shipped catalogues, plurals included."""
    import gettext

    from kh_gen.compile import compile_messages

    for mo in compile_messages(tmp_path):
        data = mo.read_bytes()
        standard, lazy = gettext.GNUTranslations(io.BytesIO(data)), i18n.Compiled(data)
        po = i18n.LOCALE_DIR / mo.relative_to(tmp_path / "locale").with_suffix(".po")
        for message in _catalog(po):
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                for n in (0, 1, 2, 1000):
                    assert lazy.ngettext(*message.id, n) == standard.ngettext(*message.id, n)
            else:
                assert lazy.gettext(message.id) == standard.gettext(message.id)
        assert lazy.gettext("not a message") == "not a message"
        assert lazy.ngettext("one", "many", 2) == "many"


@pytest.mark.parametrize("damage", [b"", b"not a catalogue", b"\xde\x12\x04\x95" + b"\xff" * 8])
def test_a_damaged_catalogue_leaves_the_messages_in_english(tmp_path: Path, damage: bytes,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    folder = tmp_path / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "kh_gen.mo").write_bytes(damage)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.use_language("vi")
    monkeypatch.setattr(i18n, "_active", None)
    assert i18n._("wrote {path}") == "wrote {path}"
