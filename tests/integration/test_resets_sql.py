"""SQL provider campaigns against real SQLite and PostgreSQL user databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from tests.integration.resets_support import (
    TARGET_VAR,
    add_people,
    dump,
    make_target,
    services,
    sql_config,
    sqlite_url,
)

from breachdesk.bootstrap import Workspace, init_workspace, open_workspace
from breachdesk.config import Settings
from breachdesk.core.errors import ConfigError, NotFoundError
from breachdesk.services.reset_ports import ResetState

EMAILS = [f"user{n}@example.com" for n in range(1, 6)]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of the organisation's user database, on each backend."""
    if request.param == "postgres":
        url = str(request.getfixturevalue("pg_database"))
    else:
        url = sqlite_url(tmp_path / "users.db")
    make_target(url, EMAILS[:-1])  # the last person has no account any more
    return url


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    settings = Settings(home=tmp_path / "ws", actor="tester", key=None)
    init_workspace(settings)
    workspace = open_workspace(settings)
    try:
        yield workspace
    finally:
        workspace.close()


def _campaign(ws: Workspace, target: str, config: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    incident = add_people(ws, EMAILS)
    svc, clock = services(ws, {TARGET_VAR: target})
    svc.resets.configure("users", "sql", config or sql_config(target), actor="tester")
    svc.resets.plan(incident, actor="tester")
    return incident, svc, clock


def test_dry_run_shows_statements_and_counts_and_changes_nothing(
    ws: Workspace, target: str
) -> None:
    incident, svc, _ = _campaign(ws, target)
    before = dump(target)
    report = svc.resets.run(incident, "users", actor="tester")
    assert dump(target) == before
    assert not report.execute
    by_account = {p.account.person_id: p for p in report.previews}
    first = next(iter(by_account.values()))
    changes = {c.action.value: c for c in first.changes}
    assert "UPDATE users SET must_change_password" in changes["force_reset"].change
    assert changes["force_reset"].affected == 1
    assert changes["revoke_sessions"].affected == 2
    missing = next(p for p in report.previews if p.login == EMAILS[-1])
    assert {c.action.value: c.affected for c in missing.changes}["force_reset"] == 0
    states = {a.state for a in svc.tracking.status(incident).accounts}
    assert states == {ResetState.PLANNED}


def test_execute_changes_the_rows_once_and_is_idempotent(ws: Workspace, target: str) -> None:
    incident, svc, _ = _campaign(ws, target)
    report = svc.resets.run(incident, "users", actor="tester", execute=True)
    users, sessions = dump(target)
    assert [(u[2], u[3]) for u in users] == [(1, 1)] * 4  # flagged, reset once
    assert sessions == []
    assert report.outcomes == {"flagged": 4, "missing": 1}
    again = svc.resets.run(incident, "users", actor="tester", execute=True)
    assert again.skipped == 5
    assert again.outcomes == {}
    assert [u[3] for u in dump(target)[0]] == [1, 1, 1, 1]
    accounts = {a.person_id: a for a in svc.tracking.status(incident).accounts}
    assert sum(a.state is ResetState.MISSING for a in accounts.values()) == 1
    assert ws.audit.verify().ok


def test_statement_failing_half_way_is_recorded_and_rolled_back(ws: Workspace, target: str) -> None:
    config = sql_config(target)
    # the second statement fails for user3 only (the note column holds 10 characters)
    config["force_reset"] = [
        "UPDATE users SET must_change_password = 1, reset_count = reset_count + 1 "
        "WHERE email = :login",
        "UPDATE users SET note = CASE WHEN email = 'user3@example.com' "
        "THEN 'far too long for the column' ELSE 'ok' END WHERE email = :login",
    ]
    if target.startswith("sqlite"):  # SQLite ignores VARCHAR lengths: fail on a CHECK instead
        engine = create_engine(target)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "CREATE TRIGGER t BEFORE UPDATE OF note ON users "
                    "WHEN length(NEW.note) > 10 BEGIN SELECT RAISE(ABORT, 'too long'); END"
                )
            )
        engine.dispose()
    incident, svc, _ = _campaign(ws, target, config)
    report = svc.resets.run(incident, "users", actor="tester", execute=True)
    users = {u[1]: u for u in dump(target)[0]}
    assert users["user3@example.com"][2:4] == (0, 0)  # nothing of the failed action stayed
    assert users["user1@example.com"][2:4] == (1, 1)  # the campaign went on
    assert report.outcomes["failed"] == 1
    assert len(report.failures) == 1
    failed = [a for a in svc.tracking.status(incident).accounts if a.state is ResetState.FAILED]
    assert len(failed) == 1
    assert failed[0].flagged_at is None
    assert "user3" not in (failed[0].error or "")  # the login never lands in stored errors


def test_unreachable_database_fails_every_account_and_marks_nothing(
    ws: Workspace, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path / "absent" / "users.db")  # folder does not exist: cannot open
    incident, svc, _ = _campaign(ws, url)
    report = svc.resets.run(incident, "users", actor="tester", execute=True)
    assert report.outcomes == {"failed": 5}
    assert all("cannot connect" in why for _, why in report.failures)
    accounts = svc.tracking.status(incident).accounts
    assert all(a.state is ResetState.FAILED and a.flagged_at is None for a in accounts)


def test_unknown_provider_and_secrets_in_clear_are_refused(ws: Workspace, target: str) -> None:
    incident, svc, _ = _campaign(ws, target)
    with pytest.raises(NotFoundError):
        svc.resets.run(incident, "nope", actor="tester")
    with pytest.raises(ConfigError, match="url_env"):
        svc.resets.configure(
            "x", "sql", {"url": "postgresql://u:secret@h/db", "force_reset": "x"}, actor="t"
        )
    with pytest.raises(ConfigError, match="in clear"):
        svc.resets.configure("x", "sql", {**sql_config(target), "password": "p"}, actor="t")
    with pytest.raises(ConfigError, match="not set"):
        services(ws)[0].resets.run(incident, "users", actor="tester")


def test_campaign_with_workspace_on_each_backend(workspace: Workspace, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "users.db")
    make_target(url, EMAILS)
    incident, svc, _ = _campaign(workspace, url)
    report = svc.resets.run(incident, "users", actor="tester", execute=True, batch=2)
    assert report.outcomes == {"flagged": 5}
    assert workspace.audit.verify().ok
    tasks = {t.key: t.status.value for t in workspace.cases.tasks(incident)}
    assert tasks["credentials.plan"] == "done"
    assert tasks["credentials.reset"] == "done"
