"""The legacy Vietnamese encodings old plans still carry, TCVN3 (ABC) and VNI-Windows, to Unicode.

Before Unicode, Vietnamese text was typed in 8-bit fonts: `.VnTime` (TCVN3, the ABC code of TCVN
5712:1993, one byte per letter) and `VNI-Times` (VNI-Windows, a base letter followed by a byte
for its marks). Opened without those fonts, or copied out of such a document, the text shows as
"KÕ ho¹ch" (TCVN3) or "Keá hoaïch" (VNI) for "Kế hoạch". Both codes put their bytes in 0xA0–0xFF,
where Windows-1252 and Latin-1 agree, so the tables below map those characters (as a text editor
shows them) to Unicode.

The tables follow the published code charts: TCVN3 gives each lower-case letter with its tone a
byte of its own (upper-case letters with a tone are not in the code: ABC fonts draw them from the
same bytes in a separate capitals font, so a word in capitals is recognised by its plain letters
and put back in capitals); VNI writes a letter
with marks as the base letter followed by one mark byte (the tone alone, or the circumflex or
breve with the tone), with single bytes for ơ ư đ and for i with a tone.

Detection is by frequency: a text is taken for a legacy code only when that code's signature
characters are common and real Vietnamese letters (ạ, ế, ơ …) are almost absent.
"""

from __future__ import annotations

import re
import unicodedata

from ..i18n import N_, _

TCVN3 = "tcvn3"
VNI = "vni"
NAMES = {TCVN3: N_("TCVN3 (ABC, .VnTime fonts)"), VNI: N_("VNI-Windows (VNI-Times fonts)")}

# TCVN3 (TCVN 5712:1993, VN3): byte → letter. Five tones in the chart's order for each vowel:
# huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng (dot below).
_TCVN3_ROWS = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_SINGLE = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
}
# Combining marks in the chart's tone order.
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền hỏi ngã sắc nặng


def _tcvn3_table() -> dict[str, str]:
    table = {chr(byte): letter for byte, letter in _TCVN3_SINGLE.items()}
    for base, row in _TCVN3_ROWS.items():
        for byte, tone in zip(row, _TONES, strict=True):
            table[chr(byte)] = unicodedata.normalize("NFC", base + tone)
    return table


TCVN3_TABLE = _tcvn3_table()

# VNI-Windows: mark bytes that follow a base vowel. Lower-case marks follow lower-case letters,
# upper-case marks upper-case ones (a text may mix them; the base letter decides the case).
# Tone alone: sắc ù/Ù, huyền ø/Ø, hỏi û/Û, ngã õ/Õ, nặng ï/Ï.
_VNI_TONE = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
# Circumflex (on a, e, o), alone or with a tone: â, á ấ, à ầ, å ẩ, ã ẫ, ä ậ.
_VNI_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303",
            "ä": "\u0323"}
# Breve (on a), alone or with a tone: ê ă, é ắ, è ằ, ú ẳ, ü ẵ, ë ặ.
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303",
              "ë": "\u0323"}
# Single bytes: ơ ư đ, i with a tone, and ỵ.
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
               "î": "ỵ"}


def _vni_table() -> dict[str, str]:
    """Sequences (one or two characters) → letter, for both cases."""
    table: dict[str, str] = {}

    def add(source: str, target: str) -> None:
        table[source] = unicodedata.normalize("NFC", target)
        table[source.upper()] = unicodedata.normalize("NFC", target).upper()

    for base in "aeouy":
        for mark, tone in _VNI_TONE.items():
            add(base + mark, base + tone)
    for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
        for mark, tone in _VNI_HAT.items():
            add(base + mark, hat + tone)
    for mark, tone in _VNI_BREVE.items():
        add("a" + mark, "ă" + tone)
    for single, letter in _VNI_SINGLE.items():
        add(single, letter)
    for horn, letter in (("ô", "ơ"), ("ö", "ư")):  # ơ and ư take a tone byte after them
        for mark, tone in _VNI_TONE.items():
            add(horn + mark, letter + tone)
    return table


VNI_TABLE = _vni_table()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI_TABLE, key=len,
                                                                 reverse=True)))

# What each code leaves in a text that a Unicode Vietnamese text (almost) never has.
_TCVN3_SIGNS = re.compile("[¸µ¶·¹»¼½¾ÆÇÈÉËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßªÐ®¬«]")
_VNI_SIGNS = re.compile("[aeouyAEOUY][ùøûõïÙØÛÕÏ]|[aeoAEO][âáàåãäÂÁÀÅÃÄ]|[aA][êéèúüëÊÉÈÚÜË]"
                        "|[ôöÔÖ][ùøûõïÙØÛÕÏ]|ñ|Ñ")
# Letters only Unicode Vietnamese has (the precomposed block, and ơ ư ă đ).
_REAL_VIETNAMESE = re.compile("[\u1ea0-\u1ef9\u01a0\u01a1\u01af\u01b0\u0102\u0103\u0110\u0111]")
_SAMPLE = 200_000


def detect(text: str) -> str | None:
    """TCVN3, VNI or None (Unicode, or too little evidence to convert)."""
    sample = text[:_SAMPLE]
    letters = sum(1 for c in sample if c.isalpha())
    if letters < 20:
        return None
    real = len(_REAL_VIETNAMESE.findall(sample))
    tcvn3 = len(_TCVN3_SIGNS.findall(sample))
    vni = len(_VNI_SIGNS.findall(sample))
    best, count = (TCVN3, tcvn3) if tcvn3 >= vni else (VNI, vni)
    # A legacy text has a marked letter every few words; a Unicode one has almost none of these.
    if count >= max(5, letters // 60) and count > 4 * real:
        return best
    return None


_WORD = re.compile(r"\w+")


def _capitals(text: str) -> str:
    """TCVN3 has no capital letters with a tone: "HOẠCH" comes back as "HOạCH", "ỦY" as "ủY",
    "KẾ" as "Kế". A word whose plain letters are all capitals (two of them, or one after a
    toned letter) is a word in capitals; so is a capitalised word next to one ("Kế HOẠCH")."""
    words = list(_WORD.finditer(text))
    kinds = []
    for match in words:
        word = match[0]
        plain = [c for c in word if c.isascii() and c.isalpha()]
        if plain and all(c.isupper() for c in plain) and (len(plain) > 1 or
                                                          not word[0].isascii()):
            kinds.append("caps")
        elif plain and word[0].isupper() and len(plain) == 1 and len(word) > 1:
            kinds.append("maybe")
        else:
            kinds.append("")
    out = []
    last = 0
    for index, match in enumerate(words):
        kind = kinds[index]
        near = {kinds[i] for i in (index - 1, index + 1) if 0 <= i < len(kinds)}
        word = match[0]
        if kind == "caps" or (kind == "maybe" and "caps" in near):
            word = word.upper()
        out.append(text[last:match.start()])
        out.append(word)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def converted_note(code: str) -> str:
    """The report's line on a text converted from `code` (TCVN3 or VNI)."""
    return _("converted from the legacy encoding {name} to Unicode").format(name=_(NAMES[code]))


def to_unicode(text: str, code: str) -> str:
    """The text converted from `code` (TCVN3 or VNI) to Unicode NFC."""
    if code == TCVN3:
        converted = "".join(TCVN3_TABLE.get(c, c) for c in text)
        return unicodedata.normalize("NFC", _capitals(converted))
    if code == VNI:
        return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: VNI_TABLE[m[0]], text))
    raise ValueError(f"unknown legacy code {code!r}")


def from_unicode(text: str, code: str) -> str:
    """The reverse conversion (for tests and for making sample files): Unicode → `code`.

    Letters a code cannot hold (TCVN3 has no upper-case letters with a tone) are written with
    the lower-case code, as ABC fonts do.
    """
    reverse = TCVN3_TABLE if code == TCVN3 else VNI_TABLE
    back: dict[str, str] = {}
    for source, letter in reverse.items():
        back.setdefault(letter, source)
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in back:
            out.append(back[char])
        elif code == TCVN3 and char.lower() in back:
            out.append(back[char.lower()])
        else:
            out.append(char)
    return "".join(out)
