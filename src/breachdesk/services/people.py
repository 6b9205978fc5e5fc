"""Affected people: link leaked records to the customer master, and the audited views on them."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

import polars as pl

from breachdesk.casefile.checklist import find_task
from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.element import DataElement
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.status import TaskStatus
from breachdesk.discovery.normalize import normalize
from breachdesk.identity import CustomerMaster, KeyOf, build_manifest, hash_master, link_master
from breachdesk.identity.link import LinkResult, LinkStats
from breachdesk.identity.manifest import Manifest
from breachdesk.identity.master import master_names
from breachdesk.services.casefile import record_incident_change
from breachdesk.services.ports import (
    KeyedHasher,
    PeopleWrite,
    PersonRow,
    UnitOfWork,
    UnitOfWorkFactory,
)
from breachdesk.services.scan import match_purpose
from breachdesk.services.state import people_state, people_subject

E = DataElement
# Identifier kinds normalised as their element before hashing, exactly as the scan does.
KIND_ELEMENT: dict[str, DataElement] = {
    "email": E.EMAIL,
    "phone": E.PHONE,
    "ssn": E.SSN,
    "national_id": E.NATIONAL_ID,
    "username": E.USERNAME,
    "date_of_birth": E.DATE_OF_BIRTH,
    "postal_code": E.POSTAL_CODE,
    "passport": E.PASSPORT,
    "drivers_license": E.DRIVERS_LICENSE,
    "tax_id": E.TAX_ID,
}
_CONTACT_KINDS = {
    "person_name": "name",
    "email": "email",
    "phone": "phone",
    "postal_address": "address",
}


def key_function(hasher: KeyedHasher) -> KeyOf:
    """Normalise a raw identifier like the scan does, then hash it for matching."""

    def key_of(kind: str, raw: str) -> str | None:
        value = raw.strip()
        if not value:
            return None
        element = KIND_ELEMENT.get(kind)
        norm = normalize(element, value) if element else " ".join(value.split())
        return hasher.keyed_hash(norm, purpose=match_purpose(kind)) if norm else None

    return key_of


@dataclass(frozen=True, slots=True)
class LinkSummary:
    """What a linking run found."""

    stats: LinkStats
    people: int
    known: int
    unknown: int
    conflicts: int
    by_jurisdiction: dict[str, int]
    by_element: dict[str, int]


def _frames(
    uow: UnitOfWork, incident_id: IncidentId
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    keys = pl.DataFrame(
        uow.people.record_keys(incident_id),
        orient="row",
        schema={"record_id": pl.Int64, "kind": pl.String, "keyed_hash": pl.String},
    )
    records = pl.DataFrame(
        uow.people.records(incident_id),
        orient="row",
        schema={"record_id": pl.Int64, "source_id": pl.Int64, "elements": pl.String},
    )
    contacts = pl.DataFrame(
        uow.people.contacts(incident_id),
        orient="row",
        schema={"record_id": pl.Int64, "kind": pl.String, "value": pl.String},
    )
    return keys, records, contacts


def _master_contacts(master: CustomerMaster) -> pl.DataFrame:
    cols = master.frame.columns
    address = [
        pl.col(c) for c in ("street", "postal_code", "city", "region", "country") if c in cols
    ]
    return master.frame.select(
        "customer_id",
        master_names(master).alias("name"),
        (pl.col("email") if "email" in cols else pl.lit(None, pl.String)).alias("email"),
        (pl.col("phone") if "phone" in cols else pl.lit(None, pl.String)).alias("phone"),
        (
            pl.concat_str(address, separator=", ", ignore_nulls=True)
            if address
            else pl.lit(None, pl.String)
        ).alias("address"),
    )


def _leak_contacts(link: LinkResult, contacts: pl.DataFrame) -> pl.DataFrame:
    wanted = contacts.filter(pl.col("kind").is_in(list(_CONTACT_KINDS)))
    firsts = (
        link.assignments.select("record_id", "person_id")
        .join(wanted, on="record_id")
        .sort("record_id")
        .group_by("person_id", "kind")
        .agg(pl.col("value").first())
    )
    wide = (
        firsts.pivot(on="kind", index="person_id", values="value")
        if firsts.height
        else (pl.DataFrame({"person_id": []}, schema={"person_id": pl.String}))
    )
    for kind, name in _CONTACT_KINDS.items():
        wide = (
            wide.rename({kind: name})
            if kind in wide.columns
            else wide.with_columns(pl.lit(None, pl.String).alias(name))
        )
    return wide.select("person_id", *_CONTACT_KINDS.values())


def _person_rows(manifest: Manifest, contact: pl.DataFrame, ref: dict[str, str]) -> list[PersonRow]:
    people = manifest.people.join(contact, on="person_id", how="left")
    rows = []
    for p in people.iter_rows(named=True):
        rows.append(
            PersonRow(
                person_ref=ref[p["person_id"]],
                known=p["customer_id"] is not None,
                customer_ref=p["customer_id"],
                country=p["country"],
                region=p["region"],
                residence_source=p["residence_source"],
                elements=",".join(sorted(p["elements"])),
                flags=",".join(sorted(p["flags"])),
                records=int(p["records"]),
                review=bool(p["review"]),
                name=p["name"],
                email=p["email"],
                phone=p["phone"],
                address=p["address"],
            )
        )
    return rows


def _lookup_keys(
    master: CustomerMaster,
    key_of: KeyOf,
    manifest: Manifest,
    link: LinkResult,
    record_keys: pl.DataFrame,
    ref: dict[str, str],
) -> list[tuple[str, str, str]]:
    from_records = (
        link.assignments.select("record_id", "person_id")
        .join(record_keys, on="record_id")
        .select("person_id", "kind", "keyed_hash")
    )
    linked = manifest.people.filter(pl.col("customer_id").is_not_null()).select(
        "person_id", "customer_id"
    )
    subset = CustomerMaster(
        master.frame.join(linked.select("customer_id"), on="customer_id"),
        master.mapping,
        master.keys,
        master.label,
    )
    from_master = (
        hash_master(subset, key_of, fields=[k for k in KIND_ELEMENT if k in subset.frame.columns])
        .join(linked, on="customer_id")
        .select("person_id", "kind", "keyed_hash")
    )
    both = pl.concat([from_records, from_master]).unique()
    return [(ref[p], k, h) for p, k, h in both.iter_rows()]


def _write(
    master: CustomerMaster,
    key_of: KeyOf,
    link: LinkResult,
    manifest: Manifest,
    frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame],
    hasher: KeyedHasher,
) -> PeopleWrite:
    record_keys, _, contacts = frames
    ref = {
        p: hasher.keyed_hash(p, purpose="person")
        for p in manifest.people.get_column("person_id").to_list()
    }
    known = (
        manifest.people.select("person_id", "customer_id")
        .join(_master_contacts(master), on="customer_id", how="inner")
        .drop("customer_id")
    )
    leaked = _leak_contacts(link, contacts).join(
        known.select("person_id"), on="person_id", how="anti"
    )
    contact = pl.concat([known, leaked], how="diagonal_relaxed")
    return PeopleWrite(
        people=_person_rows(manifest, contact, ref),
        records=[
            (ref[p], r, m, s)
            for r, p, m, s in link.assignments.select(
                "record_id", "person_id", "method", "score"
            ).iter_rows()
        ],
        exposures=[(ref[p], e, src, len(ids)) for p, e, src, ids in manifest.exposures.iter_rows()],
        keys=_lookup_keys(master, key_of, manifest, link, record_keys, ref),
        conflicts=[(r, len(c), why) for r, c, why in link.conflicts.iter_rows()],
    )


def _summary(link: LinkResult, write: PeopleWrite, conflicts: int) -> LinkSummary:
    places: Counter[str] = Counter()
    elements: Counter[str] = Counter()
    for p in write.people:
        places[p.region or p.country or "unknown"] += 1
        elements.update(e for e in p.elements.split(",") if e)
    known = sum(p.known for p in write.people)
    return LinkSummary(
        link.stats,
        len(write.people),
        known,
        len(write.people) - known,
        conflicts,
        dict(places.most_common()),
        dict(elements.most_common()),
    )


class LinkService:
    """Turn an incident's leaked records into its affected people (re-runnable, one transaction)."""

    def __init__(self, uow: UnitOfWorkFactory, hasher: KeyedHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock

    def link(
        self, incident_id: IncidentId, master: CustomerMaster, *, actor: str, fuzzy: bool = False
    ) -> LinkSummary:
        """Link every leaked record of the incident to customers or unknown individuals."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            frames = _frames(uow, incident_id)
        record_keys, records, contacts = frames
        if records.height == 0:
            raise InvalidInputError(
                f"incident {incident_id}: no leaked records yet; run "
                "`breachdesk scan PATH --incident ID` first"
            )
        key_of = key_function(self._hasher)
        names = (
            contacts.filter(pl.col("kind") == "person_name").select(
                "record_id", pl.col("value").alias("name")
            )
            if fuzzy
            else None
        )
        link = link_master(
            master, record_keys, key_of, records=records["record_id"], record_names=names
        )
        manifest = build_manifest(link, records, master=master.frame, contacts=contacts)
        write = _write(master, key_of, link, manifest, frames, self._hasher)
        with self._uow() as uow:
            now = self._clock.now()
            stored = uow.people.replace(incident_id, write)
            stats = {k: getattr(link.stats, k) for k in link.stats.__dataclass_fields__}
            uow.people.add_run(
                incident_id,
                label=master.label,
                keys=",".join(k.value for k in master.keys),
                fuzzy=fuzzy,
                stats=json.dumps(stats, sort_keys=True),
                actor=actor,
                at=now,
            )
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.PEOPLE_LINKED,
                    subject=people_subject(incident_id),
                    incident_id=incident_id,
                    details={"people": stored, "master": master.label, **stats},
                    state_hash=people_state(uow, incident_id),
                )
            )
            tick_task(uow, incident_id, "exposure.link", actor=actor, clock=self._clock)
            uow.commit()
        return _summary(link, write, len(write.conflicts))


def tick_task(
    uow: UnitOfWork, incident_id: IncidentId, key: str, *, actor: str, clock: Clock
) -> None:
    """Mark a checklist task done as part of the caller's transaction (audited)."""
    from dataclasses import replace

    task = find_task(uow.tasks.for_incident(incident_id), key)
    if task.status is TaskStatus.DONE:
        return
    uow.tasks.update(
        replace(
            task,
            status=TaskStatus.DONE,
            completed_at=clock.now(),
            completed_by=actor,
            note="done by breachdesk",
        )
    )
    record_incident_change(
        uow,
        incident_id,
        AuditAction.TASK_COMPLETED,
        actor=actor,
        at=clock.now(),
        details={"tasks": [key], "automatic": True},
    )
