"""A deliberately vulnerable module for the scan-code tests (never imported)."""

import hashlib
import sqlite3
import subprocess


def find_user(db: sqlite3.Connection, name: str) -> list[tuple[str]]:
    """SQL built from user input."""
    return db.execute(f"SELECT email FROM users WHERE name = '{name}'").fetchall()


def ping(host: str) -> int:
    """A shell command line built from user input."""
    return subprocess.call("ping -c 1 " + host, shell=True)  # noqa: S602 - planted flaw


def password_digest(password: str) -> str:
    """A fast hash for passwords."""
    return hashlib.md5(password.encode()).hexdigest()  # noqa: S324 - planted flaw
