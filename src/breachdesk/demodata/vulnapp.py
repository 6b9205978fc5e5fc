"""A small vulnerable application source tree for the demo: a SQL injection and an old pin."""

from __future__ import annotations

from pathlib import Path

VULNERABLE = '''"""ACME customer API (demo)."""

import sqlite3


def customer(db: sqlite3.Connection, customer_id: str) -> list[tuple[str, str]]:
    """Look a customer up by the id given in the URL."""
    query = "SELECT name, email FROM customers WHERE id = '%s'" % customer_id
    return db.execute(query).fetchall()
'''

FIXED = '''"""ACME customer API (demo)."""

import sqlite3


def customer(db: sqlite3.Connection, customer_id: str) -> list[tuple[str, str]]:
    """Look a customer up by the id given in the URL (bound parameter)."""
    return db.execute("SELECT name, email FROM customers WHERE id = ?", (customer_id,)).fetchall()
'''

# requests 2.19.1 has a published advisory (CVE-2018-18074); 2.32.3 does not.
REQUIREMENTS_OLD = "requests==2.19.1\n"
REQUIREMENTS_NEW = "requests==2.32.3\n"


def write_vulnerable_app(folder: Path) -> Path:
    """Write the vulnerable tree into ``folder``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "api.py").write_text(VULNERABLE, encoding="utf-8")
    (folder / "requirements.txt").write_text(REQUIREMENTS_OLD, encoding="utf-8")
    return folder


def fix_vulnerable_app(folder: Path) -> None:
    """Apply the fix: a bound parameter instead of string formatting, and a current pin."""
    (folder / "api.py").write_text(FIXED, encoding="utf-8")
    (folder / "requirements.txt").write_text(REQUIREMENTS_NEW, encoding="utf-8")
