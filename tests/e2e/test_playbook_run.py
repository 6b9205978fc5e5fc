"""`breachdesk run`: a playbook run killed (SIGKILL) mid-way resumes without sending a notice or
resetting an account twice; gates stop the run; a bad playbook names file and line."""

from __future__ import annotations

import json
import mailbox
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from tests.e2e.test_notify_postfix import _cli

from breachdesk.adapters.resets.demo_db import create_demo_userdb
from breachdesk.cli.demo_investigation import write_demo_log
from breachdesk.cli.demo_playbook import demo_playbook, write_demo_playbook
from breachdesk.demodata import MANIFEST_NAME, generate_customer_master, generate_leak


def _scenario(base: Path, people: int, **changes: object) -> Path:
    master = base / "customer_master.sqlite"
    generate_customer_master(master, people=people, seed=5)
    generate_leak(master, base / "leak", seed=5)
    write_demo_log(base, people=people, seed=5)
    files = [p for p in sorted((base / "leak").rglob("*")) if p.is_file()]
    config = create_demo_userdb(master, base / "users.sqlite")
    data = demo_playbook(
        base, [p for p in files if p.name != MANIFEST_NAME], reset_config=config, code=False
    )
    data.update(changes)
    return write_demo_playbook(base, data)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDESK_")}
    env.update(BREACHDESK_HOME=str(tmp_path / "ws"), BREACHDESK_ACTOR="e2e")
    return env


def _step_done(db: Path, step: str) -> bool:
    try:
        with sqlite3.connect(db, timeout=0.2) as c:
            row = c.execute("select state from playbook_steps where step = ?", (step,)).fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == "done"


@pytest.mark.slow
def test_killed_run_resumes_without_duplicate_notices_or_resets(tmp_path: Path) -> None:
    env = _env(tmp_path)
    cli = _cli(env)
    book = _scenario(tmp_path, people=400)
    cli("init")
    command = [sys.executable, "-m", "breachdesk", "run", str(book)]
    runner = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    db = tmp_path / "ws" / "breachdesk.db"
    deadline = time.monotonic() + 240
    while not _step_done(db, "notify") and time.monotonic() < deadline and runner.poll() is None:
        time.sleep(0.02)
    runner.send_signal(signal.SIGKILL)
    assert runner.wait() == -signal.SIGKILL, "the run finished before it could be killed"
    with sqlite3.connect(db) as c:
        assert c.execute("select finished_at from playbook_runs").fetchone() == (None,)

    # without --resume the run refuses (it names the run); with it, it completes
    refused = cli("run", str(book), code=2)
    assert "--resume" in refused.stderr
    done = json.loads(cli("run", str(book), "--resume", "--json").stdout)
    assert done["complete"] is True
    states = {s["step"]: (s["state"], s["this_run"]) for s in done["steps"]}
    assert states["obligations"] == ("done", False)
    assert states["notify"] == ("done", False)  # done before the kill: not run again
    assert states["resets"] == ("done", True)  # the kill came while it ran
    assert states["report"] == ("done", True)

    found = Counter(str(m["Message-ID"]) for m in mailbox.Maildir(tmp_path / "ws" / "mail"))
    assert found
    assert max(found.values()) == 1, "a notice was sent twice"
    with sqlite3.connect(tmp_path / "users.sqlite") as c:
        counts = [r[0] for r in c.execute("select reset_count from users")]
    assert sum(counts) > 0
    assert max(counts) == 1, "an account was reset twice"
    with sqlite3.connect(db) as c:
        intents = c.execute(
            "select account_id, action, count(*) from reset_attempts where phase = 'intent'"
            " group by account_id, action"
        ).fetchall()
    assert intents
    assert max(n for *_, n in intents) == 1, "a reset was attempted twice"
    report = tmp_path / "report"
    assert {p.name for p in report.iterdir()} >= {"incident-1.html", "incident-1.pdf", "veris.json"}


def test_run_stops_at_an_unrecorded_gate_and_resumes_once_recorded(tmp_path: Path) -> None:
    env = _env(tmp_path)
    cli = _cli(env)
    book = _scenario(tmp_path, people=60)
    data = yaml.safe_load(book.read_text(encoding="utf-8"))
    approvals = data.pop("approvals")
    book.write_text(yaml.safe_dump(data), encoding="utf-8")
    cli("init")
    first = json.loads(cli("run", str(book), "--json", code=1).stdout)
    assert first["stopped_at"] == "notify"
    notify = next(s for s in first["steps"] if s["step"] == "notify")
    assert notify["state"] == "waiting"
    assert "counsel" in notify["waiting_for"]
    assert notify["due_at"] is not None  # the earliest individuals' deadline it holds up
    assert not (tmp_path / "ws" / "mail").exists() or not any(
        (tmp_path / "ws" / "mail").rglob("*.eml")
    )

    data["approvals"] = approvals
    book.write_text(yaml.safe_dump(data), encoding="utf-8")
    second = json.loads(cli("run", str(book), "--resume", "--until", "notify", "--json").stdout)
    assert [s["state"] for s in second["steps"]] == ["done", "done"]
    assert second["complete"] is False  # stopped on request, not at a gate
    assert second["stopped_at"] is None


def test_bad_playbook_names_file_and_line(tmp_path: Path) -> None:
    cli = _cli(_env(tmp_path))
    book = tmp_path / "p.yaml"
    book.write_text(
        "version: 1\nname: x\nincident:\n  title: t\n  controller: c\n"
        "  discovered_at: 2026-11-20T09:00:00Z\n  colour: red\n",
        encoding="utf-8",
    )
    cli("init")
    done = cli("run", str(book), code=2)
    assert f"{book}:7: incident.colour: unknown key" in done.stderr


def test_notices_carry_each_persons_reset_link(tmp_path: Path) -> None:
    env = _env(tmp_path)
    cli = _cli(env)
    book = _scenario(tmp_path, people=60)
    data = yaml.safe_load(book.read_text(encoding="utf-8"))
    data["notify"]["reset_base_url"] = "https://reset.acme.example/r"
    book.write_text(yaml.safe_dump(data), encoding="utf-8")
    cli("init")
    cli("run", str(book), "--until", "notify")
    links = []
    for message in mailbox.Maildir(tmp_path / "ws" / "mail"):
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                body = part.get_payload(decode=True).decode("utf-8")
                links += [w for w in body.split() if w.startswith("https://reset.acme.example/r/")]
    assert links
    assert len(set(links)) == len(links)  # one single-use link per person
