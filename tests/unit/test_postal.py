"""Letter recipients survive the outbox: encoded and parsed back, fields for the mail house."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from breachdesk.adapters.letters import ADDRESS_LINES, address_fields
from breachdesk.notify.postal import PostalAddress, parse_recipient, postal_address

_PART = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)


@given(_PART, st.lists(_PART, min_size=1, max_size=8))
def test_encode_then_parse_is_identity(name: str, lines: list[str]) -> None:
    address = PostalAddress(name, tuple(lines))
    assert parse_recipient(address.encode()) == address


_PLAIN = _PART.filter(lambda s: not s.startswith(("'", "=", "+", "-", "@")))


@given(_PLAIN, st.lists(_PLAIN, min_size=1, max_size=8))
def test_mail_house_fields_keep_every_line(name: str, lines: list[str]) -> None:
    fields = address_fields(PostalAddress(name, tuple(lines)).encode())
    assert len(fields) == 1 + ADDRESS_LINES
    assert fields[0] == name
    joined = ", ".join(f for f in fields[1:] if f)
    assert joined == ", ".join(lines)


def test_stored_addresses_split_on_commas() -> None:
    assert postal_address("Jane Roe", "1 Main St, 62701, Springfield, US").lines == (
        "1 Main St",
        "62701",
        "Springfield",
        "US",
    )
    assert parse_recipient("1 Main St, Springfield") == PostalAddress(
        "", ("1 Main St", "Springfield")
    )
    assert "Jane" not in repr(postal_address("Jane Roe", "x"))
