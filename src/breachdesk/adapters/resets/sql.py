"""SQL provider: configurable parameterised statements against any SQLAlchemy URL.

Each action is a statement (or a list run in one transaction) taking ``:login``; ``flagged``,
``completed`` (with ``:since``) and ``exists`` are queries that read the state back. A dry run
executes the action's statements inside a transaction that is rolled back, to count the rows
they would touch (or runs a configured ``count_<action>`` query instead).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError

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
    "url": "sqlite:///users.db",
    "force_reset": "UPDATE users SET must_change_password = 1 WHERE email = :login",
    "revoke_sessions": "DELETE FROM sessions WHERE user_email = :login",
    "flagged": "SELECT must_change_password FROM users WHERE email = :login",
    "completed": "SELECT 1 FROM users WHERE email = :login AND password_changed_at > :since",
}


def _statements(config: Mapping[str, Any], action: ResetAction) -> list[str]:
    value = config.get(action.value)
    if not value:
        return []
    return [str(value)] if isinstance(value, str) else [str(v) for v in value]


def _pragmas(dbapi: Any, pragmas: Sequence[str]) -> None:
    cursor = dbapi.cursor()
    for pragma in pragmas:
        if re.fullmatch(r"[a-z_]+\s*=\s*[A-Za-z0-9_]+", pragma):  # names and plain values only
            cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _url(config: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    url = secret_from(config, "url_env", environ) or config.get("url")
    if not url:
        raise ProviderError("missing configuration: url or url_env")
    return str(url)


class SqlProvider:
    """Force resets and revoke sessions with the organisation's own statements."""

    kind = "sql"

    def __init__(self, config: Mapping[str, Any], environ: Mapping[str, str]) -> None:
        self._config = dict(config)
        try:
            self._engine: Engine = create_engine(_url(config, environ), pool_pre_ping=True)
        except (ArgumentError, ModuleNotFoundError) as exc:
            raise ProviderError(f"sql provider: bad database URL ({type(exc).__name__})") from None
        self.actions = frozenset(a for a in ResetAction if _statements(config, a))
        pragmas = [str(p) for p in config.get("sqlite_pragmas", [])]
        if pragmas and self._engine.dialect.name == "sqlite":
            event.listen(self._engine, "connect", lambda dbapi, _rec: _pragmas(dbapi, pragmas))

    def _connect(self) -> Connection:
        try:
            return self._engine.connect()
        except OperationalError as exc:
            raise ProviderError(f"sql provider: cannot connect ({scrub(str(exc.orig))})") from None

    def _run(self, conn: Connection, statements: Sequence[str], login: str) -> int:
        touched = 0
        for statement in statements:
            result = conn.execute(text(statement), {"login": login})
            touched += max(result.rowcount or 0, 0)
        return touched

    def preview(self, account: Account, actions: Sequence[ResetAction]) -> list[PlannedChange]:
        """Each action's statements and the rows they would touch (rolled back)."""
        out = []
        with self._connect() as conn:
            for action in actions:
                statements = _statements(self._config, action)
                if not statements:
                    out.append(PlannedChange(action, "(no statement configured)", None))
                    continue
                count_query = self._config.get(f"count_{action.value}")
                try:
                    with conn.begin() as tx:
                        if count_query:
                            n = int(
                                conn.execute(text(count_query), {"login": account.login}).scalar()
                                or 0
                            )
                        else:
                            n = self._run(conn, statements, account.login)
                        tx.rollback()
                except SQLAlchemyError as exc:
                    out.append(
                        PlannedChange(
                            action,
                            "; ".join(statements) + f" -- would fail: {self._why(exc, account)}",
                            None,
                        )
                    )
                    continue
                out.append(PlannedChange(action, "; ".join(statements), n))
        return out

    def _why(self, exc: SQLAlchemyError, account: Account) -> str:
        detail = str(exc.orig) if isinstance(exc, DBAPIError) else type(exc).__name__
        return scrub(detail, account.login)

    def apply(self, account: Account, action: ResetAction) -> ActionResult:
        """Run the action's statements in one transaction; nothing stays when one fails."""
        statements = _statements(self._config, action)
        if not statements:
            return ActionResult(action, Outcome.UNSUPPORTED, "no statement configured")
        with self._connect() as conn:
            try:
                with conn.begin():
                    touched = self._run(conn, statements, account.login)
            except OperationalError as exc:
                if conn.invalidated:
                    raise ProviderError(
                        f"sql provider: connection lost ({self._why(exc, account)})"
                    ) from None
                return ActionResult(action, Outcome.FAILED, self._why(exc, account))
            except SQLAlchemyError as exc:
                return ActionResult(action, Outcome.FAILED, self._why(exc, account))
        if touched == 0 and action is ResetAction.FORCE_RESET:
            return ActionResult(action, Outcome.MISSING, "0 rows changed: no such account")
        return ActionResult(action, Outcome.DONE, f"{touched} row(s) changed")

    def _scalar(self, conn: Connection, key: str, params: dict[str, Any]) -> tuple[bool, Any]:
        query = self._config.get(key)
        if not query:
            return False, None
        row = conn.execute(text(str(query)), params).first()
        return True, (row[0] if row is not None else None)

    def state(self, account: Account, *, since: datetime | None) -> AccountState:
        """Read ``flagged`` / ``completed`` / ``exists`` back from the database."""
        params: dict[str, Any] = {"login": account.login, "since": since}
        with self._connect() as conn:
            try:
                has_flag, flag = self._scalar(conn, "flagged", {"login": account.login})
                has_done, done = self._scalar(conn, "completed", params) if since else (False, None)
                has_exists, exists = self._scalar(conn, "exists", {"login": account.login})
            except SQLAlchemyError as exc:
                raise ProviderError(
                    f"sql provider: state query failed ({self._why(exc, account)})"
                ) from None
        present = bool(exists) if has_exists else (flag is not None if has_flag else True)
        return AccountState(
            exists=present,
            flagged=(bool(flag) and present) if has_flag else None,
            completed=bool(done) if has_done else None,
        )

    def close(self) -> None:
        """Dispose of the connection pool."""
        self._engine.dispose()


@dataclass(frozen=True, slots=True)
class SqlProviderFactory:
    """Builds ``SqlProvider`` from stored configuration."""

    kind: str = "sql"
    secret_keys: frozenset[str] = frozenset({"url_env"})
    sample_config: str = json.dumps(_SAMPLE)

    def validate(self, config: Mapping[str, Any]) -> None:
        """Refuse configurations that would not work or would store a secret."""
        refuse_literal_secrets(config)
        if not config.get("url_env"):
            require(config, "url")
            try:
                if make_url(str(config["url"])).password:
                    raise ProviderError("url holds a password: use url_env naming a variable")
            except ArgumentError:
                raise ProviderError("url is not a database URL") from None
        if not any(config.get(a.value) for a in ResetAction):
            raise ProviderError(
                "configure at least one statement: " + ", ".join(a.value for a in ResetAction)
            )

    def __call__(self, config: Mapping[str, Any], environ: Mapping[str, str]) -> CredentialProvider:
        """A connected provider."""
        self.validate(config)
        return SqlProvider(config, environ)
