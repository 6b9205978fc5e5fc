"""Two `notify send` processes share one campaign: every notice is delivered exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from breachdesk.adapters.mail_sink import MailSink, message_ids
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.core.delivery import DeliveryState
from breachdesk.core.obligation import ContactInfo
from breachdesk.services.campaign import CampaignContent
from breachdesk.services.ports import PeopleWrite, PersonRow

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PEOPLE = 300


def _row(n: int) -> PersonRow:
    return PersonRow(
        person_ref=f"p{n}",
        known=True,
        customer_ref=None,
        country="US",
        region="US-CA",
        residence_source="master",
        elements="person_name,ssn",
        flags="",
        records=1,
        review=False,
        name=f"Person {n}",
        email=f"person{n}@example.org",
    )


def _env(settings: Settings, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDESK_")}
    env.update(
        BREACHDESK_HOME=str(settings.home),
        BREACHDESK_ACTOR="sender",
        BREACHDESK_SMTP_HOST="127.0.0.1",
        BREACHDESK_SMTP_PORT=str(port),
        BREACHDESK_SMTP_FROM="notices@acme.test",
    )
    if settings.database_url:
        env["BREACHDESK_DATABASE_URL"] = settings.database_url
    return env


def test_two_senders_share_a_campaign(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    incident = workspace.cases.open_incident(IncidentDraft("Leak", T0), actor="a").id
    uow = SqlUnitOfWorkFactory(workspace.engine)()
    with uow:
        rows = [_row(n) for n in range(PEOPLE)]
        uow.people.replace(incident, PeopleWrite(rows, (), (), (), ()))
        uow.commit()
    content = CampaignContent("ACME", ContactInfo("ACME"), "We closed the endpoint.")
    workspace.campaigns.approve(incident, content, actor="counsel", role="counsel")
    with MailSink(tmp_path / "mail") as sink:
        command = [sys.executable, "-m", "breachdesk", "notify", "send", str(incident)]
        senders = [
            subprocess.Popen(
                [*command, "--concurrency", "4", "--json"],
                env=_env(settings, sink.port),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [s.communicate(timeout=300) for s in senders]
    assert [s.returncode for s in senders] == [0, 0], outputs
    found = Counter(message_ids(tmp_path / "mail"))
    assert len(found) == PEOPLE
    assert set(found.values()) == {1}
    counts = workspace.campaigns.counts(incident)
    assert counts == {("email", DeliveryState.DELIVERED): PEOPLE}
    queued = [e for e in workspace.audit.entries(incident) if e.action == "notices.queued"]
    assert sum(int(e.details["count"]) for e in queued) == PEOPLE
