"""A local HTTP gateway on loopback: the Twilio Messages API shape and signed webhooks, recorded.

It answers like the real services (201 with a message SID, Twilio-style JSON errors, 401 on bad
credentials or signatures) and keeps every request it received, so tests and the demo can check
what a transport really sent. A ``respond`` hook scripts failures (429, 5xx, 4xx) per request;
``reject`` picks numbers refused as invalid (400, code 21211, the number quoted as Twilio does).
Received requests carry phone numbers and notice text: the optional log file is written 0600.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs

from breachdesk.adapters.mail_sink import LOOPBACK
from breachdesk.adapters.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature

_MESSAGES = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass(frozen=True, slots=True)
class ReceivedRequest:
    """One request the gateway received; contents stay out of repr."""

    method: str
    path: str
    headers: Mapping[str, str] = field(repr=False)
    body: bytes = field(repr=False)
    status: int = 0  # what the gateway answered
    peer: int = 0  # the client's port: one per connection, to see connection reuse

    def form(self) -> dict[str, str]:
        """The form fields of a form-encoded body (last value of each)."""
        fields = parse_qs(self.body.decode("utf-8"), keep_blank_values=True)
        return {k: v[-1] for k, v in fields.items()}

    def json(self) -> Any:
        """The JSON body."""
        return json.loads(self.body)


#: Decides an answer for a request before the gateway's own checks: a status, or None to go on.
Responder = Callable[[ReceivedRequest], int | None]


class GatewaySink:
    """Start and stop the gateway: ``with GatewaySink(...) as gw: ... gw.url, gw.received``."""

    def __init__(
        self,
        *,
        account: str = "AC00000000000000000000000000000000",
        token: str = "local-token",  # noqa: S107 - a loopback test gateway's own credential
        secret: bytes = b"local-secret",
        respond: Responder | None = None,
        reject: Callable[[str], bool] | None = None,
        log: Path | None = None,
        host: str = LOOPBACK,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.account, self.token, self.secret = account, token, secret
        self.host = host
        self._respond = respond
        self._reject = reject or (lambda _number: False)
        self._log = log
        self._now = now
        self._lock = threading.Lock()
        self._received: list[ReceivedRequest] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:41234``."""
        if self._server is None:
            raise RuntimeError("gateway not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def received(self) -> list[ReceivedRequest]:
        """Every request received so far, in order."""
        with self._lock:
            return list(self._received)

    def start(self) -> Self:
        """Listen on a free loopback port, serving from a background thread."""
        if self._server is None:
            self._server = ThreadingHTTPServer((self.host, 0), _handler(self))
            self._server.daemon_threads = True
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def answer(self, request: ReceivedRequest) -> tuple[int, dict[str, Any]]:
        """Status and JSON answer for one request (the API shape the transports talk to)."""
        forced = self._respond(request) if self._respond is not None else None
        if forced is not None:
            return forced, {"status": forced, "message": "scripted answer", "code": forced}
        match = _MESSAGES.match(request.path)
        if match is not None:
            return self._twilio(request, match.group(1))
        return self._webhook(request)

    def record(self, request: ReceivedRequest) -> None:
        """Keep a received request (and append it to the log file, if any)."""
        with self._lock:
            self._received.append(request)
            if self._log is not None:
                line = {"path": request.path, "status": request.status}
                line["body"] = request.body.decode("utf-8", "replace")
                fd = os.open(self._log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                with os.fdopen(fd, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(line) + "\n")

    def _next_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}{next(self._ids):032x}"

    def _twilio(self, request: ReceivedRequest, account: str) -> tuple[int, dict[str, Any]]:
        if account != self.account or _basic(request.headers) != (self.account, self.token):
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        form = request.form()
        if not _E164.match(form.get("To", "")) or self._reject(form.get("To", "")):
            message = f"The 'To' number {form.get('To', '')} is not a valid phone number."
            return 400, {"code": 21211, "message": message, "status": 400}
        if not form.get("Body") or not (form.get("From") or form.get("MessagingServiceSid")):
            return 400, {"code": 21602, "message": "Message body is required.", "status": 400}
        return 201, {"sid": self._next_id("SM"), "status": "queued", "account_sid": account}

    def _webhook(self, request: ReceivedRequest) -> tuple[int, dict[str, Any]]:
        signed = verify_signature(
            self.secret,
            request.headers.get(TIMESTAMP_HEADER.lower(), ""),
            request.body,
            request.headers.get(SIGNATURE_HEADER.lower(), ""),
            now=self._now(),
        )
        if not signed:
            return 401, {"error": "bad signature"}
        try:
            json.loads(request.body)
        except ValueError:
            return 400, {"error": "body is not JSON"}
        return 202, {"id": self._next_id("wh"), "status": "accepted"}


def _basic(headers: Mapping[str, str]) -> tuple[str, str] | None:
    value = headers.get("authorization", "")
    if not value.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(value[6:]).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password


def _handler(sink: GatewaySink) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: transports reuse connections

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = ReceivedRequest("POST", self.path, headers, body, 0, self.client_address[1])
            status, answer = sink.answer(request)
            sink.record(replace(request, status=status))
            data = json.dumps(answer).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: request lines carry account ids, and tests read output."""

    return Handler
