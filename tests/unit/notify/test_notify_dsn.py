"""DSN parsing against delivery status notifications that Postfix wrote (tests/data/dsn)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.notify.dsn import Dsn, DsnAction, DsnError, parse_dsn

DATA = Path(__file__).parents[2] / "data" / "dsn"


def _sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_unknown_user_is_a_permanent_failure_of_our_message() -> None:
    dsn = parse_dsn(_sample("failed-2.eml"))
    assert (dsn.outbox_id, dsn.incident_id) == (2, 1)
    assert dsn.action is DsnAction.FAILED
    assert dsn.status == "5.1.1"
    assert "unknown user" in dsn.diagnostic
    # The local part Postfix quotes is personal data: it never reaches the ledger.
    assert "bd-missing" not in dsn.diagnostic
    assert "bd-missing" not in dsn.response()
    assert dsn.response().startswith(dsn.marker + " failed 5.1.1")


def test_delay_warning_is_temporary_and_read_from_returned_headers() -> None:
    dsn = parse_dsn(_sample("delayed-3.eml"))
    assert (dsn.outbox_id, dsn.incident_id, dsn.action) == (3, 1, DsnAction.DELAYED)
    assert dsn.status.startswith("4.")


def test_each_dsn_has_its_own_stable_marker() -> None:
    markers = {parse_dsn(_sample(n)).marker for n in ("failed-2.eml", "failed-4.eml")}
    assert len(markers) == 2
    assert parse_dsn(_sample("failed-2.eml")).marker == parse_dsn(_sample("failed-2.eml")).marker


def test_an_ordinary_message_is_not_a_dsn() -> None:
    with pytest.raises(DsnError, match="not a multipart/report"):
        parse_dsn(_sample("delivered-1.eml"))


def test_report_without_status_part_is_refused() -> None:
    data = _sample("failed-2.eml").replace(b"message/delivery-status", b"text/plain")
    with pytest.raises(DsnError, match="no message/delivery-status"):
        parse_dsn(data)


def test_dsn_about_someone_elses_message_is_refused() -> None:
    data = _sample("failed-2.eml").replace(b"<outbox-2.1@", b"<other-2.1@")
    with pytest.raises(DsnError, match="not one of ours"):
        parse_dsn(data)


def _outcome(data: bytes) -> Dsn | DsnError:
    """The parse result, or the DsnError; any other exception fails the test."""
    try:
        return parse_dsn(data)
    except DsnError as exc:
        return exc


@pytest.mark.parametrize("cut", [200, 900, 1500])
def test_truncated_dsn_is_refused_or_parsed_never_crashes(cut: int) -> None:
    result = _outcome(_sample("failed-2.eml")[:cut])
    if isinstance(result, DsnError):
        assert "@" not in str(result)
    else:
        assert result.outbox_id == 2


@given(st.binary(max_size=2_000))
def test_arbitrary_bytes_raise_dsn_error_only(data: bytes) -> None:
    assert isinstance(_outcome(data), Dsn | DsnError)


@given(st.integers(min_value=0, max_value=2_914), st.binary(max_size=40))
def test_corrupted_real_dsn_raises_dsn_error_only(at: int, noise: bytes) -> None:
    data = _sample("failed-2.eml")
    result = _outcome(data[:at] + noise + data[at + len(noise) :])
    assert isinstance(result, Dsn | DsnError)
    if isinstance(result, DsnError):
        assert "@" not in str(result)
