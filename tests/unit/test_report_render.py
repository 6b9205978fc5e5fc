"""The report's renderings and exports from a constructed report: lateness, rates, escaping,
root cause, schema validity and the per-state CSV rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jsonschema
import pytest

from breachdesk.casefile.report import RENDERERS
from breachdesk.casefile.report.exports import ExportFacts, gdpr_art33, schema, us_ag_rows, veris
from breachdesk.casefile.report.model import (
    DecisionLine,
    Detection,
    EvidenceLine,
    FindingLine,
    IncidentReport,
    ObligationLine,
    TimelineLine,
)
from breachdesk.casefile.report.text import delivery_rows, lateness

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def _report(**changes: object) -> IncidentReport:
    base = IncidentReport(
        incident_id=3, title="Shop <API> leak", controller="ACME Ltd", status="investigating",
        summary="An endpoint returned records.", discovered_at=T0,
        occurred_from=T0 - timedelta(hours=9), occurred_to=T0 - timedelta(hours=8),
        generated_at=T0 + timedelta(days=5), audience="regulator", people=40, records=55,
        by_jurisdiction=(("DE", 20), ("US-CA", 15), ("FR", 5)),
        by_element=(("email", 40), ("password_hash", 30), ("ssn", 15)),
        elements_by_jurisdiction=(("DE", ("email",)), ("FR", ("email",)),
                                  ("US-CA", ("email", "ssn"))),
        obligations=(
            ObligationLine("DE", "regulator", 20, T0 + timedelta(hours=72),
                           T0 + timedelta(hours=80), True),
            ObligationLine("US-CA", "individuals", 15, T0 + timedelta(days=3), None, None),
            ObligationLine("US-CA", "attorney_general", 15, T0 + timedelta(days=30), None, None),
        ),
        delivery=(("email", "delivered", 36), ("email", "failed", 4)),
        resets=(("completed", 10), ("flagged", 20), ("planned", 10)),
        detections=(Detection("Enumeration", "high", 900, T0 - timedelta(hours=9),
                              T0 - timedelta(hours=8), ("203.0.113.9",)),),
        findings=(FindingLine("SQL injection", "high", "fixed", "app.py:12", True,
                              T0 + timedelta(days=2)),),
        decisions=(DecisionLine("notify", "Notify the DPA", "EU residents", "lead", T0),),
        evidence=(EvidenceLine("dump.sql", "a" * 64, 1234, T0),),
        timeline=(TimelineLine(T0, "case", "incident opened"),),
        audit_head=(42, "b" * 64),
    )  # fmt: skip
    return IncidentReport(**{**{f: getattr(base, f) for f in base.__dataclass_fields__}, **changes})


def test_lateness_and_rates() -> None:
    r = _report()
    assert [lateness(o, r.generated_at) for o in r.obligations] == ["late", "overdue", "open"]
    assert len(r.late_obligations) == 2
    assert delivery_rows(r) == [
        ["email", "delivered", "36", "90.0%"],
        ["email", "failed", "4", "10.0%"],
    ]
    assert r.resets_done == 30
    assert r.attacker_ips == ("203.0.113.9",)


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_every_rendering_holds_the_sections(fmt: str) -> None:
    data = RENDERERS[fmt](_report())
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
        return
    text = data.decode("utf-8")
    for part in ("Executive summary", "Root cause", "SQL injection", "overdue", "90.0%",
                 "#42 " + "b" * 64, "Notify the DPA"):  # fmt: skip
        assert part in text
    if fmt == "html":
        assert "Shop &lt;API&gt; leak" in text  # escaped, never raw markup
        assert "<script" not in text


def test_exports_validate_and_carry_the_facts() -> None:
    r = _report()
    art33 = gdpr_art33(r, ExportFacts(dpo_email="dpo@acme.example", further_information="more"))
    jsonschema.validate(art33, schema("gdpr-art33"), format_checker=jsonschema.FormatChecker())
    assert art33["data_subjects"]["in_eea"] == 25
    assert art33["timing"]["late"] is True
    assert art33["timing"]["reasons_for_delay"]
    assert art33["phased"]["is_phased"] is True
    assert art33["nature"]["ongoing"] is False  # the root cause is fixed
    assert any("identity theft" in c for c in art33["likely_consequences"])
    document = veris(r)
    jsonschema.validate(document, schema("veris"))
    assert document["action"]["hacking"]["variety"] == ["SQLi"]
    assert document["incident_id"] == veris(r)["incident_id"]  # stable per incident
    rows = us_ag_rows(r)
    assert [(x["state"], x["residents_affected"], x["elements"]) for x in rows] == [
        ("CA", "15", "email;ssn")
    ]
    assert rows[0]["regulator_due"] == "2026-12-20"


def test_pdf_keeps_letters_beyond_latin_1() -> None:
    from io import BytesIO

    import pypdf

    from breachdesk.casefile.report.pdf import report_fonts

    if report_fonts()[0] == "Helvetica":
        pytest.skip("DejaVu Sans is not installed (fonts-dejavu-core)")
    data = RENDERERS["pdf"](_report(title="Wyciek w Łodzi", controller="Żabka Sp. z o.o."))
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(BytesIO(data)).pages)
    assert "Łodzi" in text
    assert "Żabka" in text
