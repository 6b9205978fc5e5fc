"""SQL repository of web users, sessions, API tokens, rate-limit attempts, notes, portal links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, RowMapping, delete, func, insert, select, update

from breachdesk.adapters.sql import tables as t
from breachdesk.services.user_ports import (
    ApiToken,
    PortalLink,
    PrivilegedNote,
    Role,
    StoredSession,
    StoredUser,
)


def _user(row: RowMapping) -> StoredUser:
    return StoredUser(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        password_hash=row["password_hash"],
        failures=row["failures"],
        locked_until=row["locked_until"],
        disabled=bool(row["disabled"]),
        created_at=row["created_at"],
    )


class SqlUsers:
    """The ``web_*``, ``api_tokens``, ``login_attempts``, ``privileged_notes`` and
    ``portal_links`` tables."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_user(self, name: str, role: Role, password_hash: str, *, at: datetime) -> StoredUser:
        """Insert a user (the unique name is checked by the caller first)."""
        values = {
            "name": name,
            "role": role.value,
            "password_hash": password_hash,
            "failures": 0,
            "locked_until": None,
            "disabled": False,
            "created_at": at,
        }
        new_id = self._conn.execute(
            insert(t.web_users).values(**values).returning(t.web_users.c.id)
        ).scalar_one()
        return StoredUser(new_id, name, role, password_hash, 0, None, False, at)

    def user(self, user_id: int) -> StoredUser | None:
        """The user with this id."""
        row = self._conn.execute(select(t.web_users).where(t.web_users.c.id == user_id))
        found = row.mappings().first()
        return _user(found) if found else None

    def user_by_name(self, name: str) -> StoredUser | None:
        """The user with this name."""
        row = self._conn.execute(select(t.web_users).where(t.web_users.c.name == name))
        found = row.mappings().first()
        return _user(found) if found else None

    def users(self) -> list[StoredUser]:
        """Every user, by name."""
        rows = self._conn.execute(select(t.web_users).order_by(t.web_users.c.name))
        return [_user(r) for r in rows.mappings()]

    def update_user(self, user: StoredUser) -> None:
        """Store role, password hash, lock-out state and the disabled flag."""
        self._conn.execute(
            update(t.web_users)
            .where(t.web_users.c.id == user.id)
            .values(
                role=user.role.value,
                password_hash=user.password_hash,
                failures=user.failures,
                locked_until=user.locked_until,
                disabled=user.disabled,
            )
        )

    def add_session(self, session: StoredSession) -> None:
        """Insert a session."""
        self._conn.execute(
            insert(t.web_sessions).values(
                digest=session.digest,
                user_id=session.user_id,
                csrf=session.csrf,
                created_at=session.created_at,
                expires_at=session.expires_at,
            )
        )

    def session(self, digest: str) -> StoredSession | None:
        """The session with this digest."""
        q = select(t.web_sessions).where(t.web_sessions.c.digest == digest)
        row = self._conn.execute(q).mappings().first()
        return StoredSession(**row) if row else None

    def drop_session(self, digest: str) -> None:
        """End one session."""
        self._conn.execute(delete(t.web_sessions).where(t.web_sessions.c.digest == digest))

    def drop_sessions(self, user_id: int) -> None:
        """End every session of a user (role change, lock-out)."""
        self._conn.execute(delete(t.web_sessions).where(t.web_sessions.c.user_id == user_id))

    def add_token(self, user_id: int, label: str, digest: str, *, at: datetime) -> int:
        """Insert an API token by its digest."""
        return int(
            self._conn.execute(
                insert(t.api_tokens)
                .values(user_id=user_id, label=label, digest=digest, created_at=at)
                .returning(t.api_tokens.c.id)
            ).scalar_one()
        )

    def token(self, digest: str) -> ApiToken | None:
        """The API token with this digest."""
        q = select(t.api_tokens).where(t.api_tokens.c.digest == digest)
        row = self._conn.execute(q).mappings().first()
        return ApiToken(**row) if row else None

    def add_attempt(self, scope: str, subject: str, *, at: datetime) -> None:
        """Count one attempt of a rate-limited action."""
        self._conn.execute(insert(t.login_attempts).values(scope=scope, subject=subject, at=at))

    def attempts(self, scope: str, subject: str, *, since: datetime) -> int:
        """Attempts of ``subject`` in ``scope`` since a time."""
        c = t.login_attempts.c
        q = select(func.count()).where(c.scope == scope, c.subject == subject, c.at >= since)
        return int(self._conn.execute(q).scalar_one())

    def add_note(self, incident_id: int, author: str, body: str, *, at: datetime) -> int:
        """Insert a privileged note."""
        return int(
            self._conn.execute(
                insert(t.privileged_notes)
                .values(incident_id=incident_id, author=author, body=body, created_at=at)
                .returning(t.privileged_notes.c.id)
            ).scalar_one()
        )

    def notes(self, incident_id: int) -> list[PrivilegedNote]:
        """The privileged notes of an incident, oldest first."""
        c = t.privileged_notes.c
        q = select(t.privileged_notes).where(c.incident_id == incident_id).order_by(c.id)
        return [PrivilegedNote(**r) for r in self._conn.execute(q).mappings()]

    def add_link(self, link: PortalLink) -> None:
        """Insert a portal link by its digest."""
        self._conn.execute(
            insert(t.portal_links).values(
                digest=link.digest,
                match_key=link.match_key,
                created_at=link.created_at,
                expires_at=link.expires_at,
                used_at=link.used_at,
            )
        )

    def link(self, digest: str) -> PortalLink | None:
        """The portal link with this digest."""
        q = select(t.portal_links).where(t.portal_links.c.digest == digest)
        row = self._conn.execute(q).mappings().first()
        return PortalLink(**row) if row else None

    def use_link(self, digest: str, *, at: datetime) -> bool:
        """Mark a link used; False when it already was (a concurrent use lost the race)."""
        c = t.portal_links.c
        done = self._conn.execute(
            update(t.portal_links).where(c.digest == digest, c.used_at.is_(None)).values(used_at=at)
        )
        return done.rowcount == 1
