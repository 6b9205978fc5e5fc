"""The per-person exposure manifest: who, where they live, which elements leaked from where."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

import polars as pl

from breachdesk.core.element import DataElement as E
from breachdesk.identity.link import LinkResult, PersonId
from breachdesk.identity.residence import (
    ResidenceSource,
    customer_residence,
    inferred_residence,
)


class ExposureFlag(StrEnum):
    """A combination of exposed elements that breach-notification laws single out."""

    NAME_AND_SSN = "name_and_ssn"
    NAME_AND_GOVERNMENT_ID = "name_and_government_id"
    NAME_AND_FINANCIAL_ACCOUNT = "name_and_financial_account"
    CARD_AND_SECURITY_CODE = "card_and_security_code"
    ACCOUNT_AND_ACCESS_CODE = "account_and_access_code"
    LOGIN_AND_PASSWORD = "login_and_password"  # noqa: S105 - a flag id
    NAME_AND_HEALTH = "name_and_health"
    NAME_AND_BIOMETRIC = "name_and_biometric"
    SPECIAL_CATEGORY = "special_category"


def _ids(*elements: E) -> frozenset[str]:
    return frozenset(e.value for e in elements)


_NAME = _ids(E.PERSON_NAME)
_GOV_ID = _ids(E.SSN, E.NATIONAL_ID, E.DRIVERS_LICENSE, E.PASSPORT, E.TAX_ID)
_FIN_ACCOUNT = _ids(E.PAYMENT_CARD, E.BANK_ACCOUNT, E.IBAN)
_ACCESS = _ids(E.CARD_SECURITY_CODE, E.PASSWORD, E.SECURITY_ANSWER)
_LOGIN = _ids(E.USERNAME, E.EMAIL)
_SECRET = _ids(E.PASSWORD, E.PASSWORD_HASH, E.SECURITY_ANSWER)
_SPECIAL = _ids(
    E.MEDICAL,
    E.HEALTH_INSURANCE,
    E.BIOMETRIC,
    E.GENETIC,
    E.RACIAL_ETHNIC_ORIGIN,
    E.POLITICAL_OPINION,
    E.RELIGIOUS_BELIEF,
    E.TRADE_UNION,
    E.SEX_LIFE_ORIENTATION,
    E.CRIMINAL_RECORD,
)

#: Each flag holds when every group has at least one exposed element.
FLAG_RULES: dict[ExposureFlag, tuple[frozenset[str], ...]] = {
    ExposureFlag.NAME_AND_SSN: (_NAME, _ids(E.SSN)),
    ExposureFlag.NAME_AND_GOVERNMENT_ID: (_NAME, _GOV_ID),
    ExposureFlag.NAME_AND_FINANCIAL_ACCOUNT: (_NAME, _FIN_ACCOUNT),
    ExposureFlag.CARD_AND_SECURITY_CODE: (_ids(E.PAYMENT_CARD), _ids(E.CARD_SECURITY_CODE)),
    ExposureFlag.ACCOUNT_AND_ACCESS_CODE: (_FIN_ACCOUNT, _ACCESS),
    ExposureFlag.LOGIN_AND_PASSWORD: (_LOGIN, _SECRET),
    ExposureFlag.NAME_AND_HEALTH: (_NAME, _ids(E.MEDICAL, E.HEALTH_INSURANCE)),
    ExposureFlag.NAME_AND_BIOMETRIC: (_NAME, _ids(E.BIOMETRIC)),
    ExposureFlag.SPECIAL_CATEGORY: (_SPECIAL,),
}


def flags_of(elements: frozenset[str] | set[str]) -> frozenset[ExposureFlag]:
    """The flags a set of exposed element ids raises."""
    return frozenset(
        flag for flag, groups in FLAG_RULES.items() if all(g & elements for g in groups)
    )


@dataclass(frozen=True, slots=True)
class Residence:
    """Country (ISO 3166-1 alpha-2) and region (ISO 3166-2) with where they came from."""

    country: str | None
    region: str | None
    source: ResidenceSource


@dataclass(frozen=True, slots=True)
class SourceEvidence:
    """The records of one leaked source that exposed an element."""

    source_id: int
    record_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ElementExposure:
    """One exposed element (a ``DataElement`` value) and every source that exposed it."""

    element: str
    sources: tuple[SourceEvidence, ...]


@dataclass(frozen=True, slots=True)
class PersonManifest:
    """Everything the later steps need about one affected person (no raw values)."""

    person_id: PersonId
    customer_id: str | None  # None: an unknown individual, known only from the leak
    residence: Residence
    exposures: tuple[ElementExposure, ...]
    flags: frozenset[ExposureFlag]
    review: bool  # linked by fuzzy matching that a person should confirm
    channels: frozenset[str] = frozenset()  # email | phone | postal: how a notice can reach them

    @property
    def known(self) -> bool:
        """Whether the person is a customer of the master."""
        return self.customer_id is not None

    def elements(self) -> frozenset[str]:
        """Every exposed element id."""
        return frozenset(e.element for e in self.exposures)


_BITS: dict[str, int] = {e.value: 1 << n for n, e in enumerate(E)}


def _profiles(masks: pl.Series) -> pl.DataFrame:
    """``mask, elements, flags`` for each distinct element mask (there are few of them)."""
    rows = []
    for mask in masks.unique().to_list():
        held = frozenset(e for e, bit in _BITS.items() if mask & bit)
        rows.append((mask, sorted(held), sorted(f.value for f in flags_of(held))))
    return pl.DataFrame(
        rows,
        schema={"mask": pl.UInt64, "elements": pl.List(pl.String), "flags": pl.List(pl.String)},
        orient="row",
    )


def _exposures(
    assignments: pl.DataFrame, records: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Exposures (``person_id, element, source_id, record_ids``; rows in no order) and each
    person's element ``mask``.

    Records are grouped per person, source and element list first, so only the few distinct
    element lists are split; people with several element lists in one source are merged after.
    """
    base = assignments.select("record_id", "person_id").join(
        records.select("record_id", "source_id", "elements"), on="record_id"
    )
    split = (
        base.select("elements")
        .unique()
        .with_columns(element=pl.col("elements").str.split(","))
        .explode("element")
        .filter(pl.col("element").str.len_chars() > 0)
        .unique()
        .with_columns(
            bit=pl.col("element").replace_strict(_BITS, default=0, return_dtype=pl.UInt64)
        )
    )
    lists = base.group_by("person_id", "source_id", "elements").agg(
        pl.col("record_id").sort().alias("record_ids")
    )
    several = pl.len().over("person_id", "source_id") > 1
    single = lists.filter(~several).join(split, on="elements")
    merged = (
        lists.filter(several)
        .join(split, on="elements")
        .group_by("person_id", "element", "source_id")
        .agg(
            pl.col("record_ids").list.explode(keep_nulls=False, empty_as_null=False).unique().sort()
        )
    )
    columns = ["person_id", "element", "source_id", "record_ids"]
    exposures = pl.concat([single.select(columns), merged.select(columns)])
    masks = (
        lists.select("person_id", "elements")
        .unique()
        .join(split.group_by("elements").agg(pl.col("bit").sum().alias("mask")), on="elements")
        .group_by("person_id")
        .agg(pl.col("mask").bitwise_or())
    )
    return exposures, masks


def _residence(
    people: pl.DataFrame,
    assignments: pl.DataFrame,
    master: pl.DataFrame | None,
    contacts: pl.DataFrame | None,
) -> pl.DataFrame:
    """``country, region, residence_source`` for every person: master first, then inferred."""
    out = people.with_columns(country=pl.lit(None, pl.String), region=pl.lit(None, pl.String))
    if master is not None:
        known = customer_residence(master)
        out = out.drop("country", "region").join(known, on="customer_id", how="left")
    from_master = pl.col("country").is_not_null()
    out = out.with_columns(
        residence_source=pl.when(from_master).then(pl.lit(ResidenceSource.MASTER.value))
    )
    if contacts is not None:
        missing = out.filter(~from_master).select("person_id")
        records = assignments.join(missing, on="person_id").select("person_id", "record_id")
        guess = inferred_residence(records, contacts).rename(
            {"country": "country_i", "region": "region_i"}
        )
        out = out.join(guess, on="person_id", how="left").with_columns(
            residence_source=pl.when(from_master)
            .then("residence_source")
            .when(pl.col("country_i").is_not_null())
            .then(pl.lit(ResidenceSource.INFERRED.value)),
            country=pl.coalesce("country", "country_i"),
            region=pl.when(from_master).then("region").otherwise("region_i"),
        )
    return out.with_columns(pl.col("residence_source").fill_null(ResidenceSource.UNKNOWN.value))


_CHANNEL_OF = {"email": "email", "phone": "phone", "postal_address": "postal", "street": "postal"}


def _channels(
    assignments: pl.DataFrame, master: pl.DataFrame | None, contacts: pl.DataFrame | None
) -> pl.DataFrame:
    """``person_id, channels``: contact kinds known from the master or the leak (no values)."""
    parts = [pl.DataFrame(schema={"person_id": pl.String, "channel": pl.String})]
    if master is not None:
        fields = [c for c in ("email", "phone", "street") if c in master.columns]
        known = (
            master.select("customer_id", *fields)
            .unpivot(index="customer_id", variable_name="field")
            .drop_nulls("value")
        )
        persons = assignments.select("person_id", "customer_id").unique()
        parts.append(
            known.join(persons, on="customer_id").select(
                "person_id", channel=pl.col("field").replace_strict(_CHANNEL_OF)
            )
        )
    if contacts is not None:
        reach = contacts.filter(pl.col("kind").is_in(["email", "phone", "postal_address"]))
        parts.append(
            reach.join(assignments.select("record_id", "person_id"), on="record_id").select(
                "person_id", channel=pl.col("kind").replace_strict(_CHANNEL_OF)
            )
        )
    return (
        pl.concat(parts)
        .unique()
        .group_by("person_id")
        .agg(pl.col("channel").sort().alias("channels"))
    )


@dataclass(frozen=True, slots=True, eq=False)
class Manifest:
    """The exposure manifest of an incident, columnar; ``person()`` gives one person as values.

    ``people``: person_id, customer_id, country, region, residence_source, elements, flags,
    channels, records, review. ``exposures``: person_id, element, source_id, record_ids.
    """

    people: pl.DataFrame
    exposures: pl.DataFrame

    def person(self, person_id: str) -> PersonManifest:
        """One person's manifest; KeyError when the person is not in it."""
        row = self.people.filter(pl.col("person_id") == person_id)
        if row.height == 0:
            raise KeyError(person_id)
        rows = self.exposures.filter(pl.col("person_id") == person_id)
        return _person(row.row(0, named=True), rows)

    def __iter__(self) -> Iterator[PersonManifest]:
        """Every person, in person-id order."""
        by_person = self.exposures.partition_by("person_id", as_dict=True, maintain_order=True)
        empty = self.exposures.clear()
        for row in self.people.iter_rows(named=True):
            yield _person(row, by_person.get((row["person_id"],), empty))

    def __len__(self) -> int:
        """Number of people."""
        return self.people.height

    def select(
        self,
        *,
        element: str | None = None,
        jurisdiction: str | None = None,
        unmatched: bool = False,
    ) -> pl.DataFrame:
        """People who had ``element`` exposed, live in ``jurisdiction`` (``US``, ``US-CA``,
        ``EU`` or ``unknown``), and/or are unknown individuals."""
        people = self.people
        if element is not None:
            people = people.filter(pl.col("elements").list.contains(element))
        if jurisdiction is not None:
            people = people.filter(_in_jurisdiction(jurisdiction))
        if unmatched:
            people = people.filter(pl.col("customer_id").is_null())
        return people

    def counts(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """People per jurisdiction (region, else country, else ``unknown``) and per element."""
        place = pl.coalesce("region", "country", pl.lit("unknown")).alias("jurisdiction")
        by_place = self.people.group_by(place).agg(pl.len().alias("people"))
        by_element = (
            self.people.select("elements")
            .explode("elements")
            .drop_nulls()
            .group_by(pl.col("elements").alias("element"))
            .agg(pl.len().alias("people"))
        )
        return (
            by_place.sort(["people", "jurisdiction"], descending=[True, False]),
            by_element.sort(["people", "element"], descending=[True, False]),
        )


_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EU_MEMBERS = frozenset(_EU.split())


def _in_jurisdiction(code: str) -> pl.Expr:
    """Whether a person's residence is in a jurisdiction code."""
    code = code.strip()
    if code.lower() == "unknown":
        return pl.col("country").is_null()
    if code.upper() == "EU":
        return pl.col("country").is_in(sorted(EU_MEMBERS))
    if "-" in code:
        return pl.col("region") == code.upper()
    return pl.col("country") == code.upper()


def _person(row: dict[str, object], exposures: pl.DataFrame) -> PersonManifest:
    by_element: dict[str, list[SourceEvidence]] = {}
    for element, source_id, record_ids in exposures.select(
        "element", "source_id", "record_ids"
    ).iter_rows():
        by_element.setdefault(element, []).append(SourceEvidence(source_id, tuple(record_ids)))
    customer = row["customer_id"]
    return PersonManifest(
        person_id=PersonId(str(row["person_id"])),
        customer_id=None if customer is None else str(customer),
        residence=Residence(
            None if row["country"] is None else str(row["country"]),
            None if row["region"] is None else str(row["region"]),
            ResidenceSource(str(row["residence_source"])),
        ),
        exposures=tuple(
            ElementExposure(e, tuple(sorted(s, key=lambda x: x.source_id)))
            for e, s in sorted(by_element.items())
        ),
        flags=frozenset(ExposureFlag(f) for f in row["flags"]),  # type: ignore[attr-defined]
        review=bool(row["review"]),
        channels=frozenset(cast("list[str]", row["channels"])),
    )


def build_manifest(
    link: LinkResult,
    records: pl.DataFrame,
    *,
    master: pl.DataFrame | None = None,
    contacts: pl.DataFrame | None = None,
) -> Manifest:
    """The manifest of linked records.

    ``records``: record_id, source_id, elements (comma-separated element ids, as stored);
    ``master``: the customer master frame (customer_id, country, region); ``contacts``:
    record_id, kind, value (decrypted country, region and phone contacts) for inference.
    """
    exposures, masks = _exposures(link.assignments, records)
    people = (
        link.assignments.group_by("person_id")
        .agg(
            pl.col("customer_id").first(),
            pl.col("record_id").n_unique().alias("records"),
            pl.col("review").any(),
        )
        .join(masks, on="person_id", how="left")
        .with_columns(pl.col("mask").fill_null(0))
    )
    people = people.join(_profiles(people.get_column("mask")), on="mask", how="left")
    people = _residence(people, link.assignments, master, contacts)
    people = people.join(
        _channels(link.assignments, master, contacts), on="person_id", how="left"
    ).with_columns(pl.col("channels").fill_null([]))
    people = people.select(
        "person_id",
        "customer_id",
        "country",
        "region",
        "residence_source",
        "elements",
        "flags",
        "channels",
        "records",
        "review",
    )
    return Manifest(people.sort("person_id"), exposures)
