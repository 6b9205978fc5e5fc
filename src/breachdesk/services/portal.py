"""The public "was my data exposed?" portal: magic links by e-mail, and the exposure page.

Every request takes the same path whether or not the address is known: it is normalised and
hashed, a link row is written, the attempt is counted and audited; only the outbox row that
carries the link differs, and its sending happens after the response, outside the request."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.delivery import OutgoingMessage
from breachdesk.core.ids import IncidentId
from breachdesk.notify.elements import element_texts
from breachdesk.services.people import key_function
from breachdesk.services.ports import KeyedHasher, StoredPerson, UnitOfWork, UnitOfWorkFactory
from breachdesk.services.reset_ports import ResetState
from breachdesk.services.user_ports import PortalLink
from breachdesk.services.users import digest

LINK_TTL = timedelta(hours=1)
#: Link requests per address and per client address within WINDOW; more are counted, not sent.
MAX_PER_ADDRESS = 3
MAX_PER_CLIENT = 20
WINDOW = timedelta(hours=1)
CAMPAIGN = "portal"
_CLOSED = (ResetState.COMPLETED, ResetState.MISSING)
TEMPLATE = "portal-link@1"

#: A fresh credential-reset link for an open reset account (incident id, account id).
ResetLink = Callable[[IncidentId, int], "str | None"]


@dataclass(frozen=True, slots=True)
class ExposedElement:
    """One exposed element in plain words, with what to do about it."""

    element: str
    name: str
    advice: str


@dataclass(frozen=True, slots=True)
class Exposure:
    """What of the person was exposed in one incident."""

    incident_id: int
    title: str
    controller: str | None
    elements: tuple[ExposedElement, ...]
    reset_link: str | None


@dataclass(frozen=True, slots=True)
class PortalPage:
    """What a valid magic link shows: the person's exposures, possibly none."""

    exposures: tuple[Exposure, ...]


def _message(incident_id: int, person_id: int, recipient: str, url: str) -> OutgoingMessage:
    text = (
        "You asked whether we hold data about you that was exposed in a security incident.\n\n"
        f"Open this link within {int(LINK_TTL.total_seconds() // 60)} minutes to see what was "
        f"exposed and what you can do:\n\n{url}\n\nThe link works once. If you did not ask, "
        "ignore this message.\n"
    )
    return OutgoingMessage(
        incident_id=incident_id,
        person_id=person_id,
        campaign=CAMPAIGN,
        channel="email",
        recipient=recipient,
        subject="Your link to check your data",
        body_text=text,
        body_html=None,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        template_version=TEMPLATE,
    )


def _open_account(uow: UnitOfWork, person: StoredPerson) -> int | None:
    """The person's reset account that still waits for a new password, if any."""
    for account in uow.resets.accounts(person.incident_id):
        if account.person_id == person.id and account.state not in _CLOSED:
            return account.id
    return None


class PortalService:
    """Magic-link requests and exposure pages of the public portal; every lookup audited."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        keyed: KeyedHasher,
        clock: Clock,
        reset_link: ResetLink | None = None,
    ) -> None:
        self._uow = uow
        self._keyed = keyed
        self._clock = clock
        self._reset_link = reset_link

    def _matches(self, uow: UnitOfWork, match_key: str) -> list[tuple[int, StoredPerson]]:
        found: list[tuple[int, StoredPerson]] = []
        for incident in uow.incidents.list():
            found += [(incident.id, p) for p in uow.people.find(incident.id, "email", match_key)]
        return found

    def request(self, email: str, *, client: str, link_base: str) -> None:
        """Send a magic link if the address is known; the caller answers the same either way."""
        now = self._clock.now()
        match_key = key_function(self._keyed)("email", email) or self._keyed.keyed_hash(
            "", purpose="match:email"
        )
        token = secrets.token_urlsafe(32)
        by_address = self._keyed.keyed_hash(match_key, purpose="ratelimit:portal-address")[:64]
        by_client = self._keyed.keyed_hash(client, purpose="ratelimit:portal-client")[:64]
        with self._uow() as uow:
            recent = uow.users.attempts("portal-address", by_address, since=now - WINDOW)
            recent_client = uow.users.attempts("portal-client", by_client, since=now - WINDOW)
            uow.users.add_attempt("portal-address", by_address, at=now)
            uow.users.add_attempt("portal-client", by_client, at=now)
            throttled = recent >= MAX_PER_ADDRESS or recent_client >= MAX_PER_CLIENT
            matches = self._matches(uow, match_key)
            uow.users.add_link(PortalLink(digest(token), match_key, now, now + LINK_TTL, None))
            sent = bool(matches) and not throttled
            if sent:
                incident_id, person = matches[0]
                url = f"{link_base.rstrip('/')}/{token}"
                uow.outbox.enqueue([_message(incident_id, person.id, email.strip(), url)], at=now)
            details: dict[str, object] = {"throttled": throttled, "sent": sent}
            uow.audit.append(
                AuditDraft(now, "portal", AuditAction.PORTAL_REQUESTED, "portal", None, details)
            )
            uow.commit()

    def open(self, token: str) -> PortalPage | None:
        """The exposure page of a magic link, once; None when unknown, expired or used."""
        now = self._clock.now()
        with self._uow() as uow:
            link = uow.users.link(digest(token))
            if link is None or link.expires_at <= now:
                return None
            if not uow.users.use_link(link.digest, at=now):
                return None
            matches = self._matches(uow, link.match_key)
            rows = [
                (uow.incidents.get(IncidentId(incident_id)), person, _open_account(uow, person))
                for incident_id, person in matches
            ]
            details: dict[str, object] = {"incidents": sorted({i for i, _ in matches})}
            uow.audit.append(
                AuditDraft(now, "portal", AuditAction.PORTAL_VIEWED, "portal", None, details)
            )
            uow.commit()
        exposures = []
        for incident, person, account in rows:
            texts = element_texts(e for e in person.row.elements.split(",") if e)
            reset = None
            if self._reset_link is not None and account is not None:
                reset = self._reset_link(incident.id, account)
            elements = tuple(ExposedElement(t.element.value, t.name, t.advice) for t in texts)
            exposures.append(
                Exposure(incident.id, incident.title, incident.controller, elements, reset)
            )
        return PortalPage(tuple(exposures))
