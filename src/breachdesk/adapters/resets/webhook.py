"""Generic webhook provider: one HMAC-signed JSON POST per account and action, with retries.

The receiver verifies ``X-Breachdesk-Signature: sha256=<hex HMAC of timestamp "." body>`` with
the shared secret. Completion comes back either from an optional ``status_url`` (GET, JSON
``{"exists", "flagged", "completed"}``) or through the signed callback (``callback_signature``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from breachdesk.adapters.resets.common import refuse_literal_secrets, require, scrub
from breachdesk.adapters.resets.http import send
from breachdesk.credentials.provider import (
    Account,
    AccountState,
    ActionResult,
    CredentialProvider,
    Outcome,
    PlannedChange,
    ProviderError,
    ResetAction,
    secret_from,
)
from breachdesk.credentials.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

_SAMPLE = {"url": "https://idp.example.org/breachdesk", "secret_env": "RESET_WEBHOOK_SECRET"}


class WebhookProvider:
    """Asks the organisation's own endpoint to reset, revoke and rotate."""

    kind = "webhook"
    actions = frozenset(ResetAction)

    def __init__(self, config: Mapping[str, Any], environ: Mapping[str, str]) -> None:
        self._url = str(config["url"])
        self._status_url = config.get("status_url")
        secret = secret_from(config, "secret_env", environ)
        if not secret:
            raise ProviderError("webhook: secret_env must name the shared signing secret")
        self._secret = secret
        self._retries = int(config.get("retries", 3))
        self._backoff = float(config.get("backoff", 0.2))
        self._http = httpx.Client(timeout=float(config.get("timeout", 10)))

    def _post(self, payload: dict[str, Any]) -> httpx.Response:
        body = json.dumps(payload, sort_keys=True).encode()
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(self._secret, stamp, body),
        }
        return send(
            self._http,
            "POST",
            self._url,
            content=body,
            headers=headers,
            retries=self._retries,
            backoff=self._backoff,
        )

    def preview(self, account: Account, actions: Sequence[ResetAction]) -> list[PlannedChange]:
        """The signed POST each action would send (nothing is sent)."""
        return [
            PlannedChange(a, f'POST {self._url} {{"action": "{a.value}", ...}}', None)
            for a in actions
        ]

    def apply(self, account: Account, action: ResetAction) -> ActionResult:
        """POST the signed request; 2xx done, 404/410 missing, other answers failed."""
        r = self._post({"action": action.value, "account": account.login, "reference": account.id})
        response = scrub(f"{r.status_code} {r.text}", account.login)
        if 200 <= r.status_code < 300:
            return ActionResult(action, Outcome.DONE, response)
        if r.status_code in (404, 410):
            return ActionResult(action, Outcome.MISSING, response)
        return ActionResult(action, Outcome.FAILED, response)

    def state(self, account: Account, *, since: datetime | None) -> AccountState:
        """Ask ``status_url`` when configured; otherwise the state is unknown (callbacks tell)."""
        if not self._status_url:
            return AccountState(True, None, None)
        r = send(
            self._http,
            "GET",
            str(self._status_url),
            params={"reference": str(account.id)},
            retries=self._retries,
            backoff=self._backoff,
        )
        if r.status_code == 404:
            return AccountState(False, False, False)
        if r.status_code != 200:
            raise ProviderError(f"webhook: status query failed ({r.status_code})")
        data = r.json()
        return AccountState(
            bool(data.get("exists", True)), data.get("flagged"), data.get("completed")
        )

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()


@dataclass(frozen=True, slots=True)
class WebhookProviderFactory:
    """Builds ``WebhookProvider`` from stored configuration."""

    kind: str = "webhook"
    secret_keys: frozenset[str] = frozenset({"secret_env"})
    sample_config: str = json.dumps(_SAMPLE)

    def validate(self, config: Mapping[str, Any]) -> None:
        """Refuse incomplete configurations and secrets in clear."""
        refuse_literal_secrets(config)
        require(config, "url", "secret_env")

    def __call__(self, config: Mapping[str, Any], environ: Mapping[str, str]) -> CredentialProvider:
        """A provider ready to send."""
        self.validate(config)
        return WebhookProvider(config, environ)
