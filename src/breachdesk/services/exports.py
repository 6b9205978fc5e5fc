"""Regulator-ready exports of an incident: GDPR Art. 33 content, VERIS JSON, US AG CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from breachdesk.casefile.report.exports import (
    AG_COLUMNS,
    ExportFacts,
    gdpr_art33,
    us_ag_rows,
    veris,
)
from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.services.ports import UnitOfWorkFactory
from breachdesk.services.report import read_report

EXPORT_FORMATS = ("gdpr-art33", "veris", "csv")
_FILES = {"gdpr-art33": "gdpr-art33.json", "veris": "veris.json", "csv": "us-attorney-general.csv"}


def _write(target: Path, data: str) -> None:
    partial = target.with_name(target.name + ".partial")
    partial.write_text(data, encoding="utf-8", newline="")
    partial.replace(target)


class ExportService:
    """Writes one export of an incident into a folder and audits it."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def export(
        self,
        incident_id: IncidentId,
        fmt: str,
        folder: Path,
        *,
        actor: str,
        facts: ExportFacts | None = None,
    ) -> Path:
        """Write the export, return its path (InvalidInputError for an unknown format)."""
        if fmt not in EXPORT_FORMATS:
            raise InvalidInputError(f"--format must be one of {', '.join(EXPORT_FORMATS)}")
        report = read_report(self._uow, self._clock, incident_id, "regulator")
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=AG_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(us_ag_rows(report))
            text = out.getvalue()
        else:
            doc = (
                gdpr_art33(report, facts or ExportFacts()) if fmt == "gdpr-art33" else veris(report)
            )
            text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / _FILES[fmt]
        _write(target, text)
        with self._uow() as uow:
            uow.audit.append(
                AuditDraft(
                    at=self._clock.now(),
                    actor=actor,
                    action=AuditAction.EXPORT_WRITTEN,
                    subject=f"incident:{incident_id}",
                    details={"format": fmt, "file": target.name},
                    incident_id=incident_id,
                )
            )
            uow.commit()
        return target
