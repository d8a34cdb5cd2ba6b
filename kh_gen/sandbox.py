"""Jinja's immutable sandbox with limits: every render ends soon, small, and without a crash.

The sandbox stops a template from reaching Python, but not from running long or growing
large: two nested `range(100000)` loops, `'a' * 10**9`, `10 ** 10 ** 10`, a macro that calls
itself twice per level. Catalogue texts and plan templates may come from a province's own
folder, so each render gets a `Budget`:

- steps: every loop iteration and every call (macros included) costs one; a loop iteration
  also costs the literal text its body can emit, charged to the output (loops and `~` are
  rewritten in the parsed tree to go through two filters of the environment's own);
- output: the characters of every `{{ … }}` value, every `~` join and every buffer Jinja
  joins (macro results, `{% set %}` blocks, the template's own output), together;
- size of each value an operator or filter makes (`*`, `**`, `+`, `~`, `center`, `indent` …),
  checked before it is made;
- time: a wall-clock deadline, looked at every few hundred steps;
- depth: Python's recursion limit (a recursive macro, a deeply nested expression) ends in a
  located message, like every other failure.

Anything a template does wrong raises TemplateLimit or an ordinary exception; `textrender`
turns each into one located message.
"""

from __future__ import annotations

import contextvars
import math
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .i18n import _, number


class Limits(NamedTuple):
    steps: int
    chars: int  # output and each value made
    seconds: float


TEXT_LIMITS = Limits(steps=20_000, chars=200_000, seconds=2.0)  # a catalogue text
PLAN_LIMITS = Limits(steps=200_000, chars=10_000_000, seconds=10.0)  # a plan template (~300 steps)
_MAX_INT_BITS = 4_000  # integers beyond this are nobody's plan data
_CHECK_EVERY = 256  # steps between looks at the clock
# Text formatting whose widths ("%999999999s", "{:>999999999}") make texts of any size
_STR_FORMATTING = frozenset({"format", "format_map", "center", "ljust", "rjust", "zfill",
                             "expandtabs"})
_REFUSED_FILTERS = frozenset({"format"})
_LOOP, _JOIN = "kh_gen_loop", "kh_gen_join"  # the filters every loop and `~` go through


class TemplateLimit(Exception):
    """A template went past one of its limits; the message says which and what to do."""


class Budget:
    """What one render may still spend."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.steps = 0
        self.chars = 0
        self.deadline = time.monotonic() + limits.seconds

    def step(self, cost: int = 1) -> None:
        self.steps += cost
        if self.steps > self.limits.steps:
            raise TemplateLimit(_("runs more than {steps} loop steps and calls; a text this "
                                  "long-running is refused").format(
                                      steps=number(self.limits.steps)))
        if self.steps % _CHECK_EVERY < cost and time.monotonic() > self.deadline:
            raise TemplateLimit(_("takes more than {seconds} s; refused").format(
                seconds=f"{self.limits.seconds:g}"))

    def output(self, chars: int) -> None:
        self.chars += chars
        if self.chars > self.limits.chars:
            raise TemplateLimit(_("writes more than {chars} characters; refused").format(
                chars=number(self.limits.chars)))

    def size(self, chars: int) -> None:
        if chars > self.limits.chars:
            raise TemplateLimit(_("makes a value of more than {chars} characters; "
                                  "refused").format(chars=number(self.limits.chars)))


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("kh_gen_budget",
                                                                         default=None)


def _budget() -> Budget:
    """The current render's budget (a render outside `render_bounded` gets a fresh one)."""
    budget = _current.get()
    return budget if budget is not None else Budget(PLAN_LIMITS)


def render_bounded(template: jinja2.Template, context: dict[str, Any], limits: Limits) -> str:
    """`template.render(context)` within `limits`."""
    token = _current.set(Budget(limits))
    try:
        return template.render(context)
    finally:
        _current.reset(token)


def _weight(value: Any, limit: int) -> int:
    """About how many characters `value` is as text, counted without making the text (a list
    of a thousand long strings is small in memory and huge once joined); counting stops once
    past `limit`."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple | set | frozenset | dict):
        total = 2
        for item in (value.items() if isinstance(value, dict) else value):
            total += 2 + _weight(item, limit - total)
            if total > limit:
                break
        return total
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3 + 1
    return 16


def _shallow(value: Any) -> int:
    """`_weight` one level deep: a text's length, or a list's length plus its texts'. Enough
    for a filter's argument and result, whose deeper items were bounded when they were made
    (by `*`, `+`, `~` and calls), and far cheaper on lists of records."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple):
        return len(value) + sum(len(item) for item in value if isinstance(item, str))
    return 16


def _check_int(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and \
            value.bit_length() > _MAX_INT_BITS:
        raise TemplateLimit(_("makes a number too large for a plan; refused"))


def _product_size(left: Any, right: Any, limit: int) -> int:
    """The size of `left * right` for a sequence and a count, before it is made."""
    if isinstance(right, int) and isinstance(left, str | list | tuple):
        return _weight(left, limit) * max(right, 0)
    if isinstance(left, int) and isinstance(right, str | list | tuple):
        return _weight(right, limit) * max(left, 0)
    return 0


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, every render within the current `Budget`.

    `refuse_loading`: refuse `{% include %}`, `{% import %}` and `{% extends %}` (catalogue
    texts are single texts; a plan template may use them within its own folders).
    """

    intercepted_binops = frozenset({"*", "**", "+", "/", "//", "%"})

    def __init__(self, *args: Any, refuse_loading: bool = False, **kwargs: Any):
        kwargs.setdefault("finalize", self._finalize)
        super().__init__(*args, **kwargs)
        self.refuse_loading = refuse_loading
        self.globals["range"] = self._range
        self.globals.pop("lipsum", None)  # random text, as much as asked for
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()
                        if name not in _REFUSED_FILTERS}
        # what the rewritten tree calls: filters are called directly by the generated code
        # (a call would go through `call`, counted as a step and checked again)
        self.filters[_LOOP] = self.bounded_iter
        self.filters[_JOIN] = self.bounded_join
        self.concat = self._concat  # what generated code and `render` join buffers with

    # -- the template's tree: loops, joins and loading ------------------------------------

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        if self.refuse_loading:
            for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport,
                                       nodes.Extends)):
                raise jinja2.TemplateSyntaxError(
                    _("include, import and extends are not allowed in a catalogue text; write "
                      "the text out"), node.lineno, name, filename)
        for loop in list(tree.find_all(nodes.For)):
            literal = sum(len(d.data) for d in _find(loop.body, nodes.TemplateData))
            loop.iter = nodes.Filter(loop.iter, _LOOP, [nodes.Const(literal)], [], None, None,
                                     lineno=loop.lineno)
        for join in list(tree.find_all(nodes.Concat)):
            parts = nodes.List(list(join.nodes), lineno=join.lineno)
            join.nodes = [nodes.Filter(parts, _JOIN, [], [], None, None, lineno=join.lineno)]
        return tree

    def bounded_iter(self, items: Iterable[Any], literal: int) -> Iterator[Any]:
        budget = _budget()
        for item in items:
            budget.step()
            budget.output(literal)
            yield item

    def bounded_join(self, parts: list[Any]) -> str:
        budget = _budget()
        size = _weight(parts, budget.limits.chars)
        budget.size(size)
        budget.output(size)
        return "".join(str(p) for p in parts)

    def _concat(self, parts: Iterable[Any]) -> str:
        """Join a buffer (its pieces are each bounded already; their sum is charged here)."""
        pieces = list(parts)
        _budget().output(sum(map(len, pieces)))
        return "".join(pieces)

    def _finalize(self, value: Any) -> Any:
        budget = _budget()
        size = len(value) if type(value) is str else _weight(value, budget.limits.chars)
        budget.size(size)
        budget.output(size)
        return value

    # -- operators, calls, range ----------------------------------------------------------

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, str) and attribute in _STR_FORMATTING:
            raise TemplateLimit(_("str.{attribute} is not allowed (its widths make texts of "
                                  "any size); write the text out with {{{{ … }}}}").format(
                                      attribute=attribute))
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, str) and argument in _STR_FORMATTING:
            return self.getattr(obj, argument)
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget = _budget()
        if operator == "*":
            budget.size(_product_size(left, right, budget.limits.chars))
            if isinstance(left, int) and isinstance(right, int) and \
                    left.bit_length() + right.bit_length() > _MAX_INT_BITS:
                raise TemplateLimit(_("makes a number too large for a plan; refused"))
        elif operator == "**":
            if isinstance(left, int | float) and isinstance(right, int | float):
                size = abs(right) * math.log2(abs(left) + 2) if right > 0 else 0
                if size > _MAX_INT_BITS:
                    raise TemplateLimit(_("makes a number too large for a plan; refused"))
        elif operator == "+":
            budget.size(_weight(left, budget.limits.chars) + _weight(right, budget.limits.chars))
        elif operator == "%" and isinstance(left, str):
            raise TemplateLimit(_("'%' formatting of text is not allowed; write the text out "
                                  "with {{ … }}"))
        result = super().call_binop(context, operator, left, right)
        _check_int(result)
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A call (a macro's too) is a step; a huge count (`'a'.center(10**9)`,
        `range(10**9)`) is refused before the call; the result is sized."""
        budget = _budget()
        budget.step()
        limit = budget.limits.chars
        for value in (*args, *kwargs.values()) if kwargs else args:
            if type(value) is int and not -limit <= value <= limit:  # bool is not int here
                raise TemplateLimit(_("calls with the number {value}, more than {limit}; "
                                      "refused").format(value=value, limit=number(limit)))
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str | list | tuple | dict):  # its items were bounded when made
            budget.size(len(result))
        return result

    def _range(self, *args: int) -> range:
        numbers = range(*args)
        budget = _budget()
        if len(numbers) > budget.limits.steps:
            raise TemplateLimit(_("range of {count} numbers, more than {limit}; "
                                  "refused").format(count=number(len(numbers)),
                                                    limit=number(budget.limits.steps)))
        return numbers


def _find(body: list[nodes.Node], kind: type[nodes.Node]) -> Iterator[nodes.Node]:
    for node in body:
        if isinstance(node, kind):
            yield node
        yield from node.find_all(kind)


def _bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses, before running, a result it can tell will be too large (a value
    too large as text, `center(10**9)`, `indent` by a large width on many lines, `replace`
    by a long text), and after running, any result too large."""
    passes = hasattr(function, "jinja_pass_arg")  # context or environment come first

    def bounded(*args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.step()
        value, rest = (args[1], args[2:]) if passes and len(args) > 1 else \
            (args[0] if args else None, args[1:])
        numbers = [v for v in (*rest, *kwargs.values())
                   if isinstance(v, int) and not isinstance(v, bool)]
        texts = [len(v) for v in (*rest, *kwargs.values()) if isinstance(v, str)]
        size = _shallow(value)
        lines = value.count("\n") + 1 if isinstance(value, str) else 1
        budget.size(size + max((abs(n) for n in numbers), default=0) * lines)
        budget.size(size * max(texts, default=1))
        result = function(*args, **kwargs)
        budget.size(_shallow(result))
        return result

    if passes:
        bounded.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    bounded.__name__ = getattr(function, "__name__", "filter")
    return bounded
