"""Shared wording of the report's renderings: the executive summary and table rows."""

from __future__ import annotations

from datetime import datetime

from breachdesk.casefile.report.model import IncidentReport, ObligationLine


def when(at: datetime | None) -> str:
    """A UTC time as ``YYYY-MM-DD HH:MM``, or a dash."""
    return at.strftime("%Y-%m-%d %H:%M") if at else "-"


def lateness(o: ObligationLine, now: datetime) -> str:
    """``on time``, ``late``, ``overdue``, ``open`` or ``to review``."""
    if o.met_at is None and o.status == "review":
        return "to review"
    if o.met_at is not None:
        return "late" if o.late else "on time"
    if o.due_at is not None and o.due_at < now:
        return "overdue"
    return "open"


def summary_points(r: IncidentReport) -> list[tuple[str, str]]:
    """The executive summary: what, when, who, what exposed, what was done."""
    window = f"{when(r.occurred_from)} to {when(r.occurred_to)}" if r.occurred_from else "unknown"
    elements = ", ".join(e for e, _ in r.by_element) or "none identified"
    met = sum(o.met_at is not None for o in r.obligations)
    fixed = sum(f.fixed_at is not None for f in r.findings)
    done = [
        f"{r.delivered:,} of {r.messages:,} notices delivered",
        f"{r.resets_done:,} of {r.resets_total:,} credential resets done",
        f"{met} of {len(r.obligations)} obligations met",
        f"{fixed} of {len(r.findings)} findings fixed and verified",
    ]
    return [
        ("What happened", f"{r.title}. {r.summary}".strip()),
        ("When", f"occurred {window}; discovered {when(r.discovered_at)} (UTC)"),
        ("Who is affected", f"{r.people:,} people in {len(r.by_jurisdiction)} jurisdictions"),
        ("What was exposed", elements),
        ("What was done", "; ".join(done)),
    ]


def obligation_rows(r: IncidentReport) -> list[list[str]]:
    """Obligation table rows."""
    return [
        [o.jurisdiction, o.recipient, f"{o.people:,}", when(o.due_at), when(o.met_at),
         lateness(o, r.generated_at)]
        for o in r.obligations
    ]  # fmt: skip


def delivery_rows(r: IncidentReport) -> list[list[str]]:
    """Delivery table rows with each state's share of its channel's messages."""
    totals: dict[str, int] = {}
    for channel, _, n in r.delivery:
        totals[channel] = totals.get(channel, 0) + n
    return [
        [channel, state, f"{n:,}", f"{n / totals[channel]:.1%}" if totals[channel] else "-"]
        for channel, state, n in r.delivery
    ]


def finding_rows(r: IncidentReport) -> list[list[str]]:
    """Finding table rows."""
    return [
        [f.severity, f.title[:80], f.location[:60], f.status,
         "root cause" if f.root_cause else "", when(f.fixed_at)]
        for f in r.findings
    ]  # fmt: skip


def detection_rows(r: IncidentReport) -> list[list[str]]:
    """Detection table rows."""
    return [
        [d.level, d.title[:70], f"{d.events:,}", when(d.first_at), when(d.last_at),
         ", ".join(d.actors[:5])]
        for d in r.detections
    ]  # fmt: skip


def evidence_rows(r: IncidentReport) -> list[list[str]]:
    """Evidence table rows (hashes in full for the internal and regulator audiences)."""
    cut = 16 if r.audience == "executive" else 64
    return [[e.name, f"{e.size:,}", e.sha256[:cut], when(e.added_at)] for e in r.evidence]


def head_text(r: IncidentReport) -> str:
    """The audit chain's head: sequence number and hash."""
    return f"#{r.audit_head[0]} {r.audit_head[1]}" if r.audit_head else "empty"


OBLIGATION_HEAD = ["Jurisdiction", "Recipient", "People", "Due (UTC)", "Met (UTC)", "Timing"]
FINDING_HEAD = ["Severity", "Finding", "Where", "Status", "", "Fixed (UTC)"]
DETECTION_HEAD = ["Level", "Detection", "Events", "First", "Last", "Sources"]
EVIDENCE_HEAD = ["Evidence", "Bytes", "SHA-256", "Added (UTC)"]
