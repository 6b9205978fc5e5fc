"""Linking the demo leak to the demo customer master reproduces the generator's truth."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from breachdesk.adapters.crypto import FieldCipher
from breachdesk.adapters.customer_master import load_customer_master
from breachdesk.adapters.executor import InlineExecutor
from breachdesk.core.element import DataElement
from breachdesk.demodata import generate_customer_master, generate_leak, load_people
from breachdesk.demodata.truth import MANIFEST_NAME
from breachdesk.discovery.normalize import normalize
from breachdesk.identity import build_manifest, link_master
from breachdesk.identity.link import LinkResult
from breachdesk.identity.master import CustomerMaster
from breachdesk.services.scan import KEY_KINDS, match_purpose, scan_files

PEOPLE = 400
SEED = 5
# Leaked tables whose n-th data row is the n-th customer (of those the file holds).
ROW_IS_CUSTOMER = ("users_dump.sql::users", "customers_export.csv", "api_customers.ndjson")


class Scenario:
    """The scanned demo leak as the database would hold it, plus the truth per record."""

    def __init__(self, folder: Path) -> None:
        self.cipher = FieldCipher(os.urandom(32))
        generate_customer_master(folder / "master.db", people=PEOPLE, seed=SEED)
        generate_leak(folder / "master.db", folder / "leak", seed=SEED)
        people = load_people(folder / "master.db")
        opted = [p.customer_id for p in people if p.marketing_opt_in]
        files = [p for p in sorted((folder / "leak").rglob("*")) if p.is_file()]
        scanned = scan_files(
            [p for p in files if p.name != MANIFEST_NAME], executor=InlineExecutor(), collect=True
        )
        keys, contacts, records, truth = [], [], [], {}
        for source_id, item in enumerate(scanned, start=1):
            for hit in item.hits:
                rid = len(records) + 1
                records.append((rid, source_id, ",".join(sorted(hit.elements))))
                keys += [
                    (rid, k, self.key_of(k, v, normalised=True))
                    for k, v in set(hit.identifiers)
                    if k in KEY_KINDS
                ]
                contacts += [(rid, k, v) for k, v in hit.identifiers]
                if hit.table in ROW_IS_CUSTOMER:
                    truth[rid] = people[hit.row - 1].customer_id
                elif hit.table == "marketing_list.xlsx::Newsletter":
                    truth[rid] = opted[hit.row - 1]
        self.record_keys = frame(keys, ["record_id", "kind", "keyed_hash"])
        self.contacts = frame(contacts, ["record_id", "kind", "value"])
        self.records = frame(records, ["record_id", "source_id", "elements"])
        self.truth = truth
        self.master: CustomerMaster = load_customer_master(
            f"sqlite:///{folder / 'master.db'}",
            query="select * from customers",
            keys=["customer_id", "email", "phone", "ssn", "username"],
        )

    def key_of(self, kind: str, raw: str, *, normalised: bool = False) -> str | None:
        """What the service passes in: normalise (as discovery does), then keyed hash."""
        value = raw if normalised else normalise(kind, raw)
        return self.cipher.keyed_hash(value, purpose=match_purpose(kind)) if value else None


def frame(rows: list[tuple[int, object, object]], names: list[str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=names, orient="row")


def normalise(kind: str, raw: str) -> str:
    try:
        element = DataElement(kind)
    except ValueError:
        return " ".join(raw.split())
    return normalize(element, raw)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return Scenario(tmp_path_factory.mktemp("demo"))


def scores(result: LinkResult, truth: dict[int, str]) -> tuple[float, float]:
    got = dict(
        result.assignments.filter(pl.col("customer_id").is_not_null())
        .select("record_id", "customer_id")
        .iter_rows()
    )
    judged = {r: c for r, c in got.items() if r in truth}
    correct = sum(1 for r, c in judged.items() if truth[r] == c)
    return correct / max(1, len(judged)), correct / len(truth)


def test_deterministic_linking_reproduces_the_truth(scenario: Scenario) -> None:
    result = link_master(scenario.master, scenario.record_keys, scenario.key_of)
    precision, recall = scores(result, scenario.truth)
    assert precision >= 0.999
    assert recall >= 0.99
    assert result.stats.conflicts == 0
    assert result.stats.customers == PEOPLE


def test_fuzzy_linking_keeps_precision(scenario: Scenario) -> None:
    names = scenario.contacts.filter(pl.col("kind") == "person_name").select(
        "record_id", name="value"
    )
    result = link_master(scenario.master, scenario.record_keys, scenario.key_of, record_names=names)
    precision, recall = scores(result, scenario.truth)
    assert precision >= 0.999
    assert recall >= 0.995


def test_demo_manifest(scenario: Scenario) -> None:
    result = link_master(
        scenario.master,
        scenario.record_keys,
        scenario.key_of,
        records=scenario.records["record_id"],
    )
    manifest = build_manifest(
        result, scenario.records, master=scenario.master.frame, contacts=scenario.contacts
    )
    people = manifest.people
    customers = people.filter(pl.col("customer_id").is_not_null())
    assert customers.height == PEOPLE
    assert (customers["residence_source"] == "master").all()
    assert customers["country"].null_count() == 0
    us = customers.filter(pl.col("country") == "US")
    assert us.height > 0
    assert us["region"].str.starts_with("US-").all()
    flagged = customers.filter(pl.col("flags").list.contains("login_and_password"))
    assert flagged.height == PEOPLE  # every user row leaked a password hash
    with_ssn = customers.filter(pl.col("elements").list.contains("ssn"))
    assert with_ssn.filter(pl.col("flags").list.contains("name_and_ssn")).height == with_ssn.height
