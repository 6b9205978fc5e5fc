"""Loading a customer master from CSV and Parquet: mapping, validation, errors without values."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from breachdesk.core.errors import InvalidInputError
from breachdesk.identity.mapping import Field
from breachdesk.identity.master import load_master_file

ROWS = {
    "Kundennummer": ["K1", "K2", "K3"],
    "E-Mail": ["ana@example.com", "bo@example.com", None],
    "Telefon": ["+4915100000001", "", "+4915100000003"],
    "Vorname": ["Ana", "Bo", "Cy"],
    "Nachname": ["Alves", "Berg", "Dee"],
    "Land": ["DE", "DE", "AT"],
    "Treuepunkte": ["10", "20", "30"],
}


def test_csv_with_semicolons_and_german_headers(tmp_path: Path) -> None:
    path = tmp_path / "kunden.csv"
    pl.DataFrame(ROWS).write_csv(path, separator=";")
    master = load_master_file(path)
    assert master.size == 3
    assert master.keys == (Field.CUSTOMER_ID, Field.EMAIL, Field.PHONE)
    assert master.frame.columns == [
        "customer_id",
        "email",
        "phone",
        "first_name",
        "last_name",
        "country",
    ]
    assert master.frame["phone"].to_list() == ["+4915100000001", None, "+4915100000003"]
    assert master.label == "kunden.csv"


def test_parquet_with_typed_columns(tmp_path: Path) -> None:
    path = tmp_path / "customers.parquet"
    pl.DataFrame({"customer_id": [1, 2], "email": ["a@x.org", "b@x.org"]}).write_parquet(path)
    master = load_master_file(path, keys=["email"])
    assert master.frame["customer_id"].to_list() == ["1", "2"]
    assert master.keys == (Field.EMAIL,)


def test_override_mapping(tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("ref,contact\nr1,a@x.org\nr2,b@x.org\n")
    master = load_master_file(path, {"customer_id": "ref", "email": "contact"})
    assert master.frame.columns == ["customer_id", "email"]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InvalidInputError, match=r"empty\.csv is empty"):
        load_master_file(path)


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("customer_id,email\n")
    with pytest.raises(InvalidInputError, match="has no rows"):
        load_master_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="file not found"):
        load_master_file(tmp_path / "nope.csv")


def test_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "customers.xml"
    path.write_text("<x/>")
    with pytest.raises(InvalidInputError, match="unsupported file type"):
        load_master_file(path)


def test_missing_customer_id_column(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("email,phone\na@x.org,1\n")
    with pytest.raises(InvalidInputError, match="no customer id column"):
        load_master_file(path)


def test_missing_requested_key_column(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("customer_id,email\n1,a@x.org\n")
    with pytest.raises(InvalidInputError, match="no column for key"):
        load_master_file(path, keys=["email", "ssn"])


def test_unknown_key(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("customer_id,email\n1,a@x.org\n")
    with pytest.raises(InvalidInputError, match="unknown linking key 'shoe'"):
        load_master_file(path, keys=["shoe"])


def test_duplicate_ids_name_rows_not_values(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("customer_id,email\nSECRET-1,a@x.org\nSECRET-2,b@x.org\nSECRET-1,c@x.org\n")
    with pytest.raises(InvalidInputError) as info:
        load_master_file(path)
    message = info.value.message
    assert "1 customer id(s) appear more than once (rows 1, 3)" in message
    assert "SECRET" not in message
    assert "@" not in message


def test_blank_ids(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("customer_id,email\n1,a@x.org\n  ,b@x.org\n")
    with pytest.raises(InvalidInputError, match=r"empty customer id in row\(s\) 2"):
        load_master_file(path)


def test_corrupt_parquet(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    path.write_bytes(b"PAR1 definitely not parquet")
    with pytest.raises(InvalidInputError, match="cannot be read"):
        load_master_file(path)
