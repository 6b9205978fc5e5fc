"""Per-column scan plans: the element each column holds and how its values become identifiers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from breachdesk.core.element import DataElement
from breachdesk.discovery.columns import ColumnClass
from breachdesk.discovery.header import header_tokens

E = DataElement

# Elements whose normalised values identify a person (for linking) or reach them (notices).
IDENTIFIER_ELEMENTS: dict[DataElement, str] = {
    E.EMAIL: "email",
    E.PHONE: "phone",
    E.SSN: "ssn",
    E.NATIONAL_ID: "national_id",
    E.USERNAME: "username",
    E.DATE_OF_BIRTH: "date_of_birth",
    E.POSTAL_CODE: "postal_code",
    E.PASSPORT: "passport",
    E.DRIVERS_LICENSE: "drivers_license",
    E.TAX_ID: "tax_id",
    E.PERSON_NAME: "person_name",
    E.POSTAL_ADDRESS: "postal_address",
}
_CUSTOMER_ID = re.compile(
    r"^(customer|cust|user|account|acct|member|client|patient|subscriber|"
    r"person|contact|uid)(_?(id|no|number|num|ref))?$|^(uid|userid)$"
)
_COUNTRY = frozenset({"country", "country_code", "pays", "pais", "land", "nation"})
_REGION = frozenset({"state", "region", "province", "state_code", "county", "bundesland"})


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    """How one column is handled for every batch of its table."""

    name: str
    element: DataElement | None
    confidence: float
    basis: str
    free_text: bool
    id_kind: str | None  # identifier kind for linking/contact, if any


def identifier_kind(name: str, element: DataElement | None) -> str | None:
    """The identifier kind of a column: from its element, or from its header (ids, residence)."""
    if element is not None:
        return IDENTIFIER_ELEMENTS.get(element)
    joined = "_".join(header_tokens(name))
    if _CUSTOMER_ID.match(joined):
        return "customer_id"
    if joined in _COUNTRY:
        return "country"
    if joined in _REGION:
        return "region"
    return None


def looks_free_text(series: pl.Series) -> bool:
    """Whether a column holds prose (spaces, long values) worth searching for embedded values."""
    values = series.cast(pl.String).drop_nulls()
    if values.len() == 0:
        return False
    spaced = values.str.contains(" ").sum() / values.len()
    mean_len = values.str.len_chars().sum() / values.len()
    return bool(spaced >= 0.5 and mean_len >= 15)


def plan_columns(classes: Sequence[ColumnClass], frame: pl.DataFrame) -> tuple[ColumnPlan, ...]:
    """Turn the first batch's classification into plans for every batch."""
    plans = []
    for c in classes:
        element = c.element
        kind = identifier_kind(c.column, element)
        if element is E.LOCATION and kind is None:
            kind = identifier_kind(c.column, None)
        free = element is None and looks_free_text(frame[c.column])
        plans.append(ColumnPlan(c.column, element, c.confidence, c.basis, free, kind))
    return tuple(plans)
