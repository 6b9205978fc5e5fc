"""Error-based SQL injection: a quote in the parameter makes the database complain in the page."""

from __future__ import annotations

import re
from collections.abc import Sequence

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import Issue, Response, Site
from breachdesk.vulns.webcheck.points import append, fetch_point, limited

RULE = "web.sqli-error"
_SIGNATURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "SQLite",
            r"sqlite3?\.OperationalError|unrecognized token: |near \"[^\"]*\": syntax error",
        ),
        ("MySQL", r"You have an error in your SQL syntax|mysql_fetch|MySqlException"),
        ("PostgreSQL", r"unterminated quoted string at or near|PG::SyntaxError|psycopg2?\.errors"),
        ("Oracle", r"\bORA-\d{5}\b"),
        ("SQL Server", r"Unclosed quotation mark after the character string|SQLServer JDBC"),
        ("PDO/ODBC", r"SQLSTATE\[\w+\]|ODBC [\w ]+ Driver"),
    )
)


def database_error(response: Response) -> str | None:
    """The database whose error message appears in ``response``, or None."""
    text = response.text[:200_000]
    return next((name for name, pattern in _SIGNATURES if pattern.search(text)), None)


class SqlErrorCheck:
    """Append quotes to each parameter; a new database error message proves injection."""

    name = "sqli-error"
    rules = (RULE,)

    def run(self, site: Site) -> Sequence[Issue]:
        """One issue per parameter that breaks the SQL statement it is pasted into."""
        issues = []
        for point in limited(site):
            if database_error(fetch_point(site.probe, point, None)):
                continue  # the page shows such text anyway
            for suffix in ("'", '"'):
                engine = database_error(fetch_point(site.probe, point, append(point, suffix)))
                if engine:
                    issues.append(
                        Issue(
                            RULE,
                            "SQL injection (error-based)",
                            Severity.HIGH,
                            point.url,
                            point.name,
                            89,
                            f"a {suffix} in {point.name} produced a {engine} error message",
                        )
                    )
                    break
        return issues
