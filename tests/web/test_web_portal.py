"""The public portal: the same answer and code path for known and unknown addresses, a
single-use link by e-mail (read from the embedded sink's Maildir), the exposure page, limits."""

from __future__ import annotations

import mailbox
import re
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.web_support import Breach, make_client

from breachdesk.bootstrap import open_workspace
from breachdesk.core.ids import IncidentId
from breachdesk.services.portal import MAX_PER_ADDRESS

UNKNOWN = "nobody.here@example.org"


@pytest.fixture(scope="module")
def affected(breach: Breach) -> list[str]:
    """Clear e-mail addresses of affected people (an audited export)."""
    ws = open_workspace(breach.settings)
    try:
        views = ws.people.export(IncidentId(breach.incident), actor="tester", with_contact=True)
    finally:
        ws.close()
    return [v.email for v in views if v.email]


@pytest.fixture
def portal(breach: Breach) -> Iterator[TestClient]:
    """The portal alone, sending through the embedded mail sink."""
    with make_client(breach, portal_only=True, base_url="http://testserver") as c:
        yield c


def _ask(c: TestClient, email: str) -> Any:
    form = c.get("/check")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token
    return c.post("/check", data={"email": email, "csrf": token.group(1)})


def _normalised(r: Any) -> tuple[int, str, list[tuple[str, str]]]:
    token = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert token
    body = r.text.replace(token.group(1), "TOKEN")
    headers = [(k, v.replace(token.group(1), "TOKEN")) for k, v in r.headers.multi_items()]
    return r.status_code, body, sorted(headers)


def _mail_to(maildir: Path, address: str) -> list[str]:
    box = mailbox.Maildir(maildir, create=False)
    out = []
    for key in box.iterkeys():
        msg = box.get_message(key)
        if str(msg.get("To", "")).strip().lower() == address.strip().lower():
            part = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            out.append(payload.decode("utf-8"))
    return out


def test_known_and_unknown_addresses_get_byte_identical_answers(
    portal: TestClient, affected: list[str]
) -> None:
    known = _normalised(_ask(portal, affected[0]))
    unknown = _normalised(_ask(portal, UNKNOWN))
    assert known == unknown
    assert "If we hold data about you, we have sent you a link" in known[1]


def _trace(run: Any) -> list[tuple[str, str]]:
    """Service functions called while ``run`` runs, leaving out the outbox write (adapters
    decrypting however many rows a query returns are data, not the code path)."""
    calls: list[tuple[str, str]] = []
    skipping = [0]

    def profile(frame: FrameType, event: str, _: object) -> None:
        code = frame.f_code
        if "/breachdesk/services/" not in code.co_filename:
            return
        if code.co_name in ("enqueue", "_message"):
            skipping[0] += 1 if event == "call" else -1 if event == "return" else 0
            return
        if event == "call" and not skipping[0]:
            calls.append((code.co_filename.rsplit("/breachdesk/", 1)[1], code.co_name))

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls


def test_known_and_unknown_addresses_take_the_same_code_path(
    portal: TestClient, affected: list[str]
) -> None:
    service = portal.app.state.ctx.services.portal  # type: ignore[attr-defined]
    base = "http://testserver/check/link"
    known = _trace(lambda: service.request(affected[1], client="10.9.9.1", link_base=base))
    unknown = _trace(lambda: service.request(UNKNOWN + "x", client="10.9.9.2", link_base=base))
    assert known == unknown
    assert ("services/portal.py", "_matches") in known


def test_the_magic_link_shows_the_exposure_once(
    portal: TestClient, breach: Breach, affected: list[str]
) -> None:
    address = affected[2]
    assert _ask(portal, address).status_code == 200
    _ask(portal, UNKNOWN)
    ctx = portal.app.state.ctx  # type: ignore[attr-defined]
    ctx.dispatcher.join()
    bodies = _mail_to(ctx.maildir, address)
    assert len(bodies) == 1
    assert _mail_to(ctx.maildir, UNKNOWN) == []
    link = re.search(r"http://testserver(/check/link/\S+)", bodies[0])
    assert link
    page = portal.get(link.group(1))
    assert page.status_code == 200
    assert "Customer DB exposed via API" in page.text
    assert page.text.count("data-element=") >= 1
    assert portal.get(link.group(1)).status_code == 410  # single use
    assert portal.get("/check/link/" + "A" * 43).status_code == 410
    ws = open_workspace(breach.settings)
    try:
        actions = [e.action for e in ws.audit.entries()]
    finally:
        ws.close()
    assert "portal.requested" in actions
    assert "portal.viewed" in actions


def test_requests_for_one_address_are_limited_without_changing_the_answer(
    portal: TestClient, affected: list[str]
) -> None:
    address = affected[3]
    answers = {_normalised(_ask(portal, address))[1] for _ in range(MAX_PER_ADDRESS + 2)}
    assert len(answers) == 1
    ctx = portal.app.state.ctx  # type: ignore[attr-defined]
    ctx.dispatcher.join()
    assert len(_mail_to(ctx.maildir, address)) == MAX_PER_ADDRESS


def test_portal_only_serves_nothing_but_the_portal(portal: TestClient) -> None:
    assert portal.get("/check").status_code == 200
    assert portal.get("/", follow_redirects=False).status_code == 404
    assert portal.get("/api/v1/openapi.json").status_code == 404
    assert portal.get("/login").status_code == 404


def test_a_portal_post_without_its_form_token_is_refused(portal: TestClient) -> None:
    portal.cookies.clear()
    r = portal.post("/check", data={"email": UNKNOWN, "csrf": "forged"})
    assert r.status_code == 403


def test_a_magic_link_expires_after_its_lifetime(breach: Breach, affected: list[str]) -> None:
    from datetime import UTC, datetime

    from breachdesk.bootstrap import web_services
    from breachdesk.services.portal import LINK_TTL
    from breachdesk.testing import FixedClock, MemoryTransport

    clock = FixedClock(datetime.now(UTC))
    ws = open_workspace(breach.settings)
    try:
        portal = web_services(ws, clock, fast_hashing=True).portal
        for address in affected[4:6]:
            portal.request(address, client="10.1.1.1", link_base="https://portal.example/l")
        transport = MemoryTransport()
        while ws.campaigns.dispatch(transport, owner="test").claimed:
            pass
        tokens = [
            found.group(1)
            for m in transport.sent
            if m.campaign == "portal"
            for found in [re.search(r"https://portal\.example/l/(\S+)", m.body_text)]
            if found
        ]
        assert len(tokens) == 2
        clock.advance(LINK_TTL - timedelta(seconds=1))
        assert portal.open(tokens[0]) is not None
        clock.advance(timedelta(seconds=2))
        assert portal.open(tokens[1]) is None  # expired, though never used
    finally:
        ws.close()
