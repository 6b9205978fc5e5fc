"""LDAP provider campaigns against a real OpenLDAP with the ppolicy overlay (started by .ci/run)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.integration.resets_support import add_people, services

from breachdesk.bootstrap import Workspace, init_workspace, open_workspace
from breachdesk.config import Settings
from breachdesk.services.reset_ports import ResetState

URL_VAR, REQUIRED_VAR = "BREACHDESK_TEST_LDAP_URL", "BREACHDESK_REQUIRE_LDAP"
PW_VAR = "BREACHDESK_TEST_LDAP_PASSWORD"


def _ldap() -> dict[str, str]:
    url = os.environ.get(URL_VAR)
    if not url:
        if os.environ.get(REQUIRED_VAR) == "1":
            pytest.fail(f"{REQUIRED_VAR}=1 but {URL_VAR} is not set")
        pytest.skip(f"no LDAP server: set {URL_VAR} (see .ci/run) to run this test")
    return {
        "url": url,
        "base": os.environ["BREACHDESK_TEST_LDAP_BASE"],
        "bind_dn": os.environ["BREACHDESK_TEST_LDAP_BIND_DN"],
        "password": os.environ[PW_VAR],
    }


@pytest.fixture
def directory() -> Iterator[tuple[dict[str, str], Any, list[str]]]:
    """An admin connection and a fresh set of people in ``ou=people`` (removed afterwards)."""
    import ldap3

    info = _ldap()
    conn = ldap3.Connection(
        ldap3.Server(info["url"]), info["bind_dn"], info["password"], auto_bind=True
    )
    tag = uuid.uuid4().hex[:8]
    emails = [f"ldap{n}-{tag}@example.com" for n in range(3)]
    dns = []
    for n, email in enumerate(emails[:2]):  # the third person has no entry
        dn = f"uid=u{n}-{tag},{info['base']}"
        attrs = {"cn": f"U {n}", "sn": "U", "mail": email, "userPassword": f"Initial-{tag}"}
        assert conn.add(dn, ["inetOrgPerson"], attrs), conn.result
        dns.append(dn)
    try:
        yield info, conn, emails
    finally:
        for dn in dns:
            conn.delete(dn)
        conn.unbind()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    settings = Settings(home=tmp_path / "ws", actor="tester", key=None)
    init_workspace(settings)
    workspace = open_workspace(settings)
    try:
        yield workspace
    finally:
        workspace.close()


def _config(info: dict[str, str], **over: str) -> dict[str, str]:
    return {
        "url": info["url"],
        "bind_dn": info["bind_dn"],
        "password_env": "LDAP_PW",
        "base": info["base"],
        "filter": "(mail={login})",
        **over,
    }


def _reset_attr(conn: Any, base: str, email: str) -> Any:
    """The entry's pwdReset values as the directory holds them (None when absent)."""
    conn.search(base, f"(mail={email})", attributes=["pwdReset"])
    values = conn.entries[0].entry_attributes_as_dict.get("pwdReset") if conn.entries else None
    return values or None


def test_force_reset_sets_pwdreset_and_dry_run_changes_nothing(ws: Workspace, directory) -> None:  # type: ignore[no-untyped-def]
    info, conn, emails = directory
    incident = add_people(ws, emails)
    svc, _ = services(ws, {"LDAP_PW": info["password"]})
    svc.resets.configure("dir", "ldap", _config(info), actor="tester")
    svc.resets.plan(incident, actor="tester")
    dry = svc.resets.run(incident, "dir", actor="tester")
    assert all(_reset_attr(conn, info["base"], e) is None for e in emails[:2])
    touch = sorted(
        c.affected or 0 for p in dry.previews for c in p.changes if c.action.value == "force_reset"
    )
    assert touch == [0, 1, 1]
    report = svc.resets.run(incident, "dir", actor="tester", execute=True)
    assert [_reset_attr(conn, info["base"], e) for e in emails[:2]] == [[True], [True]]
    assert report.outcomes == {"flagged": 2, "missing": 1}
    # a directory holds no sessions: that action is left for another provider, never marked done
    flagged = [a for a in svc.tracking.status(incident).accounts if a.state is ResetState.FLAGGED]
    assert [a.done_actions for a in flagged] == [("force_reset",), ("force_reset",)]
    assert ws.audit.verify().ok


def test_completion_is_read_back_and_closes_the_task(ws: Workspace, directory) -> None:  # type: ignore[no-untyped-def]
    import ldap3

    info, conn, emails = directory
    incident = add_people(ws, emails[:2])
    svc, clock = services(ws, {"LDAP_PW": info["password"]})
    svc.resets.configure("dir", "ldap", _config(info), actor="tester")
    # the directory stamps pwdChangedTime with real time: flag the accounts an hour ago
    clock.advance(datetime.now(UTC) - timedelta(hours=1) - clock.now())
    svc.resets.plan(incident, actor="tester")
    svc.resets.run(incident, "dir", actor="tester", execute=True)
    status = svc.tracking.poll(incident, actor="tester", close_at=0.5)
    assert status.newly_completed == 0
    # the first person changes the password themselves (ppolicy clears pwdReset)
    conn.search(info["base"], f"(mail={emails[0]})")
    dn = conn.entries[0].entry_dn
    tag = dn.split("-", 1)[1].split(",", 1)[0]
    user = ldap3.Connection(ldap3.Server(info["url"]), dn, f"Initial-{tag}", auto_bind=True)
    assert user.extend.standard.modify_password(dn, f"Initial-{tag}", f"Changed-{tag}-x")
    user.unbind()
    assert _reset_attr(conn, info["base"], emails[0]) is None
    status = svc.tracking.poll(incident, actor="tester", close_at=0.5)
    assert status.newly_completed == 1
    assert status.counts == {"completed": 1, "flagged": 1}
    assert status.task_closed
    tasks = {t.key: t.status.value for t in ws.cases.tasks(incident)}
    assert tasks["credentials.track"] == "done"


def test_wrong_credentials_and_unreachable_directory_fail_each_account(
    ws: Workspace, directory
) -> None:  # type: ignore[no-untyped-def]
    info, conn, emails = directory
    incident = add_people(ws, emails)
    svc, _ = services(ws, {"LDAP_PW": "wrong-password"})
    svc.resets.configure("dir", "ldap", _config(info), actor="tester")
    svc.resets.configure("down", "ldap", _config(info, url="ldap://127.0.0.1:9"), actor="tester")
    svc.resets.plan(incident, actor="tester")
    wrong = svc.resets.run(incident, "dir", actor="tester", execute=True)
    assert wrong.outcomes == {"failed": 3}
    assert all("wrong bind DN or password" in why for _, why in wrong.failures)
    down = svc.resets.run(incident, "down", actor="tester", execute=True)
    assert down.outcomes == {"failed": 3}
    assert all("unreachable" in why for _, why in down.failures)
    assert all(_reset_attr(conn, info["base"], e) is None for e in emails[:2])
    accounts = svc.tracking.status(incident).accounts
    assert all(a.state is ResetState.FAILED and a.flagged_at is None for a in accounts)
    # with the right secret the same campaign completes
    fixed, _ = services(ws, {"LDAP_PW": info["password"]})
    assert fixed.resets.run(incident, "dir", actor="tester", execute=True).outcomes == {
        "flagged": 2,
        "missing": 1,
    }
