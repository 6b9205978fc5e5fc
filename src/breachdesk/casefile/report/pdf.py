"""The incident report as PDF: ReportLab tables and bar charts (imported only when called)."""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from breachdesk.casefile.report import text
from breachdesk.casefile.report.model import IncidentReport
from breachdesk.casefile.report.render import sections

#: Where DejaVu Sans is looked for: ReportLab's built-in fonts cover Latin-1 only, so a
#: controller or title like "Łódź" would print with missing glyphs.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu (fonts-dejavu-core)
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/Library/Fonts"),
)


@cache
def report_fonts() -> tuple[str, str]:
    """Regular and bold font names: DejaVu Sans when installed (embedded), else Helvetica."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("BreachdeskSans", str(regular)))
            pdfmetrics.registerFont(TTFont("BreachdeskSans-Bold", str(bold)))
            # <b> inside a paragraph picks the bold face of the family
            addMapping("BreachdeskSans", 0, 0, "BreachdeskSans")
            addMapping("BreachdeskSans", 1, 0, "BreachdeskSans-Bold")
            addMapping("BreachdeskSans", 0, 1, "BreachdeskSans")
            addMapping("BreachdeskSans", 1, 1, "BreachdeskSans-Bold")
            return "BreachdeskSans", "BreachdeskSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _chart(title: str, rows: tuple[tuple[str, int], ...]) -> Any:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    shown = list(rows[:12])[::-1]  # ReportLab draws the first category at the bottom
    height = 40 + 16 * max(len(shown), 1)
    drawing = Drawing(480, height)
    regular, bold = report_fonts()
    drawing.add(String(0, height - 12, title, fontName=bold, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 130, 10, 320, height - 36
    chart.data = [[n for _, n in shown] or [0]]
    chart.categoryAxis.categoryNames = [k[:22] for k, _ in shown] or ["-"]
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.fontName = regular
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = regular
    chart.bars[0].fillColor = colors.HexColor("#2f6690")
    drawing.add(chart)
    return drawing


def _table(head: list[str], rows: list[list[str]], style: Any) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    cells = [[Paragraph(f"<b>{escape(h)}</b>", style) for h in head]]
    cells += [[Paragraph(escape(c), style) for c in row] for row in rows]
    table = Table(cells, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_pdf(r: IncidentReport) -> bytes:
    """The report as an A4 PDF with charts and tables."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    regular, bold = report_fonts()
    for name in ("Title", "Heading2"):
        styles[name].fontName = bold
    styles["BodyText"].fontName = regular
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    story: list[Any] = [
        Paragraph(escape(f"Incident report: {r.title}"), styles["Title"]),
        Paragraph(
            escape(f"Incident {r.incident_id} ({r.status}), {r.controller}; audience: "
                   f"{r.audience}; generated {text.when(r.generated_at)} UTC."),
            styles["BodyText"],
        ),
        Paragraph("Executive summary", styles["Heading2"]),
    ]  # fmt: skip
    for key, value in text.summary_points(r):
        story.append(Paragraph(f"<b>{escape(key)}:</b> {escape(value)}", styles["BodyText"]))
    for f in r.root_causes:
        story.append(
            Paragraph(
                f"<b>Root cause:</b> {escape(f.title)} ({escape(f.location)})", styles["BodyText"]
            )
        )
    story += [
        Spacer(1, 8),
        _chart("Affected people by jurisdiction", r.by_jurisdiction),
        _chart("Affected people by element", r.by_element),
    ]
    for title, head, rows in sections(r):
        story.append(Paragraph(escape(title), styles["Heading2"]))
        story.append(_table(head, rows, small) if rows else Paragraph("None.", small))
    story += [
        Paragraph("Integrity", styles["Heading2"]),
        Paragraph(escape(f"Audit chain head: {text.head_text(r)}"), small),
    ]
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=landscape(A4), title=f"Incident report {r.incident_id}",
        leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36,
    )  # fmt: skip
    footer = f"Incident {r.incident_id}: {r.title} (generated {text.when(r.generated_at)} UTC)"

    def number(canvas: Any, document: Any) -> None:
        canvas.setFont(report_fonts()[0], 7)
        canvas.drawString(36, 20, f"{footer}, page {document.page}")

    doc.build(story, onFirstPage=number, onLaterPages=number)
    return out.getvalue()
