"""Values and the repository port of web users, sessions, API tokens, notes and portal links."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    """What a workspace user may do; the permission matrix lives in ``services/access.py``."""

    ADMIN = "admin"
    RESPONDER = "responder"
    COUNSEL = "counsel"
    COMMUNICATIONS = "communications"
    VIEWER = "viewer"


@dataclass(frozen=True, slots=True)
class StoredUser:
    """A workspace user; the password hash never appears in repr."""

    id: int
    name: str
    role: Role
    password_hash: str = field(repr=False)
    failures: int
    locked_until: datetime | None
    disabled: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A browser session, known by the digest of its cookie value."""

    digest: str
    user_id: int
    csrf: str = field(repr=False)
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    """An API token, known by its digest; the token itself is shown once."""

    id: int
    user_id: int
    label: str
    digest: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class PrivilegedNote:
    """A note by counsel, shown to counsel alone."""

    id: int
    incident_id: int
    author: str
    body: str = field(repr=False)
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PortalLink:
    """A single-use magic link of the public portal, known by its digest."""

    digest: str
    match_key: str = field(repr=False)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


class UserRepository(Protocol):
    """Users, sessions, tokens, rate-limit attempts, privileged notes and portal links."""

    def add_user(
        self, name: str, role: Role, password_hash: str, *, at: datetime
    ) -> StoredUser: ...
    def user(self, user_id: int) -> StoredUser | None: ...
    def user_by_name(self, name: str) -> StoredUser | None: ...
    def users(self) -> list[StoredUser]: ...
    def update_user(self, user: StoredUser) -> None: ...
    def add_session(self, session: StoredSession) -> None: ...
    def session(self, digest: str) -> StoredSession | None: ...
    def drop_session(self, digest: str) -> None: ...
    def drop_sessions(self, user_id: int) -> None: ...
    def add_token(self, user_id: int, label: str, digest: str, *, at: datetime) -> int: ...
    def token(self, digest: str) -> ApiToken | None: ...
    def add_attempt(self, scope: str, subject: str, *, at: datetime) -> None: ...
    def attempts(self, scope: str, subject: str, *, since: datetime) -> int: ...
    def add_note(self, incident_id: int, author: str, body: str, *, at: datetime) -> int: ...
    def notes(self, incident_id: int) -> list[PrivilegedNote]: ...
    def add_link(self, link: PortalLink) -> None: ...
    def link(self, digest: str) -> PortalLink | None: ...
    def use_link(self, digest: str, *, at: datetime) -> bool: ...
