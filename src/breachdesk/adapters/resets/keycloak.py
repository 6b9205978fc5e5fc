"""Keycloak provider: Admin REST API, required action UPDATE_PASSWORD and logout of sessions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
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

_SAMPLE = {
    "url": "https://sso.example.org",
    "realm": "customers",
    "client_id": "breachdesk",
    "client_secret_env": "KEYCLOAK_CLIENT_SECRET",
    "search": "email",
}
UPDATE_PASSWORD = "UPDATE_PASSWORD"  # noqa: S105 - Keycloak's required-action id


class KeycloakProvider:
    """Adds UPDATE_PASSWORD to a user's required actions and logs all their sessions out."""

    kind = "keycloak"
    actions = frozenset({ResetAction.FORCE_RESET, ResetAction.REVOKE_SESSIONS})

    def __init__(self, config: Mapping[str, Any], environ: Mapping[str, str]) -> None:
        self._base = str(config["url"]).rstrip("/")
        self._realm = str(config["realm"])
        self._client_id = str(config.get("client_id", "admin-cli"))
        self._secret = secret_from(config, "client_secret_env", environ)
        self._search = str(config.get("search", "email"))
        self._retries = int(config.get("retries", 3))
        self._http = httpx.Client(timeout=float(config.get("timeout", 10)))
        self._token: str | None = None

    def _auth(self) -> dict[str, str]:
        if self._token is None:
            r = send(
                self._http,
                "POST",
                f"{self._base}/realms/{self._realm}/protocol/openid-connect/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": self._client_id,
                    "client_secret": self._secret or "",
                },
                retries=self._retries,
            )
            if r.status_code != 200:
                raise ProviderError(f"keycloak: token refused ({r.status_code})")
            self._token = str(r.json()["access_token"])
        return {"Authorization": f"Bearer {self._token}"}

    def _admin(self, path: str) -> str:
        return f"{self._base}/admin/realms/{self._realm}{path}"

    def _user(self, account: Account) -> dict[str, Any] | None:
        r = send(
            self._http,
            "GET",
            self._admin("/users"),
            params={self._search: account.login, "exact": "true"},
            headers=self._auth(),
            retries=self._retries,
        )
        if r.status_code != 200:
            raise ProviderError(f"keycloak: user search failed ({r.status_code})")
        users = r.json()
        return users[0] if users else None

    def preview(self, account: Account, actions: Sequence[ResetAction]) -> list[PlannedChange]:
        """The REST calls each action would make, and whether the user exists."""
        found = 1 if self._user(account) else 0
        calls = {
            ResetAction.FORCE_RESET: "PUT /users/<id> requiredActions += UPDATE_PASSWORD",
            ResetAction.REVOKE_SESSIONS: "POST /users/<id>/logout",
        }
        return [
            PlannedChange(
                a, calls.get(a, "(not supported by keycloak)"), found if a in calls else None
            )
            for a in actions
        ]

    def apply(self, account: Account, action: ResetAction) -> ActionResult:
        """Make one change through the Admin REST API."""
        if action not in self.actions:
            return ActionResult(action, Outcome.UNSUPPORTED, "keycloak: not supported")
        user = self._user(account)
        if user is None:
            return ActionResult(action, Outcome.MISSING, "no such user")
        if action is ResetAction.FORCE_RESET:
            required = sorted({*user.get("requiredActions", []), UPDATE_PASSWORD})
            r = send(
                self._http,
                "PUT",
                self._admin(f"/users/{user['id']}"),
                json={"requiredActions": required},
                headers=self._auth(),
                retries=self._retries,
            )
        else:
            r = send(
                self._http,
                "POST",
                self._admin(f"/users/{user['id']}/logout"),
                headers=self._auth(),
                retries=self._retries,
            )
        response = scrub(f"{r.status_code} {r.text}", account.login)
        outcome = Outcome.DONE if r.status_code in (200, 204) else Outcome.FAILED
        return ActionResult(action, Outcome.MISSING if r.status_code == 404 else outcome, response)

    def state(self, account: Account, *, since: datetime | None) -> AccountState:
        """Pending while UPDATE_PASSWORD is required; completed once Keycloak cleared it."""
        user = self._user(account)
        if user is None:
            return AccountState(False, False, False)
        flagged = UPDATE_PASSWORD in user.get("requiredActions", [])
        changed = user.get("passwordChangedAt")  # not part of Keycloak's model; honoured if set
        at = datetime.fromtimestamp(int(changed) / 1000, UTC) if changed else None
        return AccountState(True, flagged, (not flagged) if since else None, at)

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()


@dataclass(frozen=True, slots=True)
class KeycloakProviderFactory:
    """Builds ``KeycloakProvider`` from stored configuration."""

    kind: str = "keycloak"
    secret_keys: frozenset[str] = frozenset({"client_secret_env"})
    sample_config: str = json.dumps(_SAMPLE)

    def validate(self, config: Mapping[str, Any]) -> None:
        """Refuse incomplete configurations and secrets in clear."""
        refuse_literal_secrets(config)
        require(config, "url", "realm")

    def __call__(self, config: Mapping[str, Any], environ: Mapping[str, str]) -> CredentialProvider:
        """A provider that authenticates on first use."""
        self.validate(config)
        return KeycloakProvider(config, environ)
