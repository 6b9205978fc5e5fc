"""A campaign killed mid-way and run again resets no account twice (counted in the target)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from tests.integration.resets_support import (
    TARGET_VAR,
    add_people,
    dump,
    make_target,
    services,
    sql_config,
    sqlite_url,
)

from breachdesk.adapters.resets.registry import validate
from breachdesk.adapters.resets.sql import SqlProvider
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import init_workspace, open_workspace
from breachdesk.config import Settings
from breachdesk.core.clock import SystemClock
from breachdesk.credentials.provider import Account, ActionResult, ResetAction
from breachdesk.services.reset_ports import ResetState
from breachdesk.services.resets import ResetService

N = 120


class _Crash(BaseException):
    """The process dies (not an error any code handles)."""


class DiesAfterResetting(SqlProvider):
    """The real SQL provider, whose process dies right after the n-th forced reset."""

    def __init__(self, config: Mapping[str, Any], environ: Mapping[str, str], after: int) -> None:
        super().__init__(config, environ)
        self._left = after

    def apply(self, account: Account, action: ResetAction) -> ActionResult:
        result = super().apply(account, action)
        if action is ResetAction.FORCE_RESET:
            self._left -= 1
            if self._left == 0:
                raise _Crash
        return result


def _counts(url: str) -> list[int]:
    return [int(u[3]) for u in dump(url)[0]]


def test_death_between_the_call_and_its_record_does_not_reset_twice(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "users.db")
    emails = [f"p{n}@example.com" for n in range(10)]
    make_target(url, emails)
    settings = Settings(home=tmp_path / "ws", actor="tester", key=None)
    init_workspace(settings)
    ws = open_workspace(settings)
    try:
        incident = add_people(ws, emails)
        svc, _ = services(ws, {TARGET_VAR: url})
        svc.resets.configure("users", "sql", sql_config(url), actor="tester")
        svc.resets.plan(incident, actor="tester")
        env = {TARGET_VAR: url}
        dying = ResetService(
            SqlUnitOfWorkFactory(ws.engine),
            SystemClock(),
            lambda _k, cfg: DiesAfterResetting(json.loads(cfg), env, after=3),
            validate,
        )
        with pytest.raises(_Crash):
            dying.run(incident, "users", actor="tester", execute=True, batch=4)
        assert sum(_counts(url)) == 3  # three were reset, none of it recorded
        states = [a.state for a in svc.tracking.status(incident).accounts]
        assert states.count(ResetState.IN_PROGRESS) == 4  # the first batch's intents
        report = svc.resets.run(incident, "users", actor="tester", execute=True, batch=4)
        assert report.recovered == 3
        assert _counts(url) == [1] * 10
        assert report.outcomes == {"flagged": 10}
        assert ws.audit.verify().ok
    finally:
        ws.close()


def test_killed_process_then_rerun_resets_each_account_once(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "users.db")
    emails = [f"k{n}@example.com" for n in range(N)]
    make_target(url, emails)
    home = tmp_path / "ws"
    settings = Settings(home=home, actor="tester", key=None)
    init_workspace(settings)
    ws = open_workspace(settings)
    try:
        incident = add_people(ws, emails)
        svc, _ = services(ws, {TARGET_VAR: url})
        svc.resets.configure("users", "sql", sql_config(url), actor="tester")
        svc.resets.plan(incident, actor="tester")
    finally:
        ws.close()
    env = {**os.environ, "BREACHDESK_HOME": str(home), TARGET_VAR: url}
    cmd = [
        sys.executable,
        "-m",
        "breachdesk",
        "reset",
        "run",
        str(incident),
        "--provider",
        "users",
        "--execute",
        "--rate",
        "40/s",
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while sum(_counts(url)) < 10 and time.monotonic() < deadline:  # resets are under way
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _counts(url)
    assert 0 < sum(partial) < N  # killed mid-campaign
    assert max(partial) == 1
    rerun = subprocess.run(
        [*cmd[:-2], "--json"], env=env, capture_output=True, text=True, check=False
    )
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["recovered"] > 0  # resets made but not recorded: not redone
    assert _counts(url) == [1] * N  # every account reset, none twice
    ws = open_workspace(settings)
    try:
        states = {a.state for a in services(ws)[0].tracking.status(incident).accounts}
        assert states == {ResetState.FLAGGED}
        assert ws.audit.verify().ok
    finally:
        ws.close()
