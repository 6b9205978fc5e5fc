"""Print-ready PDF letters from rendered HTML notices (ReportLab, imported only when called)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from breachdesk.notify.message import RenderedMessage

_BLOCKS = {"p": "body", "h1": "title", "h2": "heading", "h3": "heading", "li": "bullet"}
_SKIPPED = {"head", "style", "script", "title"}
#: Where Unicode fonts are looked for: ReportLab's built-in fonts only cover Latin-1, so a name
#: like "Łukasz" or an authority like "Urząd" would print with missing glyphs.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu (fonts-dejavu-core)
    Path("/usr/share/fonts/dejavu-serif-fonts"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/Library/Fonts"),
)


@dataclass(slots=True)
class _Block:
    kind: str
    parts: list[str] = field(default_factory=list)


class _Blocks(HTMLParser):
    """Paragraphs, headings and list items of a letter's HTML, as escaped ReportLab markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self._open: _Block | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _BLOCKS:
            self._open = _Block(_BLOCKS[tag])
            self.blocks.append(self._open)
        elif tag == "br" and self._open is not None:
            self._open.parts.append("<br/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        text = " ".join(data.split())
        if not text:
            return
        if self._open is None:  # loose text between blocks becomes its own paragraph
            self._open = _Block("body")
            self.blocks.append(self._open)
        self._open.parts.append(escape(text))


def letter_blocks(html: str) -> list[tuple[str, str]]:
    """``(kind, markup)`` for each paragraph, heading and list item of a letter's HTML."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    out = []
    for block in parser.blocks:
        markup = " ".join(block.parts).replace(" <br/> ", "<br/>")
        if markup.strip():
            out.append((block.kind, markup))
    return out


@cache
def letter_fonts() -> tuple[str, str]:
    """Body and bold font names: DejaVu Serif when installed (embedded), else Times (Latin-1)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSerif.ttf", folder / "DejaVuSerif-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("BreachdeskSerif", str(regular)))
            pdfmetrics.registerFont(TTFont("BreachdeskSerif-Bold", str(bold)))
            return "BreachdeskSerif", "BreachdeskSerif-Bold"
    return "Times-Roman", "Times-Bold"


def render_pdf(message: RenderedMessage) -> bytes:
    """An A4 PDF of a rendered letter (its HTML, else its text); metadata never names the person."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    regular, bold = letter_fonts()
    for name, font in (("Heading1", bold), ("Heading2", bold), ("BodyText", regular)):
        styles[name].fontName = font
    style = {
        "title": styles["Heading1"],
        "heading": styles["Heading2"],
        "body": styles["BodyText"],
        "bullet": styles["BodyText"],
    }
    if message.html is not None:
        blocks = letter_blocks(message.html)
    else:
        blocks = [
            ("body", escape(p).replace("\n", "<br/>")) for p in message.text.split("\n\n") if p
        ]
    story: list[Flowable] = []
    for kind, markup in blocks:
        if kind == "bullet":
            story.append(Paragraph(markup, style[kind], bulletText="\u2022"))
        else:
            story.append(Paragraph(markup, style[kind]))
        story.append(Spacer(1, 0.15 * cm))
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=message.subject,
        author="",
        subject=message.template_id,
        creator="breachdesk",
        invariant=True,
    )
    document.build(story)
    return buffer.getvalue()
