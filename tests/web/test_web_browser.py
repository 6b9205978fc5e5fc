"""End to end in real headless Chromium (Debian's package, driven by Playwright, no browser
download): log in, dashboard with clocks and charts, counsel approves and watches the campaign
send, a viewer cannot approve, and the public portal from e-mail to magic link to exposure page.

Screenshots are taken along each flow and kept under ``test-artifacts/`` when a test fails."""

from __future__ import annotations

import contextlib
import mailbox
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.web_support import PASSWORD, Breach, free_port, served

from breachdesk.bootstrap import open_workspace
from breachdesk.core.ids import IncidentId
from breachdesk.web import WebSettings, create_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _chromium() -> str:
    found = os.environ.get("BREACHDESK_TEST_CHROMIUM") or shutil.which("chromium")
    if found and Path(found).exists():
        return found
    if os.environ.get("BREACHDESK_REQUIRE_BROWSER") == "1":
        pytest.fail("BREACHDESK_REQUIRE_BROWSER=1 but no Chromium (set BREACHDESK_TEST_CHROMIUM)")
    pytest.skip("no Chromium: apt-get install chromium, or set BREACHDESK_TEST_CHROMIUM")
    return ""


@pytest.fixture(scope="module")
def site(breach: Breach) -> Iterator[tuple[str, Any]]:
    """The workspace on a loopback port, sending e-mail into the embedded sink."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(
        lambda: open_workspace(breach.settings), WebSettings(base_url=base, fast_hashing=True)
    )
    with served(app, port) as url:
        yield url, app


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system package."""
    path = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


class Shots:
    """Screenshots of one test, copied to test-artifacts/ if it fails."""

    def __init__(self, page: Any, folder: Path) -> None:
        self.page = page
        self.folder = folder
        self.n = 0

    def take(self, name: str) -> None:
        self.n += 1
        self.page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}.png"), full_page=True)


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A fresh browser context and page; its screenshots kept when the test fails."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    shots = Shots(tab, tmp_path)
    tab.shots = shots
    try:
        yield tab
    finally:
        call = getattr(request.node, "rep_call", None)
        if call is not None and call.failed:
            target = ARTIFACTS / request.node.name
            target.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(Exception):  # the page may be gone; keep earlier shots
                tab.screenshot(path=str(target / "failure.png"), full_page=True)
            for shot in tmp_path.glob("*.png"):
                shutil.copy(shot, target / shot.name)
        context.close()


def _log_in(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def test_log_in_and_see_the_dashboard_with_clocks_and_charts(
    page: Any, site: tuple[str, Any], breach: Breach
) -> None:
    base, _ = site
    _log_in(page, base, "admin")
    page.shots.take("incidents")
    page.get_by_role("link", name="Customer DB exposed via API").click()
    page.wait_for_selector("h2#clocks-h")
    clock = page.locator("[data-due]").first
    first = clock.inner_text()
    assert re.fullmatch(r"overdue by .+s|.+s left", first)
    page.wait_for_function(
        "t => document.querySelector('[data-due]').textContent !== t", arg=first, timeout=5000
    )  # the clock counts in the browser
    assert page.locator("svg.chart rect.bar").count() >= 2  # jurisdictions and elements
    assert page.locator("section[aria-labelledby=steps-h] progress").count() == 6
    page.shots.take("dashboard")


def test_counsel_approves_the_campaign_and_watches_it_send(
    page: Any, site: tuple[str, Any], breach: Breach
) -> None:
    base, _ = site
    _log_in(page, base, "counsel")
    page.goto(f"{base}/incidents/{breach.incident}/notices")
    assert "Not approved" in page.locator("#approval-state").inner_text()
    page.shots.take("before-approval")
    page.locator("#approve").click()
    page.wait_for_selector("#approval-state.ok")
    assert "counsel" in page.locator("#approval-state").inner_text()
    page.locator("#send").click()
    delivered = page.locator('[data-state="email-delivered"]')
    delivered.wait_for(timeout=60_000)  # appears through the HTMX polling of the counters
    page.wait_for_function(
        "() => Number(document.querySelector('[data-state=\"email-delivered\"]').textContent) > 0"
    )
    page.shots.take("delivered")
    ws = open_workspace(breach.settings)
    try:
        counts = ws.campaigns.counts(IncidentId(breach.incident))
    finally:
        ws.close()
    assert sum(n for (c, s), n in counts.items() if c == "email" and s.value == "delivered") > 0


def test_a_viewer_cannot_approve(page: Any, site: tuple[str, Any], breach: Breach) -> None:
    base, _ = site
    _log_in(page, base, "viewer")
    response = page.goto(f"{base}/incidents/{breach.incident}/notices")
    assert response.status == 403
    assert page.locator("#approve").count() == 0
    page.shots.take("viewer-refused")
    _log_in(page, base, "communications")
    page.goto(f"{base}/incidents/{breach.incident}/notices")
    assert page.locator("#approve").count() == 0  # may preview and send, never approve


def _link_in_sink(maildir: Path, address: str, base: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if maildir.is_dir():
            box = mailbox.Maildir(maildir, create=False)
            for key in box.iterkeys():
                msg = box.get_message(key)
                if str(msg.get("To", "")).lower() != address.lower():
                    continue
                text = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
                payload = text.get_payload(decode=True)
                found = re.search(re.escape(base) + r"/check/link/\S+", payload.decode())
                if found:
                    return found.group(0)
        time.sleep(0.3)
    raise AssertionError("no magic link arrived in the sink")


def test_the_portal_from_e_mail_to_magic_link_to_exposure_page(
    page: Any, site: tuple[str, Any], breach: Breach
) -> None:
    base, app = site
    ws = open_workspace(breach.settings)
    try:
        people = ws.people.export(IncidentId(breach.incident), actor="tester", with_contact=True)
    finally:
        ws.close()
    address = next(p.email for p in people if p.email)
    page.goto(f"{base}/check")
    page.get_by_label("E-mail address").fill(address)
    page.get_by_role("button", name="Send me a link").click()
    answer = page.locator("#portal-answer").inner_text()
    assert "If we hold data about you, we have sent you a link" in answer
    page.shots.take("portal-answer")
    link = _link_in_sink(app.state.ctx.maildir, address, base)
    page.goto(link)
    assert "Your exposed data" in page.locator("h1").inner_text()
    assert page.locator("tr[data-element]").count() >= 1
    page.shots.take("exposure")
    assert page.goto(link).status == 410  # single use
