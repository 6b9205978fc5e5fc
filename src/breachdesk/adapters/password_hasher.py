"""Argon2id password hashing (argon2-cffi) behind the services' PasswordHasher port."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Hasher:
    """Argon2id with argon2-cffi's RFC 9106 low-memory defaults; rehash when parameters move."""

    def __init__(self, *, fast: bool = False) -> None:
        # fast: the smallest parameters Argon2 allows, for tests that create many users
        self._ph = (
            PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if fast else PasswordHasher()
        )

    def hash(self, password: str) -> str:
        """A salted Argon2id hash in PHC format."""
        return self._ph.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        """Whether ``password`` matches ``stored`` (never raises for a mismatch or bad hash)."""
        try:
            return self._ph.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
