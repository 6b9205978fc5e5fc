"""Notice documents beyond individual messages: letters to authorities and public notice drafts.

Authority letters: one PDF per authority obligation (regulator, attorney general, credit bureaus,
law enforcement, data owner) and contact from the rules pack, with the content that obligation
requires; gaps are listed, never papered over. Public drafts: the substitute website notice and
media notice (which stand in for individual notices, so they are checked against the individual
content items), a press release and a social-media post, for communications to edit.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo, Obligation, ObligationStatus, split_elements
from breachdesk.notify.context import US_CREDIT_BUREAUS, NoticeContext, required_content
from breachdesk.notify.coverage import missing_content
from breachdesk.notify.elements import LOCALES
from breachdesk.notify.message import CHANNELS_FOR_RECIPIENT, Channel, RenderedMessage
from breachdesk.notify.pdf import render_pdf
from breachdesk.notify.render import Renderer
from breachdesk.services.campaign_plan import locale_for
from breachdesk.services.notices import Sender
from breachdesk.services.obligations import ObligationService
from breachdesk.services.ports import UnitOfWorkFactory

#: Rules recipients written to by letter (everyone but individuals and the media).
AUTHORITY_RECIPIENTS: frozenset[str] = frozenset(
    r for r, channels in CHANNELS_FOR_RECIPIENT.items() if Channel.REGULATOR_LETTER in channels
)
#: Public notices that stand in for individual notices, checked against their content items.
SUBSTITUTES: tuple[Channel, ...] = (Channel.SUBSTITUTE_WEB, Channel.MEDIA)
DRAFTS: tuple[Channel, ...] = (*SUBSTITUTES, Channel.PRESS_RELEASE, Channel.SOCIAL_POST)
SOCIAL_LIMIT = 280  # characters most networks show without truncation
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class AuthorityLetter:
    """One letter owed to one authority under one obligation, rendered and laid out."""

    obligation: str  # the obligation key, e.g. us-ca-breach-notification:attorney_general
    recipient: str
    jurisdiction: str
    status: str
    addressee: ContactInfo | None  # None: the rules pack names no contact
    message: RenderedMessage
    pdf: bytes = field(repr=False)
    missing: tuple[str, ...] = ()  # required content items the template does not cover

    @property
    def stem(self) -> str:
        """A file name stem: recipient, jurisdiction, addressee."""
        who = self.addressee.name if self.addressee else "no-contact"
        return _slug(f"{self.recipient}-{self.jurisdiction}-{who}")


@dataclass(frozen=True, slots=True)
class Documents:
    """Rendered files (relative path -> bytes) and what a reviewer must look at."""

    files: dict[str, bytes] = field(repr=False)
    gaps: tuple[str, ...] = ()  # what must be fixed: required content not covered, no contact
    notes: tuple[str, ...] = ()  # what to check: values not given, locale fallbacks, length


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:80] or "letter"


def addressee_line(contact: ContactInfo) -> str:
    """The name and postal address of an authority, as the letter's ``To:`` line shows it."""
    return ", ".join(part for part in (contact.name, contact.address) if part)


def _addressees(obligation: Obligation) -> tuple[ContactInfo | None, ...]:
    if obligation.contacts:
        return obligation.contacts
    if obligation.recipient == "consumer_reporting_agencies" and obligation.jurisdiction.startswith(
        "US"
    ):
        return US_CREDIT_BUREAUS
    return (None,)


def authority_letters(
    obligations: Iterable[Obligation],
    base: NoticeContext,
    *,
    locale: str | None = None,
    overrides: Path | None = None,
) -> list[AuthorityLetter]:
    """A PDF letter per authority obligation (owed or under review) and per contact it names.

    ``base`` is the campaign-wide context (organisation, incident, dates, elements); each letter
    adds its obligation's required items, its residents count and its addressee. Without a
    ``locale`` a letter is written in the jurisdiction's main language (else English).
    """
    renderer = Renderer(overrides)
    out = []
    for o in obligations:
        if o.recipient not in AUTHORITY_RECIPIENTS or o.status is ObligationStatus.SUSPENDED:
            continue
        country, _, _ = o.jurisdiction.partition("-")
        loc = locale or locale_for(country, o.jurisdiction)
        missing = tuple(
            sorted(missing_content(Channel.REGULATOR_LETTER, loc, o.content, overrides=overrides))
        )
        for contact in _addressees(o):
            context = replace(
                base,
                required=frozenset(o.content),
                number_affected=o.people or o.unknown_residence or base.number_affected,
                addressee=addressee_line(contact) if contact else None,
                agency_contacts=(contact,) if contact else base.agency_contacts,
                person_name=None,
                person_address=None,
            )
            message = renderer.render(Channel.REGULATOR_LETTER, loc, context)
            out.append(
                AuthorityLetter(
                    obligation=o.key,
                    recipient=o.recipient,
                    jurisdiction=o.jurisdiction,
                    status=o.status.value,
                    addressee=contact,
                    message=message,
                    pdf=render_pdf(message),
                    missing=missing,
                )
            )
    return out


def letter_files(letters: Sequence[AuthorityLetter]) -> Documents:
    """``NN-<stem>.{pdf,txt,html}`` per letter and an ``index.csv`` of addressees and gaps."""
    files: dict[str, bytes] = {}
    gaps: list[str] = []
    notes: list[str] = []
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(
        ["file", "obligation", "status", "addressee", "address", "email", "url", "missing"]
    )
    for n, letter in enumerate(letters, start=1):
        stem = f"{n:02d}-{letter.stem}"
        files[f"{stem}.pdf"] = letter.pdf
        files[f"{stem}.txt"] = f"{letter.message.subject}\n\n{letter.message.text}".encode()
        if letter.message.html is not None:
            files[f"{stem}.html"] = letter.message.html.encode("utf-8")
        c = letter.addressee
        writer.writerow(
            [
                f"{stem}.pdf",
                letter.obligation,
                letter.status,
                c.name if c else "",
                (c.address or "") if c else "",
                (c.email or "") if c else "",
                (c.url or "") if c else "",
                " ".join(letter.missing),
            ]
        )
        if c is None:
            gaps.append(f"{stem}: the rules name no contact for {letter.obligation}; address it")
        if letter.missing:
            gaps.append(f"{stem}: template lacks required items {', '.join(letter.missing)}")
        notes += [f"{stem}: {note}" for note in letter.message.notes]
    files["index.csv"] = index.getvalue().encode("utf-8")
    return Documents(files, tuple(gaps), tuple(notes))


def public_drafts(
    obligations: Sequence[Obligation],
    base: NoticeContext,
    *,
    locales: Sequence[str] = LOCALES,
    overrides: Path | None = None,
) -> Documents:
    """Substitute web notice, media notice, press release and social post per locale, checked."""
    renderer = Renderer(overrides)
    individual = required_content(obligations, "individuals")
    required = {
        Channel.SUBSTITUTE_WEB: individual | required_content(obligations, "substitute"),
        Channel.MEDIA: individual | required_content(obligations, "media"),
    }
    files: dict[str, bytes] = {}
    gaps: list[str] = []
    notes: list[str] = []
    for loc in locales:
        for channel in DRAFTS:
            items = required.get(channel, frozenset())
            context = replace(base, required=items, person_name=None, person_address=None)
            message = renderer.render(channel, loc, context)
            name = f"{loc}/{channel.value}"
            files[f"{name}.txt"] = f"{message.subject}\n\n{message.text}".encode()
            if message.html is not None:
                files[f"{name}.html"] = message.html.encode("utf-8")
            if channel in required:
                lacking = sorted(missing_content(channel, loc, items, overrides=overrides))
                if lacking:
                    gaps.append(f"{name}: lacks required items {', '.join(lacking)}")
            if channel is Channel.SOCIAL_POST and len(message.text.strip()) > SOCIAL_LIMIT:
                notes.append(f"{name}: {len(message.text.strip())} characters, over {SOCIAL_LIMIT}")
            notes += [f"{name}: {note}" for note in message.notes]
    return Documents(files, tuple(gaps), tuple(notes))


class NoticeDocuments:
    """Authority letters and public drafts for an incident, from its evaluated obligations."""

    def __init__(self, uow: UnitOfWorkFactory, obligations: ObligationService) -> None:
        self._uow = uow
        self._obligations = obligations

    def context(
        self, incident_id: IncidentId, sender: Sender, *, actor: str
    ) -> tuple[list[Obligation], NoticeContext]:
        """The incident's obligations and the notice context shared by its documents."""
        outcome = self._obligations.evaluate(incident_id, actor=actor)
        with self._uow() as uow:
            incident = uow.incidents.get(incident_id)
            groups = uow.obligations.residence_groups(incident_id)
        elements = frozenset(e for *_, text in groups for e in split_elements(text))
        context = NoticeContext(
            organisation=sender.organisation,
            contact=sender.contact,
            incident_description=incident.summary or incident.title,
            measures_taken=sender.measures_taken,
            notice_date=self._obligations.now().date(),
            elements=elements,
            occurred_from=incident.occurred_from.date() if incident.occurred_from else None,
            occurred_to=incident.occurred_to.date() if incident.occurred_to else None,
            discovered_on=incident.discovered_at.date(),
            number_affected=outcome.evaluation.people + outcome.evaluation.unknown_residence,
        )
        return list(outcome.evaluation.obligations), context

    def authority_letters(
        self,
        incident_id: IncidentId,
        sender: Sender,
        *,
        actor: str,
        locale: str | None = None,
        overrides: Path | None = None,
    ) -> Documents:
        """Letter files for every authority obligation of the incident, with an index."""
        obligations, context = self.context(incident_id, sender, actor=actor)
        return letter_files(
            authority_letters(obligations, context, locale=locale, overrides=overrides)
        )

    def drafts(
        self,
        incident_id: IncidentId,
        sender: Sender,
        *,
        actor: str,
        locales: Sequence[str] = LOCALES,
        overrides: Path | None = None,
    ) -> Documents:
        """Substitute, media, press and social drafts for the incident in each locale."""
        obligations, context = self.context(incident_id, sender, actor=actor)
        return public_drafts(obligations, context, locales=locales, overrides=overrides)
