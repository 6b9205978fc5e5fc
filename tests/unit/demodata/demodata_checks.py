"""Independent check-digit rules, to test the generator against (not its own code)."""

from __future__ import annotations


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(value: str) -> bool:
    rearranged = value[4:] + value[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def aba_ok(value: str) -> bool:
    weights = (3, 7, 1) * 3
    return sum(int(c) * w for c, w in zip(value, weights, strict=True)) % 10 == 0
