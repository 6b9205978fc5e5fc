"""``breachdesk reset`` and ``passwords`` from the command line, end to end."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import Cli
from tests.integration.resets_support import (
    TARGET_VAR,
    add_people,
    dump,
    make_target,
    sql_config,
    sqlite_url,
)

from breachdesk.bootstrap import open_workspace
from breachdesk.config import Settings

EMAILS = ["ana@example.com", "ben@example.com"]


def test_reset_campaign_from_the_command_line(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "ws")
    cli("init")
    ws = open_workspace(Settings(home=tmp_path / "ws", actor="t", key=None))
    try:
        incident = str(add_people(ws, EMAILS, "email,password_hash,security_answer"))
    finally:
        ws.close()
    url = sqlite_url(tmp_path / "users.db")
    make_target(url, EMAILS)
    cli.env[TARGET_VAR] = url
    config = tmp_path / "provider.json"
    config.write_text(json.dumps(sql_config(url)))
    cli("reset", "provider", "add", "users", "--kind", "sql", "--config", f"@{config}")
    refused = cli(
        "reset",
        "provider",
        "add",
        "x",
        "--kind",
        "sql",
        "--config",
        '{"url": "sqlite:///x.db", "force_reset": "x", "password": "p"}',
        code=2,
    )
    assert "in clear" in refused.stderr
    listed = cli.json("reset", "provider", "list")
    assert [p["name"] for p in listed] == ["users"]
    plan = cli.json("reset", "plan", incident)
    assert [a["urgency"] for a in plan["accounts"]] == ["high", "high"]
    before = dump(url)
    dry = cli("reset", "run", incident, "--provider", "users")
    assert "Dry run: nothing was changed" in dry.stdout
    assert "a***@" in dry.stdout
    assert "ana@example.com" not in dry.stdout + dry.stderr
    assert dump(url) == before
    done = cli.json("reset", "run", incident, "--provider", "users", "--execute", "--rate", "100/s")
    assert done["outcomes"] == {"flagged": 2}
    assert [u[3] for u in dump(url)[0]] == [1, 1]
    status = cli.json("reset", "status", incident, "--poll")
    assert status["counts"] == {"flagged": 2}
    reminded = cli.json("reset", "remind", incident, "--after", "0m")
    assert reminded == {"queued": 2, "no_address": 0}
    assessed = cli.json("passwords", "assess", incident)
    assert assessed["values"] == 0
    bad = cli("reset", "run", incident, "--provider", "users", "--rate", "fast", code=2)
    assert "--rate" in bad.stderr
    assert cli("audit", "verify").returncode == 0
