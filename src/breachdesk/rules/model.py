"""Schema of a rule file: strict (unknown keys fail), validated by pydantic.

One YAML file per rule (one regime of one jurisdiction, one version). A rule says which exposed
data elements trigger it, which exemptions apply, and which notices are owed to whom, by when,
above which threshold, with which content, in which order.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from breachdesk.core.element import DataElement


class Strict(BaseModel):
    """Base of every schema object: frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Recipient(StrEnum):
    """Who must be told."""

    INDIVIDUALS = "individuals"
    ATTORNEY_GENERAL = "attorney_general"
    REGULATOR = "regulator"  # a named agency or supervisory authority other than an AG
    CONSUMER_REPORTING_AGENCIES = "consumer_reporting_agencies"
    MEDIA = "media"
    DATA_OWNER = "data_owner"  # when the organisation only maintains the data for another
    LAW_ENFORCEMENT = "law_enforcement"


class Clock(StrEnum):
    """The recorded fact a deadline counts from."""

    DISCOVERY = "discovery"  # the organisation became aware of the breach
    DETERMINATION = "determination"  # it determined that a breach (of this kind) occurred
    ASSESSMENT = "assessment"  # it finished assessing (e.g. risk of harm, materiality)
    NOTICE_TO_INDIVIDUALS = "notice_to_individuals"  # counts from the individual notice


class Period(Strict):
    """An amount of time: exactly one of hours or days."""

    hours: int | None = Field(default=None, ge=0)
    days: int | None = Field(default=None, ge=0)
    business_days: bool = False  # days exclude weekends and the jurisdiction's public holidays

    @model_validator(mode="after")
    def _one_unit(self) -> Period:
        if (self.hours is None) == (self.days is None):
            raise ValueError("give exactly one of hours or days")
        if self.business_days and self.days is None:
            raise ValueError("business_days applies to days only")
        return self


class Deadline(Strict):
    """When a notice is due; ``within`` may be absent for "without unreasonable delay"."""

    within: Period | None = None
    without_unreasonable_delay: bool = False
    target: Period | None = None  # recommended target where the law sets no fixed period
    from_: Clock = Field(default=Clock.DISCOVERY, alias="from")
    text: str | None = None  # the statute's own words, quoted briefly

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _something(self) -> Deadline:
        if self.within is None and not self.without_unreasonable_delay:
            raise ValueError("a deadline needs `within` or `without_unreasonable_delay: true`")
        return self


class Threshold(Strict):
    """A minimum number of affected people (residents of the jurisdiction unless stated)."""

    op: Literal[">", ">="]
    value: int = Field(ge=0)
    counts: Literal["residents", "total"] = "residents"
    # count the residents of each state/province separately; met where any one meets it
    # (e.g. HIPAA media notice: more than 500 residents of a State)
    per_subdivision: bool = False


class Contact(Strict):
    """How to reach a regulator or authority."""

    name: str
    url: str | None = None
    email: str | None = None
    address: str | None = None
    phone: str | None = None


class SubstituteNotice(Strict):
    """When notice by e-mail, website posting and media may replace individual notice."""

    cost_over: int | None = None  # USD, or the currency the statute uses
    count_over: int | None = None
    insufficient_contact: bool = False
    text: str | None = None


class Notice(Strict):
    """One notice the rule requires."""

    recipient: Recipient
    deadline: Deadline
    threshold: Threshold | None = None
    after: tuple[Recipient, ...] = ()  # recipients that must be notified first
    content: tuple[str, ...] = ()  # content items, e.g. data_elements, contact_information
    substitute_notice: SubstituteNotice | None = None
    contact: Contact | None = None
    when: str | None = None  # condition in words when not expressible above (shown as a note)
    citation: str | None = None  # the section requiring this notice, when not the rule's first


class Encryption(Strict):
    """Encryption safe harbour."""

    safe_harbor: bool = True
    unless_key_exposed: bool = True


class RiskOfHarm(Strict):
    """Whether a documented determination of no (significant) risk of harm removes the duty."""

    allowed: bool = False
    must_document: bool = False
    notify_regulator_of_determination: bool = False
    retain_years: int | None = None
    standard: str | None = (
        None  # e.g. "real risk of significant harm", "likely to result in a risk"
    )


class Triggers(Strict):
    """Which exposed data triggers the rule: any one combination, all elements of it."""

    any_of: tuple[tuple[str, ...], ...] = Field(min_length=1)
    excludes_publicly_available: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _known_elements(self) -> Triggers:
        known = {e.value for e in DataElement}
        for combination in self.any_of:
            unknown = [e for e in combination if e not in known]
            if unknown or not combination:
                raise ValueError(f"unknown data element(s) {unknown} in triggers.any_of")
        return self


class Applicability(Strict):
    """Whom the rule binds, by organisation flags recorded as incident facts."""

    requires_flags: tuple[str, ...] = ()  # e.g. hipaa_covered_entity, sec_registrant
    # jurisdiction whose residents count (default: the rule's); "*" counts everyone, anywhere
    residents_of: str | None = None
    note: str | None = None


class Rule(Strict):
    """One regime of one jurisdiction, in one version."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    jurisdiction: str = Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$|^EU$")
    title: str
    citations: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = ()  # where the text was read: official code sites, regulator pages
    as_of: date
    effective_from: date
    effective_to: date | None = None
    applies: Applicability = Applicability()
    triggers: Triggers
    exemptions_encryption: Encryption | None = None
    risk_of_harm: RiskOfHarm = RiskOfHarm()
    notices: tuple[Notice, ...] = Field(min_length=1)
    timezone: str  # IANA zone for local due times, e.g. America/Los_Angeles
    holidays: str | None = None  # `holidays` package country[-subdivision], e.g. US-CA, GB, FR
    law_enforcement_delay: bool = False  # the statute lets law enforcement delay notice
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _dates(self) -> Rule:
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            raise ValueError("effective_to must be after effective_from")
        return self


class Authority(Strict):
    """A regulator of one jurisdiction for one regime (e.g. a GDPR supervisory authority)."""

    jurisdiction: str = Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
    regime: str  # rule id prefix it serves, e.g. "eu-gdpr"
    contact: Contact


class AuthorityList(Strict):
    """A file of authorities (``rules/data/authorities/*.yaml``)."""

    as_of: date
    sources: tuple[str, ...] = Field(min_length=1)
    authorities: tuple[Authority, ...] = Field(min_length=1)
