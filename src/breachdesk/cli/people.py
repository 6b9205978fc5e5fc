"""``breachdesk link``, ``people``, ``manifest export`` and ``lookup``: the affected people."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from breachdesk.bootstrap import load_master
from breachdesk.cli.output import console, emit_json, err_console, opened, to_jsonable, when
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.identity import parse_overrides
from breachdesk.services.people_views import PeopleFilter, PersonView

IdArg = Annotated[int, typer.Argument(metavar="ID", help="Incident id.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def link(
    ctx: typer.Context,
    incident_id: IdArg,
    customers: Annotated[
        str, typer.Option(help="Customer master: CSV, Parquet, or a database URL (with --query).")
    ],
    query: Annotated[str | None, typer.Option(help="SQL query for a database master.")] = None,
    keys: Annotated[
        str | None,
        typer.Option(
            help="Linking keys, e.g. customer_id,email,phone,ssn,username (default: all mapped)."
        ),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping override FIELD=COLUMN (repeat)."),
    ] = None,
    fuzzy: Annotated[
        bool,
        typer.Option(help="Also match name + date of birth + postal code (flagged for review)."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Link the incident's leaked records to real people and build the exposure manifest."""
    master = load_master(
        customers,
        query=query,
        overrides=parse_overrides(map_) if map_ else None,
        keys=[k.strip() for k in keys.split(",") if k.strip()] if keys else None,
    )
    with opened(ctx) as ws, console.status(f"linking against {master.size:,} customers..."):
        summary = ws.link.link(IncidentId(incident_id), master, actor=ws.actor, fuzzy=fuzzy)
        refreshed = ws.obligations.refresh(IncidentId(incident_id), actor=ws.actor)
    if refreshed is not None and refreshed.changes:
        err_console.print(
            f"Obligations re-evaluated: {len(refreshed.changes)} change(s) "
            "(see `breachdesk obligations ID`)."
        )
    if as_json:
        emit_json(summary)
        return
    s = summary.stats
    console.print(
        f"{summary.people:,} affected people: {summary.known:,} customers, "
        f"{summary.unknown:,} unknown individuals; {s.matched_records:,} of "
        f"{s.records:,} leaked records matched; {summary.conflicts:,} conflicts to "
        "review."
    )
    table = Table("Jurisdiction", "People")
    for place, n in list(summary.by_jurisdiction.items())[:15]:
        table.add_row(place, f"{n:,}")
    elements = Table("Element", "People")
    for element, n in summary.by_element.items():
        elements.add_row(element, f"{n:,}")
    console.print(table, elements)


def _rows(views: list[PersonView]) -> Table:
    table = Table("#", "Known", "Confirmed", "Residence", "Elements", "Flags", "Name", "Email")
    for v in views:
        where = v.region or v.country or "?"
        table.add_row(
            str(v.id),
            "yes" if v.known else "no",
            "accessed" if v.confirmed else "-",
            f"{where} ({v.residence_source})",
            ", ".join(v.elements),
            ", ".join(v.flags) or "-",
            v.name or "-",
            v.email or "-",
        )
    return table


def people(
    ctx: typer.Context,
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="ID | show ID PERSON | conflicts ID",
            help="Incident id, or `show` with an incident id and a person id.",
        ),
    ],
    element: Annotated[
        str | None, typer.Option(help="Only people with this element exposed.")
    ] = None,
    jurisdiction: Annotated[
        str | None, typer.Option(help="Country (US) or region (US-CA).")
    ] = None,
    unmatched: Annotated[bool, typer.Option(help="Only unknown individuals.")] = False,
    confirmed: Annotated[
        bool, typer.Option(help="Only people whose record the logs show an attacker fetching.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List affected people (masked), or show one person's exposures; every view is audited."""
    if args and args[0] == "show":
        if len(args) != 3 or not args[1].isdigit() or not args[2].isdigit():
            raise InvalidInputError("usage: breachdesk people show ID PERSON")
        with opened(ctx) as ws:
            view = ws.people.show(IncidentId(int(args[1])), int(args[2]), actor=ws.actor)
        if as_json:
            emit_json(view)
            return
        console.print(_rows([view]))
        detail = Table("Element exposed", "Source", "Records")
        for e, path, n in view.exposures:
            detail.add_row(e, Path(path).name, str(n))
        console.print(detail)
        console.print(
            f"First seen {when(view.first_seen)}, last seen {when(view.last_seen)} "
            f"(scans of the leaked material); records: "
            + "; ".join(view.locators[:10])
            + (" ..." if len(view.locators) > 10 else ""),
            markup=False,
        )
        return
    if args and args[0] == "conflicts":
        if len(args) != 2 or not args[1].isdigit():
            raise InvalidInputError("usage: breachdesk people conflicts ID")
        with opened(ctx) as ws:
            found = ws.people.conflicts(IncidentId(int(args[1])), actor=ws.actor)
        if as_json:
            emit_json(
                [
                    {"record_id": r, "candidates": n, "reason": why, "where": where, "row": row}
                    for r, n, why, where, row in found
                ]
            )
            return
        table = Table(
            "Record",
            "Where",
            "Row",
            "Customers claiming it",
            "Reason",
            title="Leaked records several customers claim (not assigned)",
        )
        for r, n, why, place, row in found:
            table.add_row(str(r), place, str(row), str(n), why)
        console.print(table)
        return
    if len(args) != 1 or not args[0].isdigit():
        raise InvalidInputError("usage: breachdesk people ID [--element E] [--jurisdiction J]")
    where = PeopleFilter(element, jurisdiction, unmatched, confirmed)
    with opened(ctx) as ws:
        views = ws.people.listing(IncidentId(int(args[0])), where, actor=ws.actor)
    if as_json:
        emit_json([{k: v for k, v in _as_dict(p).items() if k != "exposures"} for p in views])
    else:
        console.print(_rows(views[:200]))
        if len(views) > 200:
            console.print(f"... {len(views) - 200:,} more (use --json or `manifest export`)")


def _as_dict(view: PersonView) -> dict[str, Any]:
    data: dict[str, Any] = to_jsonable(view)
    return data


manifest_app = typer.Typer(no_args_is_help=True, help="The per-person exposure manifest.")


@manifest_app.command("export")
def export(
    ctx: typer.Context,
    incident_id: IdArg,
    to: Annotated[Path, typer.Option(help="manifest.csv or manifest.jsonl")],
    with_contact: Annotated[
        bool, typer.Option(help="Include contact details in clear (audited).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Export every affected person and what of theirs was exposed."""
    if to.suffix not in (".csv", ".jsonl"):
        raise InvalidInputError(f"{to}: use a .csv or .jsonl file name")
    if to.exists():
        raise InvalidInputError(f"{to}: already exists; choose another --to")
    with opened(ctx) as ws:
        views = ws.people.export(IncidentId(incident_id), actor=ws.actor, with_contact=with_contact)
    try:
        _write(to, views)
    except OSError as exc:
        raise InvalidInputError(f"{to}: cannot write ({exc.strerror})") from None
    if as_json:
        emit_json({"people": len(views), "to": to, "with_contact": with_contact})
    else:
        err_console.print(
            f"Exported {len(views):,} people to {to}"
            + (
                " WITH CONTACT DETAILS in clear: handle it as breach data."
                if with_contact
                else " (contacts masked)."
            ),
            markup=False,
        )


def _write(to: Path, views: list[PersonView]) -> None:
    rows = [_as_dict(v) for v in views]
    with to.open("x", encoding="utf-8", newline="") as fh:
        if to.suffix == ".jsonl":
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        fields = [f for f in rows[0] if f != "exposures"] if rows else ["id"]
        writer = csv.DictWriter(fh, fieldnames=[*fields, "sources"])
        writer.writeheader()
        for row in rows:
            sources = ";".join(f"{e}@{Path(p).name}:{n}" for e, p, n in row.pop("exposures"))
            writer.writerow(
                {
                    **{k: ("|".join(v) if isinstance(v, list) else v) for k, v in row.items()},
                    "sources": sources,
                }
            )


def lookup(
    ctx: typer.Context,
    incident_id: IdArg,
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    phone: Annotated[str | None, typer.Option(help="Phone number.")] = None,
    username: Annotated[str | None, typer.Option(help="User name.")] = None,
    customer_id: Annotated[str | None, typer.Option(help="Customer id.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Was this person affected, and what of theirs was exposed? (exit 1 when affected)"""
    given = [
        (k, v)
        for k, v in (
            ("email", email),
            ("phone", phone),
            ("username", username),
            ("customer_id", customer_id),
        )
        if v
    ]
    if len(given) != 1:
        raise InvalidInputError("give exactly one of --email, --phone, --username, --customer-id")
    kind, value = given[0]
    with opened(ctx) as ws:
        views = ws.people.lookup(IncidentId(incident_id), kind, value, actor=ws.actor)
    if as_json:
        emit_json({"affected": bool(views), "people": views})
    elif not views:
        console.print(f"No affected person has this {kind.replace('_', ' ')}.")
    else:
        for v in views:
            exposed = sorted({e for e, _, _ in v.exposures})
            console.print(f"Affected: person {v.id}; exposed: {', '.join(exposed)}")
    if views:
        raise typer.Exit(1)
