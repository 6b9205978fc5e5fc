"""LDAP provider (ldap3): OpenLDAP with the ppolicy overlay, or Active Directory.

OpenLDAP: a forced reset sets ``pwdReset: TRUE`` (the overlay then lets the user do nothing but
change the password); completion is ``pwdChangedTime`` after the reset with ``pwdReset`` gone.
Active Directory: ``pwdLastSet: 0`` forces a change at next logon; completion is a ``pwdLastSet``
after the reset. Directories hold no sessions, so session and key revocation are unsupported.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from breachdesk.adapters.resets.common import refuse_literal_secrets, require, scrub
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
    "url": "ldap://127.0.0.1:389",
    "bind_dn": "cn=admin,dc=example,dc=org",
    "password_env": "LDAP_ADMIN_PASSWORD",
    "base": "ou=people,dc=example,dc=org",
    "filter": "(mail={login})",
    "flavour": "openldap",
}
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def _generalized(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        return datetime.strptime(value[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return None


def _filetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    number = int(value or 0)
    return _FILETIME_EPOCH + timedelta(microseconds=number // 10) if number else None


def _first(entry: Any, name: str) -> Any:
    values = entry.entry_attributes_as_dict.get(name) or []
    return values[0] if values else None


class LdapProvider:
    """Forces password changes in an LDAP directory and reads completion back."""

    kind = "ldap"
    actions = frozenset({ResetAction.FORCE_RESET})

    def __init__(self, config: Mapping[str, Any], environ: Mapping[str, str]) -> None:
        self._config = dict(config)
        self._password = secret_from(config, "password_env", environ)
        self._ad = str(config.get("flavour", "openldap")).lower() in ("ad", "active_directory")
        self._conn: Any = None

    def _connection(self) -> Any:
        if self._conn is not None:
            return self._conn
        import ldap3
        from ldap3.core import exceptions as lx

        server = ldap3.Server(str(self._config["url"]), connect_timeout=5, get_info=ldap3.NONE)
        try:
            conn = ldap3.Connection(
                server,
                user=self._config.get("bind_dn"),
                password=self._password,
                auto_bind=True,
                receive_timeout=10,
                raise_exceptions=False,
            )
        except lx.LDAPBindError:
            raise ProviderError("ldap provider: bind refused (wrong bind DN or password)") from None
        except lx.LDAPException as exc:
            raise ProviderError(
                f"ldap provider: directory unreachable ({type(exc).__name__})"
            ) from None
        self._conn = conn
        return conn

    def _find(self, account: Account, attributes: Sequence[str]) -> Any:
        from ldap3 import SUBTREE
        from ldap3.utils.conv import escape_filter_chars

        conn = self._connection()
        query = str(self._config.get("filter", "(mail={login})")).format(
            login=escape_filter_chars(account.login)
        )
        ok = conn.search(str(self._config["base"]), query, SUBTREE, attributes=list(attributes))
        if not ok and conn.result.get("result") not in (0, 32):
            raise ProviderError(f"ldap provider: search failed ({conn.result.get('description')})")
        return conn.entries[0] if conn.entries else None

    def _change(self) -> tuple[str, Any]:
        return ("pwdLastSet", 0) if self._ad else ("pwdReset", "TRUE")

    def preview(self, account: Account, actions: Sequence[ResetAction]) -> list[PlannedChange]:
        """The modification each action would make and whether the entry exists (1 or 0)."""
        entry = self._find(account, [])
        attr, value = self._change()
        out = []
        for action in actions:
            if action is ResetAction.FORCE_RESET:
                out.append(
                    PlannedChange(
                        action, f"modify <entry>: replace {attr}: {value}", 1 if entry else 0
                    )
                )
            else:
                out.append(PlannedChange(action, "(not supported by ldap)", None))
        return out

    def apply(self, account: Account, action: ResetAction) -> ActionResult:
        """Set the reset attribute on the account's entry."""
        from ldap3 import MODIFY_REPLACE

        if action is not ResetAction.FORCE_RESET:
            return ActionResult(
                action, Outcome.UNSUPPORTED, "ldap: no sessions or keys in a directory"
            )
        entry = self._find(account, [])
        if entry is None:
            return ActionResult(action, Outcome.MISSING, "no entry matches the account")
        attr, value = self._change()
        conn = self._connection()
        conn.modify(entry.entry_dn, {attr: [(MODIFY_REPLACE, [value])]})
        result = conn.result
        response = scrub(
            f"{result.get('result')} {result.get('description')} {result.get('message', '')}",
            account.login,
        )
        if result.get("result") == 0:
            return ActionResult(action, Outcome.DONE, response)
        return ActionResult(action, Outcome.FAILED, response)

    def state(self, account: Account, *, since: datetime | None) -> AccountState:
        """Read ``pwdReset``/``pwdChangedTime`` (OpenLDAP) or ``pwdLastSet`` (AD) back."""
        if self._ad:
            entry = self._find(account, ["pwdLastSet"])
            if entry is None:
                return AccountState(False, False, False)
            raw = _first(entry, "pwdLastSet")
            changed = _filetime(raw)
            flagged = changed is None
            done = bool(changed and since and changed > since)
            return AccountState(True, flagged, done, changed)
        entry = self._find(account, ["pwdReset", "pwdChangedTime"])
        if entry is None:
            return AccountState(False, False, False)
        flagged = str(_first(entry, "pwdReset")).upper() == "TRUE"
        changed = _generalized(_first(entry, "pwdChangedTime"))
        done = bool(not flagged and changed and since and changed >= since.replace(microsecond=0))
        return AccountState(True, flagged, done, changed)

    def close(self) -> None:
        """Unbind."""
        if self._conn is not None:
            self._conn.unbind()
            self._conn = None


@dataclass(frozen=True, slots=True)
class LdapProviderFactory:
    """Builds ``LdapProvider`` from stored configuration."""

    kind: str = "ldap"
    secret_keys: frozenset[str] = frozenset({"password_env"})
    sample_config: str = json.dumps(_SAMPLE)

    def validate(self, config: Mapping[str, Any]) -> None:
        """Refuse incomplete configurations and secrets in clear."""
        refuse_literal_secrets(config)
        require(config, "url", "base")
        if "{login}" not in str(config.get("filter", "(mail={login})")):
            raise ProviderError("filter must contain {login}")

    def __call__(self, config: Mapping[str, Any], environ: Mapping[str, str]) -> CredentialProvider:
        """A provider that binds on first use."""
        self.validate(config)
        return LdapProvider(config, environ)
