"""OData system query options over plain records, for both faces (Dataverse and Graph).

``$filter`` is parsed by odata-query (a maintained OData v4 grammar) into its AST and evaluated
here against a record as its face shows it (the JSON the client would read): eq, ne, gt, ge, lt,
le, and, or, not, in, and the functions contains, startswith, endswith, tolower and toupper.
``$select``, ``$orderby``, ``$top``, ``$count`` and server-driven paging (``Prefer:
odata.maxpagesize``, an opaque ``$skiptoken`` in ``@odata.nextLink``) are the rest.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from odata_query import ast
from odata_query.exceptions import ODataException
from odata_query.grammar import ODataLexer, ODataParser
from odata_query.visitor import NodeVisitor

Record = Mapping[str, Any]
Predicate = Callable[[Record], bool]

#: the page sizes the services use when the client asks for none, and the most they give at once:
#: Dataverse 5,000 rows (also its largest ``odata.maxpagesize``); Graph's Outlook collections
#: (contacts, events, To Do tasks, and their delta) 10, and at most 1,000 with ``$top``
DATAVERSE_PAGE = 5_000
GRAPH_PAGE, GRAPH_MOST = 10, 1_000


class QueryError(ValueError):
    """A query option the client got wrong; the face turns it into its own 400 body."""


@dataclass(frozen=True)
class Query:
    """The system query options of one GET."""

    filter: Predicate | None = None
    select: tuple[str, ...] = ()
    orderby: tuple[tuple[str, bool], ...] = ()
    top: int | None = None
    count: bool = False
    #: what the $skiptoken of a next link carries: where the page starts, and more (tracking)
    token: Mapping[str, Any] = field(default_factory=dict)

    @property
    def skip(self) -> int:
        return int(self.token.get("skip", 0))


def parse(params: Mapping[str, str], fields: Iterable[str] | None = None) -> Query:
    """The options of a query string; ``fields``: the names a record may have (others are a
    QueryError naming them)."""
    known = frozenset(fields) if fields is not None else None
    select = tuple(s.strip() for s in params.get("$select", "").split(",") if s.strip())
    _known(select, known, "$select")
    order = []
    for part in (p.strip() for p in params.get("$orderby", "").split(",") if p.strip()):
        name, _, direction = part.partition(" ")
        if direction.strip().lower() not in ("", "asc", "desc"):
            raise QueryError(f"$orderby {part!r}: the direction is asc or desc")
        order.append((name, direction.strip().lower() == "desc"))
    _known([name for name, _ in order], known, "$orderby")
    return Query(
        filter=parse_filter(params["$filter"], known) if params.get("$filter") else None,
        select=select,
        orderby=tuple(order),
        top=whole(params, "$top"),
        count=params.get("$count", "").lower() == "true",
        token=_untoken(params.get("$skiptoken")),
    )


def _known(names: Iterable[str], known: frozenset[str] | None, option: str) -> None:
    unknown = [n for n in names if known is not None and n not in known]
    if unknown:
        raise QueryError(f"{option}: could not find a property named {unknown[0]!r}")


def whole(params: Mapping[str, str], name: str) -> int | None:
    if name not in params:
        return None
    text = params[name]
    if not text.isdigit():
        raise QueryError(f"{name}: {text!r} is not a whole number")
    return int(text)


#: the most a $filter may hold: terms joined by and/or/not, and nesting (parentheses, each not):
#: the parser and the evaluation recurse once a level
MAX_TERMS, MAX_DEPTH, MAX_LENGTH = 200, 32, 8192


def parse_filter(text: str, known: frozenset[str] | None = None) -> Predicate:
    """A ``$filter`` expression as a predicate over a record."""
    if len(text) > MAX_LENGTH:
        raise QueryError(f"$filter: {len(text):,} characters; at most {MAX_LENGTH:,}")
    try:
        tokens = list(ODataLexer().tokenize(text))
        _bounded(tokens)
        tree = ODataParser().parse(iter(tokens))
    except (ODataException, ValueError) as bad:
        raise QueryError(f"$filter {text[:200]!r}: {bad}") from None
    except RecursionError:
        raise QueryError("$filter: the expression nests too deeply") from None
    if tree is None:
        raise QueryError(f"$filter {text!r}: not an expression")
    names = _Names()
    names.visit(tree)
    _known(names.found, known, "$filter")
    return lambda record: bool(_Evaluate(record).visit(tree))


def _bounded(tokens: list[Any]) -> None:
    """A QueryError for a filter of more terms or deeper nesting than the limits."""
    terms = sum(1 for token in tokens if token.type in ("AND", "OR", "NOT"))
    depth = deepest = 0
    for token in tokens:
        depth += {"(": 1, ")": -1}.get(token.type, 0)
        deepest = max(deepest, depth)
    nots = max((len(run) for run in _runs_of_not(tokens)), default=0)
    if terms > MAX_TERMS:
        raise QueryError(f"$filter: {terms} terms joined by and, or and not; at most {MAX_TERMS}")
    if deepest + nots > MAX_DEPTH:
        raise QueryError(f"$filter: nested {deepest + nots} levels deep; at most {MAX_DEPTH}")


def _runs_of_not(tokens: list[Any]) -> list[list[Any]]:
    """The runs of ``not`` that follow each other (``not not not x``: each a level)."""
    runs: list[list[Any]] = [[]]
    for token in tokens:
        if token.type == "NOT":
            runs[-1].append(token)
        elif token.type != "(":
            runs.append([])
    return runs


class _Names(NodeVisitor):
    """The properties a filter names (a function's name is not one)."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def visit_Identifier(self, node: ast.Identifier) -> None:
        self.found.append(node.name)

    def visit_Call(self, node: ast.Call) -> None:
        if node.func.name not in _FUNCTIONS:
            raise QueryError(f"$filter: the function {node.func.name!r} is not supported")
        for arg in node.args:
            self.visit(arg)


_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Gt: lambda a, b: a is not None and b is not None and a > b,
    ast.GtE: lambda a, b: a is not None and b is not None and a >= b,
    ast.Lt: lambda a, b: a is not None and b is not None and a < b,
    ast.LtE: lambda a, b: a is not None and b is not None and a <= b,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "contains": lambda a, b: a is not None and b is not None and str(b).lower() in str(a).lower(),
    "startswith": lambda a, b: a is not None and b is not None and str(a).lower().startswith(str(b).lower()),
    "endswith": lambda a, b: a is not None and b is not None and str(a).lower().endswith(str(b).lower()),
    "tolower": lambda a: None if a is None else str(a).lower(),
    "toupper": lambda a: None if a is None else str(a).upper(),
}


class _Evaluate(NodeVisitor):
    """What each node of a filter stands for, on one record."""

    def __init__(self, record: Record) -> None:
        self.record = record

    def generic_visit(self, node: Any) -> Any:
        raise QueryError(f"$filter: {type(node).__name__} is not supported here")

    def visit_Identifier(self, node: ast.Identifier) -> Any:
        return _comparable(self.record.get(node.name))

    def visit_Null(self, node: ast.Null) -> None:
        return None

    def visit_Integer(self, node: ast.Integer) -> int:
        return int(node.val)

    def visit_Float(self, node: ast.Float) -> float:
        return float(node.val)

    def visit_Boolean(self, node: ast.Boolean) -> bool:
        return str(node.val).lower() == "true"

    def visit_String(self, node: ast.String) -> str:
        return str(node.val)

    def visit_GUID(self, node: ast.GUID) -> str:
        return str(node.val).lower()

    def visit_DateTime(self, node: ast.DateTime) -> datetime:
        return moment(node.val)

    def visit_Date(self, node: ast.Date) -> str:
        return str(node.val)

    def visit_List(self, node: ast.List) -> list[Any]:
        return [self.visit(v) for v in node.val]

    def visit_Compare(self, node: ast.Compare) -> bool:
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.comparator, ast.In):
            return left in right
        return _COMPARE[type(node.comparator)](*_alike(left, right))

    def visit_BoolOp(self, node: ast.BoolOp) -> bool:
        if isinstance(node.op, ast.And):
            return bool(self.visit(node.left)) and bool(self.visit(node.right))
        return bool(self.visit(node.left)) or bool(self.visit(node.right))

    def visit_UnaryOp(self, node: ast.UnaryOp) -> bool:
        if not isinstance(node.op, ast.Not):
            raise QueryError(f"$filter: {type(node.op).__name__} is not supported here")
        return not self.visit(node.operand)

    def visit_Call(self, node: ast.Call) -> Any:
        return _FUNCTIONS[node.func.name](*(self.visit(arg) for arg in node.args))


def _comparable(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return moment(value)
        except ValueError:
            return value
    return value.lower() if isinstance(value, str) and _is_guid(value) else value


def _alike(left: Any, right: Any) -> tuple[Any, Any]:
    """Compare text with text case-insensitively (Dataverse's default collation)."""
    if isinstance(left, str) and isinstance(right, str):
        return left.lower(), right.lower()
    return left, right


def _is_guid(text: str) -> bool:
    return len(text) == 36 and text.count("-") == 4


def moment(text: str) -> datetime:
    """An OData date-time (UTC when it names no offset)."""
    found = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return found if found.tzinfo else found.replace(tzinfo=UTC)


# -- applying a query ---------------------------------------------------------------------------


def apply(query: Query, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Filter, order ($orderby; otherwise the store's own order, creation first, so pages are
    stable) and cut at $top; paging and $select are :func:`page`'s and :func:`selected`'s."""
    found = [r for r in records if query.filter is None or query.filter(r)]
    for name, descending in reversed(query.orderby):
        found.sort(key=_order_key(name), reverse=descending)
    return found[: query.top] if query.top is not None else found


def _order_key(name: str) -> Callable[[Record], tuple[bool, Any]]:
    """Nulls first, text without regard to case (Dataverse's collation)."""
    return lambda record: (record.get(name) is not None, _sortable(record.get(name)))


def _sortable(value: Any) -> Any:
    return "" if value is None else value.lower() if isinstance(value, str) else value


@dataclass(frozen=True)
class Page:
    records: list[dict[str, Any]]
    next_skip: int | None


def page(query: Query, records: list[dict[str, Any]], size: int) -> Page:
    """One page of ``records`` from the query's skip token, of at most ``size`` records."""
    chunk = records[query.skip : query.skip + size]
    after = query.skip + size
    return Page(chunk, after if after < len(records) else None)


def selected(record: Mapping[str, Any], query: Query, always: Iterable[str] = ()) -> dict[str, Any]:
    """The record with only the $select'ed properties (and those always returned)."""
    if not query.select:
        return dict(record)
    keep = {*query.select, *always}
    return {k: v for k, v in record.items() if k in keep or k.startswith("@")}


def next_link(base: str, params: Mapping[str, str], skip: int, **carried: Any) -> str:
    """The URL of the next page: the same options, and a skip token (carrying ``carried`` too)."""
    kept = {k: v for k, v in params.items() if k != "$skiptoken"}
    kept["$skiptoken"] = _token({"skip": skip, **carried})
    return f"{base}?{urlencode(kept, safe='$,()')}"


def page_size(
    prefer: str, *, default: int, most: int, limit: int | None = None, top: int | None = None
) -> int:
    """The size of a page: ``top`` (Graph's ``$top`` asks for a page size), else ``odata.maxpagesize=N``
    of the Prefer header, else ``default``; never above ``most`` (the service's largest), nor above
    ``limit`` (a lower one a test sets, so paging shows in small scenarios)."""
    asked = top or _max_page_size(prefer) or default
    return max(1, min(asked, most, limit or most))


def _max_page_size(prefer: str) -> int | None:
    """``odata.maxpagesize=N`` out of a Prefer header."""
    for part in prefer.split(","):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "odata.maxpagesize" and value.strip().isdigit():
            return max(int(value.strip()), 1)
    return None


def prefers(prefer: str, what: str) -> bool:
    return any(part.strip().lower().split("=")[0] == what for part in prefer.split(","))


def _token(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _untoken(token: str | None) -> dict[str, Any]:
    if not token:
        return {}
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        int(data["skip"])
        return dict(data)
    except (ValueError, KeyError, TypeError):
        raise QueryError(f"$skiptoken {token!r} is not one this server gave") from None
