"""`rebase_form`: the same plan for another locality, level or year, with a list of every change.

A form is re-targeted the way a careful clerk edits last year's plan, and every edit is listed:
- the issuer takes the new locality, level, unit and place; number and date are cleared;
- the locality, place, province and the unit word ("Ủy ban nhân dân quận" → "… phường") are
  renamed in every text, free text included; the Party committee follows the level ("Quận
  ủy" → "Đảng ủy phường");
- "năm <year>" and "năm <year before>" move by the difference of years, except inside a cited
  document's title, where a year belongs to that document;
- agencies that no longer exist at the new date or level are replaced by their counterparts:
  the catalogue's `successor` chain, else the entry with the same name at the new level, else a
  counterpart the user gives (`--map OLD=NEW`); what has none is listed;
- legal bases that ended before the new year are dropped (or replaced by the catalogue's
  `replaced_by`); an annual document of the old year (last year's plan of the level above) is
  replaced by a placeholder for the new year's, "số …/KH-UBND ngày …", to be filled in;
- catalogue references stay references when the catalogue text, filled with the new values,
  says what the renamed old text says; where it keeps words of the old locality or level, the
  renamed wording is kept as the entry's `text:`.
The result is checked with `check_form`; its problems are part of the change list.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .build import Sources, catalog_for, check_form, check_output, write_atomically
from .catalog import Agency, Catalog, Duty, LegalBasis, TaskDef, TextEntry, TextItem
from .comments import carry, read_comments
from .errors import KhGenError, Location, Problem
from .form import Form, load_form
from .i18n import N_, _, ngettext, number
from .oldform import is_old_form, upgrade
from .spellings import LEVEL_WORDS, LEVELS
from .spellings import level as level_code
from .textrender import render_text
from .yamlsource import Node, dump_yaml, load_yaml_file

REFORM = dt.date(2025, 7, 1)  # two-level local government: no districts from this day
_UNIT_NOUNS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "tỉnh", "quận", "huyện", "xã",
               "phường")
# Words that make a unit word part of another word or name: "xã hội" (society), "hợp tác xã"
# (a cooperative), "thị xã" (a town), "tỉnh lộ" (a provincial road), "tỉnh bạn" (another
# province) … Such a word is not the issuer's level and is never renamed.
_NOT_THE_UNIT_BEFORE = {"xã": ("hợp tác", "thị")}
_NOT_THE_UNIT_AFTER = {"xã": ("hội", "viên", "giao", "luận", "tắc"),
                       "phường": ("hội", "chèo", "tuồng", "bát âm"),
                       "tỉnh": ("táo", "lộ", "bạn", "thành", "ngộ", "giấc", "thức"),
                       "quận": ("chúa", "công")}
_LEVEL_OF_UNIT = LEVEL_WORDS
_PARTY = {"quận": "Quận ủy", "huyện": "Huyện ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy",
          "tỉnh": "Tỉnh ủy"}
_PLACEHOLDER = "…"
_VARIABLES = ("year", "last_year", "locality", "unit", "parent", "subunits", "province")


class Target(NamedTuple):
    """What the plan is re-targeted to; None keeps the form's own value."""

    locality: str | None = None
    level: str | None = None
    year: int | None = None
    issuer: str | None = None
    place: str | None = None
    unit: str | None = None
    parent: str | None = None
    subunits: str | None = None
    province: str | None = None
    signer: str | None = None
    agency_map: tuple[tuple[str, str], ...] = ()


class Review(str):
    """A line of the change list that asks the clerk to look again (the other lines say what
    was changed). It is told apart by its type: its words are in the language of the run."""

    __slots__ = ()


@dataclass
class RebaseResult:
    form: Path
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def parse_map(pairs: tuple[str, ...], where: str = "--map") -> tuple[tuple[str, str], ...]:
    out = []
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise KhGenError([Problem(Location(where), _(
                "'{pair}': write OLD=NEW, e.g. 'Phòng Nội vụ=Văn phòng HĐND và UBND'").format(
                    pair=pair))])
        out.append((old.strip(), new.strip()))
    return tuple(out)


def default_output(form: Path, locality: str, year: int) -> Path:
    slug = unicodedata.normalize("NFD", locality.replace("đ", "d").replace("Đ", "D"))
    slug = "".join(c for c in slug if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-") or "plan"
    return Path(form).with_name(f"{slug}-{year}.yaml")


_HEADER = ("Dựng lại từ ", "Danh sách thay đổi", "Đọc danh sách thay đổi")  # this run's own
CHANGES_MARK = "# kh-gen rebase:"  # the first line of a change list kh-gen wrote


def changes_path(form: Path) -> Path:
    """Where the change list of a re-targeted form goes: beside it, `<form>.changes.txt`."""
    return form.with_suffix(".changes.txt")


def rebase_form(form_path: Path, target: Target, output: Path | None = None,
                sources: Sources | None = None) -> RebaseResult:
    """Write the re-targeted form, with the source's comments, and its change list beside it;
    KhGenError when the form or the target cannot be used, or when either file would replace
    one kh-gen must keep (a form without -o, a change list kh-gen did not write)."""
    form_path = Path(form_path)
    sources = sources or Sources()
    form = load_form(form_path)[0]
    root = load_yaml_file(form_path)
    tree = upgrade(root) if is_old_form(root) else root
    rebased = rebase_loaded(form_path, form, tree.plain(), target, sources)
    out = Path(output) if output is not None else default_output(
        form_path, rebased.new["locality"], rebased.new["year"])
    check_output(form_path, out, keep_existing=output is None)
    listing = changes_path(out)
    _check_changes_file(listing)
    body, notes = carry(read_comments(form_path.read_text(encoding="utf-8")), tree,
                        dump_yaml(rebased.data), str(out), drop_header=_HEADER)
    changes = [*rebased.changes, *notes]
    reviews = sum(1 for c in changes if isinstance(c, Review))
    header = (f"Dựng lại từ {form_path.name} bằng kh-gen rebase: {rebased.old['locality']} "
              f"{rebased.old['year']} → {rebased.new['locality']} {rebased.new['year']}.\n"
              f"Danh sách thay đổi ({len(changes)}, trong đó {reviews} mục cần xem lại): "
              f"{listing.name}.\n"
              f"Đọc danh sách thay đổi và điền số, ngày trước khi trình ký.")
    lines = "".join(f"# {line}\n" for line in header.splitlines())
    write_atomically(out, (lines + body).encode("utf-8"))
    result = RebaseResult(out, changes)
    try:
        checked = check_form(out, sources)
    except KhGenError as exc:
        result.problems = list(exc.problems)
    else:
        result.problems = list(checked.warnings)
    write_atomically(listing, _change_list(form_path, out, result).encode("utf-8"))
    return result


def _check_changes_file(listing: Path) -> None:
    """Refuse to replace a file at the change list's place that kh-gen did not write."""
    if not listing.exists():
        return
    try:
        with listing.open(encoding="utf-8") as stream:
            first = stream.readline()
    except (OSError, UnicodeDecodeError):
        first = ""
    if not first.startswith(CHANGES_MARK):
        raise KhGenError([Problem(Location(str(listing)), _(
            "exists and was not written by kh-gen rebase; move it away, or give -o another "
            "name"))])


def _change_list(source: Path, out: Path, result: RebaseResult) -> str:
    """The change list as a text file: what changed, what to review, what `check` found."""
    lines = [f"{CHANGES_MARK} {source.name} → {out.name}",
             "# " + _("The list of changes; the 'review:' lines need a second look from whoever "
                      "drafts the plan."), ""]
    lines += [f"- {c}" for c in result.changes if not isinstance(c, Review)]
    reviews = [c for c in result.changes if isinstance(c, Review)]
    lines += ["", _("To review ({count}):").format(count=number(len(reviews))),
              *[f"- {c}" for c in reviews]]
    lines += ["", f"kh-gen check ({number(len(result.problems))}):",
              *[f"- {p}" for p in result.problems]]
    return "\n".join(lines) + "\n"


def form_data(root: Node) -> dict[str, Any]:
    """A form's YAML as plain data, written as sections (an old form is upgraded first)."""
    return (upgrade(root) if is_old_form(root) else root).plain()


class Rebased(NamedTuple):
    """A re-targeted form as plain data, with what changed and the old and new values."""

    data: dict[str, Any]
    changes: list[str]
    old: dict[str, Any]
    new: dict[str, Any]


def rebase_loaded(form_path: Path, form: Form, data: dict[str, Any], target: Target,
                  sources: Sources) -> Rebased:
    """The re-targeting itself, for a form already read (`data` is its YAML as plain values,
    left unchanged): a batch re-targets one form for many localities."""
    rebaser = _Rebaser(form_path, data, form, catalog_for(sources.catalog_dirs), target)
    new_data = rebaser.run()
    return Rebased(new_data, rebaser.changes, rebaser.old, rebaser.new)


# -- text edits --------------------------------------------------------------------------------


@dataclass
class _Edit:
    pattern: re.Pattern[str]
    replace: Callable[[re.Match[str]], str | None]  # None: leave this match as it is
    old: str  # what it renames and into what, for the change list
    new: str
    # A text that every match contains, in lower case for a pattern of any case; None when
    # there is no such quick test
    needle: str | None
    kind: str = "rename"  # or "own-level" (the issuer's unit word), "no-counterpart"
    count: int = 0
    any_case: bool = field(init=False)  # the pattern's re.IGNORECASE, read once

    def __post_init__(self) -> None:
        self.any_case = bool(self.pattern.flags & re.IGNORECASE)

    def summary(self) -> str:
        """The change list's line for this edit: what it renamed and how many times."""
        if self.kind == "own-level":
            text = ngettext("renamed '{old}' (the issuer's own level) → '{new}': {count} time",
                            "renamed '{old}' (the issuer's own level) → '{new}': {count} times",
                            self.count)
        elif self.kind == "no-counterpart":
            text = ngettext("renamed '{old}' (no counterpart): {count} time",
                            "renamed '{old}' (no counterpart): {count} times", self.count)
        else:
            text = ngettext("renamed '{old}' → '{new}': {count} time",
                            "renamed '{old}' → '{new}': {count} times", self.count)
        return text.format(old=self.old, new=self.new, count=number(self.count))


# Characters whose cases the regular-expression engine pairs exactly as str.lower() does, one
# character for one: Latin (Vietnamese included), combining marks, digits and punctuation.
# Beyond them `re.IGNORECASE` knows further pairs (ı and i, ſ and s, µ and μ, İ, ẛ, Greek …),
# so a text with any other character gets no quick test. tests/test_rebase.py checks this.
_SIMPLE_CASE = re.compile("[\x00-\xb4\xb6-\u012f\u0132-\u017e\u0180-\u024f\u0300-\u0344"
                          "\u0346-\u036f\u1e00-\u1e9a\u1e9c-\u1eff\u2000-\u206f]*")


# Tokens in `Renamer.rename`: one character of a supplementary private-use plane (A, else B)
_TOKEN_PLANES = (0xF0000, 0x100000)
_TOKENS_PER_PLANE = 0xFFFE


class _TooManyTokens(Exception):
    """More replacements in one text than a plane has characters."""


def _in_plane(text: str, base: int) -> bool:
    return _token_pattern(base).search(text) is not None


@lru_cache(maxsize=2)
def _token_pattern(base: int) -> re.Pattern[str]:
    return re.compile(f"[{chr(base)}-{chr(base + _TOKENS_PER_PLANE - 1)}]")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _variants(old: str, new: str) -> list[tuple[str, str]]:
    """A name as written, capitalised and in capitals, each with its new counterpart."""
    pairs = [(old, new), (_cap(old), _cap(new)), (old.upper(), new.upper())]
    seen: set[str] = set()
    out = []
    for a, b in pairs:
        if a and a not in seen:
            seen.add(a)
            out.append((a, b))
    return out


def _whole_word(text: str, replace: Callable[[re.Match[str]], str | None], new: str, *,
                any_case: bool = False, kind: str = "rename") -> _Edit:
    """The edit of `text` wherever it stands as a whole word.

    The pattern means `(?<!\\w)text(?!\\w)`, written with the text first and the look-behind
    after it (`text(?<!\\wtext)`): a pattern that starts with its text lets the
    regular-expression engine look for that text directly, several times faster than trying
    the look-behind at every position.
    """
    literal = re.escape(text)
    pattern = re.compile(rf"{literal}(?<!\w{literal})(?!\w)", re.IGNORECASE if any_case else 0)
    if not any_case:
        return _Edit(pattern, replace, text, new, text, kind)
    return _Edit(pattern, replace, text, new,
                 text.lower() if _SIMPLE_CASE.fullmatch(text) else None, kind)


class _Rebaser:
    def __init__(self, path: Path, data: dict[str, Any], form: Any, catalog: Catalog,
                 target: Target):
        self.path = path
        self.data = data
        self.form = form
        self.catalog = catalog
        self.target = target
        self.changes: list[str] = []
        issuer = form.issuer
        self.old = {"year": form.year, "last_year": form.year - 1,
                    "locality": issuer.locality, "unit": issuer.unit, "parent": issuer.parent,
                    "subunits": issuer.subunits, "province": issuer.province,
                    "place": issuer.place, "level": issuer.level, "name": issuer.name}
        self.new = self._new_values()
        self.reference = dt.date(self.new["year"], 1, 1)
        self.level_changed = self.new["level"] != self.old["level"]
        self.delta = self.new["year"] - self.old["year"]
        self.flags: list[str] = []
        self.agency_swaps: dict[str, tuple[Agency | None, str]] = {}
        self.unresolved: dict[str, str] = {}
        self.mentioned: set[str] = set()
        self.edits = self._edits()

    # -- the new issuer ------------------------------------------------------------------------

    def _new_values(self) -> dict[str, Any]:
        t = self.target
        old = self.old
        year = t.year or old["year"]
        locality = " ".join((t.locality or old["locality"]).split())
        unit_word, name = _split_unit(locality)
        unit = t.unit or (unit_word.lower() if unit_word else old["unit"])
        new_level = level_code(t.level) if t.level is not None else None
        if t.level is not None and new_level is None:
            raise KhGenError([Problem(Location("--level"), _(
                "expected one of {levels}; got '{level}' (also accepted: {words})").format(
                    levels=", ".join(LEVELS), level=t.level, words=", ".join(LEVEL_WORDS)))])
        level = new_level or (_LEVEL_OF_UNIT.get(unit_word.lower()) if t.locality and unit_word
                            else old["level"]) or old["level"]
        if level == "huyen" and dt.date(year, 12, 31) >= REFORM and year >= 2026:
            raise KhGenError([Problem(Location("--level"), _(
                "districts (huyen) issue no plans from 1 July 2025; for {year} re-target to a "
                "province (--level tinh) or a commune or ward (--level xa, --locality "
                "'phường …')").format(year=year))])
        place = (t.place or name or locality) if t.locality else (t.place or old["place"])
        if t.parent is not None:
            parent = t.parent
        elif level == "tinh":
            parent = ""
        elif level == old["level"] or old["level"] != "tinh":
            parent = old["parent"]
        else:
            parent = old["unit"]
        subunits = t.subunits if t.subunits is not None else (
            old["subunits"] if level == old["level"] else "")
        province = t.province or old["province"]
        return {"year": year, "last_year": year - 1, "locality": locality, "unit": unit,
                "parent": parent, "subunits": subunits, "province": province, "place": place,
                "level": level, "name": t.issuer or old["name"]}

    # -- agencies -----------------------------------------------------------------------------

    def _valid(self, agency: Agency) -> bool:
        last = dt.date(self.new["year"], 12, 28)
        return (agency.valid_to is None or agency.valid_to >= self.reference) and \
            (agency.valid_from is None or agency.valid_from <= last)

    def _render(self, text: str, values: dict[str, Any]) -> str | None:
        try:
            return render_text(text, values, Location("catalogue"))
        except KhGenError:
            return None

    def _names(self, agency: Agency, values: dict[str, Any]) -> list[str]:
        out = []
        for text in (agency.name, *agency.short, *agency.misspellings):
            rendered = self._render(text, values)
            if rendered and rendered.strip():
                out.append(" ".join(rendered.split()))
        return out

    def _counterpart(self, agency: Agency) -> tuple[Agency | None, str] | None:
        """The agency that takes over `agency` at the new date and level: (entry, name)."""
        for old, new in self.target.agency_map:
            if old == agency.id or _fold(old) in {_fold(n) for n in self._names(agency,
                                                                                self.old)}:
                found = self.catalog.get(new)
                if isinstance(found, Agency):
                    return found, self._render(found.name, self.new) or found.name
                return None, new
        current: Agency | None = agency
        for _step in range(10):
            if current is None or current.successor is None:
                break
            nxt = self.catalog.get(current.successor)
            current = nxt if isinstance(nxt, Agency) else None
            if current is not None and self._valid(current):
                return current, self._render(current.name, self.new) or current.name
        suffix = agency.id.split(".", 2)[-1]
        same = self.catalog.get(f"agency.{self.new['level']}.{suffix}")
        if isinstance(same, Agency) and self._valid(same) and same.id != agency.id:
            return same, self._render(same.name, self.new) or same.name
        return None

    def _seen(self, agency_id: str) -> None:
        """An agency without counterpart is named: it goes on the change list."""
        self.mentioned.add(agency_id)

    def _needs_swap(self, agency: Agency) -> bool:
        if not self._valid(agency):
            return True
        return self.level_changed and agency.level == self.old["level"] and \
            agency.level != self.new["level"]

    def _agency_edits(self) -> list[_Edit]:
        edits = []
        names: list[tuple[str, Agency]] = []
        kept: set[str] = set()  # names of agencies that stay: such a name is not swapped
        for entry in self.catalog.of_kind("agency"):
            if not isinstance(entry, Agency):
                continue
            if self._needs_swap(entry):
                names.extend((name, entry) for name in self._names(entry, self.old))
            else:
                kept.update(_fold(name) for name in self._names(entry, self.old))
        names.sort(key=lambda pair: -len(pair[0]))
        seen: set[str] = set(kept)
        for name, agency in names:
            if _fold(name) in seen:
                continue
            seen.add(_fold(name))
            swap = self._counterpart(agency)
            if swap is None:
                self.unresolved.setdefault(agency.id, name)
                edits.append(_whole_word(name, lambda m, a=agency.id: self._seen(a), "",
                                         any_case=True, kind="no-counterpart"))
                continue
            self.agency_swaps[agency.id] = swap
            new_agency, new_name = swap
            if new_agency is not None and _fold(name) in {
                    _fold(n) for n in self._names(new_agency, self.new)}:
                continue  # the same name serves the counterpart too

            def replace(match: re.Match[str], new_name: str = new_name) -> str:
                first = match[0][:1]
                return (new_name[:1].lower() if first.islower() else new_name[:1]) + new_name[1:]

            edits.append(_whole_word(name, replace, new_name, any_case=True))
        for old, new in self.target.agency_map:
            if self.catalog.get(old) is None and _fold(old) not in seen:
                found = self.catalog.get(new)
                new_name = self._render(found.name, self.new) if isinstance(found, Agency) \
                    else new
                edits.append(_whole_word(old, lambda m, n=new_name: n, new_name or "",
                                         any_case=True))
        return edits

    # -- all text edits, in the order they apply -------------------------------------------------

    def _edits(self) -> list[_Edit]:
        old, new = self.old, self.new
        edits = self._agency_edits()
        old_unit = old["unit"].lower()
        new_unit = new["unit"].lower()
        if old_unit != new_unit or self.level_changed:
            party_old = _PARTY.get(old_unit) if old["level"] != "xa" else None
            if party_old:
                if new["level"] == "xa":
                    party_new = f"Đảng ủy {new_unit}"
                else:
                    party_new = _PARTY.get(new_unit, f"{_cap(new_unit)} ủy")
                if party_old != party_new:
                    edits.append(_whole_word(party_old, lambda m, p=party_new: p, party_new))
            elif old["level"] == "xa":
                party_new = f"Đảng ủy {new_unit}" if new["level"] == "xa" else \
                    _PARTY.get(new_unit, f"{_cap(new_unit)} ủy")
                edits.append(_whole_word(f"Đảng ủy {old_unit}", lambda m, p=party_new: p,
                                         party_new))
        for key in ("locality", "province", "place"):
            if old[key] and new[key] and old[key] != new[key]:
                if key == "place" and old["place"] in (old["locality"], old["province"]):
                    continue
                for a, b in _variants(old[key], new[key]):
                    edits.append(_whole_word(a, lambda m, b=b: b, b))
        if old_unit != new_unit:
            for a in dict.fromkeys((old_unit, _cap(old_unit))):
                edits.append(_whole_word(a, lambda m, b=new_unit: _own_unit(m, b), new_unit,
                                         kind="own-level"))
        if self.delta:
            for year in (old["year"], old["year"] - 1):
                pattern = re.compile(rf"(?<!tháng )(?<![\d/])\b([Nn]ăm)\s+{year}\b(?![/\d])")
                edits.append(_Edit(pattern, lambda m, y=year: f"{m[1]} {y + self.delta}",
                                   f"năm {year}", f"năm {year + self.delta}", str(year)))
        return edits

    def rename(self, text: str, where: str, *, in_citations: bool = False) -> str:
        """`text` with every edit applied once (edits never see each other's output).

        Each citation and each replacement is held out of the text as a one-character token
        until the end: a character of a private-use plane the text does not use (so no
        text, NUL or private characters included, can be taken for a token or break one,
        and no word pattern matches inside one). A text that uses both planes is returned
        unchanged, as is one needing more tokens than a plane holds."""
        if not isinstance(text, str) or not text:
            return text
        base = next((b for b in _TOKEN_PLANES if not _in_plane(text, b)), None)
        if base is None:
            return text
        tokens: list[str] = []

        def protect(value: str) -> str:
            if len(tokens) >= _TOKENS_PER_PLANE:
                raise _TooManyTokens
            tokens.append(value)
            return chr(base + len(tokens) - 1)

        out = text
        try:
            if not in_citations:
                out = _CITATION.sub(lambda m: protect(self._cited(m[0], where)), out)
            for edit in self._possible_edits(text):
                def apply(match: re.Match[str], edit: _Edit = edit) -> str:
                    replaced = edit.replace(match)
                    if replaced is None:
                        return match[0]
                    edit.count += 1
                    return protect(replaced)

                out = edit.pattern.sub(apply, out)
        except _TooManyTokens:
            return text
        out = _token_pattern(base).sub(lambda m: tokens[ord(m[0]) - base], out)
        self._flag_text(text, where)
        self._flag_misfits(out, where)
        return out

    def _cited(self, citation: str, where: str) -> str:
        """A document cited in running text, as the new plan cites it: kept as written,
        except a local body's document of the old year (its plan, its decision for that
        year), which the new year has its own of: a placeholder for that one, whose number
        and date the clerk fills in, as for a legal basis of the old year."""
        if not self.delta:
            return citation
        from .importing import citations

        parsed = citations.parse(citation)
        if parsed is None or parsed.date is None or \
                parsed.date.year not in (self.old["year"], self.old["year"] - 1) or \
                not _LOCAL_ISSUER.match(parsed.issuer):
            return citation
        placeholder = self._placeholder(parsed.type, parsed.number, parsed.issuer,
                                        parsed.summary)
        self.changes.append(_(
            "{where}: '{citation}…' was a local document of {old_year}; replaced by a "
            "placeholder for {year}'s: fill in its number and date").format(
                where=where, citation=citation[:50], old_year=parsed.date.year,
                year=self.new["year"]))
        return placeholder

    def _possible_edits(self, text: str) -> list[_Edit]:
        """The edits that may match `text`: those whose needle it holds (most edits find
        nothing in most texts, and the test is several times cheaper than a search). Edits
        replace with tokens, so every match of a later edit lies in the text as it is here.
        A needle of any case is looked for in the lower case of a text made of _SIMPLE_CASE
        characters; in any other text such an edit is always tried."""
        if _SIMPLE_CASE.fullmatch(text):
            lowered = text.lower()
            return [e for e in self.edits
                    if e.needle is None or e.needle in (lowered if e.any_case else text)]
        return [e for e in self.edits if e.needle is None or e.any_case or e.needle in text]

    def _flag_text(self, text: str, where: str) -> None:
        if self.delta:
            for match in re.finditer(r"số\s+\d+/[\w-]+[^;.]{0,60}?ngày\s+\d{1,2}/\d{1,2}/(\d{4})",
                                     text):
                if int(match[1]) in (self.old["year"], self.old["year"] - 1):
                    self.flags.append(_(
                        "{where}: cites '{citation}…', a document of {old_year}: check it "
                        "still applies in {year}, or cite this year's").format(
                            where=where, citation=match[0][:50], old_year=match[1],
                            year=self.new["year"]))
        if self.level_changed and self.old["subunits"] and self.old["subunits"] in text:
            self.flags.append(_(
                "{where}: names '{subunits}', the units below the old issuer; check them for "
                "{locality}").format(where=where, subunits=self.old["subunits"],
                                     locality=self.new["locality"]))

    def _flag_misfits(self, text: str, where: str) -> None:
        """Flag words the new issuer's level does not have: units below that it has not
        ("các ấp" in a ward, "các xã, phường" in a commune), and the district level and the
        thị trấn in a plan after the reform of 1 July 2025. Cited documents are left out:
        their words are the cited issuer's."""
        lowered = text.lower()
        plain = None
        for pattern, message in _misfit_rules(self.new["level"], self.new["unit"],
                                              self.reference):
            if not any(word in lowered for word in _NEEDLES[pattern]):
                continue  # most texts name no unit at all: no search
            if plain is None:
                plain = _CITATION.sub("", text)
            for match in pattern.finditer(plain):
                if self.level_changed and match[0].lower() in \
                        (self.old["subunits"] or "\x00").lower():
                    continue  # listed already as the old issuer's units
                self.flags.append(_(message).format(where=where, words=match[0],
                                                    unit=self.new["unit"],
                                                    locality=self.new["locality"]))

    # -- the walk over the form ---------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        data = self.data
        old, new = self.old, self.new
        out: dict[str, Any] = {}
        for key, value in data.items():
            out[key] = value
        out["year"] = new["year"]
        if "number" in out:
            self.changes.append(_("number: {number} cleared (a new plan gets its own)").format(
                number=out.pop("number")))
        if "date" in out:
            self.changes.append(_("date: {date} cleared (a draft until signed)").format(
                date=out.pop("date")))
        if old["year"] != new["year"]:
            self.changes.append(f"year: {old['year']} → {new['year']}")
        out["issuer"] = self._issuer(dict(data.get("issuer") or {}))
        if "title" in out:
            title = out["title"]
            out["title"] = [self.rename(t, "title") for t in title] if isinstance(title, list) \
                else self.rename(title, "title")
        if isinstance(out.get("opening"), dict):
            out["opening"] = self._preamble(dict(out["opening"]))
        if isinstance(out.get("sections"), list):
            out["sections"] = [self._section(s, f"sections[{i}]")
                               for i, s in enumerate(out["sections"], 1)]
        if isinstance(out.get("appendices"), list):
            out["appendices"] = [self._appendix(a, f"appendices[{i}]")
                                 for i, a in enumerate(out["appendices"], 1)]
        if isinstance(out.get("footnotes"), dict):
            out["footnotes"] = {k: self.rename(v, f"footnotes.{k}")
                                for k, v in out["footnotes"].items()}
        if "closing" in out:
            out["closing"] = self._entry(out["closing"], "closing")
        if isinstance(out.get("recipients"), list):
            out["recipients"] = self._recipients(out["recipients"])
        out["signer"] = self._signer(dict(data.get("signer") or {}))
        self._summary()
        return _ordered(out)

    def _issuer(self, issuer: dict[str, Any]) -> dict[str, Any]:
        old, new = self.old, self.new
        for key in ("locality", "unit", "place", "level", "parent", "subunits", "province"):
            before = issuer.get(key, "") or ""
            after = new[key]
            if key == "level" and isinstance(before, str) and level_code(before) == after:
                continue  # the same level in the clerk's spelling (`xã` for xa) stays
            if before != after:
                if after:
                    issuer[key] = after
                else:
                    issuer.pop(key, None)
                self.changes.append(f"issuer.{key}: '{before}' → '{after}'" if after else
                                    _("issuer.{key}: '{before}' removed (none at level "
                                      "{level})").format(key=key, before=before,
                                                         level=new["level"]))
        if new["name"] != old["name"]:
            issuer["name"] = new["name"]
            self.changes.append(f"issuer.name: '{old['name']}' → '{new['name']}'")
        if "governing_body" in issuer:
            issuer["governing_body"] = self.rename(issuer["governing_body"],
                                                   "issuer.governing_body")
        order = ("name", "locality", "level", "unit", "place", "parent", "subunits",
                 "province", "governing_body", "code", "collective")
        return {k: issuer[k] for k in order if k in issuer} | \
            {k: v for k, v in issuer.items() if k not in order}

    # -- references: keep them when the catalogue still says it -----------------------------------

    def _marked(self, template: str, where: str) -> str | None:
        """What the plan said with this catalogue text, renamed for the new target: the text
        filled with the old values (the new years), then every edit applied. Compared with the
        text filled with the new values, it tells whether the catalogue still says it."""
        markers = {name: f"\x01{name}\x01" for name in _VARIABLES}
        rendered = self._render(template, markers)
        if rendered is None:
            old = self._render(template, {**self.old, "year": self.old["year"]})
            return self.rename(old, where) if old is not None else None
        pieces = re.split(r"\x01(\w+)\x01", rendered)
        years: list[str] = []
        out = []
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                out.append(piece)
            elif piece in ("year", "last_year"):
                years.append(str(self.new[piece]))
                out.append(f"\x02{len(years) - 1}\x02")
            else:
                out.append(str(self.old.get(piece, "")))
        renamed = self.rename("".join(out), where)
        return re.sub(r"\x02(\d+)\x02", lambda m: years[int(m[1])], renamed)

    def _entry(self, entry: Any, where: str) -> Any:
        if isinstance(entry, str):
            return self.rename(entry, where)
        if not isinstance(entry, dict):
            return entry
        entry = dict(entry)
        ref = entry.get("ref")
        found = self.catalog.get(ref) if isinstance(ref, str) else None
        if "text" in entry:
            entry["text"] = self.rename(entry["text"], where)
        elif isinstance(found, TextEntry | Duty):
            wanted = self._marked(found.text, where)
            plain = self._render(found.text, self.new)
            if wanted is not None and plain is not None and _squash(wanted) != _squash(plain):
                entry["text"] = wanted
                self.changes.append(_("{where}: {ref} keeps the plan's wording for {locality} "
                                      "as its text").format(where=where, ref=ref,
                                                            locality=self.new["locality"]))
        if isinstance(found, TextEntry | Duty) and found.items:
            items_old = [self._item(i, where) for i in found.items]
            items_new = [self._item_plain(i) for i in found.items]
            if items_old != items_new:
                text = entry.get("text") or self._marked(found.text, where) or found.text
                extra = entry.get("items") or []
                entry = {"text": text, "items": [*items_old, *extra]}
                self.changes.append(_("{where}: {ref} written out as text (its sub-items name "
                                      "the old locality or level)").format(where=where,
                                                                           ref=ref))
        if isinstance(entry.get("items"), list):
            entry["items"] = [self._entry(e, f"{where}.items[{i}]")
                              for i, e in enumerate(entry["items"], 1)]
        return entry

    def _item(self, item: TextItem, where: str) -> Any:
        text = self._marked(item.text, where) or item.text
        if item.items:
            return {"text": text, "items": [self._item(i, where) for i in item.items]}
        return text

    def _item_plain(self, item: TextItem) -> Any:
        text = self._render(item.text, self.new) or item.text
        if item.items:
            return {"text": text, "items": [self._item_plain(i) for i in item.items]}
        return text

    # -- sections and appendices ------------------------------------------------------------

    def _section(self, section: Any, where: str) -> Any:
        if not isinstance(section, dict):
            return section
        section = dict(section)
        if isinstance(section.get("heading"), str):
            section["heading"] = self.rename(section["heading"], f"{where}.heading")
        if isinstance(section.get("items"), list):
            section["items"] = [self._block(b, f"{where}.items[{i}]")
                                for i, b in enumerate(section["items"], 1)]
        return section

    def _block(self, block: Any, where: str) -> Any:
        """One item of a section, re-targeted as what it is."""
        if not isinstance(block, dict):
            return self._entry(block, where)
        kind = block["ref"].split(".", 1)[0] if isinstance(block.get("ref"), str) else None
        if "heading" in block or ("part" in block and "items" in block):
            return self._section(block, where)
        if "agency" in block or "duties" in block or kind == "agency":
            return self._agency(block, where)
        if "task" in block or kind == "task" or block.keys() & {"lead", "support", "subtasks"}:
            return self._task(block, where)
        if isinstance(block.get("table"), dict):
            return {**block, "table": self._table(block["table"], f"{where}.table")}
        return self._entry(block, where)

    def _table(self, table: dict[str, Any], where: str) -> dict[str, Any]:
        def cell(value: Any) -> Any:
            if isinstance(value, list):
                return [cell(v) for v in value]
            if isinstance(value, dict):
                return {k: cell(v) for k, v in value.items()}
            return self.rename(value, where) if isinstance(value, str) else value

        return {k: cell(v) for k, v in table.items()}

    def _tasks_list(self, tasks: list[Any], where: str) -> list[Any]:
        out = []
        for index, task in enumerate(tasks, 1):
            here = f"{where}[{index}]"
            if isinstance(task, dict) and "group" in task:
                group = dict(task)
                group["group"] = self.rename(group["group"], f"{here}.group")
                if isinstance(group.get("tasks"), list):
                    group["tasks"] = self._tasks_list(group["tasks"], f"{here}.tasks")
                out.append(group)
            else:
                out.append(self._task(task, here))
        return out

    def _appendix(self, appendix: Any, where: str) -> Any:
        if not isinstance(appendix, dict):
            return appendix
        appendix = dict(appendix)
        for key in ("heading", "title", "subtitle", "reference"):
            if isinstance(appendix.get(key), str):
                appendix[key] = self.rename(appendix[key], f"{where}.{key}")
        if isinstance(appendix.get("columns"), list):
            appendix["columns"] = [{**c, "title": self.rename(c["title"], f"{where}.columns")}
                                   if isinstance(c, dict) and isinstance(c.get("title"), str)
                                   else c for c in appendix["columns"]]
        if isinstance(appendix.get("tasks"), list):
            appendix["tasks"] = self._tasks_list(appendix["tasks"], f"{where}.tasks")
        if isinstance(appendix.get("table"), dict):
            appendix["table"] = self._table(appendix["table"], f"{where}.table")
        if isinstance(appendix.get("sections"), list):
            appendix["sections"] = [self._section(s, f"{where}.sections[{i}]")
                                    for i, s in enumerate(appendix["sections"], 1)]
        return appendix

    # -- parts --------------------------------------------------------------------------------

    def _preamble(self, preamble: dict[str, Any]) -> dict[str, Any]:
        bases = []
        for index, basis in enumerate(preamble.get("bases") or [], 1):
            where = f"opening.bases[{index}]"
            kept = self._basis(basis, where)
            if kept is not None:
                bases.append(kept)
        preamble["bases"] = bases
        if not bases:
            self.flags.append(_("opening: no legal basis is left; add the documents this plan "
                                "rests on"))
        if preamble.get("enacting"):
            preamble["enacting"] = self.rename(preamble["enacting"], "opening.enacting")
        return preamble

    def _basis(self, basis: Any, where: str) -> Any:
        year = self.new["year"]
        found: LegalBasis | None = None
        text = basis if isinstance(basis, str) else basis.get("text") if isinstance(
            basis, dict) else None
        if isinstance(basis, dict) and isinstance(basis.get("ref"), str):
            entry = self.catalog.get(basis["ref"])
            found = entry if isinstance(entry, LegalBasis) else None
        elif isinstance(text, str):
            found = self._basis_in_catalogue(text)
        if found is not None:
            annual = found.valid_from is not None and found.valid_to is not None and \
                found.valid_from.year == found.valid_to.year == self.old["year"]
            if annual and self.delta:
                placeholder = self._placeholder(found.type, found.number,
                                                self._render(found.issuer, self.old) or "",
                                                self._render(found.summary, self.old) or "")
                self.changes.append(_(
                    "{where}: {type} số {number} was for {old_year}; replaced by a placeholder "
                    "for {year}'s: fill in its number and date").format(
                        where=where, type=found.type, number=found.number,
                        old_year=self.old["year"], year=year))
                return placeholder
            if found.valid_to and found.valid_to.year < year:
                new = self.catalog.get(found.replaced_by) if found.replaced_by else None
                if isinstance(new, LegalBasis):
                    self.changes.append(_(
                        "{where}: {type} số {number} (valid until {until}) replaced by "
                        "{new_type} số {new_number} (ref: {ref})").format(
                            where=where, type=found.type, number=found.number,
                            until=f"{found.valid_to:%d/%m/%Y}", new_type=new.type,
                            new_number=new.number, ref=new.id))
                    return {"ref": new.id}
                self.changes.append(_(
                    "{where}: dropped {type} số {number}: valid until {until}, before "
                    "{year}").format(where=where, type=found.type, number=found.number,
                                     until=f"{found.valid_to:%d/%m/%Y}", year=year))
                return None
            if found.valid_from and found.valid_from.year > year:
                self.changes.append(_(
                    "{where}: dropped {type} số {number}: valid only from {since}").format(
                        where=where, type=found.type, number=found.number,
                        since=f"{found.valid_from:%d/%m/%Y}"))
                return None
        if isinstance(text, str):
            from .importing import citations

            parsed = citations.parse(text)
            if found is None and parsed is not None and parsed.date is not None and \
                    parsed.date.year in (self.old["year"], self.old["year"] - 1) and \
                    re.search(rf"năm {self.old['year']}\b", text) and self.delta:
                self.changes.append(_(
                    "{where}: '{citation}…' was for {old_year}; replaced by a placeholder for "
                    "{year}'s: fill in its number and date").format(
                        where=where, citation=text[:50], old_year=self.old["year"],
                        year=year))
                return self._placeholder(parsed.type, parsed.number, parsed.issuer,
                                         parsed.summary)
            renamed = self.rename(text, where)
            if isinstance(basis, dict):
                return {**basis, "text": renamed}
            return renamed
        return basis

    def _basis_in_catalogue(self, text: str) -> LegalBasis | None:
        from .importing import citations

        parsed = citations.parse(text)
        if parsed is None or not parsed.number:
            return None
        for entry in self.catalog.of_kind("basis"):
            if isinstance(entry, LegalBasis) and _fold(entry.type) == _fold(parsed.type) and \
                    citations.normal_number(entry.number) == citations.normal_number(
                        parsed.number) and (parsed.date is None or entry.date is None or
                                            parsed.date == entry.date):
                return entry
        return None

    def _placeholder(self, kind: str, number: str, issuer: str, summary: str) -> str:
        code = number.split("/", 1)[1] if "/" in number else number
        summary = self.rename(summary, _("placeholder"), in_citations=True)
        issuer = self.rename(issuer, _("placeholder"), in_citations=True)
        return (f"{kind} số {_PLACEHOLDER}/{code} ngày {_PLACEHOLDER} của {issuer} {summary}"
                ).strip()

    def _task(self, task: Any, where: str) -> Any:
        if not isinstance(task, dict):
            return task
        task = dict(task)
        found = self.catalog.get(task["ref"]) if isinstance(task.get("ref"), str) else None
        for name in ("task", "name", "time", "notes", "content", "product", "monitor"):
            if name in task:
                task[name] = self.rename(task[name], f"{where}.{name}")
            elif isinstance(found, TaskDef):
                template = getattr(found, "name" if name == "task" else name, "")
                if template:
                    wanted = self._marked(template, f"{where}.{name}")
                    if wanted is not None and _squash(wanted) != _squash(
                            self._render(template, self.new) or ""):
                        task[name] = wanted
        for name in ("lead", "support", "items"):
            if name in task:
                value = task[name]
                if isinstance(value, list):
                    task[name] = [self._entry(v, f"{where}.{name}") if name == "items" else
                                  self.rename(v, f"{where}.{name}") for v in value]
                else:
                    task[name] = self.rename(value, f"{where}.{name}")
            elif isinstance(found, TaskDef) and getattr(found, name):
                values = getattr(found, name)
                wanted = [self._marked(v, f"{where}.{name}") or v for v in values]
                plain = [self._render(v, self.new) or v for v in values]
                if [_squash(v) for v in wanted] != [_squash(v) for v in plain]:
                    task[name] = wanted[0] if len(wanted) == 1 and name != "items" else wanted
        if isinstance(task.get("subtasks"), list):
            task["subtasks"] = [self._task(s, f"{where}.subtasks[{i}]")
                                for i, s in enumerate(task["subtasks"], 1)]
        return _ordered_task(task)

    def _agency(self, entry: Any, where: str) -> Any:
        if not isinstance(entry, dict):
            return entry
        entry = dict(entry)
        ref = entry.get("ref")
        found = self.catalog.get(ref) if isinstance(ref, str) else None
        if isinstance(found, Agency) and self._needs_swap(found):
            swap = self.agency_swaps.get(found.id) or self._counterpart(found)
            old_name = self._render(found.name, self.old) or found.name
            if swap is None:
                self.unresolved.setdefault(found.id, old_name)
                self.mentioned.add(found.id)
            else:
                new_agency, new_name = swap
                if "duties" not in entry:
                    entry["duties"] = [{"ref": d.id} for d in
                                       self.catalog.duties_of(found.id, self.form.kind)]
                if "request" not in entry:
                    entry["request"] = found.request
                if new_agency is not None:
                    entry["ref"] = new_agency.id
                    if entry["request"] == new_agency.request:
                        entry.pop("request")
                else:
                    entry.pop("ref")
                    entry = {"agency": new_name, **entry}
                    if not entry.get("request"):
                        entry.pop("request", None)
                if new_agency is not None:
                    self.changes.append(f"{where}: '{old_name}' → '{new_name}' (ref: "
                                        f"{new_agency.id})")
                else:
                    self.changes.append(_("{where}: '{old}' → '{new}' (as given)").format(
                        where=where, old=old_name, new=new_name))
        if "agency" in entry:
            entry["agency"] = self.rename(entry["agency"], f"{where}.agency")
        if isinstance(entry.get("duties"), list):
            entry["duties"] = [self._entry(d, f"{where}.duties[{i}]")
                               for i, d in enumerate(entry["duties"], 1)]
        elif "duties" not in entry and isinstance(found, Agency):
            # The catalogue's duties apply; written out only if one of them must change.
            default = [{"ref": d.id} for d in self.catalog.duties_of(found.id, self.form.kind)]
            duties = [self._entry(d, f"{where}.duties[{i}]") for i, d in enumerate(default, 1)]
            if duties != default:
                entry["duties"] = duties
        order = ("ref", "agency", "request", "duties")
        return {k: entry[k] for k in order if k in entry}

    def _recipients(self, recipients: list[Any]) -> list[Any]:
        out = []
        for index, entry in enumerate(recipients, 1):
            if isinstance(entry, dict) and "archive" in entry:
                if self.level_changed:  # the units that keep the file are not the same
                    self.flags.append(_(
                        "recipients: 'Lưu: {archive}' names the old units that keep the file; "
                        "check the codes").format(archive=entry["archive"]))
                out.append(entry)
                continue
            out.append(self._entry(entry, f"recipients[{index}]"))
        return out

    def _signer(self, signer: dict[str, Any]) -> dict[str, Any]:
        if self.target.signer:
            self.changes.append(f"signer.name: '{signer.get('name')}' → "
                                f"'{self.target.signer}'")
            signer["name"] = self.target.signer
        elif self.old["locality"] != self.new["locality"]:
            self.flags.append(_(
                "signer: '{name}' signed for {old_locality}; write who signs for "
                "{locality} (--signer)").format(name=signer.get("name"),
                                                old_locality=self.old["locality"],
                                                locality=self.new["locality"]))
        return signer

    def _summary(self) -> None:
        for edit in self.edits:
            if edit.count:
                self.changes.append(edit.summary())
        for agency_id, name in sorted(self.unresolved.items()):
            if agency_id not in self.mentioned:
                continue
            entry = self.catalog.get(agency_id)
            values = {"name": name, "id": agency_id, "old_level": self.old["level"],
                      "level": self.new["level"], "year": self.new["year"]}
            if isinstance(entry, Agency) and not self._valid(entry):
                self.changes.append(_(
                    "no counterpart for '{name}' ({id}, ceased) at level {level} in {year}: "
                    "give --map '{name}=<new name>'").format(**values))
            else:
                self.changes.append(_(
                    "no counterpart for '{name}' ({id}, is a {old_level} body) at level "
                    "{level} in {year}: give --map '{name}=<new name>'").format(**values))
        for flag in dict.fromkeys(self.flags):
            self.changes.append(Review(_("review: {item}").format(item=flag)))


# -- helpers ------------------------------------------------------------------------------------


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


_DISTRICT_WORDS = _words(r"(?:các )?quận, huyện(?:, thị xã)?|(?:các )?huyện, thị xã|cấp huyện|"
                         r"(?:Huyện|Quận|Thị) ủy|các (?:quận|huyện)")
_TOWNSHIP = _words(r"thị trấn")
_HAMLETS = _words(r"(?:các )?(?:thôn|ấp)(?:, (?:thôn|ấp|buôn|bản))*|các (?:buôn|bản|phum|sóc)")
_COMMUNES_BELOW = _words(r"các (?:xã|phường|đặc khu)(?:, (?:xã|phường|thị trấn|đặc khu))*|"
                         r"xã, phường(?:, (?:thị trấn|đặc khu))?")


# Words every match of each pattern holds (in lower case), to skip texts that hold none.
_NEEDLES = {_DISTRICT_WORDS: ("quận", "huyện", "thị ủy"), _TOWNSHIP: ("thị trấn",),
            _HAMLETS: ("thôn", "ấp", "buôn", "bản", "phum", "sóc"),
            _COMMUNES_BELOW: ("xã", "phường", "đặc khu")}


def _misfit_rules(level: str, unit: str, day: dt.date) -> list[tuple[re.Pattern[str], str]]:
    """The words that do not fit an issuer of this level and unit on this day, each with the
    review item that says why (a message to translate, filled with `where`, the `words`
    found, the issuer's `unit` and the new `locality`)."""
    rules: list[tuple[re.Pattern[str], str]] = []
    if day >= REFORM:
        rules += [(_DISTRICT_WORDS, N_("{where}: '{words}' names the district level, abolished "
                                       "on 01/7/2025; check it for {locality}")),
                  (_TOWNSHIP, N_("{where}: '{words}' names a thị trấn; there are none since "
                                 "01/7/2025; check it for {locality}"))]
    if level == "xa":
        rules.append((_COMMUNES_BELOW, N_("{where}: '{words}' names communes or wards below "
                                          "the issuer; a {unit} has none; check it for "
                                          "{locality}")))
        if unit == "phường":
            rules.append((_HAMLETS, N_("{where}: '{words}' names hamlets or villages, which a "
                                       "ward does not have (its units are tổ dân phố, khu "
                                       "phố); check it for {locality}")))
    return rules


def _split_unit(locality: str) -> tuple[str, str]:
    folded = locality.casefold()
    for noun in _UNIT_NOUNS:
        if folded.startswith(noun + " "):
            return locality[:len(noun)], locality[len(noun) + 1:].strip()
    return "", locality


def _own_unit(match: re.Match[str], new: str) -> str | None:
    """The issuer's unit word standing alone ("Ủy ban nhân dân quận", "trên địa bàn quận"),
    not one naming a place ("quận Dương Kinh"), several units ("các quận", "quận, huyện"), a
    Party committee ("Quận ủy") or part of another word ("xã hội", "hợp tác xã")."""
    text = match.string
    before = text[max(0, match.start() - 12):match.start()]
    after = text[match.end():match.end() + 30]
    if before.lower().endswith("các "):
        return None
    unit = match[0].lower()
    if _NOT_THE_UNIT_BEFORE.get(unit) and re.search(
            r"(?<!\w)(?:" + "|".join(_NOT_THE_UNIT_BEFORE[unit]) + r")\s+$", before,
            re.IGNORECASE):
        return None
    if _NOT_THE_UNIT_AFTER.get(unit) and re.match(
            r"\s+(?:" + "|".join(_NOT_THE_UNIT_AFTER[unit]) + r")(?!\w)", after, re.IGNORECASE):
        return None
    if re.match(r"\s*(?:,|và)\s*(?:" + "|".join(_UNIT_NOUNS) + r")(?!\w)", after,
                re.IGNORECASE):
        return None
    nxt = re.match(r"\s+(\S)", after)
    if nxt and (nxt[1].isupper() or nxt[1].isdigit()):
        return None
    if re.match(r"\s+ủy(?!\w)", after):
        return None
    return new if match[0][:1].islower() else _cap(new)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _squash(text: str) -> str:
    return " ".join(text.split())


# A document cited in running text, up to the end of its clause: its words name that document
# (its issuer, its year) and are never renamed.
_CITATION = re.compile(r"(?:Luật|Nghị quyết|Nghị định|Quyết định|Chỉ thị|Thông tư|Kế hoạch|Kết "
                       r"luận|Chương trình hành động|Chương trình|Công văn|Hướng dẫn|Thông báo|"
                       r"Đề án|Văn bản|Quy định)\s+số\s+\d+[^\s;,]*[^;.]*")


# The issuers of a locality's own documents: a People's Committee or Council, their office.
_LOCAL_ISSUER = re.compile(r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|HĐND|"
                           r"Chủ tịch Ủy ban nhân dân|Văn phòng)\b", re.IGNORECASE)


_TOP = ("kind", "year", "issuer", "number", "date", "title", "opening", "sections", "closing",
        "recipients", "signer", "appendices", "footnotes")


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in _TOP if k in data} | {k: v for k, v in data.items()
                                                     if k not in _TOP}


def _ordered_task(task: dict[str, Any]) -> dict[str, Any]:
    order = ("ref", "task", "name", "items", "lead", "support", "time", "product", "notes",
             "monitor", "content", "subtasks", "rows")
    return {k: task[k] for k in order if k in task} | {k: v for k, v in task.items()
                                                      if k not in order}
