"""Plan kinds: each a folder `templates/<kind>/` whose `kind.yaml` says what such a plan is.

A kind's definition is data: its name, the title pattern, the parts it requires, the wording
kh-gen writes around the clerk's text (the enacting sentence, "Đề nghị", the inline task lines,
the appendix reference and column titles) and the starting form `kh-gen new` writes (the
default sections with their headings, parts and candidate catalogue entries). A kind may name a
`base` kind and give only what differs. A province adds its own kind as a folder in a
`--templates` folder; nothing in the code knows any kind by name but the default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from .errors import KhGenError, Location, Problem
from .i18n import _
from .yamlsource import load_yaml_file

KIND_FILE = "kind.yaml"
_KEYS = ("name", "base", "title", "requires", "wording", "columns", "appendix_title",
         "opening", "sections", "appendices", "closing", "recipients", "signer", "issuer",
         "description", "abbreviations", "archive")
_MAX_BASES = 8


class Kind(NamedTuple):
    id: str
    name: str
    template: str  # the plan template, "<kind>/plan.j2" of this kind or of its nearest base
    requires: tuple[str, ...] = ()
    wording: Mapping[str, str] = MappingProxyType({})
    columns: tuple[tuple[str, str], ...] = ()  # the default appendix columns: (field, title)
    column_titles: Mapping[str, str] = MappingProxyType({})
    appendix_title: str = ""
    title: str = ""
    description: str = ""
    starter: Mapping[str, Any] = MappingProxyType({})  # the rest, for `kh-gen new`


def kind_names(folders: Sequence[Path]) -> list[str]:
    """Every kind found in the folders, in name order."""
    names = set()
    for folder in folders:
        if folder.is_dir():
            names.update(p.parent.name for p in folder.glob(f"*/{KIND_FILE}"))
    return sorted(names)


def load_kind(kind: str, folders: Sequence[Path], where: Location | None = None) -> Kind:
    """The kind's definition, with its bases' filled in; KhGenError when there is none."""
    chain: list[tuple[str, dict[str, Any], Path]] = []
    name: str | None = kind
    while name is not None:
        if len(chain) >= _MAX_BASES or any(name == c[0] for c in chain):
            raise KhGenError([Problem(where or Location(name), _(
                "plan kind '{kind}': its bases loop or go deeper than {count}").format(
                    kind=kind, count=_MAX_BASES))])
        found = _find(name, folders)
        if found is None:
            known = ", ".join(kind_names(folders)) or _("none")
            raise KhGenError([Problem(where or Location(name),
                                      _("unknown plan kind '{kind}'; the kinds are: {known}")
                                      .format(kind=name, known=known))])
        data = _read(found)
        chain.append((name, data, found.parent))
        base = data.get("base")
        name = base if isinstance(base, str) and base else None
    merged: dict[str, Any] = {}
    wording: dict[str, str] = {}
    titles: dict[str, str] = {}
    template = ""
    for name, data, folder in reversed(chain):  # the base first, the kind itself last
        merged.update({k: v for k, v in data.items() if k not in ("wording", "base")})
        wording.update({str(k): str(v) for k, v in (data.get("wording") or {}).items()})
        titles.update({str(k): str(v) for k, v in
                       ((data.get("wording") or {}).get("columns") or {}).items()}
                      if isinstance((data.get("wording") or {}).get("columns"), dict) else {})
        if (folder / "plan.j2").is_file():
            template = f"{name}/plan.j2"
    wording.pop("columns", None)
    columns = tuple((str(c), titles.get(str(c), str(c))) for c in merged.get("columns") or ())
    return Kind(
        id=kind, name=str(merged.get("name") or kind), template=template,
        requires=tuple(str(p) for p in merged.get("requires") or ()),
        wording=MappingProxyType(wording), columns=columns,
        column_titles=MappingProxyType(titles),
        appendix_title=str(merged.get("appendix_title") or ""),
        title=str(merged.get("title") or ""), description=str(merged.get("description") or ""),
        starter=MappingProxyType({k: v for k, v in merged.items()
                                  if k in ("opening", "sections", "appendices", "closing",
                                           "recipients", "signer", "issuer",
                                           "abbreviations", "archive")}))


def _find(kind: str, folders: Sequence[Path]) -> Path | None:
    if not kind or "/" in kind or "\\" in kind or kind.startswith("."):
        return None
    for folder in folders:
        path = folder / kind / KIND_FILE
        if path.is_file():
            return path
    return None


def _read(path: Path) -> dict[str, Any]:
    root = load_yaml_file(path)
    if not root.is_mapping:
        raise KhGenError([Problem(root.location, _("a kind definition is a mapping of keys"))])
    unknown = [k for k in root.key_locations if k not in _KEYS]
    if unknown:
        raise KhGenError([Problem(root.key_locations[k], _(
            "unknown key '{key}' in a kind definition; known keys: {keys}").format(
                key=k, keys=", ".join(_KEYS))) for k in unknown])
    return root.plain()
