"""Small text helpers for recognising Vietnamese plan text: comparison keys, casing, words."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Old-style tone placement ("hoà", "uỷ") → the style the catalogue uses ("hòa", "ủy"), for
# comparison only: the clerk's text is never rewritten.
_OLD_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OLD_TONE = re.compile("(" + "|".join(_OLD_TONES) + r")(?![^\W\d_])")
_PUNCT = re.compile(r"[^\w\s]")
# Generic nouns of administrative units, longest first.
UNIT_NOUNS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "tỉnh", "quận", "huyện", "xã",
              "phường")
WORD = re.compile(r"\w+")


def one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def key(text: str) -> str:
    """A comparison key: NFC, lower case, new-style tones, punctuation dropped, single spaces."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _OLD_TONE.sub(lambda m: _OLD_TONES[m[0]], text)
    return one_line(_PUNCT.sub(" ", text))


def words(text: str) -> list[str]:
    return WORD.findall(key(text))


def is_upper(text: str) -> bool:
    """Written in capitals (at least two letters, none lower case)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(not c.islower() for c in letters)


def sentence_case(text: str) -> str:
    """"NỘI DUNG THỰC HIỆN" → "Nội dung thực hiện"."""
    text = one_line(text).lower()
    return text[:1].upper() + text[1:]


def capitalise_words(text: str) -> str:
    """"DƯƠNG KINH" → "Dương Kinh"."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in one_line(text).split(" "))


_NOTES_AT_END = re.compile(r"(?:\[\^[^\]\s]+\]\s*)+$")


def strip_end(text: str, marks: str = ".;,:") -> str:
    """The text without the punctuation kh-gen writes itself at its end; footnote markers
    there ("…huyện;[^1]") stay at the end, after the words they note."""
    notes = _NOTES_AT_END.search(text)
    if notes:
        return strip_end(text[:notes.start()], marks) + notes[0].replace(" ", "").strip()
    text = text.rstrip()
    while text and text[-1] in marks:
        text = text[:-1].rstrip()
    return text


def ends_sentence(text: str) -> bool:
    return bool(text) and text.rstrip()[-1:] in ".:;!?…”\")"


def starts_lower(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return char.islower()
        if char.isdigit():
            return True
        if char not in "“\"'(«":
            return False
    return False


def title_of_office(text: str) -> str:
    """"PHÓ CHỦ TỊCH" → "Phó Chủ tịch"; "CHỦ TỊCH" → "Chủ tịch"."""
    out = sentence_case(text)
    out = re.sub(r"\bchủ tịch\b", "Chủ tịch", out)
    return out[:1].upper() + out[1:]


def split_unit(locality: str) -> tuple[str, str]:
    """"quận Dương Kinh" → ("quận", "Dương Kinh"); ("", locality) when no unit noun leads."""
    folded = locality.casefold()
    for noun in UNIT_NOUNS:
        if folded.startswith(noun + " "):
            return locality[:len(noun)], locality[len(noun) + 1:].strip()
    return "", locality.strip()
