"""Deterministic demo and benchmark data: a customer master, the material leaked from it, truth."""

from breachdesk.demodata.bigtable import TABLE_COLUMNS, generate_structured_table
from breachdesk.demodata.leak import generate_leak
from breachdesk.demodata.master import generate_customer_master, load_people, make_people
from breachdesk.demodata.person import Person
from breachdesk.demodata.truth import (
    MANIFEST_NAME,
    ColumnTruth,
    FileTruth,
    GroundTruth,
    SpanTruth,
)

__all__ = [
    "MANIFEST_NAME",
    "TABLE_COLUMNS",
    "ColumnTruth",
    "FileTruth",
    "GroundTruth",
    "Person",
    "SpanTruth",
    "generate_customer_master",
    "generate_leak",
    "generate_structured_table",
    "load_people",
    "make_people",
]
