"""The outbox recipient of a postal letter: the addressee's name and address lines, as one text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """A letter's addressee; never shown in repr."""

    name: str = field(repr=False)
    lines: tuple[str, ...] = field(repr=False)

    def encode(self) -> str:
        """The outbox recipient text: the name, then one address line per line."""
        return "\n".join((self.name, *self.lines))


def postal_address(name: str | None, address: str) -> PostalAddress:
    """An addressee from a name and a stored address (lines, or parts separated by commas)."""
    raw = address.splitlines() if "\n" in address else address.split(",")
    lines = tuple(part.strip() for part in raw if part.strip())
    return PostalAddress((name or "").strip(), lines)


def parse_recipient(recipient: str) -> PostalAddress:
    """The addressee of an outbox letter recipient written by ``PostalAddress.encode``."""
    first, _, rest = recipient.partition("\n")
    if not rest:  # an address alone, without a name line
        return postal_address(None, first)
    return PostalAddress(first.strip(), tuple(p.strip() for p in rest.splitlines() if p.strip()))
