"""What every request handler reaches: the workspace, its web services, and the mail sender."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from breachdesk.bootstrap import MailRoute, WebServices, Workspace

log = logging.getLogger(__name__)


class Dispatcher:
    """Sends queued e-mail in one background thread; a kick while it runs makes it run again."""

    def __init__(self, ws: Workspace, route: MailRoute | None) -> None:
        self._ws = ws
        self._route = route
        self._lock = threading.Lock()
        self._again = threading.Event()
        self._thread: threading.Thread | None = None

    def kick(self) -> None:
        """Start sending (returns at once)."""
        if self._route is None:
            return
        with self._lock:
            self._again.set()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="web-dispatch", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        route = self._route
        while route is not None:
            with self._lock:
                if not self._again.is_set():
                    return
                self._again.clear()
            try:
                while self._ws.campaigns.dispatch(route.transport, owner="web").claimed:
                    pass
            except Exception as exc:
                log.warning("dispatch failed: %s", type(exc).__name__)

    def join(self, timeout: float = 30.0) -> None:
        """Wait for the current run (shutdown, tests)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)


@dataclass(frozen=True, slots=True)
class WebContext:
    """Services of one running app."""

    ws: Workspace
    services: WebServices
    dispatcher: Dispatcher
    maildir: Path | None
