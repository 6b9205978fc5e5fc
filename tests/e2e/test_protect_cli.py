"""The protection commands end to end: access report, retention, legal hold, purge, rotation."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tests.e2e.cli_runner import Cli


def _people_case(tmp_path: Path) -> tuple[Cli, str]:
    from breachdesk.demodata import generate_customer_master, generate_leak

    master = tmp_path / "master.sqlite"
    generate_customer_master(master, people=20, seed=4)
    generate_leak(master, tmp_path / "leak", seed=4, spreadsheet=False)
    cli = Cli(tmp_path / "ws")
    cli("init")
    cli("incident", "open", "Leak", "--discovered", "2026-11-20T09:30:00Z")
    cli("scan", str(tmp_path / "leak" / "users_dump.sql"), "--incident", "1")
    url = f"sqlite:///{master}"
    cli("link", "1", "--customers", url, "--query", "select * from customers")
    email = sqlite3.connect(master).execute("select email from customers limit 1").fetchone()[0]
    return cli, email


def test_access_report_hold_purge_and_rotation(tmp_path: Path) -> None:
    cli, email = _people_case(tmp_path)
    people = cli.json("people", "1")
    person = str(people[0]["id"])
    cli("people", "show", "1", person)
    cli("lookup", "1", "--email", email, code=1)
    report = cli.json("audit", "access-report", "1")
    assert {e["action"] for e in report} >= {"people.listed", "person.viewed"}
    mine = cli.json("audit", "access-report", "1", "--person", person)
    assert [e["subject"] for e in mine if e["scope"] == "person"] == [f"person:{person}"]
    assert email not in cli("audit", "access-report", "1").stdout

    rotated = cli.json("key", "rotate", "--incident", "1")
    assert rotated["resealed_values"] > 0
    assert cli.json("key", "rotate")["keys"] == 2
    assert len(cli.json("people", "1")) == len(people)

    held = cli.json(
        "retention",
        "set",
        "1",
        "--keep-people",
        "2y",
        "--legal-hold",
        "on",
        "--reason",
        "litigation",
    )
    assert held["legal_hold"] is True
    assert held["keep_people_days"] == 730
    assert "--reason" in cli("retention", "set", "1", "--legal-hold", "on", code=2).stderr
    assert "--execute" in cli("purge", "1", code=2).stderr
    assert "legal hold" in cli("purge", "1", "--execute", code=2).stderr.lower()
    due = cli.json("retention", "due")
    assert {(d["what"], d["legal_hold"]) for d in due} == {("people", True), ("evidence", True)}
    assert cli.json("retention", "enforce") == []  # the incident is open: nothing is due

    cli("retention", "set", "1", "--legal-hold", "off")
    purged = cli.json("purge", "1", "--what", "people", "--execute")
    assert purged["rows"]["people"] == len(people)
    assert cli.json("people", "1") == []
    assert cli.json("audit", "verify")["ok"] is True


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "ws")
    cli("init")
    os.chmod(tmp_path / "ws" / "key", 0o644)
    refused = cli("incident", "list", code=2)
    assert "chmod 600" in refused.stderr


def test_bundle_round_trip_and_tamper_on_the_command_line(tmp_path: Path) -> None:
    import pyrage

    cli, _ = _people_case(tmp_path)
    identity = pyrage.x25519.Identity.generate()
    key = tmp_path / "counsel.key"
    key.write_text(str(identity) + "\n")
    target = tmp_path / "case.bdx"
    made = cli.json(
        "bundle", "1", "--to", str(target), "--recipient", str(identity.to_public()), "--parts",
        "casefile,manifest",
    )  # fmt: skip
    assert [f["name"] for f in made["files"]] == ["casefile.json", "manifest.json"]
    opened = cli.json(
        "bundle", "open", str(target), "--identity", str(key), "--to", str(tmp_path / "out")
    )
    assert opened["verified"] is True
    assert (tmp_path / "out" / "casefile.json").read_bytes()
    data = bytearray(target.read_bytes())
    data[-30] ^= 0x40
    target.write_bytes(bytes(data))
    refused = cli("bundle", "open", str(target), "--identity", str(key), code=3)
    assert "altered" in refused.stderr
    assert any(e["action"] == "bundle.exported" for e in cli.json("audit", "access-report", "1"))


def test_key_from_an_external_command(tmp_path: Path) -> None:
    import base64
    import shlex
    import sys

    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    script = tmp_path / "kms.py"
    script.write_text(f"print({key!r})\n")
    cli = Cli(tmp_path / "ws")
    cli.env["BREACHDESK_KEY_COMMAND"] = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    cli("init")
    assert not (tmp_path / "ws" / "key").exists()  # the key never touches the disk
    cli("incident", "open", "Leak", "--discovered", "2026-11-20T09:30:00Z")
    assert len(cli.json("incident", "list")) == 1
    script.write_text("import sys; sys.exit(3)\n")
    failed = cli("incident", "list", code=2)
    assert "BREACHDESK_KEY_COMMAND: exited with status 3" in failed.stderr
