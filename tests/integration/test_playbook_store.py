"""The SQL store of playbook runs on each backend: one run per name, steps replaced, finish."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from breachdesk.adapters.sql.playbook_runs import SqlPlaybookRunStore
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.services.playbook import StepRecord

T0 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def test_runs_and_steps_round_trip(workspace: Workspace) -> None:
    store = SqlPlaybookRunStore(workspace.engine)
    incident = workspace.cases.open_incident(IncidentDraft(title="t", discovered_at=T0), actor="t")
    assert store.find("acme") is None
    run = store.create("acme", "d" * 64, T0)
    assert run.id > 0
    with pytest.raises(IntegrityError):
        store.create("acme", "e" * 64, T0)  # one run per playbook name
    store.set_incident(run.id, incident.id, T0)
    due = T0 + timedelta(days=3)
    store.record(
        run.id,
        StepRecord("notify", "waiting", "held", T0, "counsel: approve", due),
        incident_id=incident.id,
        actor="t",
    )
    store.record(
        run.id, StepRecord("obligations", "done", "ok", T0), incident_id=incident.id, actor="t"
    )
    store.record(
        run.id,
        StepRecord("notify", "done", "sent", T0 + timedelta(hours=1)),
        incident_id=incident.id,
        actor="t",
    )
    found = store.find("acme")
    assert found is not None
    assert found.incident_id == incident.id
    assert found.finished_at is None
    steps = {s.step: s for s in found.steps}
    assert steps["notify"].state == "done"  # the newer outcome replaced the gate
    assert steps["notify"].summary == "sent"
    assert steps["obligations"].at == T0
    store.record(
        run.id,
        StepRecord("resets", "waiting", "held", T0, "lead", due),
        incident_id=incident.id,
        actor="t",
    )
    again = store.find("acme")
    assert again is not None
    assert {s.step: s for s in again.steps}["resets"].due_at == due
    store.finish(run.id, "f" * 64, T0 + timedelta(hours=2))
    entries = [e for e in workspace.audit.entries(incident.id) if e.action == "playbook.step"]
    assert [e.details["step"] for e in entries] == ["notify", "obligations", "notify", "resets"]
    assert workspace.audit.verify().ok
    done = store.find("acme")
    assert done is not None
    assert done.digest == "f" * 64
    assert done.finished_at == T0 + timedelta(hours=2)


def test_playbook_transports_become_settings_with_secrets_from_the_environment(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from breachdesk.casefile.playbook import parse_playbook
    from breachdesk.cli.run_steps import _with_transports
    from breachdesk.core.errors import ConfigError

    text = (
        "version: 1\nname: x\nincident: {title: t, controller: c, discovered_at: "
        "'2026-11-20T09:00:00Z'}\nnotify:\n  sender: ACME\n  email: privacy@acme.example\n"
        "  measures: m\n  smtp: {host: smtp.acme.example, port: 2525, password_env: PB_SMTP}\n"
        "  sms: {provider: webhook, url: 'http://127.0.0.1:9/sms', secret_env: PB_SMS}\n"
    )
    book = parse_playbook(text, "p.yaml")
    monkeypatch.delenv("PB_SMTP", raising=False)
    with pytest.raises(ConfigError, match="PB_SMTP is not set"):
        _with_transports(workspace, book)
    monkeypatch.setenv("PB_SMTP", "s3cret-value")
    settings = _with_transports(workspace, book).settings
    assert (settings.smtp_host, settings.smtp_port) == ("smtp.acme.example", 2525)
    assert settings.smtp_password is not None
    assert settings.smtp_password.get_secret_value() == "s3cret-value"
    assert (settings.sms_provider, settings.sms_secret_env) == ("webhook", "PB_SMS")
    assert workspace.settings.smtp_host != "smtp.acme.example"  # the workspace is unchanged
