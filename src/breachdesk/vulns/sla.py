"""Remediation deadlines from severity: defaults 7/30/90/180 days, configurable per workspace."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType

from breachdesk.core.errors import ConfigError
from breachdesk.core.finding import Severity

DEFAULT_DAYS: Mapping[Severity, int] = MappingProxyType(
    {Severity.CRITICAL: 7, Severity.HIGH: 30, Severity.MEDIUM: 90, Severity.LOW: 180}
)
SETTING = "BREACHDESK_SLA_DAYS"


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Days allowed to fix a finding of each severity; a severity without days has no due date."""

    days: Mapping[Severity, int] = field(default_factory=lambda: DEFAULT_DAYS)

    def due_at(self, severity: Severity, since: datetime) -> datetime | None:
        """When a finding of ``severity`` first seen (or reopened) at ``since`` must be fixed."""
        days = self.days.get(severity)
        return since + timedelta(days=days) if days is not None else None


def parse_sla_days(text: str | None) -> SlaPolicy:
    """A policy from ``critical=3,high=14`` or ``{"critical": 3}``; others keep the defaults.

    Raises ``ConfigError`` naming the setting (never echoing more than the bad key).
    """
    if text is None or not text.strip():
        return SlaPolicy()
    pairs: list[tuple[str, object]]
    raw = text.strip()
    if raw.startswith("{"):
        try:
            loaded = json.loads(raw)
        except json.JSONDecodeError:
            raise ConfigError(f"{SETTING}: not valid JSON") from None
        if not isinstance(loaded, dict):
            raise ConfigError(f"{SETTING}: expected an object of severity to days")
        pairs = list(loaded.items())
    else:
        pairs = []
        for part in raw.split(","):
            name, sep, value = part.partition("=")
            if not sep:
                raise ConfigError(f"{SETTING}: expected severity=days, comma-separated")
            pairs.append((name, value.strip()))
    days = dict(DEFAULT_DAYS)
    for key, days_text in pairs:
        severity = Severity.parse(key)
        if severity is None or severity.value != key.strip().lower():
            raise ConfigError(f"{SETTING}: unknown severity {key.strip()[:20]!r}")
        try:
            number = int(str(days_text))
        except ValueError:
            raise ConfigError(
                f"{SETTING}: days for {severity.value} must be a whole number"
            ) from None
        if number < 0:
            raise ConfigError(f"{SETTING}: days for {severity.value} must not be negative")
        days[severity] = number
    return SlaPolicy(MappingProxyType(days))
