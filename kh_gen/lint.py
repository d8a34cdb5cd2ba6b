"""The linter: the content mistakes that embarrass a clerk, caught before a leader signs.

Layout is right by construction; content is not. These rules look at the resolved plan against
the catalogue's validity data: programmes that ended, agencies merged or abolished, numbers and
dates copied from last year's plan, agencies spelt three ways, tasks given to units the plan
never assigns. Each diagnostic has a rule id (listed in docs/lint.md) and points at the form
line where the mistake stands.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from .catalog import Agency, Catalog, LegalBasis
from .errors import Location, Problem, Problems
from .i18n import N_, _
from .plan import Item, Plan, Section, Table, walk_sections
from .schema import one_line
from .textrender import is_template, render_text

LEVEL_RANK = {"tinh": 2, "huyen": 1, "xa": 0}
# A body of a higher level in a plan that orders it about: (its level, the plan's level) → message
_ABOVE_LEVEL = {
    ("tinh", "huyen"): N_("'{name}' is a provincial body; a district plan can only request it "
                          "(write 'Đề nghị …', request: true) or list it as supporting"),
    ("tinh", "xa"): N_("'{name}' is a provincial body; a commune plan can only request it "
                       "(write 'Đề nghị …', request: true) or list it as supporting"),
    ("huyen", "xa"): N_("'{name}' is a district body; a commune plan can only request it "
                        "(write 'Đề nghị …', request: true) or list it as supporting"),
}
# A body that ceased before the plan: (without, with) its successor named, for a body of any
# level, a district body in a commune plan and a district body in another plan after 1/7/2025
_CEASED = (
    N_("'{name}' ceased on {date}, before this plan"),
    N_("'{name}' ceased on {date}, before this plan; its successor is '{successor}' "
       "(ref: {ref})"),
)
_CEASED_NOT_COMMUNE = (
    N_("'{name}' ceased on {date}, before this plan: it is a district body, not a commune one, "
       "and districts ended then"),
    N_("'{name}' ceased on {date}, before this plan: it is a district body, not a commune one, "
       "and districts ended then; its successor is '{successor}' (ref: {ref})"),
)
_CEASED_DISTRICT = (
    N_("'{name}' ceased on {date}, before this plan: it is a district body, and districts "
       "ended then"),
    N_("'{name}' ceased on {date}, before this plan: it is a district body, and districts "
       "ended then; its successor is '{successor}' (ref: {ref})"),
)
# The next two open with a literal or a digit, the word boundary before it checked behind, so
# that `re` skips ahead to where a match can start instead of trying every position.
# "năm 2019" as whole words; the match starts after the N
_YEAR = re.compile(r"ăm(?<=\b[Nn]ăm) (\d{4})\b")
# "259/KHUBND"
_CODE_NO_HYPHEN = re.compile(r"\d(?<!\w\d)\d*/(KH|QĐ|NQ|CT|TB|BC)(UBND|CP|TTg|TU|HĐND)\b")
_CITED = re.compile(r"số (\d+)/(\w+)-(\w+)[^;]*? ngày (\d{1,2})/(\d{1,2})/(\d{4})")
# Recipient lines that stand for a whole group of addressees.
_CATCH_ALL = re.compile(r"như (mục|điều|trên)|các cơ quan|các đơn vị|các phòng|các sở",
                        re.IGNORECASE)


def lint_plan(plan: Plan, catalog: Catalog) -> list[Problem]:
    """Every diagnostic for this plan; the caller decides what stops a build."""
    return _Linter(plan, catalog).run()


def plan_reference_date(plan: Plan) -> dt.date:
    """The day validity is judged on: the plan's date, or the first day it can have."""
    d = plan.form.date
    return dt.date(d.year, d.month or 1, d.day or 1)


class _Name(NamedTuple):
    agency: Agency
    text: str  # as written in the catalogue (rendered)
    misspelt: bool


_TRAILING = re.compile(r"[.;:,]+$")
# Where a line of agencies is cut into names for near misses.
_SEPARATOR = re.compile(r"\s*[;,]\s*")
# The first day of the two-level local government: no district, and no district office.
_TWO_LEVELS = dt.date(2025, 7, 1)
# A provincial department ("Sở Y tế"), and not the departments in general ("Sở, ban, ngành").
_DEPARTMENT = re.compile(r"Sở\s+(?!ban\b|ngành\b|liên quan\b)\w")
# Words after "Phòng" that name offices in general, not one office.
_ANY_OFFICE = re.compile(r"(?i:chuyên môn|ban\b|liên quan|có liên quan|thuộc|trực thuộc|các\b)")
# A specialised office ("Phòng Tư pháp") or a body named after a district ("Công an huyện").
_DISTRICT_BODY = re.compile(r"(?i:phòng)\s+(?P<field>[^\W\d_][^;,]*?)\s*$"
                            r"|.+\s(?i:huyện|quận|thị xã)(?:\s+[A-ZĐ]\w*)*$")
_WORD = re.compile(r"\w+")
# Blanking out a name found puts a space between two non-word characters: a name with such a
# space in it may appear only then, not being in the text as written.
_JOINED_BY_BLANK = re.compile(r"[^\w\s] [^\w\s]")


def _fold(text: str) -> str:
    """The first steps of `normalise`, those that cost most; what they leave differs from the
    normalised text only in its whitespace and in trailing stops, colons and commas."""
    return unicodedata.normalize("NFC", text).casefold().replace("&", " và ")


def normalise(text: str) -> str:
    """A text as names are compared: composed accents, no case, single spaces."""
    text = _fold(text)
    if text.endswith((".", ";", ":", ",", "\n")):  # else _TRAILING cannot match
        text = _TRAILING.sub("", text)
    return one_line(text)


def fold_accents(text: str) -> str:
    """A normalised text without its accents and punctuation, as a clerk typing without
    diacritics writes it: "Phòng Văn hóa - Xã hội" and "Phong Van hoa Xa hoi" fold alike."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
    # the accents are the combining marks left apart by NFD; dropping all that is not ASCII
    # drops them (and punctuation such as "–", which goes anyway) at C speed
    bare = decomposed.encode("ascii", "ignore").decode("ascii")
    return " ".join(_WORD.findall(bare))


def _slips_only(words: list[str], others: list[str]) -> bool:
    """Whether two names differ only by slips of the keys: word for word, each word equal or
    a letter or two off ("hộii" for "hội"), never another word ("Đảng ủy" is not "Quận ủy",
    "Bộ Nội vụ" is not "Sở Nội vụ": a slip keeps a word's first letter)."""
    if len(words) != len(others):
        return False
    for word, other in zip(words, others, strict=True):
        if word != other and (word[:1] != other[:1] or _edits(word, other) > (
                1 if min(len(word), len(other)) <= 4 else 2)):
            return False
    return True


def _edits(first: str, second: str) -> int:
    """The edit (Levenshtein) distance of two short words."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


def _blank_whole_words(haystack: str, needle: str) -> str | None:
    r"""`haystack` with each occurrence of `needle` as whole words blanked to a space, or None
    if there is none: what `re.sub` gives with `(?<!\w)needle(?!\w)`, without compiling a
    pattern per name, which was most of the first lint in a process."""
    kept = []
    start = 0
    at = haystack.find(needle)
    while at >= 0:
        end = at + len(needle)
        if (at == 0 or not _is_word(haystack[at - 1])) and \
                (end == len(haystack) or not _is_word(haystack[end])):
            kept.append(haystack[start:at])
            start = end
            at = haystack.find(needle, end)
        else:
            at = haystack.find(needle, at + 1)
    if not kept:
        return None
    kept.append(haystack[start:])
    return " ".join(kept)


def _is_word(char: str) -> bool:
    r"""Whether `re` counts the character in `\w`."""
    return char.isalnum() or char == "_"


def _render(text: str, context: dict[str, Any], where: Location) -> str:
    try:
        return render_text(text, context, where)
    except Exception:  # a broken catalogue text is reported by the catalogue check
        return text


class _Needle(NamedTuple):
    """One distinct normalised name and the catalogue names written so."""

    text: str
    words: frozenset[str]
    names: list[_Name]


class _Names:
    """The catalogue's agency names as one plan's context renders them, indexed by word.

    They depend only on the catalogue, the issuer's level and the few context values the names
    use, which a batch's communes and a preview server's keystrokes share: built once for them.
    A name is found as whole words only if each of its words is a word of the text, so a text
    is searched only for the names indexed under its words.
    """

    def __init__(self, catalog: Catalog, level: str, context: dict[str, Any]):
        names = []
        for entry in catalog.of_kind("agency"):
            assert isinstance(entry, Agency)
            if entry.level != level and "{{ unit }}" in entry.name:
                # "Các cơ quan, đơn vị trực thuộc {{ unit }}" filled with this plan's unit
                # names this plan's own bodies, never another level's
                continue
            for text in (entry.name, *entry.short):
                names.append(_Name(entry, _render(text, context, entry.location), False))
            for text in entry.misspellings:
                names.append(_Name(entry, _render(text, context, entry.location), True))
        # longest first, so "Phòng Văn hóa - Xã hội" wins over a shorter name inside it
        names.sort(key=lambda n: -len(n.text))
        self.misspellings = [n for n in names if n.misspelt]
        by_text: dict[str, list[_Name]] = {}
        self.spellings: dict[str, _Name] = {}  # for near misses: the last name written so
        for name in names:
            needle = normalise(name.text)
            if needle:
                by_text.setdefault(needle, []).append(name)
            if not name.misspelt:
                self.spellings[needle] = name
        self.needles = [_Needle(needle, frozenset(_WORD.findall(needle)), found)
                        for needle, found in by_text.items()]  # in search order
        counts = Counter(word for needle in self.needles for word in needle.words)
        self._folded: tuple[dict[str, _Name], dict[str, list[str]]] | None = None
        # no text longer than this is near a name (similarity 0.88 allows 27 % more letters)
        self.longest = int(max(map(len, self.spellings), default=0) * 1.3) + 2
        self.index: dict[str, list[int]] = {}  # each needle under its rarest word
        for rank, needle in enumerate(self.needles):
            # a needle of no word (punctuation only) is under "", which every text has
            key = min(sorted(needle.words), key=counts.__getitem__, default="")
            self.index.setdefault(key, []).append(rank)

    def folded(self) -> tuple[dict[str, _Name], dict[str, list[str]]]:
        """The catalogue's right spellings without accents or punctuation (each with the name
        it stands for), and those keys under their first and last words: what a near miss is
        compared with. Built on the first near miss looked for, as most plans need none."""
        if self._folded is None:
            exact: dict[str, _Name] = {}
            for needle, name in self.spellings.items():
                exact.setdefault(fold_accents(needle), name)
            by_edge: dict[str, list[str]] = {}
            for key in exact:
                words = key.split()
                for word in {words[0], words[-1]} if words else ():
                    by_edge.setdefault(word, []).append(key)
            self._folded = (exact, by_edge)
        return self._folded

    def candidates(self, haystack: str) -> list[int]:
        """The needles that may be in a normalised text as whole words, in search order."""
        words = {"", *_WORD.findall(haystack)}
        found = []
        for word in words & self.index.keys():
            for rank in self.index[word]:
                if self.needles[rank].words <= words:
                    found.append(rank)
        found.sort()
        return found


def _names_for(plan: Plan, catalog: Catalog) -> _Names:
    """The names as this plan's context renders them, kept for the next plans that fill them
    alike: the names use a few values ("{{ unit }}", "{{ province }}"), so all the communes of
    a batch share them. Nothing of a plan's own text is kept: each plan is searched afresh."""
    level = plan.form.issuer.level
    used = _used_names(catalog, tuple(plan.context))
    context = tuple(sorted((name, type(value), value) for name, value in plan.context.items()
                           if name in used))
    try:
        hash(context)
    except TypeError:  # a value that cannot be a key: built for this plan alone
        return _Names(catalog, level, plan.context)
    return _kept_names(catalog, level, context)


# Keyed by the catalogue itself, which is hashed by identity and never changed once loaded;
# the caches hold it, so its identity is not reused meanwhile.
@lru_cache(maxsize=8)
def _used_names(catalog: Catalog, names: tuple[str, ...]) -> frozenset[str]:
    """The names of values that some agency text holds: no other value can change how one is
    filled."""
    written = "\n".join(text for entry in catalog.of_kind("agency")
                        if isinstance(entry, Agency)
                        for text in (entry.name, *entry.short, *entry.misspellings))
    return frozenset(name for name in names if name in written)


@lru_cache(maxsize=32)
def _kept_names(catalog: Catalog, level: str, context: tuple[tuple[str, type, Any], ...]
                ) -> _Names:
    return _Names(catalog, level, {name: value for name, _, value in context})


class _Linter:
    def __init__(self, plan: Plan, catalog: Catalog):
        self.plan = plan
        self.form = plan.form
        self.catalog = catalog
        self.today = plan_reference_date(plan)
        d = self.form.date
        self.last_day = dt.date(d.year, d.month or 12, d.day or 28)
        self.problems = Problems()
        self.names = _names_for(plan, catalog)
        self.texts = self._texts()
        self.invalid: set[str] = set()  # agencies already reported as not valid
        # memoised for this plan only
        self._found: dict[tuple[str, bool], list[_Name]] = {}
        self._normalised: dict[str, str] = {}
        self._best: dict[int, _Name] = {}
        self._close: dict[str, Agency | None] = {}
        self._unknown: dict[str, list[tuple[str, Agency | None]]] = {}

    def warn(self, where: Location, rule: str, message: str) -> None:
        self.problems.add(where, message, severity="warning", rule=rule)

    def error(self, where: Location, rule: str, message: str) -> None:
        self.problems.add(where, message, severity="error", rule=rule)

    def run(self) -> list[Problem]:
        self.legal_bases()
        self.copied_number()
        self.agencies()
        self.tasks_assigned()
        self.recipients()
        self.recipient_names()
        self.signer()
        self.placeholders()
        self.stale_years()
        self.empty_parts()
        return self.problems.items

    # -- legal bases -----------------------------------------------------------------------

    def legal_bases(self) -> None:
        year = self.form.year
        for citation in self.plan.citations:
            basis = citation.basis
            if basis is None:
                continue
            if basis.valid_to and basis.valid_to.year < year:
                new = self._replacement(basis)
                message = _("{type} số {number} was valid until {until}; a {year} plan cannot "
                            "rest on it") if new is None else \
                    _("{type} số {number} was valid until {until}; a {year} plan cannot rest "
                      "on it; cite {new_type} số {new_number} instead (ref: {ref})")
                self.error(citation.location, "basis-expired", message.format(
                    type=basis.type, number=basis.number, until=f"{basis.valid_to:%d/%m/%Y}",
                    year=year, **_replacement_values(new)))
            elif basis.valid_from and basis.valid_from.year > year:
                self.error(citation.location, "basis-not-yet-valid",
                           _("{type} số {number} is valid from {since}, after the plan's year "
                             "{year}").format(type=basis.type, number=basis.number,
                                              since=f"{basis.valid_from:%d/%m/%Y}", year=year))
            elif basis.replaced_by and self._replaced_by_then(basis):
                new = self._replacement(basis)
                message = _("{type} số {number} was replaced") if new is None else \
                    _("{type} số {number} was replaced; cite {new_type} số {new_number} "
                      "instead (ref: {ref})")
                self.warn(citation.location, "basis-replaced", message.format(
                    type=basis.type, number=basis.number, **_replacement_values(new)))
            if basis.date and self._dated_after_plan(basis.date):
                self.error(citation.location, "basis-after-plan",
                           _("{type} số {number} is dated {date}, after the plan itself; "
                             "check the citation").format(type=basis.type, number=basis.number,
                                                          date=f"{basis.date:%d/%m/%Y}"))
        for where, text in self.texts:
            if "/" not in text:  # in every match of both patterns; most prose has none
                continue
            for match in _CITED.finditer(text):
                cited = _safe_date(int(match[6]), int(match[5]), int(match[4]))
                if cited and self._dated_after_plan(cited):
                    self.error(where, "basis-after-plan",
                               _("'{citation}' is dated {date}, after the plan itself; check "
                                 "the citation").format(citation=match[0][:60],
                                                        date=f"{cited:%d/%m/%Y}"))
            for match in _CODE_NO_HYPHEN.finditer(text):
                self.warn(where, "citation-code",
                          _("'{code}' lacks the hyphen between the type and the issuer codes; "
                            "write '{fixed}'").format(
                              code=match[0], fixed=match[0].replace(match[1], match[1] + "-", 1)))

    def _replacement(self, basis: LegalBasis) -> LegalBasis | None:
        """The basis that replaced this one, when the catalogue has it."""
        new = self.catalog.get(basis.replaced_by) if basis.replaced_by else None
        return new if isinstance(new, LegalBasis) else None

    def _replaced_by_then(self, basis: LegalBasis) -> bool:
        """Whether the replacement existed on the plan's date: a 2019 plan rightly cites what
        a 2025 decree replaced."""
        new = self.catalog.get(basis.replaced_by) if basis.replaced_by else None
        if isinstance(new, LegalBasis):
            start = new.valid_from or new.date
            return start is None or start <= self.last_day
        return True

    def _dated_after_plan(self, cited: dt.date) -> bool:
        d = self.form.date
        if d.day and d.month:
            return cited > dt.date(d.year, d.month, d.day)
        if d.month:
            return (cited.year, cited.month) > (d.year, d.month)
        return cited.year > d.year

    def copied_number(self) -> None:
        form = self.form
        for citation in self.plan.citations:
            basis = citation.basis
            if basis is None:
                continue
            cited_number = basis.number.split("/", 1)[0]
            if form.number is not None and cited_number.isdigit() and \
                    int(cited_number) == int(form.number) and \
                    (basis.date is None or basis.date.year == form.year):
                self.warn(form.where.get("number", citation.location), "number-copied",
                          _("the plan's number {plan_number} is the number of the cited {type} "
                            "số {number}; was it copied from the base plan?").format(
                              plan_number=form.number, type=basis.type, number=basis.number))
            d = form.date
            if basis.date and d.day and basis.date == dt.date(d.year, d.month, d.day):
                self.warn(form.where.get("date", citation.location), "date-copied",
                          _("the plan's date is the date of the cited {type} số {number}; was "
                            "it copied from the base plan?").format(type=basis.type,
                                                                   number=basis.number))

    # -- agencies --------------------------------------------------------------------------

    def _render(self, text: str, where: Location) -> str:
        return _render(text, self.plan.context, where)

    def _agency_name(self, agency: Agency) -> str:
        """An agency's name as this plan fills it, for a message; with its id when a value it
        uses is empty here ("Đài Truyền thanh {{ subunits }}" in a plan naming no units), so
        the clerk is not shown a name cut short."""
        name = self._render(agency.name, agency.location)
        squeezed = " ".join(name.split())
        return squeezed if squeezed == name else f"{squeezed} ({agency.id})"

    def normalise(self, text: str) -> str:
        if text not in self._normalised:
            self._normalised[text] = normalise(text)
        return self._normalised[text]

    def find_agencies(self, text: str, *, nested: bool = False) -> list[_Name]:
        """The catalogue agencies named in a text, longest names first, without overlaps
        (with `nested`, names inside longer names count too: a heading "Các sở, ban, ngành,
        Ủy ban nhân dân các quận, huyện" assigns the district committees as well).

        Where one name fits several entries (a district and a commune office share a short
        name), the entry valid for this plan's date and level is taken.
        """
        key = (text, nested)
        if key not in self._found:
            self._found[key] = self._find_agencies(text, nested)
        return self._found[key]

    def _find_agencies(self, text: str, nested: bool) -> list[_Name]:
        haystack = self.normalise(text)
        found = []
        for rank in self.names.candidates(haystack):
            blanked = _blank_whole_words(haystack, self.names.needles[rank].text)
            if blanked is None:
                continue
            best = self.best(rank)
            if best.misspelt and best.text not in text:
                continue  # differs from the right name only by case
            found.append(best)
            if not nested:
                haystack = blanked
        return found

    def best(self, rank: int) -> _Name:
        """Of the names a needle stands for, the one this plan means."""
        if rank not in self._best:
            names = self.names.needles[rank].names
            self._best[rank] = names[0] if len(names) == 1 else min(names, key=self._fitness)
        return self._best[rank]

    def _fitness(self, name: _Name) -> tuple[bool, bool]:
        """Sort key: valid on the plan's date first, then of the plan's own level."""
        return (not self._valid(name.agency), name.agency.level != self.form.issuer.level)

    def _valid(self, agency: Agency) -> bool:
        return (agency.valid_from is None or agency.valid_from <= self.last_day) and \
            (agency.valid_to is None or agency.valid_to >= self.today)

    def _invalid_needles(self) -> list[str]:
        """The needles standing for a body not valid on the plan's date: in prose, where only
        these are reported, text holding none of them (most) is not searched."""
        needles = [
            # "" (in every text) for one that blanking out another may bring about
            "" if _JOINED_BY_BLANK.search(needle.text) else needle.text
            for rank, needle in enumerate(self.names.needles)
            if not (best := self.best(rank)).misspelt and not self._valid(best.agency)
            and not is_template(best.agency.name)]
        # a needle holding another is in a text only where that one is too
        return [n for n in needles if not any(m in n for m in needles if m != n)]

    def _named_agencies(self) -> Iterator[tuple[Location, str, str]]:
        """(where, text, role) for every agency name in the plan: lead, support, implementation."""
        for role in self.plan.implementation:
            if role.agency is None:
                yield role.location, role.name, "implementation"
        for task in self._all_tasks():
            for name in task.lead:
                yield task.location, name, "lead"
            for name in task.support:
                yield task.location, name, "support"

    def _all_tasks(self) -> Iterator:
        for task in self.plan.tasks:
            yield task
            yield from task.subtasks

    def agencies(self) -> None:
        checked: set[tuple[Location, str]] = set()
        for role in self.plan.implementation:
            if role.agency is not None:
                self._check_agency(role.agency, role.location, ordered=not role.request)
        for where, text, part in self._named_agencies():
            found = self.find_agencies(text)
            for name in found:
                if name.misspelt:
                    self.warn(where, "agency-spelling",
                              _("'{name}' is a misspelling; write '{right}'").format(
                                  name=name.text,
                                  right=self._render(name.agency.name, name.agency.location)))
                key = (where, name.agency.id)
                if key not in checked:
                    checked.add(key)
                    self._check_agency(name.agency, where,
                                       ordered=part in ("lead", "implementation")
                                       and not text.lower().startswith("đề nghị"))
            self._near_miss(where, text, found, checked,
                            ordered=part in ("lead", "implementation"))
        invalid = self._invalid_needles()
        # a misspelling in none of the texts is not in them joined: most are not looked for
        prose = "\n".join(text for _, text in self.texts)
        misspellings = [name for name in self.names.misspellings if name.text in prose]
        for where, text in self.texts:
            found = self.find_agencies(text) if invalid and _may_hold(text, invalid) else []
            for name in found:
                # a templated name ("Công an {{ unit }}") is too generic to judge in prose
                if not name.misspelt and not is_template(name.agency.name) and \
                        (where, name.agency.id) not in checked:
                    checked.add((where, name.agency.id))
                    self._check_agency(name.agency, where, ordered=False)
            for name in misspellings:
                # case counts here: "phòng X" may be a misspelling while "Phòng X" is right
                if name.text in text:
                    self.warn(where, "agency-spelling",
                              _("'{name}' is a misspelling; write '{right}'").format(
                                  name=name.text,
                                  right=self._render(name.agency.name, name.agency.location)))

    def _near_miss(self, where: Location, text: str, found: list[_Name],
                   checked: set[tuple[Location, str]], *, ordered: bool) -> None:
        """Names the catalogue does not know as written: typed without accents, with a letter
        too many or too few, or a body the plan's level does not have. A near miss is then
        judged as the name it stands for (validity, level)."""
        for piece, agency in self._unknown_pieces(text, found):
            if agency is None:
                self._not_at_level(where, piece)
                if ordered and _DEPARTMENT.match(piece) and self.form.issuer.level == "xa":
                    # a department the catalogue does not list is a province's all the same
                    self.warn(where, "agency-level",
                              _(_ABOVE_LEVEL["tinh", "xa"]).format(name=piece))
                continue
            self.warn(where, "agency-spelling",
                      _("'{piece}' looks like a misspelling of '{right}'; write the catalogue's "
                        "name").format(piece=piece,
                                       right=self._render(agency.name, agency.location)))
            if (where, agency.id) not in checked:
                checked.add((where, agency.id))
                self._check_agency(agency, where, ordered=ordered)

    def _unknown_pieces(self, text: str, found: list[_Name]) -> list[tuple[str, Agency | None]]:
        """The pieces of a line of agencies that hold no name found, each with the agency it
        is a near miss of (None if none): the whole line, or else its parts between commas
        and semicolons. Memoised, as a plan repeats its lines of agencies."""
        if text in self._unknown:
            return self._unknown[text]
        pieces = [text]
        separated = _SEPARATOR.search(text) is not None
        if found and not separated:
            pieces = []  # the one name written is the catalogue's
        elif separated:
            pieces += _SEPARATOR.split(text)
        known = [self.normalise(name.text) for name in found]
        unknown: list[tuple[str, Agency | None]] = []
        for index, piece in enumerate(pieces):
            piece = piece.strip(" -.:;,")
            if len(piece) < 6 or (index == 0 and len(pieces) > 1 and
                                  len(piece) > self.names.longest):
                continue  # too short to judge, or a list too long to be one name
            wanted = self.normalise(piece)
            # a part holding a name found, or a part of one ("Ủy ban nhân dân các quận" of
            # "Các sở, ban, ngành, Ủy ban nhân dân các quận, huyện"); the whole line is
            # compared even so ("Phòng Kinh tế, Hạ tầng và Đô thi" holds "Phòng Kinh tế")
            if index > 0 and any(wanted in needle or needle in wanted for needle in known):
                continue
            agency = self._misspelt_as(piece)
            if agency is not None:
                unknown.append((piece, agency))
                if index == 0:
                    break  # the whole line is one name
                known.append(wanted)
            elif index > 0 or len(pieces) == 1:
                unknown.append((piece, None))
        self._unknown[text] = unknown
        return unknown

    def _misspelt_as(self, piece: str) -> Agency | None:
        """The agency whose name a piece of text is close to but not quite: equal once accents
        and punctuation are dropped, or a few letters apart. Memoised, as a plan repeats its
        lines of agencies."""
        if piece not in self._close:
            self._close[piece] = self._closest(piece)
        return self._close[piece]

    def _closest(self, piece: str) -> Agency | None:
        """`_misspelt_as`, worked out."""
        wanted = self.normalise(piece)
        if wanted in self.names.spellings or len(wanted) > self.names.longest:
            return None  # right, or longer than any name a few slips from one
        exact, by_edge = self.names.folded()
        key = fold_accents(wanted)
        if key in exact:
            return exact[key].agency
        words = key.split()
        if not words:
            return None
        # only names that begin or end with the same word (a clerk's slip is seldom in both),
        # of as many words (see _slips_only), and whose length allows the cutoff (2·shorter /
        # sum ≥ 0.88): it keeps the comparison to a few names
        size, count = len(key), len(words)
        candidates = {other for word in {words[0], words[-1]} for other in by_edge.get(word, ())
                      if other.count(" ") == count - 1 and
                      2 * min(size, len(other)) >= 0.88 * (size + len(other))}
        if not candidates:
            return None
        for other in difflib.get_close_matches(key, candidates, n=3, cutoff=0.88):
            if _slips_only(words, other.split()):
                return exact[other].agency
        return None

    def _not_at_level(self, where: Location, piece: str) -> None:
        """A specialised office or a district body named in a commune plan of the two-level
        government, which the catalogue does not know: a commune has no such body."""
        form = self.form
        if form.issuer.level != "xa" or self.today < _TWO_LEVELS:
            return
        match = _DISTRICT_BODY.match(piece)
        if match is None or _ANY_OFFICE.match(match["field"] or ""):
            return  # "Phòng chuyên môn liên quan" names no office in particular
        offices = self._commune_offices()
        message = _("'{piece}' is not a commune body: districts and their offices ended on "
                    "30/06/2025, and the catalogue knows no such commune office; a commune's "
                    "offices are {names} (unless the province's decision under Nghị định "
                    "370/2025/NĐ-CP names others)")
        holder_name = holder_id = ""
        field = " ".join(self.normalise(match["field"] or "").split())
        holders = [agency for agency in offices if field and
                   _blank_whole_words(normalise(agency.source), field) is not None]
        if len(holders) == 1:
            holder = holders[0]
            holder_name, holder_id = self._render(holder.name, holder.location), holder.id
            message = _("'{piece}' is not a commune body: districts and their offices ended on "
                        "30/06/2025, and the catalogue knows no such commune office; a "
                        "commune's offices are {names} (unless the province's decision under "
                        "Nghị định 370/2025/NĐ-CP names others); the catalogue's entry for "
                        "'{holder}' (ref: {ref}) gives it '{field}': check that against the "
                        "province's decision")
        names = ", ".join(f"'{self._render(a.name, a.location)}'" for a in offices)
        self.warn(where, "agency-not-at-level",
                  message.format(piece=piece, names=names, holder=holder_name, ref=holder_id,
                                 field=field))

    def _commune_offices(self) -> list[Agency]:
        """The catalogue's specialised offices of a commune valid on the plan's date."""
        offices = []
        for entry in self.catalog.of_kind("agency"):
            if isinstance(entry, Agency) and entry.level == "xa" and self._valid(entry) and \
                    entry.name.startswith(("Phòng ", "Văn phòng ")):
                offices.append(entry)
        return offices

    def _check_agency(self, agency: Agency, where: Location, *, ordered: bool) -> None:
        if agency.valid_to and agency.valid_to < self.today:
            name = self._agency_name(agency)
            successor = self.catalog.get(agency.successor) if agency.successor else None
            messages = _CEASED
            level = self.form.issuer.level
            if agency.level == "huyen" and level == "xa" and self.today >= _TWO_LEVELS:
                # the body did not merely end: the plan's level has none like it
                messages = _CEASED_NOT_COMMUNE
            elif agency.level == "huyen" and self.today >= _TWO_LEVELS:
                messages = _CEASED_DISTRICT
            if isinstance(successor, Agency):
                message = _(messages[1]).format(
                    name=name, date=f"{agency.valid_to:%d/%m/%Y}",
                    successor=self._agency_name(successor), ref=successor.id)
            else:
                message = _(messages[0]).format(name=name, date=f"{agency.valid_to:%d/%m/%Y}")
            self.error(where, "agency-not-valid", message)
            self.invalid.add(agency.id)
            return
        if agency.valid_from and agency.valid_from > self.last_day:
            name = self._agency_name(agency)
            self.error(where, "agency-not-valid",
                       _("'{name}' exists only from {date}, after this plan").format(
                           name=name, date=f"{agency.valid_from:%d/%m/%Y}"))
            self.invalid.add(agency.id)
            return
        level = self.form.issuer.level
        if ordered and LEVEL_RANK[agency.level] > LEVEL_RANK[level] and not agency.request:
            name = self._agency_name(agency)
            self.warn(where, "agency-level",
                      _(_ABOVE_LEVEL[agency.level, level]).format(name=name))

    def tasks_assigned(self) -> None:
        if not self.plan.implementation:
            return  # a plan whose appendix is where tasks are assigned names no roles
        assigned = set()
        for role in self.plan.implementation:
            if role.agency is not None:
                assigned.add(role.agency.id)
            assigned.update(n.agency.id for n in self.find_agencies(role.name, nested=True))
            if role.agency is None:  # a near miss is reported once, as a misspelling
                assigned.update(agency.id for _, agency in
                                self._unknown_pieces(role.name, self.find_agencies(role.name))
                                if agency is not None)
        for task in self._all_tasks():
            for message, names in (
                    (N_("'{name}' leads a task but the implementation part never assigns it; "
                        "add it under implementation"), task.lead),
                    (N_("'{name}' supports a task but the implementation part never assigns "
                        "it; add it under implementation"), task.support)):
                for text in names:
                    requested = "đề nghị" in self.normalise(text)
                    found = self.find_agencies(text)
                    unknown = self._unknown_pieces(text, found)
                    if unknown and unknown[0][1] is not None and \
                            unknown[0][0] == text.strip(" -.:;,"):
                        # the whole line is a near miss, reported as one: not the shorter
                        # names inside it ("Phòng Kinh tế" of "Phòng Kinh tế, Hạ tầng và Đô thi")
                        found = []
                    for name in found:
                        if requested and name.agency.request:
                            continue  # asked for here; the plan cannot assign it anyway
                        if name.agency.id not in assigned and \
                                not set(name.agency.part_of) & assigned:
                            self.warn(task.location, "task-agency-unassigned",
                                      _(message).format(name=name.text))
                            assigned.add(name.agency.id)

    def recipients(self) -> None:
        form = self.form
        where = form.where.get("recipients", Location(str(form.path)))
        if form.archive is None:
            self.warn(where, "recipients-archive",
                      _("the recipients have no archive line; add '- archive: VT, <unit>' last"))
        lines = [r.text for r in self.plan.recipients]
        if any(_CATCH_ALL.search(line) for line in lines):
            return
        addressed = {n.agency.id for line in lines for n in self.find_agencies(line)}
        for role in self.plan.implementation:
            ids = {role.agency.id} if role.agency else \
                {n.agency.id for n in self.find_agencies(role.name)}
            if ids and not ids & (addressed | self.invalid):
                self.warn(role.location, "recipient-missing",
                          _("'{name}' implements the plan but is not among the recipients; add "
                            "it to 'recipients'").format(name=role.name))

    def recipient_names(self) -> None:
        """The bodies the plan is sent to, judged as the bodies given roles are: a 2026 plan
        sent to a district office, or to a name misspelt, goes to no one."""
        checked: set[tuple[Location, str]] = set()
        for item in self.plan.recipients:
            found = self.find_agencies(item.text)
            for name in found:
                if name.misspelt:
                    self.warn(item.location, "agency-spelling",
                              _("'{name}' is a misspelling; write '{right}'").format(
                                  name=name.text,
                                  right=self._render(name.agency.name, name.agency.location)))
                # a templated name ("Công an {{ unit }}") is too generic to judge here too
                if is_template(name.agency.name) or (item.location, name.agency.id) in checked:
                    continue
                checked.add((item.location, name.agency.id))
                self._check_agency(name.agency, item.location, ordered=False)
            self._near_miss(item.location, item.text, found, checked, ordered=False)

    def signer(self) -> None:
        issuer = self.form.issuer
        if issuer.name.lower().startswith("ủy ban nhân dân") and not issuer.collective:
            self.error(self.form.where.get("issuer", self.form.signer.location),
                       "signer-collective", _("a People's Committee is a collective body: "
                                              "its plans are signed 'TM. ỦY BAN NHÂN DÂN'; "
                                              "remove 'collective: false'"))

    def placeholders(self) -> None:
        """What `kh-gen new` leaves for the clerk to fill: a model signer's name and an empty
        province. Both build, so nothing else stops a plan signed by "Nguyễn Văn A" or one
        whose catalogue names read "Báo " with the province missing."""
        signer = self.form.signer
        if _is_placeholder_name(signer.name):
            self.warn(signer.location, "signer-placeholder",
                      _("signer.name '{name}' is a model name, not the signer's; write the "
                        "name of the person who signs").format(name=signer.name))
        if not self.form.issuer.province.strip(" .…"):  # empty, or dots to fill in
            self.warn(self.form.where.get("issuer", Location(str(self.form.path))),
                      "issuer-province-empty",
                      _("issuer.province is empty: catalogue names built on it (such as 'Báo "
                        "{{ province }}', 'Đài Phát thanh và Truyền hình {{ province }}') come "
                        "out without it; write the province's name (e.g. province: Đồng Tháp)"))

    # -- free text -------------------------------------------------------------------------

    def _texts(self) -> list[tuple[Location, str]]:
        """The free text of the plan, each with where it stands."""
        plan = self.plan
        texts: list[tuple[Location, str]] = []
        sections = (*plan.sections, *(s for a in plan.appendices for s in a.sections))
        for section in walk_sections(sections):
            if section.heading:
                texts.append((section.location, section.heading))
            for block in section.blocks:
                if isinstance(block, Item):
                    _walk(block, texts)
                elif isinstance(block, Table):
                    _table_texts(block.location, block.rows, texts)
        for appendix in plan.appendices:
            if appendix.table is not None:
                _table_texts(appendix.table.location, appendix.table.rows, texts)
        for role in plan.implementation:
            for duty in role.duties:
                _walk(duty, texts)
        for task in self._all_tasks():
            texts.append((task.location, " ".join((task.name, *task.items, task.time,
                                                   task.notes, task.content))))
        return texts

    def stale_years(self) -> None:
        year = self.form.year
        for where, text in self.texts:
            for match in _YEAR.finditer(text):
                found = int(match[1])
                start = match.start() - 1  # at the N
                if found < year - 1 and not _in_citation(text, start):
                    self.warn(where, "stale-year",
                              _("'{found}' in a {year} plan: is it left from an older plan? (the "
                                "plan's year is {year}, the year before {previous})").format(
                                  found=text[start:match.end()], year=year, previous=year - 1))

    def empty_parts(self) -> None:
        """Each part the plan's kind requires is a section with something in it."""
        form = self.form
        where = form.where.get("sections", Location(str(form.path)))
        for part in self.plan.kind.requires:
            sections = self.plan.sections_of(part)
            if not sections:
                self.error(where, "empty-part",
                           _("a plan of kind {kind} needs a section with 'part: {part}'; add one "
                             "(see docs/form.md)").format(kind=form.kind, part=part))
            elif not any(_holds_text(s) for s in sections):
                self.error(sections[0].location, "empty-part",
                           _("the '{part}' section is empty; add at least one entry").format(
                               part=part))


# A model name: a given name of one letter ("Nguyễn Văn A", "Trần Thị B"), an ellipsis, or the
# field's own label. No Vietnamese given name is a single letter.
_PLACEHOLDER_NAME = re.compile(r"(?:^|\s)\w\.?$|…|\.\.\.|^\W*họ (?:và )?tên\b", re.IGNORECASE)


def _replacement_values(new: LegalBasis | None) -> dict[str, str]:
    """The placeholders of a message naming the basis that replaced a cited one."""
    if new is None:
        return {}
    return {"new_type": new.type, "new_number": new.number, "ref": new.id}


def _is_placeholder_name(name: str) -> bool:
    return not name.strip() or bool(_PLACEHOLDER_NAME.search(name.strip()))


def _may_hold(text: str, needles: list[str]) -> bool:
    """Whether `normalise(text)` may hold one of the needles, found without normalising all of
    it: splitting and joining the words is the dearest step, and mostly not needed."""
    folded = _fold(text)
    if "  " in folded or not folded.isprintable():
        # whitespace other than single spaces: only then is the normalised text not a part of
        # the folded one (but of the folded one with its whitespace squeezed)
        folded = " ".join(folded.split())
    return any(map(folded.__contains__, needles))


def _holds_text(section: Section) -> bool:
    return any(not isinstance(b, Section) or _holds_text(b) for b in section.blocks)


def _table_texts(where: Location, rows: tuple, texts: list[tuple[Location, str]]) -> None:
    for row in rows:
        cells = (row,) if isinstance(row, str) else tuple(" ".join(c) for c in row)
        texts.extend((where, cell) for cell in cells if cell)


def _walk(item: Item, texts: list[tuple[Location, str]]) -> None:
    for paragraph in item.paragraphs:
        texts.append((item.location, paragraph))
    for sub in item.items:
        _walk(sub, texts)


def _in_citation(text: str, position: int) -> bool:
    """Whether a year stands inside a cited document's title (e.g. '… đến năm 2030')."""
    before = text[max(0, position - 160):position]
    return bool(re.search(r"số \d+/[\w-]+[^;.]*$", before))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
