"""Webhook and Keycloak providers against HTTP servers on loopback that implement the API shape."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from tests.integration.resets_support import add_people, services

from breachdesk.bootstrap import Workspace, init_workspace, open_workspace
from breachdesk.config import Settings
from breachdesk.core.errors import InvalidInputError
from breachdesk.credentials.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature, verify
from breachdesk.services.reset_ports import ResetState

SECRET = "shared-webhook-secret"
EMAILS = ["a@example.com", "b@example.com", "gone@example.com"]


class _Webhook(BaseHTTPRequestHandler):
    """The organisation's endpoint: verifies signatures, fails once with 503, knows two users."""

    received: ClassVar[list[dict[str, Any]]] = []
    bad_signatures: ClassVar[int] = 0
    fail_first: ClassVar[set[str]] = set()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if not verify(SECRET, self.headers[TIMESTAMP_HEADER], body, self.headers[SIGNATURE_HEADER]):
            type(self).bad_signatures += 1
            self._answer(401, {"error": "bad signature"})
            return
        payload = json.loads(body)
        key = f"{payload['account']}:{payload['action']}"
        if key in self.fail_first:
            self.fail_first.discard(key)
            self._answer(503, {"error": "try later"})
            return
        self.received.append(payload)
        if payload["account"] == "gone@example.com":
            self._answer(404, {"error": "no such user"})
            return
        self._answer(200, {"ok": True})

    def _answer(self, status: int, data: dict[str, Any]) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


class _Keycloak(BaseHTTPRequestHandler):
    """The Admin REST API shape: token, user search, user update, logout."""

    users: ClassVar[dict[str, dict[str, Any]]] = {}
    logouts: ClassVar[list[str]] = []

    def _json(self, status: int, data: Any = None) -> None:
        body = b"" if data is None else json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") != "Bearer admin-token":
            self._json(401, {"error": "unauthorized"})
            return False
        return True

    def do_POST(self) -> None:
        url = urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if url.path.endswith("/protocol/openid-connect/token"):
            form = parse_qs(body.decode())
            ok = form.get("client_secret") == ["kc-secret"]
            self._json(200 if ok else 401, {"access_token": "admin-token"} if ok else {})
        elif url.path.endswith("/logout") and self._authorised():
            self.logouts.append(url.path.split("/")[-2])
            self._json(204)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if not self._authorised():
            return
        email = parse_qs(url.query).get("email", [""])[0]
        self._json(200, [u for u in self.users.values() if u["email"] == email])

    def do_PUT(self) -> None:
        if not self._authorised():
            return
        uid = urlparse(self.path).path.rsplit("/", 1)[-1]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if uid not in self.users:
            self._json(404, {"error": "User not found"})
            return
        self.users[uid]["requiredActions"] = body["requiredActions"]
        self._json(204)

    def log_message(self, *args: object) -> None:
        return


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def webhook() -> Iterator[str]:
    _Webhook.received, _Webhook.bad_signatures = [], 0
    _Webhook.fail_first = {"a@example.com:force_reset"}
    yield from _serve(_Webhook)


@pytest.fixture
def keycloak() -> Iterator[str]:
    _Keycloak.users = {
        "u1": {"id": "u1", "email": "a@example.com", "requiredActions": []},
        "u2": {"id": "u2", "email": "b@example.com", "requiredActions": ["VERIFY_EMAIL"]},
    }
    _Keycloak.logouts = []
    yield from _serve(_Keycloak)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    settings = Settings(home=tmp_path / "ws", actor="tester", key=None)
    init_workspace(settings)
    workspace = open_workspace(settings)
    try:
        yield workspace
    finally:
        workspace.close()


def test_webhook_signs_retries_and_records_each_answer(ws: Workspace, webhook: str) -> None:
    incident = add_people(ws, EMAILS, "email,password,api_key")
    svc, clock = services(ws, {"HOOK_SECRET": SECRET})
    config = {"url": webhook + "/reset", "secret_env": "HOOK_SECRET", "backoff": 0.01}
    svc.resets.configure("hook", "webhook", config, actor="tester")
    svc.resets.plan(incident, actor="tester")
    assert svc.resets.run(incident, "hook", actor="tester").previews  # dry: nothing sent
    assert _Webhook.received == []
    report = svc.resets.run(incident, "hook", actor="tester", execute=True)
    assert _Webhook.bad_signatures == 0
    sent = {(p["account"], p["action"]) for p in _Webhook.received}
    assert ("a@example.com", "force_reset") in sent  # delivered on the retry after the 503
    assert ("b@example.com", "revoke_keys") in sent
    assert report.outcomes == {"flagged": 2, "missing": 1}
    flagged = [a for a in svc.tracking.status(incident).accounts if a.state is ResetState.FLAGGED]
    assert all(
        set(a.done_actions) == {"force_reset", "revoke_sessions", "revoke_keys"} for a in flagged
    )
    # the organisation calls back, signed, when the person has reset
    body = json.dumps({"reference": flagged[0].id, "status": "completed"}).encode()
    stamp = str(int(clock.now().timestamp()))
    with pytest.raises(InvalidInputError, match="signature"):
        svc.tracking.callback(body, stamp, signature("other", stamp, body), SECRET, actor="hook")
    done = svc.tracking.callback(body, stamp, signature(SECRET, stamp, body), SECRET, actor="hook")
    assert done.state is ResetState.COMPLETED
    stale = str(int(clock.now().timestamp()) - 3600)
    with pytest.raises(InvalidInputError, match="stale"):
        svc.tracking.callback(body, stale, signature(SECRET, stale, body), SECRET, actor="hook")
    assert svc.tracking.status(incident).counts["completed"] == 1


def test_webhook_with_the_wrong_secret_marks_nothing_done(ws: Workspace, webhook: str) -> None:
    incident = add_people(ws, EMAILS[:2])
    svc, _ = services(ws, {"HOOK_SECRET": "not-the-secret"})
    svc.resets.configure(
        "hook", "webhook", {"url": webhook, "secret_env": "HOOK_SECRET"}, actor="tester"
    )
    svc.resets.plan(incident, actor="tester")
    report = svc.resets.run(incident, "hook", actor="tester", execute=True)
    assert report.outcomes == {"failed": 2}
    assert _Webhook.bad_signatures == 2
    assert all(a.flagged_at is None for a in svc.tracking.status(incident).accounts)


def test_keycloak_requires_update_password_and_logs_out(ws: Workspace, keycloak: str) -> None:
    incident = add_people(ws, EMAILS)
    svc, _ = services(ws, {"KC_SECRET": "kc-secret"})
    config = {
        "url": keycloak,
        "realm": "customers",
        "client_id": "breachdesk",
        "client_secret_env": "KC_SECRET",
    }
    svc.resets.configure("sso", "keycloak", config, actor="tester")
    svc.resets.plan(incident, actor="tester")
    svc.resets.run(incident, "sso", actor="tester")
    assert _Keycloak.users["u1"]["requiredActions"] == []  # the dry run changed nothing
    report = svc.resets.run(incident, "sso", actor="tester", execute=True)
    assert report.outcomes == {"flagged": 2, "missing": 1}
    assert _Keycloak.users["u1"]["requiredActions"] == ["UPDATE_PASSWORD"]
    assert _Keycloak.users["u2"]["requiredActions"] == ["UPDATE_PASSWORD", "VERIFY_EMAIL"]
    assert sorted(_Keycloak.logouts) == ["u1", "u2"]
    # the user updates the password: Keycloak drops the required action
    _Keycloak.users["u1"]["requiredActions"] = []
    status = svc.tracking.poll(incident, actor="tester", close_at=0.5)
    assert status.counts == {"completed": 1, "flagged": 1, "missing": 1}
    assert status.task_closed


def test_keycloak_wrong_client_secret_fails_each_account(ws: Workspace, keycloak: str) -> None:
    incident = add_people(ws, EMAILS[:2])
    svc, _ = services(ws, {"KC_SECRET": "wrong"})
    config = {"url": keycloak, "realm": "customers", "client_secret_env": "KC_SECRET"}
    svc.resets.configure("sso", "keycloak", config, actor="tester")
    svc.resets.plan(incident, actor="tester")
    report = svc.resets.run(incident, "sso", actor="tester", execute=True)
    assert report.outcomes == {"failed": 2}
    assert all("token refused" in why for _, why in report.failures)
    assert _Keycloak.users["u1"]["requiredActions"] == []
