"""Per-incident keys, crypto-shredding purges, legal hold, retention and key rotation."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Text, literal, select, type_coerce, update
from tests.integration.test_people import _master

from breachdesk.adapters.crypto import FieldCipher, read_key_file
from breachdesk.adapters.executor import InlineExecutor
from breachdesk.adapters.keyring import KeyId, Keyring, use_key_store
from breachdesk.adapters.sql import tables as t
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import Workspace, init_workspace, open_workspace, protection
from breachdesk.casefile.evidence import EvidenceItem
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.core.errors import CryptoError, IllegalTransitionError
from breachdesk.core.ids import IncidentId
from breachdesk.core.status import CaseStatus
from breachdesk.demodata import MANIFEST_NAME, generate_customer_master, generate_leak
from breachdesk.services.people_views import PeopleFilter
from breachdesk.services.retention import PurgeScope
from breachdesk.testing import FixedClock

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def scenario(tmp_path: Path) -> tuple[Path, list[Path]]:
    master = tmp_path / "master.sqlite"
    generate_customer_master(master, people=25, seed=5)
    generate_leak(master, tmp_path / "leak", seed=5)
    files = sorted(
        p for p in (tmp_path / "leak").rglob("*") if p.is_file() and p.name != MANIFEST_NAME
    )
    return master, files


def _linked(ws: Workspace, scenario: tuple[Path, list[Path]], title: str) -> IncidentId:
    master, files = scenario
    incident = ws.cases.open_incident(IncidentDraft(title, T0), actor="a").id
    ws.scans.scan(files, executor=InlineExecutor(), actor="a", incident_id=incident)
    ws.link.link(incident, _master(master), actor="a")
    return incident


def _raw(ws: Workspace, incident: int) -> tuple[list[str], list[tuple[int, int, str]]]:
    """What a backup holds: the incident's stored tokens and every wrapped data key."""
    with SqlUnitOfWorkFactory(ws.engine)() as uow:
        tokens = uow.protect.tokens(incident)
        keys = [
            (r.incident_id, r.version, r.wrapped)
            for r in uow._conn.execute(select(t.incident_keys))
        ]
    return tokens, keys


def test_values_are_sealed_with_the_incidents_own_key(
    workspace: Workspace, scenario: tuple[Path, list[Path]]
) -> None:
    first = _linked(workspace, scenario, "one")
    second = _linked(workspace, scenario, "two")
    one, _ = _raw(workspace, first)
    two, keys = _raw(workspace, second)
    assert one
    assert two
    assert all(tok.startswith(f"v2:{first}.1:") for tok in one)
    assert all(tok.startswith(f"v2:{second}.1:") for tok in two)
    assert {(i, v) for i, v, _ in keys} == {(first, 1), (second, 1)}
    assert all(p.email is None or "@" in p.email for p in _people(workspace, first))


def _people(ws: Workspace, incident: IncidentId) -> list:  # type: ignore[type-arg]
    return ws.people.listing(incident, PeopleFilter(), actor="a")


def test_purge_shreds_copies_and_audit_still_verifies(
    workspace: Workspace, scenario: tuple[Path, list[Path]]
) -> None:
    doomed = _linked(workspace, scenario, "doomed")
    kept = _linked(workspace, scenario, "kept")
    tokens, keys = _raw(workspace, doomed)  # the copy of the workspace taken before the purge
    prot = protection(workspace)
    result = prot.purge.purge(doomed, PurgeScope.ALL, actor="dpo")
    assert result.keys_destroyed == 1
    assert result.rows["people"] > 0
    assert not _people(workspace, doomed)
    assert _people(workspace, kept)  # the other incident is untouched and readable
    assert workspace.audit.verify().ok
    # with today's key material (key file and key store), the copy's data keys do not open
    ring = Keyring(FieldCipher(read_key_file(workspace.layout.key_file)))
    use_key_store(ring, workspace.layout.key_store)
    for incident_id, version, wrapped in keys:
        with pytest.raises(CryptoError):
            ring.remember(KeyId(incident_id, version), wrapped)
    for token in tokens[:50]:
        with pytest.raises(CryptoError):
            ring.decrypt(token, purpose="people.email")
    entry = next(e for e in workspace.audit.entries(doomed) if e.action == "incident.purged")
    assert entry.details["rows"]["people"] == result.rows["people"]
    assert "@" not in str(entry.details)


def test_purge_of_a_sqlite_file_copy_cannot_be_undone(
    tmp_path: Path, scenario: tuple[Path, list[Path]]
) -> None:
    settings = Settings(home=tmp_path / "ws", actor="a", key=None)
    init_workspace(settings)
    ws = open_workspace(settings)
    try:
        incident = _linked(ws, scenario, "x")
        note = tmp_path / "note.txt"
        note.write_bytes(SECRET_NOTE)
        item = ws.evidence.add(incident, note, actor="a").item
        backup = tmp_path / "backup"
        backup.mkdir()
        with sqlite3.connect(settings.home / "breachdesk.db") as src:
            src.execute("PRAGMA wal_checkpoint(FULL)")
        for name in ("breachdesk.db", "key", "keks"):
            shutil.copy2(settings.home / name, backup / name)
        shutil.copytree(settings.home / "evidence", backup / "evidence")
        copy = Settings(home=backup, actor="a", key=None)
        blob = backup / "evidence" / "sha256" / item.sha256[:2] / item.sha256
        assert SECRET_NOTE not in blob.read_bytes()  # the copied file itself is sealed
        assert _read_evidence(copy, item) == SECRET_NOTE  # with the key material of the time
        protection(ws).purge.purge(incident, PurgeScope.ALL, actor="dpo")
        assert ws.audit.verify().ok
    finally:
        ws.close()
    (backup / "keks").unlink()
    shutil.copy2(settings.home / "keks", backup / "keks")  # today's key material
    old = open_workspace(copy)
    try:
        with pytest.raises(CryptoError):
            _people(old, incident)
    finally:
        old.close()
    assert blob.is_file()  # the copy still holds the file, but nothing opens it any more
    with pytest.raises(CryptoError):
        _read_evidence(copy, item)


SECRET_NOTE = b"ticket 4711: the attacker used the vpn account of j.doe\n"


def _read_evidence(settings: Settings, item: EvidenceItem) -> bytes:
    """Decrypt a stored evidence file of a workspace with the key material it has now."""
    ws = open_workspace(settings)
    try:
        with ws.evidence.open(item) as fh:
            return fh.read()
    finally:
        ws.close()


def test_legal_hold_blocks_purge_and_enforce_purges_only_what_is_due(
    settings: Settings, scenario: tuple[Path, list[Path]]
) -> None:
    clock = FixedClock(T0)
    init_workspace(settings, clock)
    ws = open_workspace(settings, clock)
    try:
        held = _linked(ws, scenario, "held")
        due = _linked(ws, scenario, "due")
        young = _linked(ws, scenario, "young")
        prot = protection(ws, clock)
        prot.retention.set(
            held, actor="dpo", keep_people_days=30, legal_hold=True, reason="lawsuit"
        )
        prot.retention.set(due, actor="dpo", keep_people_days=30, keep_evidence_days=3650)
        prot.retention.set(young, actor="dpo", keep_people_days=400)
        for incident in (held, due, young):
            ws.cases.change_status(incident, CaseStatus.CLOSED, actor="a")
        with pytest.raises(IllegalTransitionError, match="legal hold"):
            prot.purge.purge(held, PurgeScope.ALL, actor="dpo")
        clock.advance(timedelta(days=31))
        items = {(i.incident_id, i.what.value): i for i in prot.retention.due()}
        assert items[(held, "people")].due
        assert items[(held, "people")].held
        assert items[(due, "people")].due
        assert not items[(due, "evidence")].due
        assert not items[(young, "people")].due
        done = prot.purge.enforce(prot.retention, actor="retention")
        assert [(r.incident_id, r.what) for r in done] == [(due, PurgeScope.PEOPLE)]
        assert not _people(ws, due)
        assert _people(ws, held)
        assert _people(ws, young)
        assert prot.purge.enforce(prot.retention, actor="retention") == []  # nothing twice
        assert ws.audit.verify().ok
    finally:
        ws.close()


def _plain(ws: Workspace, incident: int) -> list[tuple[str, str | None, str | None]]:
    p = t.people
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(p.c.person_ref, p.c.email, p.c.name)
            .where(p.c.incident_id == incident)
            .order_by(p.c.person_ref)
        )
        found = [(r.person_ref, r.email, r.name) for r in rows]
    assert any(email for _, email, _ in found)
    return found


def test_rotation_reseals_every_value_and_keeps_them_readable(
    workspace: Workspace, scenario: tuple[Path, list[Path]]
) -> None:
    incident = _linked(workspace, scenario, "r")
    before = _plain(workspace, incident)
    tokens, _ = _raw(workspace, incident)
    prot = protection(workspace)
    result = prot.purge.rotate(incident, actor="a")
    assert result.resealed == len(tokens)
    after, _keys = _raw(workspace, incident)
    assert after
    assert all(tok.startswith(f"v2:{incident}.2:") for tok in after)
    assert not set(after) & set(tokens)
    assert _plain(workspace, incident) == before
    with SqlUnitOfWorkFactory(workspace.engine)() as uow:
        assert uow.protect.key_versions(incident) == [(1, True), (2, False)]
    prot.purge.rotate(None, actor="a")  # new key-encryption key: every data key re-wrapped
    assert _plain(workspace, incident) == before
    assert workspace.audit.verify().ok


def test_values_from_before_incident_keys_stay_readable_and_rotation_moves_them(
    workspace: Workspace, scenario: tuple[Path, list[Path]]
) -> None:
    incident = _linked(workspace, scenario, "old")
    before = _plain(workspace, incident)
    p = t.people
    raw = type_coerce(p.c.email, Text)
    with workspace.engine.begin() as conn:  # as a workspace from before per-incident keys wrote it
        for ref, email, _ in before:
            if email is not None:
                token = workspace.cipher.encrypt(email, purpose="people.email")
                conn.execute(
                    update(p).where(p.c.person_ref == ref).values(email=literal(token, Text))
                )
    tokens, _ = _raw(workspace, incident)
    assert any(tok.startswith("v1:") for tok in tokens)
    assert _plain(workspace, incident) == before
    protection(workspace).purge.rotate(incident, actor="a")
    tokens, _ = _raw(workspace, incident)
    assert not [tok for tok in tokens if not tok.startswith(f"v2:{incident}.2:")]
    assert _plain(workspace, incident) == before
    with workspace.engine.connect() as conn:
        assert conn.execute(select(raw).where(raw.like("v1:%"))).first() is None


def test_purging_evidence_removes_files_and_keeps_people_readable(
    workspace: Workspace, scenario: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    incident = _linked(workspace, scenario, "ev")
    sample = tmp_path / "note.txt"
    sample.write_text("evidence only this incident holds\n")
    item = workspace.evidence.add(incident, sample, actor="a", description="note").item
    blob = workspace.layout.evidence / "sha256" / item.sha256[:2] / item.sha256
    assert blob.is_file()
    people = _plain(workspace, incident)
    stored = len(workspace.evidence.items(incident))  # the scanned files and the note
    result = protection(workspace).purge.purge(incident, PurgeScope.EVIDENCE, actor="dpo")
    assert result.rows["evidence_items"] == stored
    assert result.files >= 1
    assert not blob.exists()
    assert workspace.evidence.items(incident) == []
    assert _plain(workspace, incident) == people  # re-sealed under a fresh key, still readable
    assert workspace.audit.verify().ok
    with SqlUnitOfWorkFactory(workspace.engine)() as uow:
        assert [v for v, _ in uow.protect.key_versions(incident)] == [2]
