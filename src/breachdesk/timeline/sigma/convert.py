"""Turn a parsed Sigma condition tree into one polars expression over an event frame."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sigma.conditions import (
    ConditionAND,
    ConditionFieldEqualsValueExpression,
    ConditionNOT,
    ConditionOR,
    ConditionValueExpression,
)
from sigma.types import (
    CompareOperators,
    SigmaBool,
    SigmaCasedString,
    SigmaCIDRExpression,
    SigmaCompareExpression,
    SigmaExists,
    SigmaExpansion,
    SigmaFieldReference,
    SigmaNull,
    SigmaNumber,
    SigmaRegularExpression,
    SigmaRegularExpressionFlag,
    SigmaString,
    SigmaType,
    SpecialChars,
)

from breachdesk.timeline.sigma.fields import KEYWORDS, NATIVE_PREFIX, PATH, QUERY, column_for

LOWER = "lc:"  # lower-cased copy of a column, made once per frame
_NUMERIC = frozenset({"bytes"})


class UnsupportedError(Exception):
    """A construct of a rule that the converter does not evaluate; the message says which."""


@dataclass(slots=True)
class Needs:
    """Columns a compiled rule reads beyond the event schema, prepared once per frame."""

    natives: set[str] = field(default_factory=set)
    lower: set[str] = field(default_factory=set)
    derived: set[str] = field(default_factory=set)

    def merge(self, other: Needs) -> None:
        """Add another rule's needs."""
        self.natives |= other.natives
        self.lower |= other.lower
        self.derived |= other.derived


@dataclass(frozen=True, slots=True)
class Leaf:
    """One string test on a column: kind is eq, contains, starts, ends or regex."""

    column: str
    kind: str
    text: str


Node = Any  # pySigma condition tree node


class Converter:
    """Compiles condition trees of one log-source family, collecting the columns they need."""

    def __init__(self, family: str) -> None:
        self.family = family
        self.needs = Needs()

    # -- columns -------------------------------------------------------------------------
    def column(self, sigma_field: str) -> str:
        """Frame column of a Sigma field, recording what must be prepared for it."""
        name = column_for(self.family, sigma_field)
        if name.startswith(NATIVE_PREFIX):
            self.needs.natives.add(name.removeprefix(NATIVE_PREFIX))
        elif name in (PATH, QUERY):
            self.needs.derived.add(name)
        return name

    def _text(self, name: str, *, cased: bool) -> pl.Expr:
        if name in _NUMERIC:
            return pl.col(name).cast(pl.String)
        if cased:
            return pl.col(name)
        self.needs.lower.add(name)
        return pl.col(LOWER + name)

    # -- tree ----------------------------------------------------------------------------
    def convert(self, node: Node) -> pl.Expr:
        """Boolean expression of a condition node (never null)."""
        if isinstance(node, ConditionAND):
            return _fold([self.convert(a) for a in node.args], lambda a, b: a & b)
        if isinstance(node, ConditionOR):
            return self._or(node.args)
        if isinstance(node, ConditionNOT):
            return ~self.convert(node.args[0])
        if isinstance(node, ConditionFieldEqualsValueExpression):
            return self.field_value(self.column(node.field), node.value)
        if isinstance(node, ConditionValueExpression):
            self.needs.derived.add(KEYWORDS)
            return self.keyword(node.value)
        raise UnsupportedError(f"condition element {type(node).__name__}")

    def _or(self, args: Sequence[Node]) -> pl.Expr:
        # Many values of one field are the common case (lists of URI fragments, user agents):
        # test them in one pass instead of one expression per value.
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        rest: list[pl.Expr] = []
        for arg in args:
            leaf = self._leaf(arg)
            if leaf is None:
                rest.append(self.convert(arg))
            else:
                groups[(leaf.column, leaf.kind)].append(leaf.text)
        for (column, kind), texts in groups.items():
            rest.append(_string_test(pl.col(column), kind, texts))
        return _fold(rest, lambda a, b: a | b)

    def _leaf(self, node: Node) -> Leaf | None:
        if isinstance(node, ConditionValueExpression):
            value, column = node.value, KEYWORDS
            if not isinstance(value, SigmaString) or value.contains_placeholder():
                return None
            self.needs.derived.add(KEYWORDS)
            kind, text = _shape(value, keyword=True)
            return self._insensitive(KEYWORDS, kind, text) if kind != "regex" else None
        if not isinstance(node, ConditionFieldEqualsValueExpression):
            return None
        value = node.value
        if not isinstance(value, SigmaString) or isinstance(value, SigmaCasedString):
            return None
        if value.contains_placeholder():
            return None
        column = self.column(node.field)
        if column in _NUMERIC:
            return None
        kind, text = _shape(value, keyword=False)
        if kind in ("regex", "any"):
            return None
        return self._insensitive(column, kind, text)

    def _insensitive(self, column: str, kind: str, text: str) -> Leaf:
        """A case-insensitive test: ASCII substrings need no lower-cased copy of the column."""
        if kind == "contains" and text.isascii():
            return Leaf(column, "icontains", text)
        self.needs.lower.add(column)
        return Leaf(LOWER + column, kind, text.lower())

    # -- values --------------------------------------------------------------------------
    def keyword(self, value: SigmaType) -> pl.Expr:
        """Substring search of a keyword in every text of the event."""
        haystack = pl.col(KEYWORDS)
        if isinstance(value, SigmaNumber | SigmaBool):
            return _string_test(haystack, "icontains", [str(value).lower()])
        if isinstance(value, SigmaString):
            _refuse_placeholder(value)
            kind, text = _shape(value, keyword=True)
            if kind == "regex":
                return haystack.str.contains(text).fill_null(False)
            leaf = self._insensitive(KEYWORDS, kind, text)
            return _string_test(pl.col(leaf.column), leaf.kind, [leaf.text])
        if isinstance(value, SigmaRegularExpression):
            return _regex(haystack, value)
        if isinstance(value, SigmaExpansion):
            return _fold([self.keyword(v) for v in value.values], lambda a, b: a | b)
        raise UnsupportedError(f"keyword of type {type(value).__name__}")

    def field_value(self, name: str, value: SigmaType) -> pl.Expr:
        """Test of one field against one Sigma value."""
        col = pl.col(name)
        match value:
            case SigmaString():
                return self._string(name, value)
            case SigmaNumber():
                if name in _NUMERIC:
                    return (col == value.number).fill_null(False)
                return (self._text(name, cased=True) == str(value.number)).fill_null(False)
            case SigmaBool():
                return (self._text(name, cased=False) == str(bool(value)).lower()).fill_null(False)
            case SigmaNull():
                return col.is_null() | (col.cast(pl.String) == "")
            case SigmaExists():
                present = col.is_not_null() & (col.cast(pl.String) != "")
                return present.fill_null(False) if bool(value) else ~present.fill_null(False)
            case SigmaRegularExpression():
                return _regex(self._text(name, cased=True), value)
            case SigmaCIDRExpression():
                return _cidr(self._text(name, cased=True), value)
            case SigmaCompareExpression():
                return _compare(col, value)
            case SigmaFieldReference():
                return self._fieldref(name, value)
            case SigmaExpansion():
                return _fold([self.field_value(name, v) for v in value.values], lambda a, b: a | b)
        raise UnsupportedError(f"value of type {type(value).__name__}")

    def _string(self, name: str, value: SigmaString) -> pl.Expr:
        _refuse_placeholder(value)
        cased = isinstance(value, SigmaCasedString)
        kind, text = _shape(value, keyword=False, cased=cased)
        if kind == "any":
            return pl.col(name).is_not_null()
        if kind == "regex":
            return self._text(name, cased=True).str.contains(text).fill_null(False)
        if cased:
            return _string_test(self._text(name, cased=True), kind, [text])
        if name in _NUMERIC:
            return _string_test(self._text(name, cased=True), kind, [text.lower()])
        leaf = self._insensitive(name, kind, text)
        return _string_test(pl.col(leaf.column), leaf.kind, [leaf.text])

    def _fieldref(self, name: str, value: SigmaFieldReference) -> pl.Expr:
        other = self._text(self.column(value.field), cased=True)
        mine = self._text(name, cased=True)
        if value.starts_with:
            test = mine.str.starts_with(other)
        elif value.ends_with:
            test = mine.str.ends_with(other)
        else:
            test = mine == other
        return test.fill_null(False)


def _refuse_placeholder(value: SigmaString) -> None:
    if value.contains_placeholder():
        raise UnsupportedError("placeholder values (%name%) need a placeholder list")


def _shape(value: SigmaString, *, keyword: bool, cased: bool = False) -> tuple[str, str]:
    """Classify a wildcard string: eq/contains/starts/ends with its literal, or a regex."""
    parts: list[Any] = []
    for part in value.s:
        if isinstance(part, str) and parts and isinstance(parts[-1], str):
            parts[-1] += part
        else:
            parts.append(part)
    star = SpecialChars.WILDCARD_MULTI
    texts = [p for p in parts if isinstance(p, str)]
    if keyword and len(texts) == 1 and SpecialChars.WILDCARD_SINGLE not in parts:
        return "contains", texts[0]  # keywords are substrings; surrounding stars add nothing
    if not any(isinstance(p, SpecialChars) for p in parts):
        return ("contains" if keyword else "eq"), "".join(texts)
    if parts == [star]:
        return "any", ""
    if len(parts) == 3 and parts[0] is star and parts[2] is star and isinstance(parts[1], str):
        return "contains", parts[1]
    if len(parts) == 2 and parts[1] is star and isinstance(parts[0], str):
        return "starts", parts[0]
    if len(parts) == 2 and parts[0] is star and isinstance(parts[1], str):
        return "ends", parts[1]
    pieces = [re.escape(p) if isinstance(p, str) else (".*" if p is star else ".") for p in parts]
    body = "".join(pieces)
    flags = "(?s)" if cased else "(?is)"
    return "regex", flags + (body if keyword else f"^{body}$")


def _string_test(haystack: pl.Expr, kind: str, texts: list[str]) -> pl.Expr:
    if kind == "eq":
        test = haystack == texts[0] if len(texts) == 1 else haystack.is_in(texts)
    elif kind == "icontains":
        test = haystack.str.contains_any(texts, ascii_case_insensitive=True)
    elif kind == "contains":
        if len(texts) == 1:
            test = haystack.str.contains(texts[0], literal=True)
        else:
            test = haystack.str.contains_any(texts)
    elif kind in ("starts", "ends"):
        method = "starts_with" if kind == "starts" else "ends_with"
        test = _fold([getattr(haystack.str, method)(t) for t in texts], lambda a, b: a | b)
    else:
        test = _fold([haystack.str.contains(t) for t in texts], lambda a, b: a | b)
    return test.fill_null(False)


def _cidr(haystack: pl.Expr, value: SigmaCIDRExpression) -> pl.Expr:
    # pySigma expands a network into whole-octet prefixes ("10.*") and single addresses.
    patterns = value.expand(wildcard="*")
    prefixes = [p.removesuffix("*") for p in patterns if p.endswith("*")]
    exact = [p for p in patterns if not p.endswith("*")]
    tests = [_string_test(haystack, "starts", prefixes)] if prefixes else []
    if exact:
        tests.append(_string_test(haystack, "eq", exact))
    return _fold(tests, lambda a, b: a | b)


_RE_FLAGS = {
    SigmaRegularExpressionFlag.IGNORECASE: "i",
    SigmaRegularExpressionFlag.MULTILINE: "m",
    SigmaRegularExpressionFlag.DOTALL: "s",
}


def _regex(haystack: pl.Expr, value: SigmaRegularExpression) -> pl.Expr:
    flags = "".join(sorted(_RE_FLAGS[f] for f in value.flags))
    pattern = (f"(?{flags})" if flags else "") + str(value.regexp)
    try:
        pl.Series([""], dtype=pl.String).str.contains(pattern)
    except pl.exceptions.ComputeError:
        raise UnsupportedError("regular expression outside the supported syntax") from None
    return haystack.str.contains(pattern).fill_null(False)


_OPS: dict[CompareOperators, Callable[[pl.Expr, float], pl.Expr]] = {
    CompareOperators.LT: lambda c, n: c < n,
    CompareOperators.LTE: lambda c, n: c <= n,
    CompareOperators.GT: lambda c, n: c > n,
    CompareOperators.GTE: lambda c, n: c >= n,
    CompareOperators.NEQ: lambda c, n: c != n,
}


def _compare(col: pl.Expr, value: SigmaCompareExpression) -> pl.Expr:
    number = col.cast(pl.String).cast(pl.Float64, strict=False)
    return _OPS[value.op](number, float(value.number.number)).fill_null(False)


def _fold(items: list[pl.Expr], op: Callable[[pl.Expr, pl.Expr], pl.Expr]) -> pl.Expr:
    if not items:
        return pl.lit(False)
    result = items[0]
    for item in items[1:]:
        result = op(result, item)
    return result
