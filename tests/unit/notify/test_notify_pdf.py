"""Letters become PDFs that open and read back with the person's notice in them."""

from __future__ import annotations

from io import BytesIO

import pytest
from notify_samples import sample_context
from pypdf import PdfReader

from breachdesk.notify.elements import LOCALES, element_name
from breachdesk.notify.message import Channel
from breachdesk.notify.pdf import letter_blocks, render_pdf
from breachdesk.notify.render import render


def _text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("locale", LOCALES)
def test_letter_pdf_opens_and_reads_back(locale: str) -> None:
    message = render(Channel.LETTER, locale, sample_context(elements=["ssn", "iban"]))
    data = render_pdf(message)
    assert data.startswith(b"%PDF-")
    text = _text(data)
    assert "Example Outfitters" in text
    assert element_name("iban", locale) in text  # type: ignore[arg-type]
    assert "Equifax" in text


def test_pdf_is_reproducible_and_keeps_the_person_out_of_metadata() -> None:
    message = render(Channel.LETTER, "en", sample_context())
    first, second = render_pdf(message), render_pdf(message)
    assert first == second
    metadata = PdfReader(BytesIO(first)).metadata or {}
    assert "Jane Roe" not in " ".join(str(v) for v in metadata.values())


def test_regulator_letter_and_text_only_messages_make_pdfs() -> None:
    regulator = render(Channel.REGULATOR_LETTER, "fr", sample_context(number_affected=1200))
    assert "1200" in _text(render_pdf(regulator))
    media = render(Channel.MEDIA, "de", sample_context())
    assert "Example Outfitters" in _text(render_pdf(media))


def test_blocks_escape_markup_and_skip_the_head() -> None:
    html = "<html><head><title>T</title><style>p{}</style></head><body><h2>A &amp; B</h2>"
    html += "<p>x &lt;b&gt; y<br>z</p><ul><li>one</li></ul>loose</body></html>"
    assert letter_blocks(html) == [
        ("heading", "A &amp; B"),
        ("body", "x &lt;b&gt; y<br/>z"),
        ("bullet", "one"),
        ("body", "loose"),
    ]
