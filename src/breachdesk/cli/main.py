"""Entry point: the root Typer app, global options and error-to-exit-code mapping."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from breachdesk import __version__
from breachdesk.cli import (
    audit,
    decision,
    demo,
    detect,
    evidence,
    findings,
    incident,
    logs,
    notify,
    obligations,
    pentest,
    people,
    retest,
    scan,
    scan_code,
    task,
    timeline,
    workspace,
)
from breachdesk.cli import passwords as passwords_cli
from breachdesk.cli import reset as reset_cli
from breachdesk.cli import serve as serve_cli
from breachdesk.cli import user as user_cli
from breachdesk.cli.bundle import bundle as bundle_cmd
from breachdesk.cli.export import export as export_cmd
from breachdesk.cli.key import app as key_app
from breachdesk.cli.output import err_console
from breachdesk.cli.purge import purge as purge_cmd
from breachdesk.cli.report import report as report_cmd
from breachdesk.cli.retention import app as retention_app
from breachdesk.cli.run import run as run_cmd
from breachdesk.config import Settings
from breachdesk.core.errors import BreachdeskError, ExitCode

app = typer.Typer(
    name="breachdesk",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Personal-data breach response: case file, evidence, audit chain and more.\n\n"
    "Exit codes: 0 ok, 1 something needs your action, 2 usage or configuration error, "
    "3 integrity failure, 4 internal error.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"breachdesk {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    actor: Annotated[
        str | None, typer.Option(help="Who is acting (default: $BREACHDESK_ACTOR or the OS user).")
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """breachdesk: walk an organisation through the response to a personal-data breach."""
    settings = Settings()
    updates: dict[str, object] = {}
    if actor:
        updates["actor"] = actor
    if debug:
        updates["debug"] = True
    ctx.obj = settings.model_copy(update=updates)


app.command("init")(workspace.init)
app.command("demo")(demo.demo)
app.command("scan")(scan.scan)
app.command("detect")(detect.detect)
app.command("link")(people.link)
app.command("people")(people.people)
app.command("lookup")(people.lookup)
app.add_typer(people.manifest_app, name="manifest")
app.command("obligations")(obligations.obligations)
app.add_typer(obligations.facts_app, name="facts")
app.add_typer(obligations.rules_app, name="rules")
app.add_typer(obligations.contact_app, name="contact")
app.add_typer(notify.app, name="notify")
app.add_typer(incident.app, name="incident")
app.add_typer(task.app, name="task")
app.add_typer(decision.app, name="decision")
app.add_typer(evidence.app, name="evidence")
app.add_typer(findings.app, name="findings")
app.add_typer(audit.app, name="audit")
app.add_typer(pentest.app, name="pentest")
app.command("retest")(retest.retest)
app.command("scan-code")(scan_code.scan_code)
app.add_typer(reset_cli.app, name="reset")
app.add_typer(passwords_cli.app, name="passwords")
app.add_typer(pentest.app, name="pentest")
app.command("retest")(retest.retest)
app.command("scan-code")(scan_code.scan_code)
app.add_typer(logs.app, name="logs")
app.add_typer(timeline.app, name="timeline")
app.command("serve")(serve_cli.serve)
app.add_typer(user_cli.app, name="user")
app.command("report")(report_cmd)
app.command("export")(export_cmd)
app.command("run")(run_cmd)
app.add_typer(retention_app, name="retention")
app.command("purge")(purge_cmd)
app.add_typer(key_app, name="key")
app.command("bundle")(bundle_cmd)


def _debug_requested() -> bool:
    return "--debug" in sys.argv or os.environ.get("BREACHDESK_DEBUG", "").lower() in (
        "1",
        "true",
        "yes",
    )


def run() -> None:
    """Console-script entry point: one clear line per error, documented exit codes."""
    try:
        app()  # standalone: usage errors exit 2, ``typer.Exit`` exits with its code
    except BreachdeskError as exc:
        if _debug_requested():
            raise
        err_console.print(f"error: {exc.message}", markup=False)
        sys.exit(int(exc.exit_code))
    except ValidationError as exc:
        names = ", ".join("BREACHDESK_" + str(e["loc"][0]).upper() for e in exc.errors())
        err_console.print(f"error: invalid configuration in {names}", markup=False)
        sys.exit(int(ExitCode.USAGE))
    except KeyboardInterrupt:
        err_console.print("interrupted; work already committed is kept")
        sys.exit(130)
    except Exception as exc:
        if _debug_requested():
            raise
        err_console.print(
            f"internal error: {type(exc).__name__} (run with --debug for the traceback)",
            markup=False,
        )
        sys.exit(int(ExitCode.INTERNAL))
