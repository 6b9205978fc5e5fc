"""``breachdesk retest``: re-run what produced the open findings; close what is fixed."""

from __future__ import annotations

from typing import Annotated

import typer

from breachdesk.bootstrap import security_testing
from breachdesk.cli.output import console, emit_json, err_console, opened, to_jsonable
from breachdesk.cli.pentest import outcome_json, print_outcome, progress_bar
from breachdesk.core.errors import ExitCode
from breachdesk.core.finding import Skipped
from breachdesk.core.ids import IncidentId


def retest(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID", help="Incident id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Re-run the web tests and code scans behind the open findings; the re-import closes fixes."""
    with opened(ctx) as ws:
        testing = security_testing(ws)
        with progress_bar("retest") as advance:
            report = testing.retest.retest(
                IncidentId(incident_id), actor=ws.actor, on_progress=advance
            )
        loop = testing.followup.close_loop(IncidentId(incident_id), actor=ws.actor)
    if as_json:
        emit_json(
            to_jsonable(
                {
                    "web": [outcome_json(o) for o in report.web],
                    "code": [
                        {"tool": r.tool, "skipped": r.outcome.reason}
                        if isinstance(r.outcome, Skipped)
                        else {"tool": r.tool, "scan": r.outcome.scan.id, "fixed": r.outcome.fixed}
                        for r in report.code
                    ],
                    "not_rerunnable": [
                        {"tool": t, "label": lbl, "reason": why}
                        for t, lbl, why in report.not_rerunnable
                    ],
                    "fixed": report.fixed,
                    "still_open": report.still_open,
                    "followup": loop.as_json(),
                }
            )
        )
    else:
        for outcome in report.web:
            print_outcome(outcome)
        for r in report.code:
            note = r.outcome.reason if isinstance(r.outcome, Skipped) else (
                f"{r.outcome.fixed} fixed, {r.outcome.seen_again} still there"
            )  # fmt: skip
            console.print(f"{r.tool}: {note}", markup=False)
        for tool, label, why in report.not_rerunnable:
            err_console.print(f"not re-run: {tool} {label}: {why}", markup=False)
        console.print(
            f"re-test closed {report.fixed} findings; {report.still_open} still open", markup=False
        )
        console.print(loop.summary(), markup=False)
    if report.still_open or report.not_rerunnable:
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))
