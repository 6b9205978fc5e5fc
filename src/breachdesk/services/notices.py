"""Notice previews: render every channel and locale for one person (or a sample) of an incident."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.notify.context import NoticeContext, authority_contacts, required_content
from breachdesk.notify.elements import LOCALES
from breachdesk.notify.message import Channel
from breachdesk.notify.preview import preview_files
from breachdesk.services.obligations import ObligationService
from breachdesk.services.people_views import PeopleFilter, PeopleService
from breachdesk.services.ports import UnitOfWorkFactory

MEASURES_PLACEHOLDER = "[Describe what the organisation has done and is doing]"


@dataclass(frozen=True, slots=True)
class Sender:
    """Who the notices come from."""

    organisation: str
    contact: ContactInfo
    measures_taken: str = MEASURES_PLACEHOLDER


class NoticeService:
    """Render notices for review before anything is approved or sent."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        people: PeopleService,
        obligations: ObligationService,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._people = people
        self._obligations = obligations
        self._clock = clock

    def preview(
        self,
        incident_id: IncidentId,
        sender: Sender,
        *,
        actor: str,
        person_id: int | None = None,
        channels: Sequence[Channel] = tuple(Channel),
        locales: Sequence[str] = LOCALES,
        overrides: Path | None = None,
        pdf: bool = True,
    ) -> dict[str, bytes]:
        """Files ``<locale>/<channel>.{txt,html,pdf}``; a person's preview is an audited view."""
        with self._uow() as uow:
            incident = uow.incidents.get(incident_id)
        evaluation = self._obligations.evaluate(incident_id, actor=actor).evaluation
        if person_id is not None:
            person = self._people.show(incident_id, person_id, actor=actor)
            elements, name = frozenset(person.elements), person.name
        else:  # a sample notice carrying every element exposed in the incident
            everyone = self._people.listing(incident_id, PeopleFilter(), actor=actor)
            elements, name = frozenset(e for p in everyone for e in p.elements), None
        context = NoticeContext(
            organisation=sender.organisation,
            contact=sender.contact,
            incident_description=incident.summary or incident.title,
            measures_taken=sender.measures_taken,
            notice_date=self._clock.now().date(),
            elements=elements,
            occurred_from=incident.occurred_from.date() if incident.occurred_from else None,
            occurred_to=incident.occurred_to.date() if incident.occurred_to else None,
            discovered_on=incident.discovered_at.date(),
            required=required_content(evaluation.obligations, "individuals"),
            agency_contacts=authority_contacts(evaluation.obligations),
            number_affected=evaluation.people,
            person_name=name,
        )
        files = preview_files(
            context, channels=channels, locales=locales, overrides=overrides, pdf=pdf
        )
        with self._uow() as uow:
            uow.audit.append(
                AuditDraft(
                    at=self._clock.now(),
                    actor=actor,
                    action=AuditAction.NOTICES_PREVIEWED,
                    subject=f"incident:{incident_id}:notices",
                    incident_id=incident_id,
                    details={
                        "person": person_id,
                        "files": len(files),
                        "channels": [c.value for c in channels],
                        "locales": list(locales),
                    },
                )
            )
            uow.commit()
        return files
