"""Built-in analytics over an event frame: brute force, spraying, enumeration, bulk cloud reads,
and from all detections the attackers and the breach window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

import polars as pl

if TYPE_CHECKING:
    from breachdesk.timeline.sigma import RuleMatch

SEVERE = frozenset({"high", "critical"})
_LOGIN_PATH = r"(?i)(login|signin|sign-in|logon|auth|session|token|wp-login)"
_ID = r"^[A-Za-z_-]{0,8}[0-9][0-9A-Za-z_.@-]*$"  # a path segment that names a record
_ID_SEGMENT = r"/[A-Za-z_-]{0,8}[0-9][0-9A-Za-z_.@-]*(?:[/?#]|$)"


@dataclass(frozen=True, slots=True)
class Detection:
    """A rule or analytic that fired: what, how bad, which events, when."""

    rule_id: str
    title: str
    level: str
    kind: str  # sigma | analytic
    event_ids: tuple[int, ...]
    first: datetime
    last: datetime
    actors: tuple[str, ...] = ()  # source addresses the detection is about

    @property
    def count(self) -> int:
        """Number of events."""
        return len(self.event_ids)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Tunable limits of the analytics (defaults suit a small to mid-sized web application)."""

    failures: int = 10  # failed logins from one address within ``window``
    spray_accounts: int = 5  # distinct accounts that make failures a spraying attempt
    window: timedelta = timedelta(minutes=30)
    records: int = 50  # distinct records of one kind one address reads
    record_factor: float = 10.0  # ... and that many times the typical address
    sequential: float = 0.5  # share of consecutive ids that makes access sequential
    cloud_reads: int = 100  # objects one identity reads from storage
    max_events: int = 100_000  # events kept per detection (the count stays exact)


@dataclass(frozen=True, slots=True)
class Findings:
    """What the investigation concluded from its detections."""

    detections: tuple[Detection, ...]
    attacker_ips: tuple[str, ...]
    accounts: tuple[str, ...]
    window: tuple[datetime, datetime] | None
    evidence: tuple[int, ...] = ()  # first and last malicious events
    followups: tuple[int, ...] = field(default=(), repr=False)  # attackers' later 2xx requests


def from_match(match: RuleMatch, frame: pl.DataFrame) -> Detection:
    """A Sigma rule match as a detection, with the source addresses of its events."""
    ids = list(match.event_ids)
    ips = (
        frame.filter(pl.col("id").is_in(ids) & pl.col("src_ip").is_not_null())
        .get_column("src_ip")
        .unique()
        .sort()
        .to_list()
    )
    r = match.rule
    return Detection(
        r.id, r.title, r.level, "sigma", match.event_ids, match.first, match.last, tuple(ips)
    )


def _detection(
    rule_id: str, title: str, level: str, rows: pl.DataFrame, limit: int, actors: Sequence[str]
) -> Detection:
    times = rows.get_column("time")
    ids = rows.sort("time").get_column("id").head(limit).to_list()
    return Detection(
        rule_id,
        title,
        level,
        "analytic",
        tuple(ids),
        cast(datetime, times.min()),
        cast(datetime, times.max()),
        tuple(sorted(set(actors))),
    )


def login_outcomes(frame: pl.DataFrame) -> pl.DataFrame:
    """Login attempts with ``outcome`` success/failure from auth logs, Windows and web forms."""
    windows = pl.col("source") == "evtx"
    # parsing JSON costs per non-null row: only Windows events carry an EventID
    event_id = pl.when(windows).then(pl.col("fields")).str.json_path_match("$.EventID")
    status = pl.col("status").fill_null("")
    web_login = (
        pl.col("source").is_in(["nginx", "apache", "web", "jsonl"])
        & (pl.col("action") == "POST")
        & pl.col("target").str.contains(_LOGIN_PATH)
    )
    outcome = (
        pl.when((pl.col("action") == "login") & (status == "failure"))
        .then(pl.lit("failure"))
        .when((pl.col("action") == "login") & (status == "success"))
        .then(pl.lit("success"))
        .when(windows & event_id.is_in(["4625", "4771"]))
        .then(pl.lit("failure"))
        .when(windows & (event_id == "4624"))
        .then(pl.lit("success"))
        # Kerberos TGT and NTLM validation requests: status 0x0 is a success, any code a failure
        .when(windows & event_id.is_in(["4768", "4776"]) & status.is_in(["0x0", "0"]))
        .then(pl.lit("success"))
        .when(windows & event_id.is_in(["4768", "4776"]) & (status != ""))
        .then(pl.lit("failure"))
        .when(web_login & status.is_in(["401", "403"]))
        .then(pl.lit("failure"))
        .when(web_login & status.str.contains(r"^[23]\d\d$"))
        .then(pl.lit("success"))
    )
    return (
        frame.select(
            "id",
            "time",
            # an IPv4 client seen through a dual-stack socket is the same address
            pl.col("src_ip").str.replace(r"^::ffff:(\d+\.\d+\.\d+\.\d+)$", "$1"),
            "user",
            outcome.alias("outcome"),
        )
        .filter(pl.col("outcome").is_not_null() & pl.col("src_ip").is_not_null())
        .sort("time")
    )


def brute_force(frame: pl.DataFrame, limits: Thresholds) -> list[Detection]:
    """Many failed logins from one address; spraying when they span many accounts; critical when
    a success from that address follows."""
    logins = login_outcomes(frame)
    fails = logins.filter(pl.col("outcome") == "failure")
    if fails.height == 0:
        return []
    bursts = (
        # overlapping windows, so a burst across a window boundary is still seen whole
        fails.group_by_dynamic(
            "time", every=limits.window / 2, period=limits.window, group_by="src_ip"
        )
        .agg(pl.len().alias("n"), pl.col("user").n_unique().alias("accounts"))
        .filter((pl.col("n") >= limits.failures) | (pl.col("accounts") >= limits.spray_accounts))
    )
    out: list[Detection] = []
    for ip, accounts in (
        bursts.group_by("src_ip").agg(pl.col("accounts").max()).sort("src_ip").iter_rows()
    ):
        mine = fails.filter(pl.col("src_ip") == ip)
        spraying = accounts >= limits.spray_accounts
        kind, title = (
            ("breachdesk-password-spraying", "Password spraying")
            if spraying
            else ("breachdesk-brute-force", "Brute-force login attempts")
        )
        out.append(_detection(kind, title, "medium", mine, limits.max_events, [ip]))
        after = logins.filter(
            (pl.col("src_ip") == ip)
            & (pl.col("outcome") == "success")
            & (pl.col("time") > mine.get_column("time").min())
        )
        if after.height:
            rows = pl.concat([mine, after.head(1)])
            out.append(
                _detection(
                    f"{kind}-success",
                    f"{title} followed by a successful login",
                    "critical",
                    rows,
                    limits.max_events,
                    [ip],
                )
            )
    return out


def record_shape(target: pl.Expr) -> pl.Expr:
    """A URL path with identifier-like segments (any segment holding a digit) as ``{id}``."""
    path = target.str.split("?").list.first()
    return path.str.split("/").list.eval(pl.element().str.replace(_ID, "{id}")).list.join("/")


def enumeration(frame: pl.DataFrame, limits: Thresholds) -> list[Detection]:
    """One address reading far more records of one kind than anyone else, or reading them in
    sequence."""
    web = frame.filter(
        pl.col("source").is_in(["nginx", "apache", "web", "jsonl"])
        & pl.col("status").str.contains(r"^2\d\d$").fill_null(False)
        & pl.col("target").str.contains(_ID_SEGMENT).fill_null(False)
        & pl.col("src_ip").is_not_null()
    ).with_columns(
        record_shape(pl.col("target")).alias("shape"),
        pl.col("target")
        .str.extract(r"/[A-Za-z_-]{0,8}([0-9]+)(?:[/?#]|$)", 1)
        .cast(pl.Int64, strict=False)
        .alias("num"),
    )
    if web.height == 0:
        return []
    per_ip = web.group_by("shape", "src_ip").agg(
        pl.col("target").n_unique().alias("records"),
        (pl.col("num").unique().sort().diff() == 1).mean().alias("seq"),
    )
    typical = per_ip.group_by("shape").agg(pl.col("records").median().alias("typical"))
    flagged = per_ip.join(typical, on="shape").filter(
        (pl.col("records") >= limits.records)
        & (
            (pl.col("records") >= limits.record_factor * pl.col("typical"))
            | (pl.col("seq").fill_null(0) >= limits.sequential)
        )
    )
    out: list[Detection] = []
    for shape, ip, _records, seq in (
        flagged.select("shape", "src_ip", "records", "seq").sort("src_ip", "shape").iter_rows()
    ):
        rows = web.filter((pl.col("shape") == shape) & (pl.col("src_ip") == ip))
        how = "sequential" if (seq or 0) >= limits.sequential else "bulk"
        out.append(
            _detection(
                "breachdesk-record-enumeration",
                f"Record enumeration ({how} reads of {shape})",
                "high",
                rows,
                limits.max_events,
                [ip],
            )
        )
    return out


def cloud_bulk_reads(frame: pl.DataFrame, limits: Thresholds) -> list[Detection]:
    """One identity reading many objects from cloud storage (CloudTrail ``GetObject``)."""
    reads = frame.filter(
        (pl.col("source") == "cloudtrail")
        & (pl.col("action") == "GetObject")
        & (pl.col("status") == "success")
    )
    if reads.height == 0:
        return []
    who = pl.coalesce("user", "src_ip").alias("who")
    counts = dict(reads.with_columns(who).group_by("who").agg(pl.len()).iter_rows())
    out: list[Detection] = []
    for name in sorted(counts):
        others = sorted(n for w, n in counts.items() if w != name)
        typical = others[len(others) // 2] if others else 0  # the usual reader, not this one
        if counts[name] >= limits.cloud_reads and counts[name] >= limits.record_factor * typical:
            rows = reads.with_columns(who).filter(pl.col("who") == name)
            ips = rows.get_column("src_ip").drop_nulls().unique().sort().to_list()
            out.append(
                _detection(
                    "breachdesk-cloud-bulk-read",
                    "Bulk object reads from cloud storage",
                    "high",
                    rows,
                    limits.max_events,
                    ips,
                )
            )
    return out


def analytics(frame: pl.DataFrame, limits: Thresholds | None = None) -> list[Detection]:
    """Every built-in analytic over the frame (which must carry an ``id`` column)."""
    limits = limits or Thresholds()
    return [
        *brute_force(frame, limits),
        *enumeration(frame, limits),
        *cloud_bulk_reads(frame, limits),
    ]


def conclude(frame: pl.DataFrame, detections: Sequence[Detection]) -> Findings:
    """Attackers (sources of high/critical detections), their accounts, and the breach window:
    first malicious event to the attackers' last successful request."""
    severe = [d for d in detections if d.level in SEVERE]
    ips = sorted({ip for d in severe for ip in d.actors})
    if not severe:
        return Findings(tuple(detections), (), (), None)
    malicious = sorted({i for d in severe for i in d.event_ids})
    bad = frame.filter(pl.col("id").is_in(malicious))
    start = cast(datetime, bad.get_column("time").min())
    later = frame.filter(
        pl.col("src_ip").is_in(ips)
        & (pl.col("time") >= start)
        & pl.col("status").str.contains(r"^(2\d\d|success)$").fill_null(False)
    )
    evidence = pl.concat([bad.select("id", "time"), later.select("id", "time")]).sort("time", "id")
    accounts = (
        pl.concat([bad.select("user"), later.select("user")])
        .drop_nulls()
        .unique()
        .sort("user")
        .get_column("user")
        .to_list()
    )
    first, last = evidence.row(0), evidence.row(-1)
    return Findings(
        tuple(detections),
        tuple(ips),
        tuple(a for a in accounts if a not in ("-", "")),
        (cast(datetime, first[1]), cast(datetime, last[1])),
        (int(first[0]), int(last[0])),
        tuple(later.get_column("id").to_list()),
    )
