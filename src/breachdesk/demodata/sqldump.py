"""Leaked database dumps: a mysqldump of the users table and a pg_dump COPY of the orders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from random import Random

from breachdesk.core.element import DataElement as E
from breachdesk.demodata import noise
from breachdesk.demodata.account import Account
from breachdesk.demodata.lexicon import PRODUCTS, SECURITY_QUESTIONS
from breachdesk.demodata.person import Person
from breachdesk.demodata.truth import FileTruth, columns

USERS_FILE = "users_dump.sql"
ORDERS_FILE = "orders_pg_dump.sql"

USERS_COLUMNS: dict[str, E | None] = {
    "id": None,
    "username": E.USERNAME,
    "email": E.EMAIL,
    "password_hash": E.PASSWORD_HASH,
    "first_name": E.PERSON_NAME,
    "last_name": E.PERSON_NAME,
    "phone": E.PHONE,
    "date_of_birth": E.DATE_OF_BIRTH,
    "security_question": None,
    "security_answer": E.SECURITY_ANSWER,
    "created_at": None,
    "last_login_ip": E.IP_ADDRESS,
    "is_active": None,
}
ORDERS_COLUMNS: dict[str, E | None] = {
    "order_id": None,
    "user_id": None,
    "product": None,
    "quantity": None,
    "amount": None,
    "currency": None,
    "status": None,
    "created_at": None,
}
_MYSQL_TYPES = {
    "id": "int unsigned NOT NULL AUTO_INCREMENT",
    "date_of_birth": "date DEFAULT NULL",
    "created_at": "datetime NOT NULL",
    "is_active": "tinyint(1) NOT NULL DEFAULT '1'",
    "password_hash": "varchar(128) NOT NULL",
}
_ANSWERS = ("Rex", "Bella", "Springfield", "Dune", "Max", "Paris", "Luna", "Moby Dick", "Toby")


def _mysql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
    return f"'{text}'"


def _user_row(rng: Random, i: int, person: Person, account: Account) -> tuple[object, ...]:
    created = dt.datetime.combine(person.signup_date, dt.time(rng.randrange(24), rng.randrange(60)))
    dob = None if rng.random() < 0.05 else person.date_of_birth.isoformat()
    return (
        i + 1,
        person.username,
        noise.pad(rng, noise.recase(rng, person.email)),
        account.password_hash,
        noise.recase(rng, person.first_name),
        noise.typo(rng, person.last_name) if rng.random() < 0.02 else person.last_name,
        noise.maybe_missing(rng, noise.format_phone(rng, person.phone)) or None,
        dob,
        rng.choice(SECURITY_QUESTIONS),
        rng.choice(_ANSWERS),
        created.strftime("%Y-%m-%d %H:%M:%S"),
        account.ip_address,
        int(rng.random() < 0.9),
    )


def write_users_dump(
    path: Path, people: Sequence[Person], accounts: Sequence[Account], rng: Random
) -> FileTruth:
    """A mysqldump-style file of the users table, 100 rows per extended INSERT."""
    cols = ",\n".join(
        f"  `{n}` {_MYSQL_TYPES.get(n, 'varchar(255) DEFAULT NULL')}" for n in USERS_COLUMNS
    )
    parts = [
        "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n",
        "-- Host: db-prod-1    Database: shop\n",
        "-- ------------------------------------------------------\n",
        "/*!40101 SET NAMES utf8mb4 */;\n\n",
        "DROP TABLE IF EXISTS `users`;\n",
        f"CREATE TABLE `users` (\n{cols},\n  PRIMARY KEY (`id`)\n)",
        " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\n",
        "LOCK TABLES `users` WRITE;\n",
    ]
    rows = [_user_row(rng, i, p, a) for i, (p, a) in enumerate(zip(people, accounts, strict=True))]
    for start in range(0, len(rows), 100):
        values = ",".join(
            "(" + ",".join(_mysql_literal(v) for v in row) + ")"
            for row in rows[start : start + 100]
        )
        parts.append(f"INSERT INTO `users` VALUES {values};\n")  # noqa: S608 - a dump, not a query
    parts.append("UNLOCK TABLES;\n\n-- Dump completed on 2026-05-30 23:14:07\n")
    path.write_text("".join(parts), "utf-8")
    return FileTruth(
        path=path.name, format="sql", rows=len(rows), table="users", columns=columns(USERS_COLUMNS)
    )


def _copy_field(value: object) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def write_orders_dump(path: Path, users: int, rng: Random) -> FileTruth:
    """A pg_dump-style file with the orders table as a ``COPY ... FROM stdin`` block."""
    rows = []
    for n in range(users * 2):
        when = dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            seconds=rng.randrange(45_000_000)
        )
        qty = rng.randint(1, 4)
        rows.append(
            (
                100_000 + n,
                rng.randint(1, users),
                rng.choice(PRODUCTS),
                qty,
                f"{qty * rng.randint(499, 29_999) / 100:.2f}",
                rng.choice(("USD", "EUR", "GBP", "CAD", "AUD")),
                rng.choice(("paid", "shipped", "delivered", "refunded", None)),
                when.strftime("%Y-%m-%d %H:%M:%S+00"),
            )
        )
    names = ", ".join(ORDERS_COLUMNS)
    body = "".join("\t".join(_copy_field(v) for v in row) + "\n" for row in rows)
    text = (
        "--\n-- PostgreSQL database dump\n--\n\n"
        "SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\n"
        "CREATE TABLE public.orders (\n    order_id bigint NOT NULL,\n    user_id integer,\n"
        "    product text,\n    quantity integer,\n    amount numeric(10,2),\n"
        "    currency character(3),\n    status text,\n"
        "    created_at timestamp with time zone\n);\n\n"
        f"COPY public.orders ({names}) FROM stdin;\n{body}\\.\n\n"
        "--\n-- PostgreSQL database dump complete\n--\n"
    )
    path.write_text(text, "utf-8")
    return FileTruth(
        path=path.name,
        format="sql",
        rows=len(rows),
        table="orders",
        columns=columns(ORDERS_COLUMNS),
    )
