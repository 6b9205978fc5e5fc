"""Tokenising and unquoting SQL statements as written by mysqldump and pg_dump."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

_COMMON = r"""
 |"[^"\\]*(?:(?:\\.|"")[^"\\]*)*"
 |`[^`]*(?:``[^`]*)*`
 |--[^\n]*
 |/\*.*?\*/
 |[(),;]
 |[^\s'"`(),;]+
 |.)"""
_MYSQL = re.compile(r"""\s*('[^'\\]*(?:(?:\\.|'')[^'\\]*)*'""" + _COMMON, re.S | re.X)
_POSTGRES = re.compile(
    r"""\s*([eE]'[^'\\]*(?:(?:\\.|'')[^'\\]*)*'|'[^']*(?:''[^']*)*'""" + _COMMON, re.S | re.X
)
_MYSQL_ESCAPES = {
    "0": "\0",
    "b": "\b",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "Z": "\x1a",
}
_BACKSLASH = re.compile(r"\\(.)", re.S)
_COPY_ESCAPE = re.compile(r"\\(.)", re.S)
_LONE_QUOTES = frozenset({"'", '"', "`"})
_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def tokenize(statement: str, postgres: bool) -> list[str]:
    """Tokens without whitespace; comments kept (callers drop them)."""
    return (_POSTGRES if postgres else _MYSQL).findall(statement)


def incomplete(tokens: Sequence[str]) -> bool:
    """Whether the tokens end inside an unterminated string, identifier or comment."""
    return not _LONE_QUOTES.isdisjoint(tokens)


def is_comment(token: str) -> bool:
    """A ``--`` or ``/* */`` comment token."""
    return token.startswith(("--", "/*"))


def unquote_identifier(token: str) -> str:
    """``"users"``, `` `users` `` or ``users`` as the plain name."""
    if len(token) >= 2 and token[0] == token[-1] and token[0] in '"`':
        q = token[0]
        return token[1:-1].replace(q + q, q)
    return token


def single_literal(token: str, postgres: bool) -> str | None:
    """The text of a one-token value: a string, NULL or a bare word/number."""
    first = token[0]
    if first == "'":
        body = token[1:-1]
        if "\\" in body or "'" in body:
            return string_literal(token, postgres)
        return body
    if first in "nN" and token.upper() == "NULL":
        return None
    if first in "eE" and token[1:2] == "'":
        return string_literal(token, postgres)
    return token


def literal(tokens: Sequence[str], postgres: bool) -> str | None:
    """The text of one value expression: strings unquoted, NULL as None, others as written."""
    if not tokens:
        raise ValueError("empty value")
    if len(tokens) == 1:
        tok = tokens[0]
        if tok.upper() == "NULL":
            return None
        if tok[:1] == "'" or tok[:2] in ("E'", "e'"):
            return string_literal(tok, postgres)
        return tok
    if tokens and tokens[-1][:1] == "'":  # _binary 'x', _utf8mb4 'x', DATE 'x'
        return string_literal(tokens[-1], postgres)
    return " ".join(tokens)


def string_literal(token: str, postgres: bool) -> str:
    """Unquote a SQL string literal with the dump dialect's escaping."""
    if token[:1] in "eE" and token[1:2] == "'":
        return _BACKSLASH.sub(lambda m: _MYSQL_ESCAPES.get(m[1], m[1]), token[2:-1]).replace(
            "''", "'"
        )
    body = token[1:-1].replace("''", "'")
    if postgres or "\\" not in body:
        return body
    return _BACKSLASH.sub(lambda m: _MYSQL_ESCAPES.get(m[1], m[1]), body)


def copy_fields(line: str) -> list[str | None]:
    """One row of PostgreSQL COPY text: tab-separated, ``\\N`` for NULL, backslash escapes."""
    fields: list[str | None] = []
    for raw in line.rstrip("\n").removesuffix("\r").split("\t"):
        if raw == "\\N":
            fields.append(None)
        elif "\\" in raw:
            fields.append(_COPY_ESCAPE.sub(lambda m: _COPY_ESCAPES.get(m[1], m[1]), raw))
        else:
            fields.append(raw)
    return fields


def split_top_level(tokens: Sequence[str]) -> Iterator[list[str]]:
    """Comma-separated items of a parenthesised token list (without the outer parentheses)."""
    depth, item = 0, list[str]()
    for tok in tokens:
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        if tok == "," and depth == 0:
            yield item
            item = []
        else:
            item.append(tok)
    if item:
        yield item
