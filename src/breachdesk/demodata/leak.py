"""The leaked material of the demo scenario, derived from the customer master, with its truth."""

from __future__ import annotations

from pathlib import Path
from random import Random

from breachdesk.demodata.account import make_accounts
from breachdesk.demodata.apidump import API_FILE, write_api_dump
from breachdesk.demodata.export import EXPORT_FILE, write_export
from breachdesk.demodata.master import load_people
from breachdesk.demodata.sqldump import ORDERS_FILE, USERS_FILE, write_orders_dump, write_users_dump
from breachdesk.demodata.ticket import TICKET_DIR, write_tickets
from breachdesk.demodata.truth import MANIFEST_NAME, GroundTruth
from breachdesk.demodata.xlsx import XLSX_FILE, write_marketing_list


def generate_leak(
    master_path: Path, out_dir: Path, seed: int = 7, *, spreadsheet: bool = True
) -> GroundTruth:
    """Write the leaked files into ``out_dir`` and ``manifest.json`` beside them; return the truth.

    Files: ``users_dump.sql`` (mysqldump, users with password hashes), ``orders_pg_dump.sql``
    (pg_dump COPY of non-personal orders), ``customers_export.csv`` (27 mixed columns, a few
    latin-1 rows), ``api_customers.ndjson`` (nested objects), ``marketing_list.xlsx`` and
    ``tickets/`` (``.txt`` with span truth and ``.eml``).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    people = load_people(Path(master_path))
    accounts = make_accounts(people, seed)
    rng = Random(f"leak-{seed}")
    # Each file draws from its own stream so that changing one file leaves the others as they were.
    files = [
        write_users_dump(out_dir / USERS_FILE, people, accounts, Random(rng.random())),
        write_orders_dump(out_dir / ORDERS_FILE, len(people), Random(rng.random())),
        write_export(out_dir / EXPORT_FILE, people, accounts, Random(rng.random())),
        write_api_dump(out_dir / API_FILE, people, accounts, Random(rng.random())),
    ]
    sheet_rng = Random(rng.random())
    if spreadsheet:
        files.append(write_marketing_list(out_dir / XLSX_FILE, people, sheet_rng))
    files += write_tickets(out_dir / TICKET_DIR, people, accounts, Random(rng.random()))
    truth = GroundTruth(seed=seed, people=len(people), files=tuple(files))
    truth.write(out_dir / MANIFEST_NAME)
    return truth
