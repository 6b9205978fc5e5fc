"""The notice campaign from the command line, delivered over SMTP to the embedded Maildir sink."""

from __future__ import annotations

import csv
import json
import mailbox
from collections import Counter
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from tests.e2e.cli_runner import Cli as CliRunner

from breachdesk.notify.render import SHIPPED


class Cli(CliRunner):
    """The shared runner; JSON answers of these commands are objects."""

    def json(self, *args: str, code: int = 0) -> dict[str, object]:
        out = super().json(*args, code=code)
        assert isinstance(out, dict)
        return out


def _messages(maildir: Path) -> list[mailbox.MaildirMessage]:
    return list(mailbox.Maildir(maildir, create=False))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    base = tmp_path_factory.mktemp("demo")
    cli = Cli(base / "workspace")
    out = cli("demo", "--keep", str(base), "--people", "150").stdout
    assert "notify" in out
    return cli, base / "workspace"


def test_demo_delivered_one_message_per_notice_into_the_maildir(demo: tuple[Cli, Path]) -> None:
    cli, home = demo
    states = cli.json("notify", "status", "1")
    delivered = states["email"]["delivered"]  # type: ignore[index]
    ids = Counter(str(m["Message-ID"]) for m in _messages(home / "mail"))
    assert delivered > 100
    assert len(ids) == delivered
    assert set(ids.values()) == {1}
    plan = cli.json("notify", "plan", "1")
    recipients = plan["recipients"]
    assert isinstance(recipients, list)
    assert all("***" in r["to"] for r in recipients)
    assert "@" not in json.dumps(plan["unreachable"])


def test_send_again_adds_nothing_and_the_ledger_proves_each_message(
    demo: tuple[Cli, Path], tmp_path: Path
) -> None:
    cli, home = demo
    before = {str(m["Message-ID"]) for m in _messages(home / "mail")}
    again = cli.json("notify", "send", "1", "--rate", "500/s", "--concurrency", "4")
    assert again["queued"] == 0
    target = tmp_path / "ledger.csv"
    exported = cli.json("notify", "ledger", "1", "--to", str(target))
    with target.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert exported["rows"] == len(rows)
    # the send dispatches every due e-mail (other campaigns too); no notice goes out twice
    box = Counter(str(m["Message-ID"]) for m in _messages(home / "mail"))
    assert set(box.values()) == {1}
    delivered = [r for r in rows if r["final_state"] == "delivered"]
    assert {r["message_id"] for r in delivered} == set(box)
    notices = [r for r in delivered if r["campaign"] == "individuals"]
    assert {r["message_id"] for r in notices} <= before
    assert all("queued as" in r["attempt_log"] for r in delivered)
    assert all("***" in r["recipient"] for r in rows)
    assert all(len(r["content_hash"]) == 64 for r in rows)
    trail = tmp_path / "audit.jsonl"
    cli("audit", "export", "--incident", "1", "--to", str(trail))
    entries = [json.loads(line) for line in trail.read_text(encoding="utf-8").splitlines()]
    exports = [e for e in entries if e.get("action") == "notices.ledger_exported"]
    assert exports
    assert exports[-1]["details"]["rows"] == len(rows)


def test_test_samples_go_to_internal_addresses_only(demo: tuple[Cli, Path]) -> None:
    cli, home = demo
    before = {str(m["Message-ID"]) for m in _messages(home / "mail")}
    sent = cli.json("notify", "test", "1", "--to", "qa@internal.test", "--to", "dpo@internal.test")
    assert sent["outcomes"] == {"accepted": 2 * int(str(sent["samples"]))}
    new = [m for m in _messages(home / "mail") if str(m["Message-ID"]) not in before]
    assert len(new) == 2 * int(str(sent["samples"]))
    assert all(str(make_header(decode_header(m["Subject"]))).startswith("[TEST]") for m in new)
    assert {m["To"] for m in new} == {"qa@internal.test", "dpo@internal.test"}
    plan = cli.json("notify", "plan", "1")
    assert plan["counts"]["to_notify"] > 0  # type: ignore[index]


def test_send_refuses_without_approval_or_after_a_template_edit(
    demo: tuple[Cli, Path], tmp_path: Path
) -> None:
    cli, _ = demo
    opened = cli.json("incident", "open", "Second leak", "--discovered", "2026-11-21T09:00:00Z")
    refused = cli("notify", "send", str(opened["id"]), code=1)
    assert "not approved" in refused.stderr
    assert "Traceback" not in refused.stderr
    overrides = tmp_path / "templates" / "en"
    overrides.mkdir(parents=True)
    email = (SHIPPED / "en" / "email.txt.j2").read_text(encoding="utf-8")
    (overrides / "email.txt.j2").write_text(email, encoding="utf-8")
    approved = cli.json(
        "notify", "approve", "1", "--as", "counsel", "--templates", str(tmp_path / "templates")
    )
    assert approved["role"] == "counsel"
    assert approved["overrides_hash"]
    (overrides / "email.txt.j2").write_text(email + "\nEdited after approval.\n", encoding="utf-8")
    refused = cli("notify", "send", "1", code=1)
    assert "changed since approval" in refused.stderr
