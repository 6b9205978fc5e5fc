"""Reading completion times back from LDAP: GeneralizedTime (OpenLDAP) and FILETIME (AD)."""

from __future__ import annotations

from datetime import UTC, datetime

from breachdesk.adapters.resets.ldap import _filetime, _generalized


def test_active_directory_filetime() -> None:
    # 2026-11-29 08:00:00 UTC as 100-ns intervals since 1601-01-01
    stamp = int(
        (datetime(2026, 11, 29, 8, tzinfo=UTC) - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds()
        * 10_000_000
    )
    assert _filetime(stamp) == datetime(2026, 11, 29, 8, tzinfo=UTC)
    assert _filetime(0) is None  # pwdLastSet = 0: a change is required, never changed since
    assert _filetime("0") is None


def test_openldap_generalized_time() -> None:
    assert _generalized("20261129080000Z") == datetime(2026, 11, 29, 8, tzinfo=UTC)
    assert _generalized(datetime(2026, 11, 29, 8)) == datetime(2026, 11, 29, 8, tzinfo=UTC)
    assert _generalized(None) is None
