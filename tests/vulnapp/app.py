"""The vulnerable app as a WSGI callable; ``fixed=True`` removes every planted flaw.

Flaws (vulnerable variant): no security headers, a session cookie without flags, /.git/HEAD,
/.env, /backup.sql and /server-status served, a directory listing at /files/, a stack trace on
/report, reflected XSS on /search, error-based SQL injection on /product, boolean-based SQL
injection on /user, an open redirect on /go, and /api/customers giving personal data to anyone.
All data is synthetic (example.org addresses, 555 numbers).
"""

from __future__ import annotations

import html
import json
import sqlite3
import traceback
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

Start = Callable[[str, list[tuple[str, str]]], Any]

HOME = """<!doctype html><html><head><title>Shop</title></head><body>
<h1>Shop</h1>
<a href="/product?id=1">Product</a> <a href="/user?name=alice">Profile</a>
<a href="/report?year=2025">Report</a> <a href="/go?next=/">Home</a>
<a href="/files/">Downloads</a> <a href="/api/customers">API</a>
<a href="https://elsewhere.example/">Partner</a>
<form action="/search" method="get"><input name="q" value="shoes"><input type="submit"></form>
</body></html>"""

CUSTOMERS = (
    ("Alice Martin", "alice.martin@example.org", "+1 202-555-0143"),
    ("Bruno Keller", "bruno.keller@example.org", "+1 202-555-0178"),
    ("Chloe Dubois", "chloe.dubois@example.org", "+1 202-555-0111"),
)
FILES = {
    "/.git/HEAD": b"ref: refs/heads/main\n",
    "/.env": b"DATABASE_URL=postgres://shop:hunter2@db/shop\nSECRET_KEY=changeme\n",
    "/backup.sql": b"-- MySQL dump 10.13\nCREATE TABLE customers (id int, email text);\n",
    "/server-status": b"<html><title>Apache Server Status for localhost</title>"
    b"<body>Server uptime: 3 days</body></html>",
}


def _database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.executescript(
        "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL);"
        "INSERT INTO products VALUES (1, 'Shoes', 49.5), (2, 'Hat', 12.0);"
        "CREATE TABLE users (username TEXT, city TEXT);"
        "INSERT INTO users VALUES ('alice', 'Lyon'), ('bruno', 'Basel');"
    )
    return db


class VulnApp:
    """The WSGI application; every handler has its vulnerable and fixed behaviour."""

    def __init__(self, *, fixed: bool) -> None:
        self.fixed = fixed
        self.db = _database()
        self.routes: dict[str, Callable[[dict[str, str], dict[str, Any]], tuple[Any, ...]]] = {
            "/": self.home,
            "/search": self.search,
            "/product": self.product,
            "/user": self.user,
            "/report": self.report,
            "/go": self.go,
            "/files/": self.files,
            "/api/customers": self.customers,
        }

    def __call__(self, environ: dict[str, Any], start: Start) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        handler = self.routes.get(path)
        if handler is not None:
            status, headers, body = handler(query, environ)
        elif path in FILES and not self.fixed:
            kind = "text/html" if path == "/server-status" else "text/plain"
            status, headers, body = "200 OK", [("Content-Type", kind)], FILES[path]
        else:
            status, headers, body = "404 Not Found", [("Content-Type", "text/plain")], b"not found"
        start(status, headers + self.security_headers(environ))
        return [body if isinstance(body, bytes) else body.encode()]

    def security_headers(self, environ: dict[str, Any]) -> list[tuple[str, str]]:
        """The recommended headers, in the fixed twin only."""
        if not self.fixed:
            return []
        headers = [
            ("Content-Security-Policy", "default-src 'self'"),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ]
        if environ.get("wsgi.url_scheme") == "https":
            headers.append(("Strict-Transport-Security", "max-age=31536000"))
        return headers

    def _html(self, text: str, status: str = "200 OK") -> tuple[Any, ...]:
        return status, [("Content-Type", "text/html; charset=utf-8")], text

    def home(self, query: dict[str, str], environ: dict[str, Any]) -> tuple[Any, ...]:
        """The start page; sets the session cookie."""
        status, headers, body = self._html(HOME)
        flags = "; HttpOnly; SameSite=Lax" + ("; Secure" if self.fixed else "")
        headers.append(("Set-Cookie", "session=abc123; Path=/" + (flags if self.fixed else "")))
        return status, headers, body

    def search(self, query: dict[str, str], environ: dict[str, Any]) -> tuple[Any, ...]:
        """Echoes the search term (unencoded in the vulnerable app)."""
        term = query.get("q", "")
        shown = html.escape(term) if self.fixed else term
        return self._html(f"<p>No results for {shown}</p>")

    def product(self, query: dict[str, str], environ: dict[str, Any]) -> tuple[Any, ...]:
        """Looks a product up by id (string-built SQL, errors shown, when vulnerable)."""
        raw = query.get("id", "")
        try:
            if self.fixed:
                row = self.db.execute(
                    "SELECT name, price FROM products WHERE id = ?", (int(raw),)
                ).fetchone()
            else:
                sql = f"SELECT name, price FROM products WHERE id = {raw}"
                row = self.db.execute(sql).fetchone()
        except (sqlite3.Error, ValueError) as exc:
            message = "invalid product" if self.fixed else f"Database error: {exc}"
            return self._html(f"<p>{html.escape(message)}</p>", "500 Internal Server Error")
        text = f"<p>{row[0]}: {row[1]}</p>" if row else "<p>product not found</p>"
        return self._html(text)

    def user(self, query: dict[str, str], environ: dict[str, Any]) -> tuple[Any, ...]:
        """A profile by name (string-built SQL with errors hidden, when vulnerable)."""
        name = query.get("name", "")
        try:
            if self.fixed:
                row = self.db.execute(
                    "SELECT username, city FROM users WHERE username = ?", (name,)
                ).fetchone()
            else:
                sql = f"SELECT username, city FROM users WHERE username = '{name}'"
                row = self.db.execute(sql).fetchone()
        except sqlite3.Error:
            row = None
        return self._html(f"<p>City: {html.escape(row[1])}</p>" if row else "<p>no such user</p>")

    def report(self, query: dict[str, str], environ: dict[str, Any]) -> tuple[Any, ...]:
        """A yearly report; bad input raises (and the vulnerable app prints the traceback)."""
        try:
            year = int(query.get("year", "2025"))
        except ValueError:
            if self.fixed:
                return self._html("<p>invalid year</p>", "400 Bad Request")
            trace = html.escape(traceback.format_exc())
            return self._html(f"<pre>{trace}</pre>", "500 Internal Server Error")
        return self._html(f"<p>Report for {year}: 42 orders</p>")

    def go(self, query: dict[str, str], environ: dict[str, Any]) -> tuple[Any, ...]:
        """Redirects to ``next`` (anywhere, when vulnerable)."""
        target = query.get("next", "/")
        if self.fixed and (not target.startswith("/") or target.startswith("//")):
            target = "/"
        return "302 Found", [("Location", target), ("Content-Type", "text/plain")], b""

    def files(self, query: dict[str, str], environ: dict[str, Any]) -> tuple[Any, ...]:
        """A generated directory index (forbidden in the fixed twin)."""
        if self.fixed:
            return "403 Forbidden", [("Content-Type", "text/plain")], b"forbidden"
        return self._html(
            "<html><head><title>Index of /files/</title></head><body><h1>Index of /files/</h1>"
            '<a href="/">Parent Directory</a> <a href="/files/price-list.pdf">price-list.pdf</a>'
            "</body></html>"
        )

    def customers(self, query: dict[str, str], environ: dict[str, Any]) -> tuple[Any, ...]:
        """Customer records as JSON (to anyone, when vulnerable)."""
        if self.fixed and not environ.get("HTTP_AUTHORIZATION"):
            return "401 Unauthorized", [("Content-Type", "application/json")], b'{"error":"auth"}'
        rows = [{"name": n, "email": e, "phone": p} for n, e, p in CUSTOMERS]
        return "200 OK", [("Content-Type", "application/json")], json.dumps(rows)
