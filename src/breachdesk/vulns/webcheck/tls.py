"""TLS configuration of https targets: old protocol versions, certificate problems."""

from __future__ import annotations

from collections.abc import Sequence

from breachdesk.core.finding import Severity
from breachdesk.vulns.webcheck.model import Issue, Site

PROTOCOL_RULE = "web.tls-weak-protocol"
CERTIFICATE_RULE = "web.tls-certificate"
WEAK = ("SSLv3", "TLSv1", "TLSv1.1")


class TlsCheck:
    """Report deprecated protocol versions accepted and certificate problems."""

    name = "tls"
    rules = (PROTOCOL_RULE, CERTIFICATE_RULE)

    def run(self, site: Site) -> Sequence[Issue]:
        """Nothing for plain http; else one issue per weak protocol and certificate problem."""
        report = site.probe.tls_report()
        if report is None:
            return []
        base = site.probe.origin.base + "/"
        issues = [
            Issue(
                PROTOCOL_RULE,
                f"Deprecated protocol {p} accepted",
                Severity.MEDIUM,
                base,
                p,
                327,
                f"the server completed a {p} handshake",
            )
            for p in report.protocols
            if p in WEAK
        ]
        issues += [
            Issue(
                CERTIFICATE_RULE,
                f"Certificate problem: {problem}",
                Severity.MEDIUM,
                base,
                problem,
                295,
                f"certificate validation failed: {problem}",
            )
            for problem in report.certificate_problems
        ]
        return issues
