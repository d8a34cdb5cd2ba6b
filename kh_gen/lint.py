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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .catalog import Agency, Catalog, LegalBasis
from .errors import Location, Problem, Problems
from .plan import Item, Plan
from .textrender import is_template, render_text

LEVEL_RANK = {"tinh": 2, "huyen": 1, "xa": 0}
LEVEL_NAME = {"tinh": "provincial", "huyen": "district", "xa": "commune"}
_YEAR = re.compile(r"\b[Nn]ăm (\d{4})\b")
_CITED = re.compile(r"số (\d+)/(\w+)-(\w+)[^;]*? ngày (\d{1,2})/(\d{1,2})/(\d{4})")
_CODE_NO_HYPHEN = re.compile(r"\b\d+/(KH|QĐ|NQ|CT|TB|BC)(UBND|CP|TTg|TU|HĐND)\b")
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


@dataclass(frozen=True)
class _Name:
    agency: Agency
    text: str  # as written in the catalogue (rendered)
    misspelt: bool


_TRAILING = re.compile(r"[.;:,]+$")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("&", " và ")
    return " ".join(_TRAILING.sub("", text).split())


@lru_cache(maxsize=4096)
def _whole_words(needle: str) -> re.Pattern[str]:
    """The pattern finding a name as whole words; kept across plans (a batch lints many)."""
    return re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")


class _Linter:
    def __init__(self, plan: Plan, catalog: Catalog):
        self.plan = plan
        self.form = plan.form
        self.catalog = catalog
        self.today = plan_reference_date(plan)
        self.problems = Problems()
        self.names = self._agency_names()
        self.invalid: set[str] = set()  # agencies already reported as not valid
        self._found: dict[tuple[str, bool], list[_Name]] = {}  # find_agencies, memoised
        # each distinct name, with its whole-word pattern compiled once
        self.names_by_text: dict[str, tuple[re.Pattern[str], list[_Name]]] = {}
        for name in self.names:
            key = normalise(name.text)
            if key:
                self.names_by_text.setdefault(key, (_whole_words(key), []))[1].append(name)

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
        self.signer()
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
                self.error(citation.location, "basis-expired",
                           f"{basis.type} số {basis.number} was valid until "
                           f"{basis.valid_to:%d/%m/%Y}; a {year} plan cannot rest on it"
                           + self._replacement(basis))
            elif basis.valid_from and basis.valid_from.year > year:
                self.error(citation.location, "basis-not-yet-valid",
                           f"{basis.type} số {basis.number} is valid from "
                           f"{basis.valid_from:%d/%m/%Y}, after the plan's year {year}")
            elif basis.replaced_by:
                self.warn(citation.location, "basis-replaced",
                          f"{basis.type} số {basis.number} was replaced"
                          + self._replacement(basis))
            if basis.date and self._dated_after_plan(basis.date):
                self.error(citation.location, "basis-after-plan",
                           f"{basis.type} số {basis.number} is dated {basis.date:%d/%m/%Y}, "
                           f"after the plan itself; check the citation")
        for item, text in self._texts():
            for match in _CITED.finditer(text):
                cited = _safe_date(int(match[6]), int(match[5]), int(match[4]))
                if cited and self._dated_after_plan(cited):
                    self.error(item.location, "basis-after-plan",
                               f"'{match[0][:60]}' is dated {cited:%d/%m/%Y}, after the plan "
                               f"itself; check the citation")
            for match in _CODE_NO_HYPHEN.finditer(text):
                self.warn(item.location, "citation-code",
                          f"'{match[0]}' lacks the hyphen between the type and the issuer "
                          f"codes; write '{match[0].replace(match[1], match[1] + '-', 1)}'")

    def _replacement(self, basis: LegalBasis) -> str:
        new = self.catalog.get(basis.replaced_by) if basis.replaced_by else None
        if isinstance(new, LegalBasis):
            return f"; cite {new.type} số {new.number} instead (ref: {new.id})"
        return ""

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
                          f"the plan's number {form.number} is the number of the cited "
                          f"{basis.type} số {basis.number}; was it copied from the base plan?")
            d = form.date
            if basis.date and d.day and basis.date == dt.date(d.year, d.month, d.day):
                self.warn(form.where.get("date", citation.location), "date-copied",
                          f"the plan's date is the date of the cited {basis.type} số "
                          f"{basis.number}; was it copied from the base plan?")

    # -- agencies --------------------------------------------------------------------------

    def _agency_names(self) -> list[_Name]:
        names = []
        level = self.form.issuer.level
        for entry in self.catalog.of_kind("agency"):
            assert isinstance(entry, Agency)
            if entry.level != level and "{{ unit }}" in entry.name:
                # "Các cơ quan, đơn vị trực thuộc {{ unit }}" filled with this plan's unit
                # names this plan's own bodies, never another level's
                continue
            for text in (entry.name, *entry.short):
                names.append(_Name(entry, self._render(text, entry.location), False))
            for text in entry.misspellings:
                names.append(_Name(entry, self._render(text, entry.location), True))
        # longest first, so "Phòng Văn hóa - Xã hội" wins over a shorter name inside it
        return sorted(names, key=lambda n: -len(n.text))

    def _render(self, text: str, where: Location) -> str:
        try:
            return render_text(text, self.plan.context, where)
        except Exception:  # a broken catalogue text is reported by the catalogue check
            return text

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
        haystack = normalise(text)
        found = []
        for needle, (pattern, candidates) in self.names_by_text.items():
            if needle in haystack and pattern.search(haystack):
                best = min(candidates, key=self._fitness)
                if best.misspelt and best.text not in text:
                    continue  # differs from the right name only by case
                found.append(best)
                if not nested:
                    haystack = pattern.sub(" ", haystack)
        return found

    def _fitness(self, name: _Name) -> tuple[bool, bool]:
        """Sort key: valid on the plan's date first, then of the plan's own level."""
        agency = name.agency
        valid = (agency.valid_from is None or agency.valid_from <= self._last_day()) and \
            (agency.valid_to is None or agency.valid_to >= self.today)
        return (not valid, agency.level != self.form.issuer.level)

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
                              f"'{name.text}' is a misspelling; write '"
                              f"{self._render(name.agency.name, name.agency.location)}'")
                key = (where, name.agency.id)
                if key not in checked:
                    checked.add(key)
                    self._check_agency(name.agency, where,
                                       ordered=part in ("lead", "implementation")
                                       and not text.lower().startswith("đề nghị"))
            if not found:
                self._near_miss(where, text)
        for item, text in self._texts():
            for name in self.find_agencies(text):
                # a templated name ("Công an {{ unit }}") is too generic to judge in prose
                if not name.misspelt and not is_template(name.agency.name) and \
                        (item.location, name.agency.id) not in checked:
                    checked.add((item.location, name.agency.id))
                    self._check_agency(name.agency, item.location, ordered=False)
            for name in self.names:
                # case counts here: "phòng X" may be a misspelling while "Phòng X" is right
                if name.misspelt and name.text in text:
                    self.warn(item.location, "agency-spelling",
                              f"'{name.text}' is a misspelling; write '"
                              f"{self._render(name.agency.name, name.agency.location)}'")

    def _near_miss(self, where: Location, text: str) -> None:
        for piece in re.split(r"[;,]\s*|\s+-\s+", text):
            piece = piece.strip(" -")
            if len(piece) < 8:
                continue
            candidates = {normalise(n.text): n for n in self.names if not n.misspelt}
            close = difflib.get_close_matches(normalise(piece), list(candidates), n=1,
                                              cutoff=0.88)
            if close and close[0] != normalise(piece):
                agency = candidates[close[0]].agency
                self.warn(where, "agency-spelling",
                          f"'{piece}' looks like a misspelling of '"
                          f"{self._render(agency.name, agency.location)}'")

    def _check_agency(self, agency: Agency, where: Location, *, ordered: bool) -> None:
        name = self._render(agency.name, agency.location)
        if agency.valid_to and agency.valid_to < self.today:
            successor = self.catalog.get(agency.successor) if agency.successor else None
            hint = ""
            if isinstance(successor, Agency):
                hint = f"; its successor is '{self._render(successor.name, successor.location)}'"
                hint += f" (ref: {successor.id})"
            self.error(where, "agency-not-valid",
                       f"'{name}' ceased on {agency.valid_to:%d/%m/%Y}, before this plan"
                       + hint)
            self.invalid.add(agency.id)
            return
        if agency.valid_from and agency.valid_from > self._last_day():
            self.error(where, "agency-not-valid",
                       f"'{name}' exists only from {agency.valid_from:%d/%m/%Y}, after this "
                       f"plan")
            self.invalid.add(agency.id)
            return
        level = self.form.issuer.level
        if ordered and LEVEL_RANK[agency.level] > LEVEL_RANK[level] and not agency.request:
            self.warn(where, "agency-level",
                      f"'{name}' is a {LEVEL_NAME[agency.level]} body; a "
                      f"{LEVEL_NAME[level]} plan can only request it (write 'Đề nghị …', "
                      f"request: true) or list it as supporting")

    def _last_day(self) -> dt.date:
        d = self.form.date
        return dt.date(d.year, d.month or 12, d.day or 28)

    def tasks_assigned(self) -> None:
        assigned = set()
        for role in self.plan.implementation:
            if role.agency is not None:
                assigned.add(role.agency.id)
            assigned.update(n.agency.id for n in self.find_agencies(role.name, nested=True))
        for task in self._all_tasks():
            for part, names in (("leads", task.lead), ("supports", task.support)):
                for text in names:
                    requested = "đề nghị" in normalise(text)
                    for name in self.find_agencies(text):
                        if requested and name.agency.request:
                            continue  # asked for here; the plan cannot assign it anyway
                        if name.agency.id not in assigned and \
                                not set(name.agency.part_of) & assigned:
                            self.warn(task.location, "task-agency-unassigned",
                                      f"'{name.text}' {part} a task but the implementation "
                                      f"part never assigns it; add it under implementation")
                            assigned.add(name.agency.id)

    def recipients(self) -> None:
        form = self.form
        where = form.where.get("recipients", Location(str(form.path)))
        if form.archive is None:
            self.warn(where, "recipients-archive",
                      "the recipients have no archive line; add '- archive: VT, <unit>' last")
        lines = [r.text for r in self.plan.recipients]
        if any(_CATCH_ALL.search(line) for line in lines):
            return
        addressed = {n.agency.id for line in lines for n in self.find_agencies(line)}
        for role in self.plan.implementation:
            ids = {role.agency.id} if role.agency else \
                {n.agency.id for n in self.find_agencies(role.name)}
            if ids and not ids & (addressed | self.invalid):
                self.warn(role.location, "recipient-missing",
                          f"'{role.name}' implements the plan but is not among the "
                          f"recipients; add it to 'recipients'")

    def signer(self) -> None:
        issuer = self.form.issuer
        if issuer.name.lower().startswith("ủy ban nhân dân") and not issuer.collective:
            self.error(self.form.where.get("issuer", self.form.signer.location),
                       "signer-collective", "a People's Committee is a collective body: "
                       "its plans are signed 'TM. ỦY BAN NHÂN DÂN'; remove "
                       "'collective: false'")

    # -- free text -------------------------------------------------------------------------

    def _texts(self) -> Iterator[tuple[Item, str]]:
        plan = self.plan
        parts: Iterable[Item] = (*plan.objectives, *plan.requirements, *plan.audience,
                                 *plan.contents, *plan.forms, *plan.tasks_intro, *plan.funding,
                                 *(d for role in plan.implementation for d in role.duties))
        for item in parts:
            yield from _walk(item)
        for task in self._all_tasks():
            text = " ".join((task.name, *task.items, task.time, task.notes, task.content))
            yield Item((text,), (), task.location), text

    def stale_years(self) -> None:
        year = self.form.year
        for item, text in self._texts():
            for match in _YEAR.finditer(text):
                found = int(match[1])
                if found < year - 1 and not _in_citation(text, match.start()):
                    self.warn(item.location, "stale-year",
                              f"'{match[0]}' in a {year} plan: is it left from an older "
                              f"plan? (the plan's year is {year}, the year before {year - 1})")

    def empty_parts(self) -> None:
        form = self.form
        required = {"objectives": self.plan.objectives, "requirements": self.plan.requirements,
                    "contents": self.plan.contents, "forms": self.plan.forms,
                    "implementation": self.plan.implementation}
        for part, items in required.items():
            if not items:
                self.error(form.where.get(part, Location(str(form.path))), "empty-part",
                           f"{part}: this part is required in a plan of kind {form.kind}; "
                           f"add at least one entry")
        if not self.plan.tasks:
            self.error(form.where.get("tasks", Location(str(form.path))), "empty-part",
                       "tasks: list at least one task under 'items:'")


def _walk(item: Item) -> Iterator[tuple[Item, str]]:
    for paragraph in item.paragraphs:
        yield item, paragraph
    for sub in item.items:
        yield from _walk(sub)


def _in_citation(text: str, position: int) -> bool:
    """Whether a year stands inside a cited document's title (e.g. '… đến năm 2030')."""
    before = text[max(0, position - 160):position]
    return bool(re.search(r"số \d+/[\w-]+[^;.]*$", before))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
