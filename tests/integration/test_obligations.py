"""Obligations through the database: evaluation from the manifest, proof, facts, rule folders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from breachdesk.adapters.customer_master import load_customer_master
from breachdesk.adapters.executor import InlineExecutor
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.demodata import MANIFEST_NAME, generate_customer_master, generate_leak
from breachdesk.rules.registry import shipped_folder

DISCOVERED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)  # long past: every deadline has passed


def _linked(ws: Workspace, tmp_path: Path, discovered: datetime = DISCOVERED) -> IncidentId:
    master = tmp_path / "master.sqlite"
    generate_customer_master(master, people=150, seed=5)
    generate_leak(master, tmp_path / "leak", seed=5, spreadsheet=False)
    files = [p for p in sorted((tmp_path / "leak").glob("*.*")) if p.name != MANIFEST_NAME]
    incident = ws.cases.open_incident(IncidentDraft("Leak", discovered), actor="a").id
    ws.scans.scan(files, executor=InlineExecutor(), actor="a", incident_id=incident)
    ws.link.link(incident, load_customer_master(str(master)), actor="a")
    return incident


def test_obligations_follow_residence_and_elements(workspace: Workspace, tmp_path: Path) -> None:
    incident = _linked(workspace, tmp_path)
    outcome = workspace.obligations.evaluate(incident, actor="counsel")
    owed = {(o.jurisdiction, o.recipient): o for o in outcome.evaluation.obligations}
    # GDPR Art. 33: 72 hours from awareness to the supervisory authority.
    gdpr = owed[("EU", "regulator")]
    assert gdpr.due_at == datetime(2026, 1, 8, 9, 30, tzinfo=UTC)
    assert gdpr.people > 0
    # UK GDPR: the ICO, also 72 hours.
    assert owed[("GB", "regulator")].due_at == datetime(2026, 1, 8, 9, 30, tzinfo=UTC)
    states = {j for j, _ in owed if j.startswith("US-")}
    assert len(states) >= 5
    assert all(o.explanation for o in outcome.evaluation.obligations)
    assert "not legal advice" in " ".join(outcome.evaluation.notes).lower()
    assert workspace.audit.verify().ok
    again = workspace.obligations.evaluate(incident, actor="counsel")
    assert again.changes == []  # nothing changed: nothing new is recorded


def test_marking_met_freezes_lateness_and_keeps_proof(workspace: Workspace, tmp_path: Path) -> None:
    incident = _linked(workspace, tmp_path)
    stored = workspace.obligations.evaluate(incident, actor="a").stored
    gdpr = next(o for o in stored if o.key.startswith("eu-gdpr-art33:"))
    proof = tmp_path / "receipt.pdf"
    proof.write_bytes(b"%PDF-1.4 supervisory authority receipt")
    evidence = workspace.evidence.add(incident, proof, actor="dpo").item.id
    met = workspace.obligations.mark_met(
        incident, gdpr.key, actor="dpo", note="filed online", evidence_id=evidence
    )
    assert met.late is True
    assert met.proof_evidence_id == evidence
    with pytest.raises(InvalidInputError, match="already met"):
        workspace.obligations.mark_met(incident, gdpr.key, actor="dpo", note="x", evidence_id=None)
    with pytest.raises(InvalidInputError, match="proof"):
        workspace.obligations.mark_met(
            incident, str(stored[0].id), actor="dpo", note=None, evidence_id=None
        )
    workspace.obligations.set_facts(incident, {"determined_at": DISCOVERED}, actor="a")
    kept = next(
        o for o in workspace.obligations.evaluate(incident, actor="a").stored if o.key == gdpr.key
    )
    assert (kept.met_at, kept.late, kept.proof_evidence_id) == (met.met_at, True, evidence)
    assert workspace.audit.verify().ok


def test_changing_facts_re_evaluates_and_audits_the_diff(
    workspace: Workspace, tmp_path: Path
) -> None:
    incident = _linked(workspace, tmp_path)
    before = workspace.obligations.evaluate(incident, actor="a")
    outcome = workspace.obligations.set_facts(
        incident, {"encrypted": True, "key_exposed": False}, actor="ciso"
    )
    assert any(c.change == "no_longer_owed" for c in outcome.changes)
    still = {o.key for o in outcome.stored if o.active}
    assert len(still) < len({o.key for o in before.stored if o.active})
    actions = [e.action for e in workspace.audit.entries(incident)]
    assert "facts.changed" in actions
    assert actions.count("obligations.evaluated") == 2
    back = workspace.obligations.set_facts(incident, {"key_exposed": True}, actor="ciso")
    assert any(c.change in ("active", "added") for c in back.changes)
    assert workspace.audit.verify().ok


def test_a_user_folder_overrides_and_adds_rules(workspace: Workspace, tmp_path: Path) -> None:
    incident = _linked(workspace, tmp_path)
    folder = tmp_path / "our-rules"
    folder.mkdir()
    shipped = yaml.safe_load((Path(str(shipped_folder())) / "us" / "us-ca.yaml").read_text())
    shipped["notices"][0]["deadline"] = {"within": {"days": 10}, "from": "discovery"}
    (folder / "us-ca.yaml").write_text(yaml.safe_dump(shipped))
    outcome = workspace.obligations.evaluate(incident, actor="a", rule_folders=[folder])
    ca = next(
        o
        for o in outcome.evaluation.obligations
        if o.rule_id == shipped["id"] and o.recipient == "individuals"
    )
    assert ca.due_local is not None
    assert ca.due_local.startswith("2026-01-15")  # 10 days after discovery, local end of day
    extra = {**shipped, "id": "us-ca-our-own-policy", "title": "Our own stricter policy"}
    (folder / "extra.yaml").write_text(yaml.safe_dump(extra))
    added = workspace.obligations.evaluate(incident, actor="a", rule_folders=[folder])
    assert any(o.rule_id == "us-ca-our-own-policy" for o in added.evaluation.obligations)
    (folder / "bad.yaml").write_text("id: x\nnonsense_key: 1\n")
    with pytest.raises(InvalidInputError, match=r"bad\.yaml"):
        workspace.obligations.evaluate(incident, actor="a", rule_folders=[folder])


def test_law_enforcement_delay_is_recorded_and_applied_only_where_allowed(
    workspace: Workspace, tmp_path: Path
) -> None:
    from breachdesk.services.obligations import ContactDraft

    incident = _linked(workspace, tmp_path)
    before = {o.key: o for o in workspace.obligations.evaluate(incident, actor="a").stored}
    contact, outcome = workspace.obligations.record_contact(
        incident,
        ContactDraft(
            at=datetime(2026, 1, 6, tzinfo=UTC),
            authority="FBI field office",
            channel="phone",
            reference="case 42",
            jurisdiction="US-CA",
            delay_requested=True,
            delay_until=datetime(2026, 3, 1, tzinfo=UTC),
        ),
        actor="ciso",
    )
    assert contact.id > 0
    assert [c.authority for c in workspace.obligations.contacts(incident)] == ["FBI field office"]
    after = {o.key: o for o in outcome.stored}
    changed = {c.key for c in outcome.changes}
    # Cal. Civ. Code 1798.82(c) allows law enforcement to delay notice: California's clock moves;
    # a delay request for US-CA touches no other jurisdiction's obligations.
    assert any(k.startswith("us-ca") and k.endswith(":individuals") for k in changed)
    assert all(k.startswith("us-ca") for k in changed)
    assert all(after[k].due_at == before[k].due_at for k in before if k not in changed)
    with pytest.raises(InvalidInputError, match="jurisdiction"):
        workspace.obligations.record_contact(
            incident,
            ContactDraft(at=DISCOVERED, authority="police", channel="phone", delay_requested=True),
            actor="ciso",
        )
    assert workspace.audit.verify().ok
