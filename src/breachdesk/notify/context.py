"""The values a notice is rendered from; public US credit-bureau and FTC contacts as defaults."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from breachdesk.core.obligation import ContactInfo, Obligation

#: Replaced per recipient by the sender (e.g. a signed link to the notice page).
LINK_PLACEHOLDER = "{link}"

#: Nationwide US consumer reporting agencies (public contact data for consumers).
US_CREDIT_BUREAUS: tuple[ContactInfo, ...] = (
    ContactInfo(
        name="Equifax",
        url="https://www.equifax.com/personal/credit-report-services/",
        address="Equifax Information Services LLC, P.O. Box 105788, Atlanta, GA 30348-5788",
        phone="1-888-298-0045",
    ),
    ContactInfo(
        name="Experian",
        url="https://www.experian.com/help/",
        address="Experian, P.O. Box 9554, Allen, TX 75013",
        phone="1-888-397-3742",
    ),
    ContactInfo(
        name="TransUnion",
        url="https://www.transunion.com/credit-help",
        address="TransUnion, P.O. Box 160, Woodlyn, PA 19094",
        phone="1-888-909-8872",
    ),
)

#: The US Federal Trade Commission's identity-theft site and address.
US_FTC = ContactInfo(
    name="Federal Trade Commission",
    url="https://www.identitytheft.gov",
    address="600 Pennsylvania Avenue NW, Washington, DC 20580",
    phone="1-877-438-4338",
)


@dataclass(frozen=True, slots=True)
class NoticeContext:
    """Everything one notice says; person fields stay out of repr."""

    organisation: str
    contact: ContactInfo
    incident_description: str
    measures_taken: str
    notice_date: date
    elements: frozenset[str] = frozenset()  # DataElement values the person (or notice) covers
    occurred_from: date | None = None
    occurred_to: date | None = None
    discovered_on: date | None = None
    required: frozenset[str] = frozenset()  # content items of the obligations served
    cra_contacts: tuple[ContactInfo, ...] = US_CREDIT_BUREAUS
    ftc_contact: ContactInfo | None = US_FTC
    agency_contacts: tuple[ContactInfo, ...] = ()  # attorney general, supervisory authority, ...
    dpo_contact: ContactInfo | None = None
    services_offer: str | None = None  # e.g. "24 months of credit monitoring, code ..."
    root_cause: str | None = None
    likely_consequences: str | None = None
    other_information: str | None = None
    number_affected: int | None = None
    law_enforcement_delay: bool = False
    link: str = LINK_PLACEHOLDER
    individuals_notified_on: date | None = None  # when individual notices go out
    notice_plan: str | None = None  # how and when people are told, for letters to authorities
    addressee: str | None = None  # regulator or attorney general addressed by a letter
    person_name: str | None = field(default=None, repr=False)
    person_address: str | None = field(default=None, repr=False)
    reset_link: str | None = field(default=None, repr=False)  # single-use credential-reset link
    enrolment_code: str | None = field(default=None, repr=False)  # credit-monitoring code


def required_content(obligations: Iterable[Obligation], recipient: str) -> frozenset[str]:
    """Every content item the obligations to one recipient require (as the rules name them)."""
    return frozenset(item for o in obligations if o.recipient == recipient for item in o.content)


def authority_contacts(obligations: Iterable[Obligation]) -> tuple[ContactInfo, ...]:
    """Distinct contacts of the authorities the obligations name, in first-seen order."""
    return tuple(dict.fromkeys(c for o in obligations for c in o.contacts))
