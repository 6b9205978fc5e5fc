"""The CLI end to end, as a user runs it: real processes, exit codes, JSON output."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from tests.e2e.cli_runner import Cli

COMMANDS = [
    [],
    ["init"],
    ["demo"],
    ["run"],
    ["report"],
    ["export"],
    ["incident"],
    ["incident", "open"],
    ["incident", "list"],
    ["incident", "show"],
    ["incident", "status"],
    ["task"],
    ["task", "list"],
    ["task", "done"],
    ["task", "assign"],
    ["decision"],
    ["decision", "add"],
    ["decision", "list"],
    ["evidence"],
    ["evidence", "add"],
    ["evidence", "list"],
    ["evidence", "verify"],
    ["evidence", "export"],
    ["findings"],
    ["findings", "import"],
    ["findings", "list"],
    ["findings", "show"],
    ["findings", "set-status"],
    ["findings", "root-cause"],
    ["findings", "scans"],
    ["audit"],
    ["audit", "verify"],
    ["audit", "export"],
    ["audit", "access-report"],
    ["retention"],
    ["retention", "set"],
    ["retention", "due"],
    ["retention", "enforce"],
    ["purge"],
    ["key"],
    ["key", "rotate"],
    ["bundle"],
    ["reset"],
    ["reset", "plan"],
    ["reset", "run"],
    ["reset", "status"],
    ["reset", "remind"],
    ["reset", "codes"],
    ["reset", "provider"],
    ["reset", "provider", "add"],
    ["reset", "provider", "list"],
    ["passwords"],
    ["passwords", "assess"],
    ["scan"],
    ["detect"],
    ["link"],
    ["people"],
    ["lookup"],
    ["logs", "analyze"],
    ["logs", "map"],
    ["manifest"],
    ["manifest", "export"],
    ["obligations"],
    ["facts"],
    ["facts", "set"],
    ["rules"],
    ["rules", "list"],
    ["rules", "show"],
    ["rules", "validate"],
    ["contact"],
    ["contact", "add"],
    ["contact", "list"],
    ["notify"],
    ["notify", "preview"],
    ["logs"],
    ["logs", "ingest"],
    ["logs", "files"],
    ["timeline"],
    ["timeline", "show"],
    ["timeline", "export"],
    ["notify", "plan"],
    ["notify", "approve"],
    ["notify", "test"],
    ["notify", "send"],
    ["notify", "status"],
    ["notify", "ledger"],
    ["notify", "bounces"],
    ["notify", "authority-letters"],
    ["notify", "drafts"],
    ["pentest"],
    ["pentest", "run"],
    ["pentest", "schedule"],
    ["pentest", "schedules"],
    ["pentest", "run-due"],
    ["retest"],
    ["scan-code"],
    ["serve"],
    ["user"],
    ["user", "add"],
    ["user", "role"],
    ["user", "token"],
    ["user", "list"],
]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    runner = Cli(tmp_path / "ws")
    runner("init")
    return runner


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "root")
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    out = Cli(tmp_path)(*command, "--help").stdout
    assert "Usage:" in out


def test_full_case_file_round_trip(cli: Cli, tmp_path: Path) -> None:
    opened = cli.json(
        "incident",
        "open",
        "Customer DB exposed via API",
        "--discovered",
        "2026-11-20T09:30:00Z",
        "--occurred-from",
        "2026-11-19T22:00:00+01:00",
        "--controller",
        "ACME Ltd",
    )
    assert opened["id"] == 1
    assert opened["discovered_at"] == "2026-11-20T09:30:00.000000+00:00"
    assert opened["occurred_from"] == "2026-11-19T21:00:00.000000+00:00"
    assert [i["title"] for i in cli.json("incident", "list")] == ["Customer DB exposed via API"]
    assert cli.json("incident", "status", "1", "investigating")["status"] == "investigating"
    refused = cli("incident", "status", "1", "open", code=2)
    assert refused.stderr.count("\n") == 1
    assert "cannot move" in refused.stderr
    assert "Traceback" not in refused.stderr
    tasks = cli.json("task", "list", "1")
    assert len(tasks) == 29
    assert [t["key"] for t in cli.json("task", "done", "1", "investigate.preserve")] == [
        "investigate.preserve"
    ]
    assert cli.json("task", "assign", "1", "notify.plan", "--to", "dpo")["assignee"] == "dpo"
    decision = cli.json(
        "decision",
        "add",
        "1",
        "--topic",
        "notify regulator",
        "--decision",
        "yes",
        "--rationale",
        "EU residents affected",
    )
    assert decision["author"] == "cli-tester"
    assert len(cli.json("decision", "list", "1")) == 1
    sample = tmp_path / "users.csv"
    sample.write_text("id,email\n1,a@example.com\n")
    added = cli.json("evidence", "add", "1", str(sample), "--description", "leaked export")
    assert added[0]["created"] is True
    assert cli.json("evidence", "add", "1", str(sample))[0]["created"] is False
    listed = cli.json("evidence", "list", "1")
    assert [c["action"] for c in listed[0]["custody"]] == ["added"]
    assert cli.json("evidence", "verify", "1") == {"ok": True, "checked": 1, "failures": []}
    out = tmp_path / "out.csv"
    cli.json("evidence", "export", "1", "1", "--to", str(out))
    assert out.read_bytes() == sample.read_bytes()
    shown = cli.json("incident", "show", "1")
    assert shown["evidence_count"] == 1
    verified = cli.json("audit", "verify")
    assert verified["ok"] is True
    export = tmp_path / "audit.jsonl"
    assert cli.json("audit", "export", "--incident", "1", "--to", str(export))["entries"] > 5
    lines = [json.loads(line) for line in export.read_text().splitlines()]
    assert lines[-1]["head"]["seq"] == verified["head"]["seq"]


def test_tampering_gives_exit_3_naming_the_entry(cli: Cli, tmp_path: Path) -> None:
    cli("incident", "open", "Leak", "--discovered", "2026-11-20T09:30:00Z")
    cli("incident", "status", "1", "contained")
    with sqlite3.connect(cli.home / "breachdesk.db") as db:
        db.execute("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 2")
    result = cli("audit", "verify", code=3)
    assert "seq 2" in result.stderr
    report = cli.json("audit", "verify", code=3)
    assert report["first_broken_seq"] == 2


def test_flipped_evidence_byte_gives_exit_3(cli: Cli, tmp_path: Path) -> None:
    cli("incident", "open", "Leak", "--discovered", "2026-11-20T09:30:00Z")
    sample = tmp_path / "dump.sql"
    sample.write_bytes(b"INSERT INTO t VALUES (1, 'x');\n" * 10)
    item = cli.json("evidence", "add", "1", str(sample))[0]["item"]
    stored = cli.home / "evidence" / "sha256" / item["sha256"][:2] / item["sha256"]
    stored.chmod(0o644)
    data = bytearray(stored.read_bytes())
    data[0] ^= 0x20
    stored.write_bytes(bytes(data))
    result = cli("evidence", "verify", "1", code=3)
    assert "evidence 1 (dump.sql)" in result.stderr
    assert cli.json("evidence", "verify", "1", code=3)["failures"][0]["evidence_id"] == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["incident", "show", "9"], "incident 9"),
        (["incident", "open", "x", "--discovered", "tomorrow"], "--discovered"),
        (["incident", "open", "x", "--discovered", "2026-11-20T09:30:00"], "offset"),
        (["evidence", "add", "1", "/nonexistent/file"], "not a readable file"),
        (["task", "done", "1", "nope"], "no such task"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli: Cli, args: list[str], needle: str) -> None:
    cli("incident", "open", "Leak", "--discovered", "2026-11-20T09:30:00Z")
    result = cli(*args, code=2)
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_no_workspace_and_wrong_key(tmp_path: Path) -> None:
    missing = Cli(tmp_path / "nothing")
    assert "breachdesk init" in missing("incident", "list", code=2).stderr
    cli = Cli(tmp_path / "ws")
    cli("init")
    cli.env["BREACHDESK_KEY"] = "A" * 43 + "="
    assert "wrong key" in cli("incident", "list", code=2).stderr
    cli.env["BREACHDESK_KEY"] = "short"
    assert "BREACHDESK_KEY" in cli("incident", "list", code=2).stderr


def test_workspace_files_are_private(cli: Cli) -> None:
    assert (cli.home / "key").stat().st_mode & 0o777 == 0o600
    assert (cli.home / "breachdesk.db").stat().st_mode & 0o077 == 0
    assert cli.home.stat().st_mode & 0o077 == 0


def test_demo_runs_and_its_workspace_verifies(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "unused")
    out = cli("demo", "--keep", str(tmp_path / "demo")).stdout
    assert "audit verify" in out
    assert "intact" in out
    kept = Cli(tmp_path / "demo" / "workspace")
    assert kept.json("audit", "verify")["ok"] is True
    # the demo is a playbook run, checked against the scenario's ground truth
    assert "Against the truth" in out
    assert "MISMATCH" not in out
    assert (tmp_path / "demo" / "report" / "incident-1.pdf").stat().st_size > 0


def test_scan_reports_and_flags_skipped_parts(cli: Cli, tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "users.csv").write_text("id,email\n1,ana.alves@example.com\n2,ben@example.org\n")
    (leak / "broken.json").write_text('{"users": [{"email": "x@example.com"},')
    report = tmp_path / "report.json"
    result = cli("scan", str(leak), "--json", str(report), code=1)
    data = json.loads(report.read_text())
    by_name = {Path(s["path"]).name: s for s in data["sources"]}
    assert by_name["users.csv"]["elements"] == {"email": 2}
    assert by_name["broken.json"]["skipped"]
    assert "skipped: broken.json" in result.stderr
    for stream in (result.stdout, result.stderr, report.read_text()):
        assert "ana.alves@example.com" not in stream
    cli("incident", "open", "Leak", "--discovered", "2026-11-20T09:30:00Z")
    cli("scan", str(leak / "users.csv"), "--incident", "1")
    assert cli.json("evidence", "list", "1")[0]["item"]["original_name"] == "users.csv"
    assert cli.json("audit", "verify")["ok"] is True
    assert "no such file" in cli("scan", str(tmp_path / "nope"), code=2).stderr


def test_detect_prints_spans_per_line_and_flags_bad_lines(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text(
        json.dumps({"full_text": "Write to ana.alves@example.com today"})
        + "\n"
        + "not json\n"
        + json.dumps({"other": 1})
        + "\n"
    )
    result = Cli(tmp_path / "ws")("detect", str(data), "--field", "full_text", code=1)
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert lines[0]["line"] == 1
    assert lines[0]["spans"][0]["element"] == "email"
    assert (lines[0]["spans"][0]["start"], lines[0]["spans"][0]["end"]) == (9, 30)
    assert "line 2" in result.stderr
    assert "line 3" in result.stderr
    assert "ana.alves" not in result.stderr


def test_people_commands_end_to_end(tmp_path: Path) -> None:
    from breachdesk.demodata import generate_customer_master, generate_leak

    master = tmp_path / "master.sqlite"
    generate_customer_master(master, people=40, seed=3)
    generate_leak(master, tmp_path / "leak", seed=3, spreadsheet=False)
    cli = Cli(tmp_path / "ws")
    cli("init")
    cli("incident", "open", "Leak", "--discovered", "2026-11-20T09:30:00Z")
    cli("scan", str(tmp_path / "leak" / "users_dump.sql"), "--incident", "1")
    url = f"sqlite:///{master}"
    summary = cli.json("link", "1", "--customers", url, "--query", "select * from customers")
    assert summary["known"] == 40
    people = cli.json("people", "1")
    assert len(people) == summary["people"]
    assert all("***" in (p["email"] or "***") for p in people)
    assert cli.json("people", "1", "--element", "password_hash")
    shown = cli.json("people", "show", "1", str(people[0]["id"]))
    assert shown["exposures"]
    out = tmp_path / "manifest.csv"
    cli("manifest", "export", "1", "--to", str(out))
    assert out.read_text().count("\n") == len(people) + 1
    import sqlite3

    email = sqlite3.connect(master).execute("select email from customers limit 1").fetchone()[0]
    found = cli.json("lookup", "1", "--email", email, code=1)
    assert found["affected"] is True
    assert cli.json("lookup", "1", "--email", "nobody@example.invalid")["affected"] is False
    assert "exactly one" in cli("lookup", "1", code=2).stderr
    assert "usage" in cli("people", "show", "1", code=2).stderr
    assert isinstance(cli.json("people", "conflicts", "1"), list)
    bad = cli("link", "1", "--customers", str(tmp_path / "missing.csv"), code=2)
    assert "missing.csv" in bad.stderr
    assert cli.json("audit", "verify")["ok"] is True


def test_scan_of_corrupt_files_of_every_format_never_crashes(tmp_path: Path) -> None:
    import gzip
    import io
    import zipfile

    leak = tmp_path / "corrupt"
    leak.mkdir()
    good = gzip.compress(b"id,email\n1,ana.alves@example.com\n" * 50)
    (leak / "truncated.csv.gz").write_bytes(good[: len(good) // 2])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("users.csv", "id,email\n1,ana.alves@example.com\n")
    (leak / "broken.zip").write_bytes(buffer.getvalue()[:-30])
    (leak / "fake.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (leak / "fake.pdf").write_bytes(b"%PDF-1.7\n garbage without objects")
    (leak / "fake.docx").write_bytes(b"PK\x03\x04\x14\x00 broken")
    (leak / "fake.parquet").write_bytes(b"PAR1 not a parquet file PAR1")
    (leak / "fake.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    (leak / "dump.sql").write_text("INSERT INTO `users` VALUES (1,'a@example.com',\n")
    (leak / "bad.ndjson").write_text('{"email": "x@example.com"}\n{not json\n')
    (leak / "bad.eml").write_bytes(b"From: \xff\xfe\r\nSubject: =?utf-8?q?broken\r\n\r\nbody")
    report = tmp_path / "report.json"
    result = Cli(tmp_path / "ws")("scan", str(leak), "--json", str(report), code=1)
    assert "Traceback" not in result.stderr
    data = json.loads(report.read_text())
    assert len(data["sources"]) == 10
    skipped = {Path(s["path"]).name for s in data["sources"] if s["skipped"]}
    assert {"truncated.csv.gz", "broken.zip", "fake.xlsx", "fake.parquet"} <= skipped
    assert "ana.alves@example.com" not in result.stdout + result.stderr + report.read_text()


def test_obligations_commands_end_to_end(tmp_path: Path) -> None:
    from breachdesk.demodata import generate_customer_master, generate_leak

    master = tmp_path / "master.sqlite"
    generate_customer_master(master, people=60, seed=4)
    generate_leak(master, tmp_path / "leak", seed=4, spreadsheet=False)
    cli = Cli(tmp_path / "ws")
    cli("init")
    cli("incident", "open", "Leak", "--discovered", "2026-01-05T09:30:00Z")
    cli("scan", str(tmp_path / "leak" / "customers_export.csv"), "--incident", "1")
    cli("link", "1", "--customers", str(master))
    listed = cli.json("obligations", "1", code=1)  # deadlines long past: action needed
    assert any(o["jurisdiction"] == "EU" for o in listed["obligations"])
    assert "Not legal advice" in listed["disclaimer"]
    explained = cli("obligations", "1", "--explain", code=1).stdout
    assert "Not applicable" in explained
    first = listed["obligations"][0]
    done = cli.json("obligations", "done", "1", str(first["id"]), "--note", "sent by post")
    assert done["late"] is True
    changed = cli.json(
        "facts", "set", "1", "--encrypted", "--no-key-exposed", "--flag", "hipaa_covered_entity"
    )
    assert changed["changes"]
    rules = cli.json("rules", "list")
    assert len({r["jurisdiction"] for r in rules}) >= 50
    assert cli.json("rules", "show", rules[0]["id"])[0]["citations"]
    assert cli.json("rules", "validate")["ok"] is True
    added = cli.json(
        "contact",
        "add",
        "1",
        "--authority",
        "State police",
        "--channel",
        "phone",
        "--jurisdiction",
        "US-CA",
        "--delay-until",
        "2026-03-01T00:00:00Z",
    )
    assert added["contact"]["delay_requested"] is True
    assert cli.json("contact", "list", "1")[0]["authority"] == "State police"
    out = tmp_path / "preview"
    shown = cli.json(
        "notify",
        "preview",
        "1",
        "--to",
        str(out),
        "--locale",
        "en",
        "--locale",
        "de",
        "--contact-email",
        "privacy@example.com",
    )
    assert "en/email.txt" in shown["files"]
    assert "de/letter.pdf" in shown["files"]
    assert (out / "en" / "letter.pdf").read_bytes().startswith(b"%PDF")
    assert "privacy@example.com" in (out / "en" / "email.txt").read_text()
    person = cli.json("people", "1")[0]["id"]
    cli(
        "notify",
        "preview",
        "1",
        "--to",
        str(tmp_path / "one"),
        "--person",
        str(person),
        "--channel",
        "email",
        "--no-pdf",
    )
    assert (tmp_path / "one" / "fr" / "email.html").exists()
    bad = tmp_path / "bad-rules"
    bad.mkdir()
    (bad / "x.yaml").write_text("id: x\njurisdiction: US-ZZ\ntypo: 1\n")
    result = cli("rules", "validate", str(bad), code=2)
    assert "x.yaml" in result.stderr
    assert cli.json("audit", "verify")["ok"] is True
