"""The main web flows on each database backend (SQLite and PostgreSQL): log in, dashboard,
an audited people view, counsel's approval and sending through the sink, the portal."""

from __future__ import annotations

import re
import time
from pathlib import Path

from tests.web.web_support import csrf_of, log_in, make_client, populate

from breachdesk.config import Settings
from breachdesk.services.user_ports import Role


def test_the_main_flows_work_on_each_backend(settings: Settings, tmp_path: Path) -> None:
    breach = populate(settings, tmp_path, people=25)
    counsel = {"Authorization": f"Bearer {breach.tokens[Role.COUNSEL]}"}
    with make_client(breach, base_url="http://testserver") as c:
        log_in(c, "responder")
        board = c.get(f"/incidents/{breach.incident}")
        assert board.status_code == 200
        assert "svg" in board.text
        assert c.get(f"/incidents/{breach.incident}/people").status_code == 200
        assert c.get(f"/incidents/{breach.other}/people/1").status_code == 404
        r = c.post(
            f"/api/v1/incidents/{breach.incident}/notices/approve",
            json={"organisation": "ACME Ltd", "measures": "Closed the endpoint."},
            headers=counsel,
        )
        assert r.status_code == 201
        r = c.post(f"/api/v1/incidents/{breach.incident}/notices/send", headers=counsel)
        assert r.status_code == 202
        assert r.json()["queued"] > 0
        deadline = time.monotonic() + 60
        delivered = 0
        while time.monotonic() < deadline and not delivered:
            time.sleep(0.5)
            notices = c.get(f"/api/v1/incidents/{breach.incident}/notices", headers=counsel)
            delivered = sum(
                d["messages"] for d in notices.json()["delivery"] if d["state"] == "delivered"
            )
        assert delivered > 0
        c.cookies.clear()
        form = c.get("/check")
        answer = c.post("/check", data={"email": "x@example.org", "csrf": csrf_of(form.text)})
        assert answer.status_code == 200
        assert re.search(r"If we hold data about you", answer.text)
        audit = c.get("/api/v1/audit/verify", headers=counsel).json()
        assert audit["ok"] is True
