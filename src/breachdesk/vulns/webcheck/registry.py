"""Web check registry: an explicit tuple of built-ins plus the ``breachdesk.webchecks`` group."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import entry_points

from breachdesk.vulns.webcheck.model import Check

ENTRY_POINT_GROUP = "breachdesk.webchecks"


class DuplicateCheckError(Exception):
    """Two web checks claim the same name."""


def builtin_checks() -> tuple[Check, ...]:
    """One instance of every built-in check, in the order they run."""
    from breachdesk.vulns.webcheck.cookies import CookieFlagsCheck
    from breachdesk.vulns.webcheck.exposed import ExposedFilesCheck
    from breachdesk.vulns.webcheck.headers import SecurityHeadersCheck
    from breachdesk.vulns.webcheck.listing import DirectoryListingCheck
    from breachdesk.vulns.webcheck.pii_api import UnauthenticatedPiiCheck
    from breachdesk.vulns.webcheck.redirect import OpenRedirectCheck
    from breachdesk.vulns.webcheck.sqli_boolean import SqlBooleanCheck
    from breachdesk.vulns.webcheck.sqli_error import SqlErrorCheck
    from breachdesk.vulns.webcheck.tls import TlsCheck
    from breachdesk.vulns.webcheck.verbose_error import VerboseErrorCheck
    from breachdesk.vulns.webcheck.xss import ReflectedXssCheck

    return (
        SecurityHeadersCheck(),
        CookieFlagsCheck(),
        TlsCheck(),
        ExposedFilesCheck(),
        DirectoryListingCheck(),
        VerboseErrorCheck(),
        ReflectedXssCheck(),
        SqlErrorCheck(),
        SqlBooleanCheck(),
        OpenRedirectCheck(),
        UnauthenticatedPiiCheck(),
    )


def default_checks() -> tuple[Check, ...]:
    """Built-ins, then the entry-point plugins; a duplicate name fails loudly."""
    checks = list(builtin_checks())
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        plugin = ep.load()
        checks.append(plugin() if isinstance(plugin, type) else plugin)
    return check_unique(checks)


def check_unique(checks: Sequence[Check]) -> tuple[Check, ...]:
    """``checks`` as a tuple; raise when two share a name."""
    names = [c.name for c in checks]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise DuplicateCheckError("web checks registered twice: " + ", ".join(duplicates))
    return tuple(checks)
