"""Forms written before the body became sections, read as the sections they always meant.

The first forms had fixed parts (`objectives`, `requirements`, `contents`, `forms`, `tasks`,
`funding`, `implementation`), a `preamble`, `headings` and a `layout` that chose list styles,
the order of five parts and whether tasks went to an appendix. `upgrade` turns such a form's
YAML into the section form the communication-plan template used to write, value for value and
with every value's position kept, so an old form builds the same plan and its mistakes are
still reported at the clerk's own line. `kh-gen upgrade` writes the result out.
"""

from __future__ import annotations

from .errors import Location
from .yamlsource import Node

OLD_KEYS = frozenset(("preamble", "objectives", "requirements", "contents", "forms", "tasks",
                      "funding", "implementation", "layout", "headings", "audience"))
OLD_KIND = "tuyen-truyen-cchc"
_ORDER = ("purpose", "contents", "tasks", "funding", "implementation")
_HEADINGS = {
    "purpose": "Mục đích, yêu cầu", "objectives": "Mục đích", "requirements": "Yêu cầu",
    "audience": "Đối tượng tuyên truyền", "contents": "Nội dung, hình thức tuyên truyền",
    "content_items": "Nội dung tuyên truyền", "forms": "Hình thức tuyên truyền",
    "tasks": "Nhiệm vụ cụ thể", "funding": "Kinh phí thực hiện",
    "implementation": "Tổ chức thực hiện",
}


def is_old_form(root: Node) -> bool:
    return root.is_mapping and "sections" not in root.value and \
        bool(OLD_KEYS & root.value.keys())


def upgrade(root: Node) -> Node:
    """The old form as a section form. Keys the conversion does not know are carried over,
    so the form reader still reports them as unknown, at their own line."""
    return _Upgrade(root).run()


def _scalar(value: object, where: Location) -> Node:
    return Node(value, where)


def _mapping(pairs: dict[str, Node], where: Location) -> Node:
    return Node(pairs, where, {k: v.location for k, v in pairs.items()})


class _Upgrade:
    def __init__(self, root: Node):
        self.root = root
        self.top = root.value
        self.where = root.location
        layout = self.top.get("layout")
        self.layout = layout.value if layout is not None and layout.is_mapping else {}
        headings = self.top.get("headings")
        self.headings = headings.value if headings is not None and headings.is_mapping else {}
        lists = self.layout.get("lists")
        self.lists = lists.value if lists is not None and lists.is_mapping else {}

    def heading(self, key: str) -> Node:
        node = self.headings.get(key)
        return node if node is not None else _scalar(_HEADINGS[key], self._at(key))

    def _at(self, key: str) -> Location:
        return self.top[key].location if key in self.top else self.where

    def style(self, part: str, default: str = "letters") -> Node:
        node = self.lists.get(part) or self.lists.get("default")
        if node is not None and isinstance(node.value, str):
            return node
        return _scalar(default, self._at(part))

    def run(self) -> Node:
        top = self.top
        out: dict[str, Node] = {}
        out["kind"] = top.get("kind") or _scalar(OLD_KIND, self.where)
        for key in ("year", "issuer", "number", "date", "title"):
            if key in top:
                out[key] = top[key]
        if "preamble" in top:
            out["opening"] = self.opening(top["preamble"])
        sections = [self.section(part) for part in self.order()]
        out["sections"] = Node([s for s in sections if s is not None],
                               self._at("objectives"))
        for key in ("closing", "recipients", "signer"):
            if key in top:
                out[key] = top[key]
        appendix = self.appendix()
        if appendix is not None:
            out["appendices"] = Node([appendix], self._at("tasks"))
        known = {"kind", "year", "issuer", "number", "date", "title", "closing", "recipients",
                 "signer"} | OLD_KEYS
        for key, value in top.items():
            if key not in known:
                out[key] = value  # reported as unknown by the reader, at its line
        keys = {k: (self.root.key_locations.get(k) or v.location) for k, v in out.items()}
        return Node(out, self.where, keys)

    def order(self) -> tuple[str, ...]:
        node = self.layout.get("order")
        if node is not None and node.is_list and \
                sorted(str(n.value) for n in node.value) == sorted(_ORDER):
            return tuple(str(n.value) for n in node.value)
        return _ORDER

    def opening(self, preamble: Node) -> Node:
        if not preamble.is_mapping:
            return preamble
        values = dict(preamble.value)
        out: dict[str, Node] = {}
        for key in ("lead", "bases", "enacting"):
            if key in values:
                out[key] = values.pop(key)
        style = self.layout.get("preamble")
        if style is not None:
            out["style"] = style
        dates = self.layout.get("citation_dates")
        if dates is not None:
            out["dates"] = dates
        out.update(values)  # unknown keys, reported by the reader
        return _mapping(out, preamble.location)

    def list_section(self, key: str, part: str, style: Node) -> Node:
        items = self.top.get(key) or Node([], self._at(key))
        return _mapping({"heading": self.heading("content_items" if key == "contents"
                                                 else key),
                         "part": _scalar(part, items.location), "style": style,
                         "items": items}, items.location)

    def section(self, part: str) -> Node | None:
        top = self.top
        where = self._at("objectives" if part == "purpose" else part)
        if part == "purpose":
            items = [self.list_section("objectives", "objectives", self.style("objectives")),
                     self.list_section("requirements", "requirements",
                                       self.style("requirements"))]
            return self._section("purpose", "purpose", items, where)
        if part == "contents":
            items = []
            if top.get("audience") is not None and top["audience"].value:
                items.append(self.list_section("audience", "audience", self.style("audience")))
            items.append(self.list_section("contents", "contents", self.style("contents")))
            items.append(self.list_section("forms", "forms", self.style("forms")))
            return self._section("contents", "contents", items, where)
        if part == "tasks":
            return self.tasks_section(where)
        if part == "funding":
            style = self.lists.get("funding") or _scalar("paragraphs", where)
            items = top.get("funding") or Node([], where)
            return _mapping({"heading": self.heading("funding"),
                             "part": _scalar("funding", where), "style": style,
                             "items": items}, where)
        items_node = top.get("implementation") or Node([], where)
        duty_style = self.lists.get("duties") or self.lists.get("default")
        roles = []
        for role in items_node.value if items_node.is_list else []:
            if role.is_mapping and duty_style is not None:
                pairs = {**role.value, "style": duty_style}
                roles.append(Node(pairs, role.location,
                                  {**role.key_locations, "style": role.location}))
            else:
                roles.append(role)
        return _mapping({"heading": self.heading("implementation"),
                         "part": _scalar("implementation", where),
                         "items": Node(roles, items_node.location)}, where)

    def _section(self, heading: str, part: str, items: list[Node], where: Location) -> Node:
        return _mapping({"heading": self.heading(heading), "part": _scalar(part, where),
                         "items": Node(items, where)}, where)

    def _tasks_value(self) -> dict[str, Node]:
        node = self.top.get("tasks")
        return node.value if node is not None and node.is_mapping else {}

    def inline(self) -> bool:
        node = self.layout.get("tasks")
        return node is not None and node.value == "inline"

    def tasks_section(self, where: Location) -> Node:
        tasks = self._tasks_value()
        items: list[Node] = []
        intro = tasks.get("intro")
        if intro is not None and intro.is_list:
            items.extend(intro.value)
        if self.inline() and tasks.get("items") is not None and tasks["items"].is_list:
            items.extend(_named_task(t) for t in tasks["items"].value)
        return _mapping({"heading": self.heading("tasks"), "part": _scalar("tasks", where),
                         "style": _scalar("paragraphs", where), "items": Node(items, where)},
                        where)

    def appendix(self) -> Node | None:
        tasks = self._tasks_value()
        items = tasks.get("items")
        if self.inline() or items is None or not items.is_list or not items.value:
            return None
        where = self._at("tasks")
        out: dict[str, Node] = {}
        appendix = tasks.get("appendix")
        values = appendix.value if appendix is not None and appendix.is_mapping else {}
        for key in ("heading", "title"):
            if key in values:
                out[key] = values[key]
        columns = tasks.get("columns")
        titles = columns.value if columns is not None and columns.is_mapping else {}
        fields = []
        for field, old in (("number", None), ("name", "task"), ("lead", None),
                           ("support", None), ("time", None), ("notes", "notes")):
            if old is not None and old in titles:
                fields.append(_mapping({"field": _scalar(field, titles[old].location),
                                        "title": titles[old]}, titles[old].location))
            elif field == "notes":
                fields.append(_mapping({"field": _scalar("notes", where),
                                        "title": _scalar("Sản phẩm", where)}, where))
            else:
                fields.append(_scalar(field, where))
        out["columns"] = Node(fields, where)
        out["tasks"] = items
        return _mapping(out, where)


def _named_task(task: Node) -> Node:
    """An old inline task: its `name:` is the `task:` key of a task written in a section."""
    if not task.is_mapping or "name" not in task.value or "task" in task.value:
        return task
    pairs = {("task" if k == "name" else k): v for k, v in task.value.items()}
    keys = {("task" if k == "name" else k): v for k, v in task.key_locations.items()}
    return Node(pairs, task.location, keys)
