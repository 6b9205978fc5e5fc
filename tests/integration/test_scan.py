"""Scanning leaked files: storage for an incident, no raw values anywhere, executors agree."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from breachdesk.adapters.executor import DaskExecutor, InlineExecutor, LocalExecutor
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.services.scan import match_purpose, scan_files

EMAILS = ["ana.alves@example.com", "ben.brandt@example.org", "chloe.costa@example.net"]
PHONES = ["(415) 555-2671", "(212) 555-0187", "(646) 555-0142"]
CARDS = ["4111 1111 1111 1111", "5500 0000 0000 0004", "3400 000000 00009"]
NAMES = [("Ana", "Alves"), ("Ben", "Brandt"), ("Chloe", "Costa")]


def leak(folder: Path, rows: int = 30) -> list[Path]:
    """A small leaked export with known values, and a support ticket in prose."""
    folder.mkdir(parents=True, exist_ok=True)
    export = folder / "export.csv"
    lines = ["customer_id,first_name,last_name,email,phone,card_number,order_total,notes"]
    for n in range(rows):
        first, last = NAMES[n % 3]
        lines.append(
            f'{5000 + n},{first},{last},{EMAILS[n % 3]},"{PHONES[n % 3]}",'
            f'{CARDS[n % 3]},{n * 3}.50,"{"please call me back" if n % 2 else ""}"'
        )
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ticket = folder / "ticket.txt"
    ticket.write_text(f"Customer wrote from {EMAILS[0]} about card {CARDS[0]}.\n")
    return [export, ticket]


def raw_values() -> list[str]:
    digits = [c.replace(" ", "") for c in CARDS]
    return [*EMAILS, *PHONES, *CARDS, *digits, "Alves", "Brandt", "Costa"]


def test_scan_for_incident_stores_hashes_and_ciphertext_only(
    workspace: Workspace, tmp_path: Path
) -> None:
    incident = workspace.cases.open_incident(
        IncidentDraft("Leak", datetime(2026, 11, 20, tzinfo=UTC)), actor="a"
    )
    paths = leak(tmp_path / "leak")
    outcomes = workspace.scans.scan(
        paths, executor=InlineExecutor(), actor="a", incident_id=incident.id
    )
    export = outcomes[0]
    assert export.stored is not None
    assert export.stored.created
    assert export.stored.records == 30
    assert {c.name: c.element for c in export.report.columns}["email"] == "email"
    assert export.report.elements["payment_card"] == 30
    again = workspace.scans.scan(
        paths, executor=InlineExecutor(), actor="a", incident_id=incident.id
    )
    assert again[0].stored is not None
    assert not again[0].stored.created
    assert len(workspace.evidence.items(incident.id)) == 2
    assert workspace.audit.verify().ok

    meta = MetaData()
    meta.reflect(workspace.engine)
    dump = []
    with workspace.engine.connect() as conn:
        for table in meta.sorted_tables:
            dump.extend(str(v) for row in conn.execute(select(table)) for v in row)
    text = "\n".join(dump).lower()
    for value in raw_values():
        assert value.lower() not in text, "a raw value reached the database"
    expected = workspace.cipher.keyed_hash(EMAILS[0], purpose=match_purpose("email"))
    assert expected in text


def test_report_and_output_carry_no_raw_values(tmp_path: Path) -> None:
    scanned = scan_files(leak(tmp_path / "leak"), executor=InlineExecutor())
    export, ticket = (f.report for f in scanned)
    text = json.dumps([export.as_json(), ticket.as_json()]).lower()
    for value in raw_values():
        assert value.lower() not in text
    assert "a***@example.com" in text
    assert "repr" not in repr(export)  # sanity: repr renders without values
    assert ticket.elements["email"] == 1


def _signature(results: list) -> list:
    return [
        (report.as_json(), [(h.table, h.row, h.elements, h.identifiers) for h in hits])
        for f in results
        for report, hits in [(f.report, f.hits)]
    ]


@pytest.mark.slow
def test_process_pool_and_dask_equal_single_process(tmp_path: Path) -> None:
    from distributed import LocalCluster

    paths = leak(tmp_path / "leak", rows=3000)
    single = _signature(
        scan_files(paths, executor=InlineExecutor(), collect=True, split_bytes=16_384)
    )
    pool = _signature(
        scan_files(paths, executor=LocalExecutor(2), collect=True, split_bytes=16_384)
    )
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        executor = DaskExecutor(cluster)
        try:
            dask = _signature(
                scan_files(paths, executor=executor, collect=True, split_bytes=16_384)
            )
        finally:
            executor.close()
    assert single[0][0]["records"] == 3000
    assert single == pool == dask


def test_spool_round_trip_is_encrypted(tmp_path: Path) -> None:
    from breachdesk.adapters.spool import EncryptedSpool
    from breachdesk.discovery.result import RecordHit

    spool = EncryptedSpool()
    hits = [RecordHit("t", n, ("email",), (("email", f"user{n}@example.com"),)) for n in range(500)]
    spool.write(hits[:200])
    spool.write(hits[200:])
    assert spool.count == 500
    assert list(spool) == hits
    spool._fh.seek(0)
    assert b"example.com" not in spool._fh.read()
    spool.close()
