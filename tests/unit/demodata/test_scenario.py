"""The demo scenario: deterministic, row counts and columns as the manifest says, values valid."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from demodata_checks import aba_ok, iban_ok, luhn_ok

from breachdesk.core.element import DataElement as E
from breachdesk.demodata import (
    MANIFEST_NAME,
    GroundTruth,
    generate_customer_master,
    generate_leak,
    load_people,
    make_people,
)

PEOPLE = 250


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> tuple[Path, GroundTruth]:
    root = tmp_path_factory.mktemp("scenario")
    generate_customer_master(root / "master.db", people=PEOPLE, seed=7)
    truth = generate_leak(root / "master.db", root / "leak", seed=7)
    return root, truth


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_same_seed_gives_same_bytes(scenario, tmp_path):
    root, _ = scenario
    generate_customer_master(tmp_path / "master.db", people=PEOPLE, seed=7)
    generate_leak(tmp_path / "master.db", tmp_path / "leak", seed=7)
    assert (tmp_path / "master.db").read_bytes() == (root / "master.db").read_bytes()
    assert _files(tmp_path / "leak") == _files(root / "leak")


def test_other_seed_gives_other_data(scenario, tmp_path):
    root, _ = scenario
    generate_customer_master(tmp_path / "master.db", people=PEOPLE, seed=8)
    generate_leak(tmp_path / "master.db", tmp_path / "leak", seed=8)
    assert (tmp_path / "leak/users_dump.sql").read_bytes() != (
        root / "leak/users_dump.sql"
    ).read_bytes()


def test_master_round_trips_and_covers_many_countries(scenario):
    root, _ = scenario
    people = load_people(root / "master.db")
    assert people == make_people(PEOPLE, 7)
    assert len({p.country for p in people}) >= 10
    assert len({p.region for p in people if p.country == "US"}) >= 15
    assert any(p.ssn for p in people)
    assert any(p.national_id for p in people)
    with closing(sqlite3.connect(root / "master.db")) as db:
        cols = [r[1] for r in db.execute("PRAGMA table_info(customers)")]
    truth = generate_customer_master(root / "again.db", people=3)
    assert cols == [c.name for c in truth.columns]


def test_manifest_on_disk_equals_returned_truth(scenario):
    root, truth = scenario
    assert GroundTruth.read(root / "leak" / MANIFEST_NAME) == truth
    json.loads((root / "leak" / MANIFEST_NAME).read_text())  # plain JSON
    assert all((root / "leak" / f.path).is_file() for f in truth.files)


def _decode(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("latin-1")


def _export_rows(root: Path) -> tuple[list[str], list[list[str]], int]:
    raw = (root / "leak/customers_export.csv").read_bytes()
    latin1 = 0
    text = []
    for line in raw.split(b"\r\n"):
        try:
            text.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            latin1 += 1
            text.append(line.decode("latin-1"))
    rows = list(csv.reader(io.StringIO("\r\n".join(text))))
    return rows[0], [r for r in rows[1:] if r], latin1


def test_export_matches_manifest_and_values_validate(scenario):
    root, truth = scenario
    header, rows, latin1 = _export_rows(root)
    item = truth.file("customers_export.csv")
    assert header == [c.name for c in item.columns]
    assert len(header) >= 25
    assert len(rows) == item.rows == PEOPLE
    assert latin1 >= 1
    col = {name: [r[i] for r in rows] for i, name in enumerate(header)}
    assert all(luhn_ok(re.sub(r"[ -]", "", v)) for v in col["card_number"])
    assert all(iban_ok(v) for v in col["iban"] if v)
    assert all(aba_ok(v) for v in col["routing_number"] if v)
    notes = " ".join(col["notes"])
    assert "@" in notes
    assert item.column("notes").embedded == {E.EMAIL, E.PHONE}
    non_pii = {c.name for c in item.columns if c.element is None}
    assert {"order_id", "amount", "currency", "product", "created_at", "status"} <= non_pii


def test_export_phones_are_valid_numbers(scenario):
    phonenumbers = pytest.importorskip("phonenumbers")
    root, _ = scenario
    header, rows, _ = _export_rows(root)
    country = header.index("country")
    phone = header.index("phone")
    values = [(r[phone], r[country]) for r in rows if r[phone]]
    valid = sum(phonenumbers.is_valid_number(phonenumbers.parse(v, region)) for v, region in values)
    assert valid / len(values) > 0.97


def _flatten(obj: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in obj.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, path + "."))
        else:
            out[path] = value
    return out


def test_ndjson_paths_match_manifest(scenario):
    root, truth = scenario
    lines = (root / "leak/api_customers.ndjson").read_text("utf-8").splitlines()
    item = truth.file("api_customers.ndjson")
    assert len(lines) == item.rows
    paths = {c.name for c in item.columns}
    for line in lines:
        assert set(_flatten(json.loads(line))) == paths
    assert item.column("customer.address.zip").element is E.POSTAL_CODE


def test_sql_dumps_match_manifest(scenario):
    root, truth = scenario
    users = (root / "leak/users_dump.sql").read_text("utf-8")
    item = truth.file("users_dump.sql", "users")
    ids = [int(i) for i in re.findall(r"(?:VALUES |,)\((\d+),'", users)]
    assert ids == list(range(1, item.rows + 1))
    for name in (c.name for c in item.columns):
        assert f"`{name}`" in users
    assert re.search(r"'\$2b\$12\$[./A-Za-z0-9]{53}'", users)
    assert re.search(r"'[0-9a-f]{32}'", users)
    assert re.search(r"'[0-9a-f]{40}'", users)
    orders = (root / "leak/orders_pg_dump.sql").read_text("utf-8")
    block = orders.split("FROM stdin;\n", 1)[1].split("\\.\n", 1)[0]
    order_truth = truth.file("orders_pg_dump.sql", "orders")
    assert len(block.splitlines()) == order_truth.rows
    assert all(c.element is None for c in order_truth.columns)


def test_xlsx_matches_manifest(scenario):
    root, truth = scenario
    item = truth.file("marketing_list.xlsx")
    with zipfile.ZipFile(root / "leak/marketing_list.xlsx") as zf:
        sheet = ET.fromstring(zf.read("xl/worksheets/sheet1.xml"))  # noqa: S314 - ours
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rows = sheet.findall(".//m:row", ns)
    header = [t.text for t in rows[0].findall(".//m:t", ns)]
    assert header == [c.name for c in item.columns]
    assert len(rows) - 1 == item.rows > 0


def test_xlsx_opens_in_a_real_reader(scenario):
    calamine = pytest.importorskip("python_calamine")
    root, truth = scenario
    workbook = calamine.CalamineWorkbook.from_path(str(root / "leak/marketing_list.xlsx"))
    rows = workbook.get_sheet_by_name("Newsletter").to_python()
    assert len(rows) - 1 == truth.file("marketing_list.xlsx").rows


_SPAN_SHAPES = {
    E.EMAIL: re.compile(r"^[^@\s]+@[\w.-]+\.\w+$"),
    E.PHONE: re.compile(r"^[+0-9 ().-]{7,}$"),
    E.PAYMENT_CARD: re.compile(r"^[0-9 -]{15,19}$"),
    E.PERSON_NAME: re.compile(r"^\S+( \S+)+$"),
    E.POSTAL_ADDRESS: re.compile(r"\d"),
}


def test_ticket_spans_point_at_values(scenario):
    root, truth = scenario
    tickets = [f for f in truth.files if f.format == "text"]
    assert len(tickets) == 20
    for item in tickets:
        text = (root / "leak" / item.path).read_text("utf-8")
        assert {E.PERSON_NAME, E.EMAIL, E.PHONE} <= {s.element for s in item.spans}
        for span in item.spans:
            assert _SPAN_SHAPES[span.element].search(text[span.start : span.end]), span
    mails = [f for f in truth.files if f.format == "eml"]
    assert mails
    assert all(E.EMAIL in m.elements for m in mails)


def test_spreadsheet_can_be_left_out(tmp_path):
    generate_customer_master(tmp_path / "m.db", people=30, seed=1)
    truth = generate_leak(tmp_path / "m.db", tmp_path / "leak", seed=1, spreadsheet=False)
    assert not (tmp_path / "leak/marketing_list.xlsx").exists()
    assert all(f.format != "xlsx" for f in truth.files)
