"""The playbook of ``breachdesk demo``: the generated scenario described as a user would."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

DISCOVERED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
OCCURRED_FROM = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)
URL_PATTERN = "/api/customers/{customer_id}"


def demo_playbook(
    base: Path,
    evidence: list[Path],
    *,
    reset_config: dict[str, Any],
    code: bool = True,
    name: str = "demo",
) -> dict[str, Any]:
    """The demo's playbook as data: the scenario's files under ``base``, approvals recorded."""
    approved_at = DISCOVERED.replace(hour=12)
    return {
        "version": 1,
        "name": name,
        "incident": {
            "title": "Customer DB exposed via API",
            "controller": "ACME Ltd",
            "discovered_at": DISCOVERED.isoformat(),
            "occurred_from": OCCURRED_FROM.isoformat(),
            "summary": "Unauthenticated API endpoint returned customer records.",
            "dpo": {"name": "Data Protection Officer", "email": "dpo@acme.example"},
        },
        "evidence": [str(p.relative_to(base)) for p in evidence],
        "customer_master": {
            "source": f"sqlite:///{base / 'customer_master.sqlite'}",
            "query": "select * from customers",
        },
        "logs": [{"path": "logs/access.log", "url_map": [URL_PATTERN]}],
        "notify": {
            "sender": "ACME Ltd",
            "email": "privacy@acme.example",
            "url": "https://acme.example/n",
            "measures": "We closed the API endpoint, reset affected credentials and informed "
            "the regulators.",
        },
        "resets": {"name": "demo-users", "kind": "sql", "config": reset_config},
        "code": ["shop-app"] if code else [],
        "approvals": {
            "notices": {"by": "counsel (demo)", "role": "counsel", "at": approved_at.isoformat()},
            "resets": {"by": "CISO (demo)", "role": "security lead", "at": approved_at.isoformat()},
        },
        "report": {"folder": "report", "formats": ["html", "pdf"]},
    }


def write_demo_playbook(base: Path, data: dict[str, Any]) -> Path:
    """Write the playbook beside the scenario's files (paths in it are relative to ``base``)."""
    path = base / "playbook.yaml"
    text = "# breachdesk demo: the generated breach, with pre-recorded approvals\n"
    path.write_text(text + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
