"""The incident report: a PII-free model of the response and its renderings (md, HTML, PDF)."""

from __future__ import annotations

from collections.abc import Callable

from breachdesk.casefile.report.model import AUDIENCES, IncidentReport
from breachdesk.casefile.report.render import render_html, render_markdown


def _pdf(r: IncidentReport) -> bytes:
    from breachdesk.casefile.report.pdf import render_pdf

    return render_pdf(r)


#: The report's renderings by ``--format``.
RENDERERS: dict[str, Callable[[IncidentReport], bytes]] = {
    "md": render_markdown,
    "html": render_html,
    "pdf": _pdf,
}

__all__ = ["AUDIENCES", "RENDERERS", "IncidentReport"]
