"""Markdown and HTML renderings of the incident report (HTML with inline SVG charts)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from breachdesk.casefile.report import text
from breachdesk.casefile.report.charts import bar_chart_svg
from breachdesk.casefile.report.model import IncidentReport

#: How many timeline lines each audience sees.
TIMELINE_LINES = {"executive": 15, "regulator": 60, "internal": 400}


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["_None._", ""]
    cell = [[c.replace("|", "\\|") for c in row] for row in rows]
    return [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(row) + " |" for row in cell),
        "",
    ]


def sections(r: IncidentReport) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report's tables in order: title, header, rows (shared by every rendering)."""
    lines = r.timeline[: TIMELINE_LINES[r.audience]]
    return [
        ("Timeline", ["Time (UTC)", "Event"], [[text.when(t.time), t.summary] for t in lines]),
        ("Affected people by jurisdiction", ["Jurisdiction", "People"],
         [[k, f"{n:,}"] for k, n in r.by_jurisdiction]),
        ("Affected people by element", ["Element", "People"],
         [[k, f"{n:,}"] for k, n in r.by_element]),
        ("Notification obligations", text.OBLIGATION_HEAD, text.obligation_rows(r)),
        ("Notices and delivery", ["Channel", "State", "Messages", "Share of channel"],
         text.delivery_rows(r)),
        ("Credential resets", ["State", "Accounts"], [[s, f"{n:,}"] for s, n in r.resets]),
        ("What the logs show", text.DETECTION_HEAD, text.detection_rows(r)),
        ("Root cause, findings and verified fixes", text.FINDING_HEAD, text.finding_rows(r)),
        ("Decisions", ["Decided (UTC)", "Topic", "Decision", "Rationale", "By"],
         [[text.when(d.decided_at), d.topic, d.decision, d.rationale, d.author]
          for d in r.decisions]),
        ("Evidence", text.EVIDENCE_HEAD, text.evidence_rows(r)),
    ]  # fmt: skip


def render_markdown(r: IncidentReport) -> bytes:
    """The report as Markdown."""
    out = [f"# Incident report: {r.title}", ""]
    out += [
        f"Incident {r.incident_id} ({r.status}), {r.controller}; audience: {r.audience}; "
        f"generated {text.when(r.generated_at)} UTC.",
        "",
        "## Executive summary",
        "",
    ]
    out += [f"- **{k}:** {v}" for k, v in text.summary_points(r)] + [""]
    if r.root_causes:
        out += ["**Root cause:** " + "; ".join(f"{f.title} ({f.location})" for f in r.root_causes)]
        out += [""]
    for title, head, rows in sections(r):
        out += [f"## {title}", "", *_md_table(head, rows)]
    out += ["## Integrity", "", f"Audit chain head: `{text.head_text(r)}`", ""]
    return "\n".join(out).encode("utf-8")


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("breachdesk.casefile.report", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
    )


def render_html(r: IncidentReport) -> bytes:
    """The report as one self-contained HTML page with inline SVG charts."""
    charts = [
        bar_chart_svg("Affected people by jurisdiction", r.by_jurisdiction),
        bar_chart_svg("Affected people by element", r.by_element),
    ]
    page = (
        _env()
        .get_template("report.html.j2")
        .render(
            r=r,
            points=text.summary_points(r),
            sections=sections(r),
            charts=charts,
            head=text.head_text(r),
            when=text.when,
        )
    )
    return page.encode("utf-8")
