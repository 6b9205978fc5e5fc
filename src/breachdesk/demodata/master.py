"""The demo company's customer master: a SQLite database of invented customers."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import astuple, fields
from pathlib import Path
from random import Random

from breachdesk.core.element import DataElement as E
from breachdesk.demodata.person import Person, make_person
from breachdesk.demodata.truth import FileTruth, columns

# Every date is relative to this day, so the same seed gives the same bytes on any day.
REFERENCE_DAY = dt.date(2026, 6, 1)
TABLE = "customers"

MASTER_COLUMNS: dict[str, E | None] = {
    "customer_id": None,
    "first_name": E.PERSON_NAME,
    "last_name": E.PERSON_NAME,
    "gender": E.GENDER,
    "email": E.EMAIL,
    "phone": E.PHONE,
    "date_of_birth": E.DATE_OF_BIRTH,
    "street": E.POSTAL_ADDRESS,
    "city": E.LOCATION,
    "region": E.LOCATION,
    "postal_code": E.POSTAL_CODE,
    "country": E.LOCATION,
    "username": E.USERNAME,
    "signup_date": None,
    "marketing_opt_in": None,
    "ssn": E.SSN,
    "national_id": E.NATIONAL_ID,
    "national_id_country": None,
    "loyalty_number": None,
}
_SQL_TYPES = {"marketing_opt_in": "INTEGER NOT NULL", "customer_id": "TEXT PRIMARY KEY"}


def make_people(people: int, seed: int) -> list[Person]:
    """The customers of the scenario with this seed, in id order."""
    rng = Random(seed)
    return [make_person(rng, i, REFERENCE_DAY) for i in range(people)]


def _row(person: Person) -> tuple[object, ...]:
    values = list(astuple(person))
    return tuple(v.isoformat() if isinstance(v, dt.date) else v for v in values)


def generate_customer_master(path: Path, people: int = 1000, seed: int = 7) -> FileTruth:
    """Write the customer master database at ``path`` (replacing it) and return its truth."""
    path = Path(path)
    path.unlink(missing_ok=True)
    names = [f.name for f in fields(Person)]
    ddl = ", ".join(f"{n} {_SQL_TYPES.get(n, 'TEXT')}" for n in names)
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"CREATE TABLE {TABLE} ({ddl})")
        marks = ", ".join("?" for _ in names)
        db.executemany(
            f"INSERT INTO {TABLE} VALUES ({marks})",  # noqa: S608 - names are ours
            (_row(p) for p in make_people(people, seed)),
        )
        db.commit()
    return FileTruth(
        path=path.name, format="sqlite", rows=people, table=TABLE, columns=columns(MASTER_COLUMNS)
    )


def load_people(path: Path) -> list[Person]:
    """Read the customers back from a master database written by this module."""
    names = [f.name for f in fields(Person)]
    with closing(sqlite3.connect(Path(path))) as db:
        rows = db.execute(
            f"SELECT {', '.join(names)} FROM {TABLE} ORDER BY customer_id"  # noqa: S608
        ).fetchall()
    out = []
    for row in rows:
        data = dict(zip(names, row, strict=True))
        for key in ("date_of_birth", "signup_date"):
            data[key] = dt.date.fromisoformat(data[key])
        data["marketing_opt_in"] = bool(data["marketing_opt_in"])
        out.append(Person(**data))
    return out
