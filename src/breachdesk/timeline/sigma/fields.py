"""Where Sigma rules look in an event frame: log sources to parsers, taxonomy fields to columns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import polars as pl

# Derived columns computed once per frame when a rule needs them.
PATH = "_path"  # target before "?"
QUERY = "_query"  # target after "?"
KEYWORDS = "_keywords"  # every text of the event, lower-cased, for keyword-only rules

NATIVE_PREFIX = "f:"  # column holding a source-native field extracted from ``fields``

# Sigma web taxonomy (W3C extended log format names, as SigmaHQ uses them) -> our columns.
WEB_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "c-ip": "src_ip",
        "ClientIP": "src_ip",
        "src_ip": "src_ip",
        "cs-method": "action",
        "c-uri": "target",
        "cs-uri": "target",
        "cs-uri-stem": PATH,
        "cs-uri-query": QUERY,
        "c-uri-stem": PATH,
        "c-uri-query": QUERY,
        "sc-status": "status",
        "c-useragent": "user_agent",
        "cs-user-agent": "user_agent",
        "cs-host": "host",
        "cs-username": "user",
        "sc-bytes": "bytes",
    }
)
# Windows event logs: the account and address fields most rules use also exist normalised, but
# rules name the native field, so only the time-independent system fields map here.
CLOUD_FIELDS: Mapping[str, str] = MappingProxyType(
    {"sourceIPAddress": "src_ip", "userAgent": "user_agent"}
)
GENERIC_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "src_ip": "src_ip",
        "user": "user",
        "action": "action",
        "target": "target",
        "status": "status",
        "host": "host",
        "user_agent": "user_agent",
        "bytes": "bytes",
        "source": "source",
    }
)
# Native names that mean the same field under another spelling (Sigma vs. the evtx package).
NATIVE_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Provider_Name": ("Provider_Name", "Provider", "ProviderName"),
        "cs-referer": ("cs-referer", "referer", "referrer", "http_referer"),
        "cs-cookie": ("cs-cookie", "cookie"),
        "EventID": ("EventID",),
    }
)

# Windows services -> event log channels.
WINDOWS_CHANNELS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "security": ("Security",),
        "system": ("System",),
        "application": ("Application",),
        "sysmon": ("Microsoft-Windows-Sysmon/Operational",),
        "powershell": ("Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"),
        "powershell-classic": ("Windows PowerShell",),
        "taskscheduler": ("Microsoft-Windows-TaskScheduler/Operational",),
        "wmi": ("Microsoft-Windows-WMI-Activity/Operational",),
        "windefend": ("Microsoft-Windows-Windows Defender/Operational",),
        "dns-server": ("DNS Server",),
        "driver-framework": ("Microsoft-Windows-DriverFrameworks-UserMode/Operational",),
        "firewall-as": ("Microsoft-Windows-Windows Firewall With Advanced Security/Firewall",),
        "bits-client": ("Microsoft-Windows-Bits-Client/Operational",),
        "codeintegrity-operational": ("Microsoft-Windows-CodeIntegrity/Operational",),
        "terminalservices-localsessionmanager": (
            "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational",
        ),
    }
)
# Windows categories that Sysmon records under one EventID.
SYSMON_CATEGORIES: Mapping[str, int] = MappingProxyType(
    {
        "process_creation": 1,
        "network_connection": 3,
        "process_access": 10,
        "file_event": 11,
        "registry_set": 13,
        "dns_query": 22,
        "image_load": 7,
        "create_remote_thread": 8,
        "driver_load": 6,
        "pipe_created": 17,
    }
)

WEB_PARSERS = ("nginx", "apache", "web")
LINUX_SERVICES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"auth": ("auth",), "sshd": ("auth",), "sudo": ("auth",), "syslog": ("syslog", "auth")}
)
WEB_PRODUCTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"apache": ("apache",), "nginx": ("nginx",)}
)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which events a rule applies to: parser names, and for Windows logs channels or EventID."""

    family: str  # web | windows | cloud | linux
    sources: tuple[str, ...]
    channels: tuple[str, ...] = ()
    sysmon_event: int | None = None

    def expression(self) -> pl.Expr:
        """Boolean expression selecting the scope's events."""
        expr = pl.col("source").is_in(list(self.sources))
        if self.channels:
            expr = expr & native_column("Channel").is_in(list(self.channels))
        if self.sysmon_event is not None:
            expr = (
                expr
                & (native_column("Channel") == "Microsoft-Windows-Sysmon/Operational")
                & (native_column("EventID") == str(self.sysmon_event))
            )
        return expr.fill_null(False)

    def natives(self) -> set[str]:
        """Native fields the scope's own expression reads."""
        return {"Channel", "EventID"} if self.channels or self.sysmon_event else set()


def native_column(name: str) -> pl.Expr:
    """Column of an extracted native field."""
    return pl.col(NATIVE_PREFIX + name)


def scope_of(category: str | None, product: str | None, service: str | None) -> Scope | str:
    """The events a Sigma log source covers, or the reason none of ours can."""
    if category == "webserver" or (product is None and service in WEB_PRODUCTS):
        sources = WEB_PRODUCTS.get(service or "", WEB_PARSERS) if service else WEB_PARSERS
        return Scope("web", sources)
    if product == "windows":
        if service is not None:
            channels = WINDOWS_CHANNELS.get(service)
            if channels is None:
                return f"windows service {service!r} has no channel mapping"
            return Scope("windows", ("evtx",), channels=channels)
        event = SYSMON_CATEGORIES.get(category or "")
        if event is None:
            return f"windows category {category!r} has no event mapping"
        return Scope("windows", ("evtx",), sysmon_event=event)
    if product == "aws" and service in (None, "cloudtrail"):
        return Scope("cloud", ("cloudtrail",))
    if product == "linux" and category is None:
        linux = LINUX_SERVICES.get(service or "syslog")
        if linux is None:
            return f"linux service {service!r} is not parsed"
        return Scope("linux", linux)
    where = "/".join(x for x in (category, product, service) if x)
    return f"log source {where!r} is not produced by any parser"


def column_for(family: str, field: str) -> str:
    """The frame column a Sigma field reads in a family of log sources."""
    mapping = {"web": WEB_FIELDS, "cloud": CLOUD_FIELDS}.get(family, MappingProxyType({}))
    if field in mapping:
        return mapping[field]
    if family in ("web", "linux") and field in GENERIC_FIELDS:
        return GENERIC_FIELDS[field]
    return NATIVE_PREFIX + field
