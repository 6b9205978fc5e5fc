"""Previews: every channel and locale as files, PDFs for letters, template versions listed."""

from __future__ import annotations

from notify_samples import sample_context

from breachdesk.notify.message import Channel
from breachdesk.notify.preview import preview_files


def test_preview_names_every_file_and_version() -> None:
    files = preview_files(sample_context(), locales=("en", "es-MX"))
    assert "en/email.txt" in files
    assert "en/email.html" in files
    assert files["en/letter.pdf"].startswith(b"%PDF-")
    assert files["es-MX/regulator_letter.pdf"].startswith(b"%PDF-")
    assert "en/sms.html" not in files
    versions = files["versions.txt"].decode().splitlines()
    assert len(versions) == 2 * len(Channel)
    assert any(line.startswith("es/email\t") and "es-MX" in line for line in versions)


def test_preview_without_pdf_for_a_quick_look() -> None:
    files = preview_files(sample_context(), channels=[Channel.LETTER], locales=["de"], pdf=False)
    assert set(files) == {"de/letter.txt", "de/letter.html", "versions.txt"}
