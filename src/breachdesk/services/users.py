"""Web workspace users: accounts and roles, log-in with lock-out, sessions, API tokens, and
counsel's privileged notes."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Protocol

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.errors import InvalidInputError, NotFoundError
from breachdesk.core.ids import IncidentId
from breachdesk.services.access import Permission, require
from breachdesk.services.ports import KeyedHasher, UnitOfWork, UnitOfWorkFactory
from breachdesk.services.user_ports import PrivilegedNote, Role, StoredSession, StoredUser

#: Consecutive failed log-ins before an account locks, and for how long.
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
#: Failed log-ins per client address within the window before further tries are refused.
MAX_FAILURES_PER_IP = 30
WINDOW = timedelta(minutes=15)
SESSION_TTL = timedelta(hours=8)
MIN_PASSWORD = 12
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$")


class PasswordHasher(Protocol):
    """Slow salted password hashing (Argon2id in the adapter)."""

    def hash(self, password: str) -> str: ...
    def verify(self, stored: str, password: str) -> bool: ...


class LoginRefusedError(InvalidInputError):
    """Wrong name or password, a locked account, or too many tries: one message for all."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting in a web request; ``csrf`` is set for browser sessions."""

    user_id: int
    name: str
    role: Role
    csrf: str | None = None

    @property
    def actor(self) -> str:
        """The actor recorded in the audit chain."""
        return f"{self.name} (web, {self.role.value})"


def digest(token: str) -> str:
    """SHA-256 of a high-entropy token: what the database stores instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_role(text: str) -> Role:
    """A role from its name, or a clear error listing the roles."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidInputError(f"role {text!r}: not one of {names}") from None


class UserService:
    """Users, log-in, sessions, tokens and privileged notes; every change audited."""

    def __init__(
        self, uow: UnitOfWorkFactory, hasher: PasswordHasher, keyed: KeyedHasher, clock: Clock
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._keyed = keyed
        self._clock = clock
        # verified when the name is unknown, so both paths cost one Argon2 verification
        self._dummy = hasher.hash(secrets.token_urlsafe(16))

    def _audit(
        self,
        uow: UnitOfWork,
        action: AuditAction,
        subject: str,
        actor: str,
        details: dict[str, object],
        incident_id: int | None = None,
    ) -> None:
        uow.audit.append(
            AuditDraft(
                at=self._clock.now(),
                actor=actor,
                action=action,
                subject=subject,
                incident_id=incident_id,
                details=details,
            )
        )

    def add(self, name: str, role: Role, password: str, *, actor: str) -> StoredUser:
        """Create a user with an Argon2 password hash."""
        if not _NAME.match(name):
            raise InvalidInputError("user name: letters, digits, . _ @ - (at most 128)")
        if len(password) < MIN_PASSWORD:
            raise InvalidInputError(f"password: at least {MIN_PASSWORD} characters")
        hashed = self._hasher.hash(password)
        with self._uow() as uow:
            if uow.users.user_by_name(name) is not None:
                raise InvalidInputError(f"user {name} exists already")
            user = uow.users.add_user(name, role, hashed, at=self._clock.now())
            details: dict[str, object] = {"role": role.value}
            self._audit(uow, AuditAction.USER_ADDED, f"user:{name}", actor, details)
            uow.commit()
        return user

    def users(self) -> list[StoredUser]:
        """Every user."""
        with self._uow() as uow:
            return uow.users.users()

    def set_role(self, name: str, role: Role, *, actor: str) -> StoredUser:
        """Change a user's role; their sessions end so the new role applies at once."""
        with self._uow() as uow:
            user = self._named(uow, name)
            new = replace(user, role=role)
            uow.users.update_user(new)
            uow.users.drop_sessions(user.id)
            details: dict[str, object] = {"from": user.role.value, "to": role.value}
            self._audit(uow, AuditAction.USER_ROLE_CHANGED, f"user:{name}", actor, details)
            uow.commit()
        return new

    def issue_token(self, name: str, label: str, *, actor: str) -> str:
        """A new API token for ``name``; only its digest is stored, so it is shown once."""
        token = "bdk_" + secrets.token_urlsafe(32)
        with self._uow() as uow:
            user = self._named(uow, name)
            token_id = uow.users.add_token(user.id, label, digest(token), at=self._clock.now())
            details: dict[str, object] = {"token": token_id, "label": label}
            self._audit(uow, AuditAction.USER_TOKEN_ISSUED, f"user:{name}", actor, details)
            uow.commit()
        return token

    @staticmethod
    def _named(uow: UnitOfWork, name: str) -> StoredUser:
        user = uow.users.user_by_name(name)
        if user is None:
            raise NotFoundError(f"no user {name}")
        return user

    def login(self, name: str, password: str, *, client: str) -> tuple[str, Principal]:
        """Check a password; a session token and the principal, or LoginRefusedError."""
        now = self._clock.now()
        ip_key = self._keyed.keyed_hash(client, purpose="ratelimit:login-ip")[:64]
        with self._uow() as uow:
            user = uow.users.user_by_name(name)
            throttled = uow.users.attempts("login-ip", ip_key, since=now - WINDOW)
            ok = self._hasher.verify(user.password_hash if user else self._dummy, password)
            locked = user is not None and user.locked_until is not None and user.locked_until > now
            usable = user is not None and not user.disabled and not locked
            if ok and usable and throttled < MAX_FAILURES_PER_IP and user is not None:
                token, principal = self._open_session(uow, user)
                self._audit(uow, AuditAction.USER_LOGGED_IN, f"user:{user.name}", user.name, {})
                uow.commit()
                return token, principal
            uow.users.add_attempt("login-ip", ip_key, at=now)
            self._failed(uow, user, locked=locked)
            uow.commit()
        raise LoginRefusedError("log-in refused: wrong name or password, or locked for a while")

    def _failed(self, uow: UnitOfWork, user: StoredUser | None, *, locked: bool) -> None:
        subject = f"user:{user.name}" if user else "user:?"
        self._audit(uow, AuditAction.USER_LOGIN_FAILED, subject, "web", {"locked": locked})
        if user is None or locked:
            return
        failures = user.failures + 1
        until = self._clock.now() + LOCKOUT if failures >= MAX_FAILURES else None
        uow.users.update_user(replace(user, failures=0 if until else failures, locked_until=until))
        if until is not None:
            uow.users.drop_sessions(user.id)
            details: dict[str, object] = {"until": until.isoformat()}
            self._audit(uow, AuditAction.USER_LOCKED_OUT, subject, "web", details)

    def _open_session(self, uow: UnitOfWork, user: StoredUser) -> tuple[str, Principal]:
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = self._clock.now()
        uow.users.update_user(replace(user, failures=0, locked_until=None))
        uow.users.add_session(StoredSession(digest(token), user.id, csrf, now, now + SESSION_TTL))
        return token, Principal(user.id, user.name, user.role, csrf)

    def session(self, token: str) -> Principal | None:
        """The principal of a live session cookie, else None."""
        with self._uow() as uow:
            found = uow.users.session(digest(token))
            if found is None or found.expires_at <= self._clock.now():
                return None
            user = uow.users.user(found.user_id)
        if user is None or user.disabled:
            return None
        return Principal(user.id, user.name, user.role, found.csrf)

    def logout(self, token: str) -> None:
        """End a session."""
        with self._uow() as uow:
            uow.users.drop_session(digest(token))
            uow.commit()

    def bearer(self, token: str) -> Principal | None:
        """The principal of an API token, else None."""
        with self._uow() as uow:
            found = uow.users.token(digest(token))
            if found is None or found.revoked_at is not None:
                return None
            user = uow.users.user(found.user_id)
        if user is None or user.disabled:
            return None
        return Principal(user.id, user.name, user.role)

    def add_note(self, incident_id: IncidentId, body: str, who: Principal) -> int:
        """Record a privileged note (counsel only); the audit entry never carries its text."""
        require(who.role, Permission.PRIVILEGED)
        if not body.strip():
            raise InvalidInputError("note: empty")
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            note_id = uow.users.add_note(incident_id, who.name, body, at=self._clock.now())
            self._audit(
                uow,
                AuditAction.PRIVILEGED_NOTE_ADDED,
                f"note:{note_id}",
                who.actor,
                {"note": note_id},
                incident_id=incident_id,
            )
            uow.commit()
        return note_id

    def notes(self, incident_id: IncidentId, who: Principal) -> list[PrivilegedNote]:
        """The incident's privileged notes, for counsel alone."""
        require(who.role, Permission.PRIVILEGED)
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.users.notes(incident_id)
