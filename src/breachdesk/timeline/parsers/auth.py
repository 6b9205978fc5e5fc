"""auth.log / secure: sshd logins (password, public key, invalid users) and sudo, normalised."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import IO

from breachdesk.timeline.event import LineSkipped, LogEvent, ParsedItem
from breachdesk.timeline.parsers.base import ParseOptions, head_lines
from breachdesk.timeline.parsers.syslog import (
    SyslogLine,
    sniff_syslog,
    syslog_fields,
    syslog_lines,
)

_FROM = r" from (\S+)(?: port (\d+))?"
SSH_RESULT = re.compile(
    r"(Accepted|Failed) (\S+) for (invalid user )?(.*?)" + _FROM + r"(?: ssh2)?(?:[: ]|$)"
)
SSH_INVALID = re.compile(r"Invalid user (.*?)" + _FROM + r"\s*$")
SSH_PREAUTH = re.compile(
    r"(?:Connection closed|Disconnected) by (?:(?:authenticating|invalid) user (.*?) )?(\S+)"
    r" port (\d+)"
)
SUDO = re.compile(r"\s*(\S+) : (?:(.*?) ; )?TTY=.*? ; PWD=.*? ; USER=(\S+) ; COMMAND=(.*)")
PAM_FAIL = re.compile(
    r"pam_unix\((\S+?):auth\): authentication failure;(?:.*? rhost=(\S*))?(?:.*? user=(\S+))?"
)
_AUTH_PROGRAMS = ("sshd", "sudo", "su", "login", "systemd-logind", "pam", "passwd", "useradd")

Normalised = tuple[str, str | None, str | None, str | None, str | None, dict[str, str]]


def _sshd(message: str) -> Normalised | None:
    if m := SSH_RESULT.match(message):
        outcome, method, invalid, user, ip, port = m.groups()
        extra = {"method": method, "port": port or ""}
        if invalid:
            extra["invalid_user"] = "true"
        status = "success" if outcome == "Accepted" else "failure"
        return "login", user, ip, status, None, extra
    if m := SSH_INVALID.match(message):
        user, ip, port = m.groups()
        return "invalid_user", user, ip, "failure", None, {"port": port or ""}
    if m := SSH_PREAUTH.match(message):
        user, ip, port = m.groups()
        return "disconnect", user, ip, None, None, {"port": port}
    return None


def _sudo(message: str) -> Normalised | None:
    if m := SUDO.match(message):
        user, problem, run_as, command = m.groups()
        status = "failure" if problem else "success"
        extra = {"run_as": run_as}
        if problem:
            extra["problem"] = problem
        return "sudo", user, None, status, command, extra
    return None


def normalise(parsed: SyslogLine) -> Normalised | None:
    """Action, user, source IP, status, target and extra fields of an auth message."""
    program = (parsed.program or "").lower()
    found = None
    if program == "sshd":
        found = _sshd(parsed.message)
    elif program == "sudo":
        found = _sudo(parsed.message)
    if found is None and (m := PAM_FAIL.search(parsed.message)):
        service, rhost, user = m.groups()
        return "auth_failure", user, rhost or None, "failure", None, {"service": service}
    return found


SAMPLE = (
    b"Mar 10 09:00:01 web1 sshd[4242]: Failed password for root from 203.0.113.9 port 52312 ssh2\n"
    b"Mar 10 09:00:02 web1 sshd[4243]: Accepted publickey for alice from 198.51.100.7 port 50022"
    b" ssh2: ED25519 SHA256:AAAA\n"
    b"Mar 10 09:00:03 web1 sudo:   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ;"
    b" COMMAND=/usr/bin/id\n"
)


class AuthParser:
    """Linux authentication logs (auth.log, secure): sshd and sudo become normalised actions.

    Actions: ``login`` (status success/failure, ``fields.method`` password/publickey/...),
    ``invalid_user``, ``disconnect``, ``sudo`` (target = command), ``auth_failure`` (PAM);
    other lines keep the program as action, like ``syslog``.
    """

    name = "auth"

    def sniff(self, head: bytes) -> bool:
        """A syslog head in which authentication programs speak."""
        if not sniff_syslog(head):
            return False
        return any(
            f" {p}[" in ln or f" {p}:" in ln for ln in head_lines(head, 20) for p in _AUTH_PROGRAMS
        )

    def samples(self) -> Mapping[str, bytes]:
        """sshd failure and success, sudo."""
        return {"auth.log": SAMPLE}

    def parse(
        self, stream: IO[bytes], source_name: str, options: ParseOptions
    ) -> Iterator[ParsedItem]:
        """Events with user, source IP and status where the message says them."""
        for item in syslog_lines(stream, source_name, options):
            if isinstance(item, LineSkipped):
                yield item
                continue
            loc, parsed = item
            fields = syslog_fields(parsed)
            found = normalise(parsed)
            if found is None:
                yield LogEvent(
                    time=parsed.time,
                    source=self.name,
                    locator=loc,
                    host=parsed.host,
                    action=parsed.program,
                    fields=fields,
                )
                continue
            action, user, ip, status, target, extra = found
            yield LogEvent(
                time=parsed.time,
                source=self.name,
                locator=loc,
                host=parsed.host,
                src_ip=ip,
                user=user,
                action=action,
                target=target,
                status=status,
                fields=fields | {k: v for k, v in extra.items() if v},
            )
