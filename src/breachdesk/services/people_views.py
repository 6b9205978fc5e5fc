"""Audited views of an incident's affected people: list, show, export, lookup (masked)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.element import DataElement
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.discovery.normalize import mask
from breachdesk.services.people import KIND_ELEMENT, key_function
from breachdesk.services.ports import KeyedHasher, StoredPerson, UnitOfWork, UnitOfWorkFactory
from breachdesk.services.state import people_subject

E = DataElement


@dataclass(frozen=True, slots=True)
class PersonView:
    """One person for display: masked contacts (or clear ones for an audited export)."""

    id: int
    known: bool
    country: str | None
    region: str | None
    residence_source: str
    elements: tuple[str, ...]
    flags: tuple[str, ...]
    records: int
    review: bool
    name: str | None
    email: str | None
    phone: str | None
    address: str | None
    exposures: tuple[tuple[str, str, int], ...] = ()  # element, source path, records
    locators: tuple[str, ...] = ()  # "file::table row N" of the person's leaked records
    first_seen: datetime | None = None  # when leaked material holding them was first scanned
    last_seen: datetime | None = None
    confirmed: bool = False  # server logs show an attacker fetching their record (logs map)


def _masked(value: str | None, element: DataElement, clear: bool) -> str | None:
    if value is None:
        return None
    return value if clear else mask(element, value)


def _view(
    p: StoredPerson,
    *,
    clear: bool = False,
    exposures: tuple[tuple[str, str, int], ...] = (),
    confirmed: frozenset[str] = frozenset(),
) -> PersonView:
    r = p.row
    return PersonView(
        id=p.id,
        known=r.known,
        country=r.country,
        region=r.region,
        residence_source=r.residence_source,
        elements=tuple(e for e in r.elements.split(",") if e),
        flags=tuple(f for f in r.flags.split(",") if f),
        records=r.records,
        review=r.review,
        name=_masked(r.name, E.PERSON_NAME, clear),
        email=_masked(r.email, E.EMAIL, clear),
        phone=_masked(r.phone, E.PHONE, clear),
        address=_masked(r.address, E.POSTAL_ADDRESS, clear),
        exposures=exposures,
        confirmed=r.person_ref in confirmed,
    )


@dataclass(frozen=True, slots=True)
class PeopleFilter:
    """Which people a listing shows."""

    element: str | None = None
    jurisdiction: str | None = None  # "US", or a region such as "US-CA"
    unmatched: bool = False
    confirmed: bool = False  # only people whose record an attacker was seen fetching

    def accepts(self, p: StoredPerson, confirmed: frozenset[str] = frozenset()) -> bool:
        """Whether the person passes every given criterion."""
        r = p.row
        if self.confirmed and r.person_ref not in confirmed:
            return False
        if self.element and self.element not in r.elements.split(","):
            return False
        if self.unmatched and r.known:
            return False
        if self.jurisdiction:
            where = self.jurisdiction.upper()
            return r.region == where if "-" in where else r.country == where
        return True


class PeopleService:
    """Audited views of the affected people: list, show, export, lookup."""

    def __init__(self, uow: UnitOfWorkFactory, hasher: KeyedHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock

    def _audit(
        self,
        uow: UnitOfWork,
        incident_id: IncidentId,
        action: AuditAction,
        subject: str,
        actor: str,
        details: dict[str, object],
    ) -> None:
        uow.audit.append(
            AuditDraft(
                at=self._clock.now(),
                actor=actor,
                action=action,
                subject=subject,
                incident_id=incident_id,
                details=details,
            )
        )

    def listing(
        self, incident_id: IncidentId, where: PeopleFilter, *, actor: str
    ) -> list[PersonView]:
        """People matching ``where``, masked; the listing itself is audited."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            seen = frozenset(uow.investigation.confirmed_people(incident_id))
            found = [
                _view(p, confirmed=seen)
                for p in uow.people.for_incident(incident_id)
                if where.accepts(p, seen)
            ]
            self._audit(
                uow,
                incident_id,
                AuditAction.PEOPLE_LISTED,
                people_subject(incident_id),
                actor,
                {
                    "shown": len(found),
                    "element": where.element,
                    "jurisdiction": where.jurisdiction,
                    "unmatched": where.unmatched,
                    "confirmed": where.confirmed,
                },
            )
            uow.commit()
        return found

    def show(self, incident_id: IncidentId, person_id: int, *, actor: str) -> PersonView:
        """One person with every exposure and where it was found, masked; audited."""
        with self._uow() as uow:
            person = uow.people.get(incident_id, person_id)
            exposures = tuple((e, path, n) for e, _, path, n in uow.people.exposures(person_id))
            found = uow.people.locators(person_id)
            accessed = frozenset(uow.investigation.confirmed_people(incident_id))
            self._audit(
                uow,
                incident_id,
                AuditAction.PERSON_VIEWED,
                f"person:{person_id}",
                actor,
                {"person": person_id},
            )
            uow.commit()
        view = _view(person, exposures=exposures, confirmed=accessed)
        seen = [at for *_, at in found]
        return replace(
            view,
            locators=tuple(
                f"{table or Path(path).name} row {row}" for path, table, row, _ in found
            ),
            first_seen=min(seen, default=None),
            last_seen=max(seen, default=None),
        )

    def export(
        self, incident_id: IncidentId, *, actor: str, with_contact: bool
    ) -> list[PersonView]:
        """Every person for a manifest export; clear contacts only on request; audited."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            people = uow.people.for_incident(incident_id)
            seen = frozenset(uow.investigation.confirmed_people(incident_id))
            views = [
                _view(
                    p,
                    clear=with_contact,
                    exposures=tuple((e, path, n) for e, _, path, n in uow.people.exposures(p.id)),
                    confirmed=seen,
                )
                for p in people
            ]
            self._audit(
                uow,
                incident_id,
                AuditAction.MANIFEST_EXPORTED,
                people_subject(incident_id),
                actor,
                {"people": len(views), "with_contact": with_contact},
            )
            uow.commit()
        return views

    def lookup(
        self, incident_id: IncidentId, kind: str, value: str, *, actor: str
    ) -> list[PersonView]:
        """Was the person with this identifier affected, and what of theirs was exposed?"""
        if kind not in KIND_ELEMENT and kind != "customer_id":
            raise InvalidInputError(f"lookup by {kind}: not an identifier kind")
        digest = key_function(self._hasher)(kind, value)
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            found = uow.people.find(incident_id, kind, digest) if digest else []
            views = [
                _view(
                    p, exposures=tuple((e, path, n) for e, _, path, n in uow.people.exposures(p.id))
                )
                for p in found
            ]
            self._audit(
                uow,
                incident_id,
                AuditAction.PERSON_LOOKED_UP,
                people_subject(incident_id),
                actor,
                {"by": kind, "found": [v.id for v in views]},
            )
            uow.commit()
        return views

    def conflicts(
        self, incident_id: IncidentId, *, actor: str
    ) -> list[tuple[int, int, str, str, int]]:
        """Leaked records that several customers claim, for review (audited)."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            found = uow.people.conflict_list(incident_id)
            self._audit(
                uow,
                incident_id,
                AuditAction.PEOPLE_LISTED,
                people_subject(incident_id),
                actor,
                {"conflicts": len(found)},
            )
            uow.commit()
        return found
