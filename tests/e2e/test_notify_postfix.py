"""The whole notice flow from the command line against the real Postfix of `.ci/postfix`.

plan, preview, approve, send, status, bounces and ledger, for a generated breach whose people have
addresses at the demo domains: Postfix delivers them to the test mailbox, except local parts
starting with "a", which it bounces with real DSNs to the sender's mailbox.
"""

from __future__ import annotations

import csv
import email
import json
import mailbox
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.integration.postfix import postfix_or_skip, unique_domain, wait_for_mail

from breachdesk.demodata import MANIFEST_NAME, generate_customer_master, generate_leak


def _cli(env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Runs ``python -m breachdesk`` with ``env``, checking the exit code."""

    def run(*args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "breachdesk", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == code, (args, done.stdout[-2000:], done.stderr[-2000:])
        return done

    return run


def _breach(
    cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path, people: int = 80
) -> str:
    """A workspace with a generated breach scanned, linked and its obligations evaluated."""
    master = tmp_path / "master.sqlite"
    generate_customer_master(master, people=people, seed=11)
    generate_leak(master, tmp_path / "leak", seed=11)
    leaked = [
        str(p)
        for p in sorted((tmp_path / "leak").rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    ]
    cli("init")
    opened = json.loads(
        cli(
            "incident",
            "open",
            "Customer DB leak",
            "--discovered",
            "2026-11-20T09:00:00Z",
            "--controller",
            "ACME Ltd",
            "--json",
        ).stdout
    )
    incident = str(opened["id"])
    cli("scan", *leaked, "--incident", incident)
    cli(
        "link", incident, "--customers", f"sqlite:///{master}", "--query", "select * from customers"
    )
    cli("obligations", incident, code=1)  # new obligations: action needed
    return incident


def test_plan_approve_send_status_bounces_ledger_through_postfix(tmp_path: Path) -> None:
    pf = postfix_or_skip()
    domain = unique_domain()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDESK_")}
    env.update(
        BREACHDESK_HOME=str(tmp_path / "ws"),
        BREACHDESK_ACTOR="e2e",
        BREACHDESK_SMTP_HOST=pf.host,
        BREACHDESK_SMTP_PORT=str(pf.port),
        BREACHDESK_SMTP_FROM=pf.sender,
        BREACHDESK_SMTP_DOMAIN=domain,
    )
    cli = _cli(env)
    incident = _breach(cli, tmp_path)
    plan = json.loads(cli("notify", "plan", incident, "--json").stdout)
    assert plan["counts"]["to_notify"] > 0
    cli("notify", "preview", incident, "--to", str(tmp_path / "preview"), "--no-pdf")
    cli("notify", "approve", incident, "--as", "counsel")
    sent = json.loads(cli("notify", "send", incident, "--channel", "email", "--json").stdout)
    accepted = sent["states"]["email"]["delivered"]
    assert accepted > 0

    ours = domain.encode()
    delivered = wait_for_mail(pf.maildir, lambda d: ours in d, 1, timeout=60)
    returned = wait_for_mail(pf.bounce_maildir, lambda d: ours in d, 1, timeout=60)
    # Postfix files every accepted message: in the mailbox, or back to the sender as a DSN.
    delivered = wait_for_mail(pf.maildir, lambda d: ours in d, accepted - len(returned))
    returned = wait_for_mail(pf.bounce_maildir, lambda d: ours in d, accepted - len(delivered))
    assert len(delivered) + len(returned) == accepted
    assert delivered, "nothing reached the mailbox"
    assert returned, "Postfix returned no DSN (no address starting with 'a'?)"
    ids = Counter(str(email.message_from_bytes(d)["Message-ID"]) for d in delivered)
    assert set(ids.values()) == {1}

    box = mailbox.Maildir(tmp_path / "returned", create=True)
    for data in returned:
        box.add(data)
    bounces = json.loads(
        cli("notify", "bounces", incident, "--maildir", str(tmp_path / "returned"), "--json").stdout
    )
    outcomes = bounces["outcomes"]
    assert outcomes.get("bounced", 0) + outcomes.get("fallen_back", 0) == len(returned)
    assert bounces["skipped"] == []
    status = json.loads(cli("notify", "status", incident, "--json").stdout)
    email_states = status["email"]
    assert email_states["delivered"] == len(delivered)
    assert email_states.get("bounced", 0) + email_states.get("fallen_back", 0) == len(returned)

    ledger_path = tmp_path / "ledger.csv"
    cli("notify", "ledger", incident, "--to", str(ledger_path))
    with ledger_path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["channel"] == "email"]
    states = Counter(r["final_state"] for r in rows)
    assert states["delivered"] == len(delivered)
    assert {r["message_id"] for r in rows if r["final_state"] == "delivered"} == set(ids)
    assert all("@" not in r["attempt_log"] for r in rows)
    again = json.loads(
        cli("notify", "bounces", incident, "--maildir", str(tmp_path / "returned"), "--json").stdout
    )
    assert again["outcomes"] == {"duplicate": len(returned)}
