"""The follow-up notice and the final report render in every locale, strictly and escaped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from breachdesk.notify.elements import LOCALES
from breachdesk.notify.followup import (
    FINAL_REPORT,
    FOLLOWUP,
    FollowupContext,
    ReportContext,
    render_document,
)

CONTEXT = FollowupContext(
    organisation="ACME Ltd",
    incident_title="Customer data exposed",
    changes=("Fixed: SQL injection <script>x</script> (api.py:8)",),
    verified_on=date(2026, 12, 1),
    contact="privacy@acme.example",
)


@pytest.mark.parametrize("locale", LOCALES)
def test_followup_in_every_locale(locale: str) -> None:
    doc = render_document(FOLLOWUP, locale, CONTEXT)
    assert doc.locale == locale
    assert doc.subject
    assert "2026-12-01" in doc.text
    assert "Fixed: SQL injection" in doc.text
    assert "<script>" not in doc.html
    assert "&lt;script&gt;" in doc.html
    assert doc.version.startswith(f"{locale}/followup@")


def test_unknown_locale_falls_back_to_english() -> None:
    assert render_document(FOLLOWUP, "pt-BR", CONTEXT).locale == "en"


def test_final_report_states_root_cause_fix_and_proof() -> None:
    report = ReportContext(
        organisation="ACME Ltd",
        regime="GDPR Art. 33",
        citations=("Regulation (EU) 2016/679, Art. 33",),
        incident_title="Customer data exposed",
        incident_description="An API returned customer records.",
        discovered_at="2026-11-20T09:30:00+00:00",
        occurred="2026-11-19T23:00:00+00:00",
        people=42,
        categories=("email", "phone"),
        root_causes=("SQL injection (api.py:8)",),
        fixed=(("SQL injection", "api.py:8", "proved by scan 3 (bandit) on 2026-12-01"),),
        verified_on=date(2026, 12, 1),
        notified_people=40,
        contact="dpo@acme.example",
        notes=("Art. 33(4): information may be provided in phases.",),
    )
    doc = render_document(FINAL_REPORT, "en", report)
    for needle in ("GDPR Art. 33", "SQL injection (api.py:8)", "proved by scan 3", "40 people",
                   "email, phone", "Art. 33(4)"):  # fmt: skip
        assert needle in doc.text
        assert needle.split(" (")[0] in doc.html


def test_a_missing_variable_fails_loudly() -> None:
    from jinja2 import UndefinedError

    @dataclass(frozen=True)
    class Partial:
        organisation: str

    with pytest.raises(UndefinedError):
        render_document(FOLLOWUP, "en", Partial("ACME"))  # type: ignore[arg-type]
