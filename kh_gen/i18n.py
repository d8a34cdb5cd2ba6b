"""The language kh-gen speaks to its user: Vietnamese unless English is asked for.

Messages are written in English in the code, marked with `_` (or `ngettext`, or `N_` where the
text is only a constant to be translated later), extracted with `pybabel extract` and
translated in `locale/vi/LC_MESSAGES/kh_gen.po`; the build compiles it to a `.mo` beside it
(see `compile.py`). docs/translating.md says how to add or change a message.

The language comes from `--lang`, else the `KH_GEN_LANG` environment variable, else it is
Vietnamese. The system locale is not consulted on purpose: a clerk's computer is often set to
English, and that must not switch a Vietnamese clerk to English.

Only what a person reads is translated. Rule ids (`[stale-year]`), `FILE:LINE:COL:`, form keys
and catalogue ids stay as they are in every language, so tools and editors keep reading them.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import re
import struct
from collections.abc import Callable
from pathlib import Path

ENV_VAR = "KH_GEN_LANG"
DEFAULT = "vi"
LANGUAGES = ("vi", "en")  # the first is the default; English is the language of the code
DOMAIN = "kh_gen"
CLICK_DOMAIN = "click"  # click's own messages (usage errors, "Options:"), kept by hand
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_language: str | None = None  # None: not chosen yet (read from the environment on first use)
_active: _gettext.NullTranslations | None = None


class UnknownLanguage(ValueError):
    """A language kh-gen has no messages in (from `KH_GEN_LANG`, say)."""


def language_code(value: str) -> str:
    """`vi`, `vi_VN.UTF-8`, `EN`, `en-US` → `vi` or `en`; anything else is refused."""
    code = value.strip().replace("-", "_").split("_")[0].split(".")[0].lower()
    if code not in LANGUAGES:
        raise UnknownLanguage(value)
    return code


def use_language(value: str | None) -> str:
    """Speak `value` from now on (None: the environment's choice, else Vietnamese).

    An unknown value in the environment falls back to Vietnamese rather than stopping a run;
    `--lang` is checked by the command line before it gets here.
    """
    global _language, _active
    chosen = value if value is not None else os.environ.get(ENV_VAR, "")
    try:
        code = language_code(chosen) if chosen.strip() else DEFAULT
    except UnknownLanguage:
        if value is not None:
            raise
        code = DEFAULT
    if code != _language:
        _language, _active = code, None
    return code


def language() -> str:
    """The language messages are written in now."""
    return _language if _language is not None else use_language(None)


def _translations() -> _gettext.NullTranslations:
    global _active
    if _active is None:
        code = language()
        _active = _load(code) if code != "en" else _gettext.NullTranslations()
    return _active


def _load(code: str) -> _gettext.NullTranslations:
    """kh-gen's messages in `code`, falling back to click's, then to the English of the code."""
    ours = _load_domain(code, DOMAIN)
    ours.add_fallback(_load_domain(code, CLICK_DOMAIN))
    return ours


def _load_domain(code: str, domain: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `domain`; compiled from its `.po` when that is newer.

    An installed package has only the `.mo` the build made. A source checkout has the `.po`,
    which a maintainer edits: reading it when it is newer than the `.mo` means an edit shows
    at once, without a reinstall.
    """
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    mo, po = folder / f"{domain}.mo", folder / f"{domain}.po"
    try:
        stale = po.exists() and (not mo.exists() or po.stat().st_mtime > mo.stat().st_mtime)
        return Compiled(compiled_po(po) if stale else mo.read_bytes())
    except (OSError, ValueError):
        return _gettext.NullTranslations()


class Compiled(_gettext.NullTranslations):
    """A compiled catalogue (`.mo`) whose messages are decoded when shown, not all when read.

    The standard reader decodes every message of the file on opening it, most of the cost of
    translations in a cold run, which shows a handful. Here opening indexes the file's two
    tables in one unpacking, and a lookup decodes one message. The file is the GNU format
    Babel writes; one that does not read as such raises ValueError.
    """

    def __init__(self, data: bytes):
        super().__init__()
        order = {b"\xde\x12\x04\x95": "<", b"\x95\x04\x12\xde": ">"}.get(data[:4])
        if order is None:
            raise ValueError("not a compiled catalogue")
        try:
            _revision, count, keys_at, values_at = struct.unpack_from(order + "4I", data, 4)
            keys = struct.unpack_from(f"{order}{2 * count}I", data, keys_at)
            values = struct.unpack_from(f"{order}{2 * count}I", data, values_at)
        except struct.error as exc:
            raise ValueError("a damaged compiled catalogue") from exc
        self._data = data
        # msgid (the singular of a plural) → where its translation stands
        self._index = {data[keys[i + 1]:keys[i + 1] + keys[i]].partition(b"\0")[0]:
                       (values[i + 1], values[i]) for i in range(0, 2 * count, 2)}
        self._plural: Callable[[int], int] | None = None

    def _forms(self, message: str) -> list[str] | None:
        found = self._index.get(message.encode("utf-8"))
        if found is None:
            return None
        at, length = found
        return self._data[at:at + length].decode("utf-8", "replace").split("\0")

    def gettext(self, message: str) -> str:
        forms = self._forms(message)
        if forms is not None:
            return forms[0]
        return self._fallback.gettext(message) if self._fallback else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._forms(msgid1)
        if forms is None:
            if self._fallback:
                return self._fallback.ngettext(msgid1, msgid2, n)
            return msgid1 if n == 1 else msgid2
        if self._plural is None:
            header = "\n".join(self._forms("") or ())
            rule = re.search(r"plural=([^;\n]+)", header)
            self._plural = _gettext.c2py(rule.group(1)) if rule else (lambda k: int(k != 1))
        return forms[min(self._plural(n), len(forms) - 1)]


def compiled_po(po: Path) -> bytes:
    """The `.mo` bytes of a `.po` file (Babel's reader and writer; fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _(message: str) -> str:
    """`message` in the current language."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that fits `count` (Vietnamese has one; English two)."""
    return _translations().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a constant for extraction; translate it with `_` where it is shown."""
    return message


def number(value: int) -> str:
    """An integer as the language writes it: 1.234 in Vietnamese, 1,234 in English."""
    text = f"{value:,}"
    return text.replace(",", ".") if language() == "vi" else text
