"""Helpers for the credential-reset integration tests: a workspace with people, target DBs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import CredentialResets, Workspace, credential_resets
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.ids import IncidentId
from breachdesk.services.ports import PeopleWrite, PersonRow
from breachdesk.services.state import people_state, people_subject
from breachdesk.testing import FixedClock

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def add_people(
    ws: Workspace, emails: list[str], elements: str = "email,password_hash"
) -> IncidentId:
    """An incident whose affected people are ``emails`` with ``elements`` exposed (audited)."""
    incident = ws.cases.open_incident(
        IncidentDraft(title="resets", discovered_at=T0), actor="tester"
    )
    rows = [
        PersonRow(
            f"ref{n}",
            True,
            f"c{n}",
            "US",
            "US-CA",
            "master",
            elements,
            "",
            1,
            False,
            name=f"Person {n}",
            email=email,
        )
        for n, email in enumerate(emails)
    ]
    uow = SqlUnitOfWorkFactory(ws.engine)
    with uow() as tx:
        tx.people.replace(incident.id, PeopleWrite(rows, [], [], [], []))
        tx.people.add_run(
            incident.id, label="test", keys="email", fuzzy=False, stats="{}", actor="tester", at=T0
        )
        tx.audit.append(
            AuditDraft(
                at=T0,
                actor="tester",
                action=AuditAction.PEOPLE_LINKED,
                subject=people_subject(incident.id),
                incident_id=incident.id,
                state_hash=people_state(tx, incident.id),
            )
        )
        tx.commit()
    return incident.id


def services(
    ws: Workspace, env: dict[str, str] | None = None
) -> tuple[CredentialResets, FixedClock]:
    clock = FixedClock(T0)
    return credential_resets(ws, clock, env or {}), clock


USERS_DDL = [
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE, "
    "must_change_password INTEGER NOT NULL DEFAULT 0, reset_count INTEGER NOT NULL DEFAULT 0, "
    "note VARCHAR(10), password_changed_at VARCHAR(40))",
    "CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL)",
]


def make_target(url: str, emails: list[str], sessions: int = 2) -> None:
    """The organisation's user database: users (with a reset counter) and their sessions."""
    engine = create_engine(url)
    with engine.begin() as conn:
        for ddl in USERS_DDL:
            conn.execute(text(ddl))
        for n, email in enumerate(emails, start=1):
            conn.execute(
                text("INSERT INTO users (id, email) VALUES (:i, :e)"), {"i": n, "e": email}
            )
            for s in range(sessions):
                conn.execute(
                    text("INSERT INTO sessions (id, user_id) VALUES (:s, :i)"),
                    {"s": n * 100 + s, "i": n},
                )
    engine.dispose()


def dump(url: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every row of the target, to compare before and after."""
    engine = create_engine(url)
    with engine.connect() as conn:
        users = [tuple(r) for r in conn.execute(text("SELECT * FROM users ORDER BY id"))]
        sessions = [tuple(r) for r in conn.execute(text("SELECT * FROM sessions ORDER BY id"))]
    engine.dispose()
    return users, sessions


TARGET_VAR = "TARGET_DATABASE_URL"


def sql_config(url: str) -> dict[str, object]:
    """Provider configuration for the target made by ``make_target`` (URL by variable)."""
    return {
        "url_env": TARGET_VAR,
        "force_reset": "UPDATE users SET must_change_password = 1, reset_count = reset_count + 1 "
        "WHERE email = :login",
        "revoke_sessions": "DELETE FROM sessions WHERE user_id IN "
        "(SELECT id FROM users WHERE email = :login)",
        "flagged": "SELECT must_change_password FROM users WHERE email = :login",
        "completed": "SELECT 1 FROM users WHERE email = :login AND must_change_password = 0 "
        "AND password_changed_at IS NOT NULL",
    }


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
