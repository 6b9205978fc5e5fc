"""Webhook signatures verify exactly the signed request; scrubbing hides numbers and addresses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from breachdesk.adapters.webhook import scrub, sign, verdict_for, verify_signature
from breachdesk.core.delivery import Verdict

NOW = 1_790_000_000


@given(st.binary(min_size=1, max_size=32), st.binary(max_size=512), st.integers(-300, 300))
def test_a_signature_verifies_within_tolerance(secret: bytes, body: bytes, skew: int) -> None:
    signature = sign(secret, NOW + skew, body)
    assert verify_signature(secret, str(NOW + skew), body, signature, now=NOW)


@given(st.binary(min_size=1, max_size=32), st.binary(min_size=1, max_size=256), st.data())
def test_any_changed_byte_or_old_timestamp_fails(
    secret: bytes, body: bytes, data: st.DataObject
) -> None:
    signature = sign(secret, NOW, body)
    i = data.draw(st.integers(0, len(body) - 1))
    flipped = body[:i] + bytes([body[i] ^ 0x01]) + body[i + 1 :]
    assert not verify_signature(secret, str(NOW), flipped, signature, now=NOW)
    assert not verify_signature(
        secret, str(NOW - 301), body, sign(secret, NOW - 301, body), now=NOW
    )
    assert not verify_signature(secret + b"x", str(NOW), body, signature, now=NOW)
    assert not verify_signature(secret, "not-a-time", body, signature, now=NOW)


@given(st.from_regex(r"\+[1-9]\d{7,13}", fullmatch=True), st.text(max_size=40))
def test_scrub_hides_phone_numbers(number: str, noise: str) -> None:
    text = f"The 'To' number {number} is not valid. {noise}"
    assert number not in scrub(text)


def test_scrub_keeps_ids_and_hides_addresses() -> None:
    shown = scrub("sid=SM0123456789abcdef to jane@example.org status=queued (415) 555-0123")
    assert shown == "sid=SM0123456789abcdef to <address> status=queued <number>"


def test_verdicts() -> None:
    assert [verdict_for(s) for s in (200, 201, 202, 204)] == [Verdict.ACCEPTED] * 4
    assert {verdict_for(s) for s in (408, 429, 500, 502, 503, 401, 403)} == {Verdict.TEMPORARY}
    assert {verdict_for(s) for s in (400, 410, 413, 415, 422)} == {Verdict.PERMANENT}
