"""Checksum validators as polars expressions: whole columns validated in Rust, no Python loop.

Each function takes an expression of stripped text values and returns a boolean expression that
agrees with the scalar validator of the same name in ``validators.py`` (property-tested).
"""

from __future__ import annotations

import polars as pl

from breachdesk.discovery.validators import _ABA_PREFIXES, _IIN, _ITIN_GROUPS, _SSN_BLOCKLIST


def digits(value: pl.Expr) -> pl.Expr:
    """The ASCII digits of each value."""
    return value.str.replace_all(r"[^0-9]", "")


def luhn_ok(digit_string: pl.Expr) -> pl.Expr:
    """Luhn check over digit-only strings (empty strings fail)."""
    doubled = pl.element().cast(pl.Int32, strict=False) * (1 + pl.int_range(pl.len()) % 2)
    folded = pl.when(pl.element() > 9).then(pl.element() - 9).otherwise(pl.element())
    total = digit_string.str.reverse().str.split("").list.eval(doubled).list.eval(folded).list.sum()
    return (digit_string.str.len_chars() > 0) & (total % 10 == 0)


def card_issuer_ok(digit_string: pl.Expr) -> pl.Expr:
    """True when the digits fall in a known issuer range with that issuer's length."""
    n = digit_string.str.len_chars()
    checks = []
    for _issuer, ranges, lengths in _IIN:
        for low, high in ranges:
            head = digit_string.str.slice(0, len(low))
            checks.append(n.is_in(sorted(lengths)) & (head >= low) & (head <= high))
    return pl.any_horizontal(checks)


def card_ok(value: pl.Expr) -> pl.Expr:
    """Card numbers with separators allowed: shape, Luhn and issuer range."""
    d = digits(value)
    shape = value.str.contains(r"^\d(?:[ -]?\d){11,18}$")
    return shape & luhn_ok(d) & card_issuer_ok(d)


def _ssn_parts(value: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    d = digits(value)
    shape = value.str.contains(r"^(?:\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{9})$")
    area = d.str.slice(0, 3).cast(pl.Int32, strict=False)
    group = d.str.slice(3, 2).cast(pl.Int32, strict=False)
    serial = d.str.slice(5, 4).cast(pl.Int32, strict=False)
    return d, shape & ~d.is_in(sorted(_SSN_BLOCKLIST)), area, group, serial


def ssn_ok(value: pl.Expr) -> pl.Expr:
    """US Social Security numbers: area 001-899 except 666, group and serial not zero."""
    _d, shape, area, group, serial = _ssn_parts(value)
    return shape & (area > 0) & (area < 900) & (area != 666) & (group > 0) & (serial > 0)


def itin_ok(value: pl.Expr) -> pl.Expr:
    """US ITINs: area 9xx with an ITIN group."""
    _d, shape, area, group, serial = _ssn_parts(value)
    return shape & (area >= 900) & group.is_in(sorted(_ITIN_GROUPS)) & (serial > 0)


def aba_ok(value: pl.Expr) -> pl.Expr:
    """ABA routing numbers: nine digits, assigned prefix, 3-7-1 checksum."""
    value = value.str.strip_chars()
    position = pl.int_range(pl.len()) % 3
    weight = pl.when(position == 0).then(3).when(position == 1).then(7).otherwise(1)
    total = (
        value.str.split("").list.eval(pl.element().cast(pl.Int32, strict=False) * weight).list.sum()
    )
    shape = value.str.contains(r"^\d{9}$") & (value != "000000000")
    return shape & value.str.slice(0, 2).is_in(sorted(_ABA_PREFIXES)) & (total % 10 == 0)
