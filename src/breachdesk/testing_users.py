"""In-memory fake of the web users repository (the real Protocol, for unit tests)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from breachdesk.services.user_ports import (
    ApiToken,
    PortalLink,
    PrivilegedNote,
    Role,
    StoredSession,
    StoredUser,
)


class MemoryUsers:
    """UserRepository over a plain dict of the fake state."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.s = state
        for name in ("users", "sessions", "tokens", "attempts", "notes", "links"):
            state.setdefault(name, {} if name != "attempts" else [])

    def add_user(self, name: str, role: Role, password_hash: str, *, at: datetime) -> StoredUser:
        """Insert a user."""
        user = StoredUser(len(self.s["users"]) + 1, name, role, password_hash, 0, None, False, at)
        self.s["users"][user.id] = user
        return user

    def user(self, user_id: int) -> StoredUser | None:
        """The user with this id."""
        found: StoredUser | None = self.s["users"].get(user_id)
        return found

    def user_by_name(self, name: str) -> StoredUser | None:
        """The user with this name."""
        return next((u for u in self.s["users"].values() if u.name == name), None)

    def users(self) -> list[StoredUser]:
        """Every user, by name."""
        return sorted(self.s["users"].values(), key=lambda u: u.name)

    def update_user(self, user: StoredUser) -> None:
        """Store the user's mutable fields."""
        self.s["users"][user.id] = user

    def add_session(self, session: StoredSession) -> None:
        """Insert a session."""
        self.s["sessions"][session.digest] = session

    def session(self, digest: str) -> StoredSession | None:
        """The session with this digest."""
        found: StoredSession | None = self.s["sessions"].get(digest)
        return found

    def drop_session(self, digest: str) -> None:
        """End one session."""
        self.s["sessions"].pop(digest, None)

    def drop_sessions(self, user_id: int) -> None:
        """End every session of a user."""
        for digest in [d for d, s in self.s["sessions"].items() if s.user_id == user_id]:
            del self.s["sessions"][digest]

    def add_token(self, user_id: int, label: str, digest: str, *, at: datetime) -> int:
        """Insert an API token."""
        token = ApiToken(len(self.s["tokens"]) + 1, user_id, label, digest, at, None)
        self.s["tokens"][digest] = token
        return token.id

    def token(self, digest: str) -> ApiToken | None:
        """The token with this digest."""
        found: ApiToken | None = self.s["tokens"].get(digest)
        return found

    def add_attempt(self, scope: str, subject: str, *, at: datetime) -> None:
        """Count one attempt."""
        self.s["attempts"].append((scope, subject, at))

    def attempts(self, scope: str, subject: str, *, since: datetime) -> int:
        """Attempts since a time."""
        return sum(1 for a in self.s["attempts"] if a[:2] == (scope, subject) and a[2] >= since)

    def add_note(self, incident_id: int, author: str, body: str, *, at: datetime) -> int:
        """Insert a privileged note."""
        note = PrivilegedNote(len(self.s["notes"]) + 1, incident_id, author, body, at)
        self.s["notes"][note.id] = note
        return note.id

    def notes(self, incident_id: int) -> list[PrivilegedNote]:
        """The notes of an incident."""
        return [n for n in self.s["notes"].values() if n.incident_id == incident_id]

    def add_link(self, link: PortalLink) -> None:
        """Insert a portal link."""
        self.s["links"][link.digest] = link

    def link(self, digest: str) -> PortalLink | None:
        """The link with this digest."""
        found: PortalLink | None = self.s["links"].get(digest)
        return found

    def use_link(self, digest: str, *, at: datetime) -> bool:
        """Mark a link used once."""
        link = self.s["links"].get(digest)
        if link is None or link.used_at is not None:
            return False
        self.s["links"][digest] = replace(link, used_at=at)
        return True
