"""A demo user database (SQLite) built from a customer master, and the SQL provider for it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    reset_count INTEGER NOT NULL DEFAULT 0,
    security_question TEXT,
    password_changed_at TEXT
);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id));
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), revoked INTEGER NOT NULL
);
"""

DEMO_STATEMENTS: dict[str, Any] = {
    "force_reset": "UPDATE users SET must_change_password = 1, password_hash = NULL, "
    "reset_count = reset_count + 1 WHERE email = :login",
    "revoke_sessions": "DELETE FROM sessions WHERE user_id IN "
    "(SELECT id FROM users WHERE email = :login)",
    "revoke_keys": "UPDATE api_keys SET revoked = 1 WHERE user_id IN "
    "(SELECT id FROM users WHERE email = :login)",
    "reset_security_questions": "UPDATE users SET security_question = NULL WHERE email = :login",
    "flagged": "SELECT must_change_password FROM users WHERE email = :login",
    "completed": "SELECT 1 FROM users WHERE email = :login AND must_change_password = 0 "
    "AND password_changed_at IS NOT NULL",
    "login": "email",
    "sqlite_pragmas": ["journal_mode=WAL", "synchronous=NORMAL"],
}


def create_demo_userdb(master: Path, target: Path) -> dict[str, Any]:
    """Create the organisation's user database from the master's e-mail addresses; returns the
    SQL provider configuration for it. Each user has two sessions and one API key."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(master) as src:
        emails = [r[0] for r in src.execute("SELECT email FROM customers WHERE email IS NOT NULL")]
    db = sqlite3.connect(target)
    try:
        db.executescript(_SCHEMA)
        db.executemany(
            "INSERT INTO users (email, password_hash, security_question) VALUES (?, ?, ?)",
            [(e, "$2b$12$" + "x" * 53, "first pet") for e in dict.fromkeys(emails)],
        )
        db.execute("INSERT INTO sessions (user_id) SELECT id FROM users")
        db.execute("INSERT INTO sessions (user_id) SELECT id FROM users")
        db.execute("INSERT INTO api_keys (user_id, revoked) SELECT id, 0 FROM users")
        db.commit()
    finally:
        db.close()
    return {"url": f"sqlite:///{target}", **DEMO_STATEMENTS}


def change_passwords(target: Path, share: float) -> int:
    """Simulate people completing their reset: the first ``share`` of flagged users."""
    db = sqlite3.connect(target)
    try:
        ids = [r[0] for r in db.execute("SELECT id FROM users WHERE must_change_password = 1")]
        chosen = ids[: int(len(ids) * share)]
        db.executemany(
            "UPDATE users SET must_change_password = 0, password_changed_at = "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), password_hash = 'changed' WHERE id = ?",
            [(i,) for i in chosen],
        )
        db.commit()
    finally:
        db.close()
    return len(chosen)
