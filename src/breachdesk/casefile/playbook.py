"""The incident playbook: one YAML file describing an incident and how to respond to it.

Validated strictly (unknown keys are errors) with messages naming the file and line. Secrets are
never in the file: SMTP, SMS and reset-provider secrets are named by environment variable."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from breachdesk.core.errors import InvalidInputError

#: The response steps a run executes, in order (``--until`` names one of them).
STEPS = ("obligations", "notify", "resets", "investigate", "findings", "report")


class PlaybookError(InvalidInputError):
    """A playbook that cannot be loaded; the message names file and line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Dpo(_Strict):
    """The data-protection officer's contact (GDPR Art. 33(3)(b))."""

    name: str = ""
    email: str = ""
    phone: str = ""


class IncidentSpec(_Strict):
    """The incident's facts as known when the playbook is written."""

    title: str = Field(min_length=1)
    controller: str = Field(min_length=1)
    discovered_at: AwareDatetime
    occurred_from: AwareDatetime | None = None
    occurred_to: AwareDatetime | None = None
    summary: str = ""
    encrypted: bool = False
    key_exposed: bool = False
    dpo: Dpo = Dpo()


class CustomerMaster(_Strict):
    """Where the customer records are: a CSV/Parquet file or a database URL with a query."""

    source: str = Field(min_length=1)
    query: str | None = None
    keys: list[str] | None = None


class LogSource(_Strict):
    """A log file or folder, its parser (auto-detected when omitted) and record URL patterns."""

    path: Path
    format: str | None = None
    url_map: list[str] = []


class Smtp(_Strict):
    """The SMTP relay; the password comes from the named environment variable."""

    host: str
    port: int | None = None
    security: Literal["none", "starttls", "tls"] = "starttls"
    username: str | None = None
    password_env: str | None = None


class Sms(_Strict):
    """The SMS gateway (``BREACHDESK_SMS_*``); its secret comes from the named variable."""

    provider: Literal["twilio", "webhook"] = "webhook"
    url: str
    account: str | None = None  # Twilio account SID
    sender: str | None = None  # sending number or messaging service
    secret_env: str = "BREACHDESK_SMS_SECRET"  # noqa: S105 - a variable name, not a secret


class Notify(_Strict):
    """Who the notices come from, what they say was done, and how they are sent."""

    sender: str = Field(min_length=1)
    email: str = Field(min_length=1)
    url: str | None = None
    phone: str | None = None
    measures: str = Field(min_length=1)
    smtp: Smtp | None = None  # without it, the embedded mail sink of the workspace
    sms: Sms | None = None
    reset_base_url: str | None = None  # per-person reset links in the notices


class ResetProvider(_Strict):
    """The identity store whose credentials are reset (``breachdesk reset provider`` kinds)."""

    name: str = Field(min_length=1)
    kind: str = Field(min_length=1)
    config: dict[str, Any] = {}


class Pentest(_Strict):
    """Web applications the incident owner authorises breachdesk to test."""

    targets: list[str] = Field(min_length=1)


class Approval(_Strict):
    """An approval given before the run (who, in which role, when)."""

    by: str = Field(min_length=1)
    role: str = Field(min_length=1)
    at: AwareDatetime
    note: str = ""


class Approvals(_Strict):
    """Pre-recorded approvals; without one the run stops at that gate."""

    notices: Approval | None = None
    resets: Approval | None = None
    pentest: Approval | None = None


class ReportSpec(_Strict):
    """Which reports and exports the last step writes, and where (relative to the playbook)."""

    folder: Path = Path("breachdesk-report")
    formats: list[Literal["md", "html", "pdf"]] = ["html", "pdf"]
    audience: Literal["executive", "regulator", "internal"] = "internal"
    exports: list[Literal["gdpr-art33", "veris", "csv"]] = ["gdpr-art33", "veris", "csv"]


class Playbook(_Strict):
    """A whole playbook file."""

    version: Literal[1]
    name: str = Field(min_length=1, max_length=128)
    incident: IncidentSpec
    evidence: list[Path] = []
    customer_master: CustomerMaster | None = None
    logs: list[LogSource] = []
    sigma: list[Path] = []
    rules: list[Path] = []
    notify: Notify | None = None
    resets: ResetProvider | None = None
    code: list[Path] = []
    pentest: Pentest | None = None
    approvals: Approvals = Approvals()
    report: ReportSpec = ReportSpec()


_Path = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """Safe loader; ``_build`` refuses duplicate keys."""


def _build(node: yaml.Node, path: _Path, lines: dict[_Path, int], file: str) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    loader = _Loader("")
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in out:
                raise PlaybookError(f"{file}:{key_node.start_mark.line + 1}: duplicate key {key!r}")
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, (*path, key), lines, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v, (*path, i), lines, file) for i, v in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _line(loc: _Path, lines: dict[_Path, int]) -> int:
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


def parse_playbook(text: str, file: str) -> Playbook:
    """Validate a playbook's text; every problem is reported as ``file:line: key: reason``."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{file}:{mark.line + 1}" if mark is not None else file
        raise PlaybookError(
            f"{where}: {getattr(error, 'problem', None) or 'not valid YAML'}"
        ) from None
    if node is None:
        raise PlaybookError(f"{file}:1: empty playbook")
    lines: dict[_Path, int] = {}
    data = _build(node, (), lines, file)
    if not isinstance(data, dict):
        raise PlaybookError(f"{file}:1: expected a mapping of keys at the top level")
    try:
        return Playbook.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(p for p in item["loc"] if isinstance(p, str | int))
            where = ".".join(str(p) for p in loc) or "(top level)"
            kind = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
            problems.append(f"{file}:{_line(loc, lines)}: {where}: {kind}")
        raise PlaybookError("\n".join(problems)) from None


def load_playbook(path: Path) -> tuple[Playbook, str]:
    """A playbook file, validated, with relative paths resolved against its folder; and the
    SHA-256 of its text (recorded with the run)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlaybookError(f"{path}: cannot read the playbook ({exc.strerror})") from None
    book = parse_playbook(raw.decode("utf-8", errors="replace"), str(path))
    return resolve(book, path.parent), hashlib.sha256(raw).hexdigest()


def _at(base: Path, p: Path) -> Path:
    return p if p.is_absolute() else base / p


def resolve(book: Playbook, base: Path) -> Playbook:
    """The playbook with every relative path made relative to ``base``."""
    master = book.customer_master
    if master is not None and "://" not in master.source:
        master = master.model_copy(update={"source": str(_at(base, Path(master.source)))})
    return book.model_copy(
        update={
            "evidence": [_at(base, p) for p in book.evidence],
            "logs": [s.model_copy(update={"path": _at(base, s.path)}) for s in book.logs],
            "sigma": [_at(base, p) for p in book.sigma],
            "rules": [_at(base, p) for p in book.rules],
            "code": [_at(base, p) for p in book.code],
            "customer_master": master,
            "report": book.report.model_copy(update={"folder": _at(base, book.report.folder)}),
        }
    )


def approved(approval: Approval | None, now: datetime) -> bool:
    """True when an approval was recorded and is not dated in the future."""
    return approval is not None and approval.at <= now
