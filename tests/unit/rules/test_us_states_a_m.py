"""Rule data for US states Alabama-Missouri, DC, Puerto Rico, Guam and the US Virgin Islands.

Each test states what the statute says (section cited) and checks that the rule file encodes it.
The files are validated with the strict schema directly, independent of the engine.
"""

from __future__ import annotations

import itertools
import zoneinfo
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path

import holidays
import pytest
import yaml

from breachdesk.rules.model import Clock, Notice, Recipient, Rule

DATA = Path(__file__).parents[3] / "src" / "breachdesk" / "rules" / "data" / "us"
AS_OF = date(2026, 11, 1)

#: Jurisdictions this file covers (upper-case suffix of ISO 3166-2 US-XX).
CODES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "DC",
    "PR",
    "GU",
    "VI",
]
MINE = tuple(sorted(DATA.glob("us-*.yaml")))
MINE = tuple(p for p in MINE if p.stem[3:5].upper() in CODES)

#: The shared vocabulary of notice content items.
CONTENT_ITEMS = frozenset(
    {
        "incident_description",
        "data_elements",
        "date_of_breach",
        "date_range",
        "date_of_notice",
        "contact_information",
        "notifying_entity_name",
        "cra_contact_information",
        "ftc_contact_information",
        "ag_contact_information",
        "credit_freeze_advice",
        "fraud_alert_advice",
        "remediation_steps",
        "individual_protection_steps",
        "toll_free_numbers",
        "law_enforcement_delay_statement",
        "identity_theft_services_offer",
        "vigilance_advice",
        "password_change_advice",
        "police_report_right",
        "number_affected",
        "copy_of_individual_notice",
        "services_offered",
        "wisp_statement",
        "regulator_reporting_statement",
    }
)


@cache
def _load_path(path: Path) -> Rule:
    return Rule.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def load(name: str) -> Rule:
    """The rule in ``data/us/<name>.yaml``."""
    return _load_path(DATA / f"{name}.yaml")


def notice(rule: Rule, recipient: str) -> Notice:
    """The single notice of ``rule`` to ``recipient``."""
    found = [n for n in rule.notices if n.recipient == Recipient(recipient)]
    assert len(found) == 1, f"{rule.id}: {len(found)} notices to {recipient}"
    return found[0]


def has(rule: Rule, recipient: str) -> bool:
    return any(n.recipient == Recipient(recipient) for n in rule.notices)


def triggered(rule: Rule, elements: Iterable[str]) -> bool:
    """Whether exposing ``elements`` together meets one trigger combination."""
    exposed = set(elements)
    return any(set(combination) <= exposed for combination in rule.triggers.any_of)


def days(n: Notice) -> int | None:
    return n.deadline.within.days if n.deadline.within is not None else None


def clock(n: Notice) -> tuple[int | None, str]:
    """Days allowed (None: without unreasonable delay) and the fact they count from."""
    return days(n), n.deadline.from_.value


def subst(n: Notice) -> tuple[int | None, int | None] | None:
    """Substitute-notice cost and count limits."""
    s = n.substitute_notice
    return (s.cost_over, s.count_over) if s is not None else None


def harm(rule: Rule) -> tuple[bool, bool, bool, int | None]:
    """Risk-of-harm exemption: allowed, documented, sent to the regulator, years kept."""
    r = rule.risk_of_harm
    return r.allowed, r.must_document, r.notify_regulator_of_determination, r.retain_years


def key_voids_safe_harbour(rule: Rule) -> bool:
    """Encrypted data is exempt, unless the key was exposed too."""
    e = rule.exemptions_encryption
    return e is not None and e.safe_harbor and e.unless_key_exposed


def threshold(n: Notice) -> tuple[str, int] | None:
    return (n.threshold.op, n.threshold.value) if n.threshold is not None else None


# ---------------------------------------------------------------- whole folder


@pytest.mark.parametrize("path", MINE, ids=lambda p: p.name)
def test_every_file_validates_and_is_well_formed(path: Path) -> None:
    rule = _load_path(path)
    code = path.stem[3:5].upper()
    assert rule.jurisdiction == f"US-{code}"
    assert rule.id == f"us-{code.lower()}-breach-notification"
    assert rule.as_of == AS_OF
    assert rule.effective_from <= AS_OF
    assert rule.sources
    assert rule.citations
    zoneinfo.ZoneInfo(rule.timezone)
    assert rule.holidays == f"US-{code}"
    assert code in holidays.list_supported_countries()["US"]
    assert has(rule, "individuals")
    for n in rule.notices:
        assert n.citation, f"{rule.id}: notice to {n.recipient} cites no section"
        assert set(n.content) <= CONTENT_ITEMS, set(n.content) - CONTENT_ITEMS
        if n.recipient in {Recipient.ATTORNEY_GENERAL, Recipient.REGULATOR} and n.when is None:
            assert n.contact is not None, f"{rule.id}: regulator notice without contact"
    assert any("Not legal advice" in note for note in rule.notes)


def test_every_jurisdiction_has_exactly_one_version_in_force_on_as_of() -> None:
    in_force: dict[str, list[str]] = {}
    for path in MINE:
        rule = _load_path(path)
        if rule.effective_from <= AS_OF < (rule.effective_to or date.max):
            in_force.setdefault(rule.jurisdiction, []).append(path.name)
    assert sorted(in_force) == sorted(f"US-{c}" for c in CODES)
    assert all(len(files) == 1 for files in in_force.values()), in_force


def test_ids_are_unique_and_versions_do_not_overlap() -> None:
    by_id: dict[str, list[Rule]] = {}
    for path in MINE:
        rule = _load_path(path)
        by_id.setdefault(rule.id, []).append(rule)
    for rule_id, versions in by_id.items():
        ordered = sorted(versions, key=lambda r: r.effective_from)
        for before, after in itertools.pairwise(ordered):
            assert before.effective_to is not None, rule_id
            assert before.effective_to <= after.effective_from, rule_id


def test_a_typo_in_a_key_fails_validation() -> None:
    data = yaml.safe_load((DATA / "us-al.yaml").read_text(encoding="utf-8"))
    data["notices"][0]["threshhold"] = {"op": ">", "value": 1}
    with pytest.raises(ValueError, match="threshhold"):
        Rule.model_validate(data)


# ---------------------------------------------------------------- per jurisdiction


def test_alabama() -> None:
    """Ala. Code § 8-38-2(6), § 8-38-5 to -7: 45 days; AG and CRAs over 1,000."""
    rule = load("us-al")
    assert triggered(rule, ["person_name", "ssn"])
    assert triggered(rule, ["person_name", "payment_card", "card_expiry"])  # "expiration date"
    assert not triggered(rule, ["ssn"])  # only with the name
    assert not triggered(rule, ["username", "password"])  # Alabama lists credentials with the name
    ind, ag = notice(rule, "individuals"), notice(rule, "attorney_general")
    cra = notice(rule, "consumer_reporting_agencies")
    assert days(ind) == 45
    assert ind.deadline.from_ is Clock.DETERMINATION
    assert threshold(ag) == (">", 1000)
    assert days(ag) == 45
    assert threshold(cra) == (">", 1000)
    assert days(notice(rule, "data_owner")) == 10  # § 8-38-8: third-party agent, 10 days
    assert rule.exemptions_encryption is not None
    assert rule.exemptions_encryption.unless_key_exposed
    assert rule.risk_of_harm.allowed
    assert rule.risk_of_harm.must_document
    assert rule.risk_of_harm.retain_years == 5  # § 8-38-5(c)
    sub = ind.substitute_notice
    assert sub is not None
    assert (sub.cost_over, sub.count_over) == (500_000, 100_000)
    assert rule.law_enforcement_delay


def test_alaska() -> None:
    """Alaska Stat. § 45.48.010(b)-(c), § 45.48.040, § 45.48.090(7)."""
    rule = load("us-ak")
    assert triggered(rule, ["person_name", "drivers_license"])
    assert triggered(rule, ["person_name", "bank_account"])  # number alone unless a code is needed
    assert not triggered(rule, ["email", "password"])
    ind = notice(rule, "individuals")
    assert days(ind) is None
    assert ind.deadline.without_unreasonable_delay
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    # no-harm determination: written, five years, and notified to the AG
    roh = rule.risk_of_harm
    assert roh.allowed
    assert roh.must_document
    assert roh.notify_regulator_of_determination
    assert roh.retain_years == 5
    sub = ind.substitute_notice
    assert sub is not None
    assert (sub.cost_over, sub.count_over) == (150_000, 300_000)


def test_arizona() -> None:
    """Ariz. Rev. Stat. § 18-552(B): 45 days after determination; AG and CRAs over 1,000."""
    rule = load("us-az")
    assert triggered(rule, ["username", "password"])  # § 18-551(11)(b): credentials alone
    assert triggered(rule, ["person_name", "biometric"])
    assert triggered(rule, ["person_name", "tax_id"])
    assert not triggered(rule, ["person_name", "email"])
    ind = notice(rule, "individuals")
    assert days(ind) == 45
    assert ind.deadline.from_ is Clock.DETERMINATION
    for recipient in ("attorney_general", "consumer_reporting_agencies"):
        n = notice(rule, recipient)
        assert threshold(n) == (">", 1000)
        assert days(n) == 45
    assert rule.risk_of_harm.allowed  # § 18-552(J): no substantial economic loss
    sub = ind.substitute_notice
    assert sub is not None
    assert (sub.cost_over, sub.count_over) == (50_000, 100_000)


def test_arkansas() -> None:
    """Ark. Code § 4-110-105: AG over 1,000 at the earlier of notice or 45 days; 5-year record."""
    rule = load("us-ar")
    assert triggered(rule, ["person_name", "biometric"])  # Act 1030 of 2019
    assert triggered(rule, ["person_name", "medical"])
    assert not triggered(rule, ["email", "password"])
    ag = notice(rule, "attorney_general")
    assert threshold(ag) == (">", 1000)
    assert days(ag) == 45
    assert ag.deadline.from_ is Clock.DETERMINATION
    assert not has(rule, "consumer_reporting_agencies")
    roh = rule.risk_of_harm
    assert roh.allowed
    assert roh.must_document
    assert roh.retain_years == 5
    assert not roh.notify_regulator_of_determination  # only on request


def test_california_before_and_after_sb_446() -> None:
    """Civ. Code § 1798.82(a), (f): AG sample copy over 500; SB 446 adds 30 days and 15 days."""
    old, new = load("us-ca-2025"), load("us-ca")
    assert old.id == new.id
    assert old.effective_to == new.effective_from == date(2026, 1, 1)
    for rule in (old, new):
        assert triggered(rule, ["email", "security_answer"])  # § 1798.82(h)(2)
        assert triggered(rule, ["person_name", "genetic"])
        assert triggered(rule, ["person_name", "vehicle_id"])  # ALPR data
        assert not triggered(rule, ["ssn"])
        ag = notice(rule, "attorney_general")
        assert threshold(ag) == (">", 500)  # "more than 500 California residents"
        assert ag.after == (Recipient.INDIVIDUALS,)
        assert ag.deadline.from_ is Clock.NOTICE_TO_INDIVIDUALS
        assert not rule.risk_of_harm.allowed
        assert rule.exemptions_encryption is not None
        assert rule.exemptions_encryption.unless_key_exposed
    assert days(notice(old, "individuals")) is None
    assert days(notice(new, "individuals")) == 30
    assert days(notice(new, "attorney_general")) == 15
    assert notice(new, "attorney_general").citation == "Cal. Civ. Code § 1798.82(f)"
    assert "law_enforcement_delay_statement" in notice(new, "individuals").content


def test_colorado() -> None:
    """C.R.S. § 6-1-716(2): 30 days after determination; AG at 500 or more; CRAs over 1,000."""
    rule = load("us-co")
    assert triggered(rule, ["payment_card", "card_security_code"])  # account number alone
    assert triggered(rule, ["person_name", "passport"])
    ind, ag = notice(rule, "individuals"), notice(rule, "attorney_general")
    assert days(ind) == 30
    assert ind.deadline.from_ is Clock.DETERMINATION
    assert threshold(ag) == (">=", 500)
    assert days(ag) == 30
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    assert rule.risk_of_harm.allowed
    sub = ind.substitute_notice
    assert sub is not None
    assert (sub.cost_over, sub.count_over) == (250_000, 250_000)


def test_connecticut() -> None:
    """Conn. Gen. Stat. § 36a-701b(b): 60 days after discovery; AG no later than the residents."""
    rule = load("us-ct")
    assert triggered(rule, ["username", "password"])
    assert triggered(rule, ["person_name", "tax_id"])
    ind, ag = notice(rule, "individuals"), notice(rule, "attorney_general")
    assert days(ind) == 60
    assert ind.deadline.from_ is Clock.DISCOVERY
    assert ag.threshold is None  # any Connecticut resident
    assert "identity_theft_services_offer" in ind.content  # 24 months for SSN/TIN
    assert rule.risk_of_harm.allowed


def test_delaware() -> None:
    """6 Del. C. § 12B-102: 60 days after determination; AG if more than 500 residents."""
    rule = load("us-de")
    assert triggered(rule, ["person_name", "email", "password"])
    assert not triggered(rule, ["email", "password"])  # combined with the name in Delaware
    assert triggered(rule, ["person_name", "tax_id"])
    ind, ag = notice(rule, "individuals"), notice(rule, "attorney_general")
    assert days(ind) == 60
    assert ind.deadline.from_ is Clock.DETERMINATION
    assert threshold(ag) == (">", 500)
    assert not has(rule, "consumer_reporting_agencies")
    sub = ind.substitute_notice
    assert sub is not None
    assert (sub.cost_over, sub.count_over) == (75_000, 100_000)
    assert rule.exemptions_encryption is not None
    assert rule.exemptions_encryption.unless_key_exposed  # § 12B-101(1)


def test_florida() -> None:
    """Fla. Stat. § 501.171(3)-(5): 30 days; Department at 500 or more; CRAs over 1,000."""
    rule = load("us-fl")
    assert triggered(rule, ["email", "password"])
    ind, dept = notice(rule, "individuals"), notice(rule, "regulator")
    assert days(ind) == 30
    assert ind.deadline.from_ is Clock.DETERMINATION
    assert threshold(dept) == (">=", 500)
    assert days(dept) == 30
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    assert days(notice(rule, "data_owner")) == 10  # § 501.171(6)
    roh = rule.risk_of_harm
    assert roh.allowed
    assert roh.must_document
    assert roh.notify_regulator_of_determination
    assert roh.retain_years == 5


def test_georgia() -> None:
    """O.C.G.A. § 10-1-912: information brokers only; CRAs over 10,000; agents within 24 hours."""
    rule = load("us-ga")
    assert rule.applies.requires_flags == ("information_broker_or_data_collector",)
    assert triggered(rule, ["person_name", "password"])  # "account passwords or PINs"
    assert not triggered(rule, ["email", "password"])
    ind = notice(rule, "individuals")
    assert clock(ind) == (None, "discovery")
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 10_000)
    owner = notice(rule, "data_owner").deadline.within
    assert owner is not None
    assert owner.hours == 24
    assert not rule.risk_of_harm.allowed
    assert subst(ind) == (50_000, 100_000)


def test_hawaii() -> None:
    """HRS § 487N-2: OCP and CRAs if more than 1,000 persons at one time; harm-based definition."""
    rule = load("us-hi")
    assert triggered(rule, ["person_name", "bank_account"])
    assert not triggered(rule, ["person_name", "medical"])
    ocp = notice(rule, "regulator")
    assert threshold(ocp) == (">", 1000)
    assert ocp.contact is not None
    assert "Office of Consumer Protection" in ocp.contact.name
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    assert harm(rule)[0]
    assert subst(notice(rule, "individuals")) == (100_000, 200_000)


def test_idaho() -> None:
    """Idaho Code § 28-51-105: no fixed days; agencies tell the AG within 24 hours."""
    rule = load("us-id")
    assert triggered(rule, ["person_name", "ssn"])
    assert not triggered(rule, ["username", "password"])
    assert clock(notice(rule, "individuals")) == (None, "discovery")
    ag = notice(rule, "attorney_general")
    assert ag.when is not None  # public agencies only
    assert ag.deadline.within is not None
    assert ag.deadline.within.hours == 24
    assert harm(rule)[0]
    assert subst(notice(rule, "individuals")) == (25_000, 50_000)


def test_illinois() -> None:
    """815 ILCS 530/10: AG if more than 500 residents, no later than consumers; no harm test."""
    rule = load("us-il")
    assert triggered(rule, ["person_name", "payment_card"])  # number alone with the name
    assert triggered(rule, ["username", "security_answer"])
    assert triggered(rule, ["person_name", "biometric"])
    ag = notice(rule, "attorney_general")
    assert threshold(ag) == (">", 500)
    assert not has(rule, "consumer_reporting_agencies")
    assert harm(rule) == (False, False, False, None)
    assert key_voids_safe_harbour(rule)  # keys acquired: still a breach
    assert "credit_freeze_advice" in notice(rule, "individuals").content


def test_indiana() -> None:
    """Ind. Code § 24-4.9-3-3: 45 days after discovery; AG always; CRAs over 1,000; SSN alone."""
    rule = load("us-in")
    assert triggered(rule, ["ssn"])  # § 24-4.9-2-10(1): SSN alone
    assert triggered(rule, ["person_name", "payment_card"])  # credit card number with the name
    assert not triggered(rule, ["person_name", "bank_account"])  # needs a code
    assert clock(notice(rule, "individuals")) == (45, "discovery")
    assert notice(rule, "attorney_general").threshold is None
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    assert key_voids_safe_harbour(rule)


def test_iowa() -> None:
    """Iowa Code § 715C.2(8): AG within 5 business days after consumer notice if over 500."""
    rule = load("us-ia")
    assert triggered(rule, ["person_name", "biometric"])
    assert triggered(rule, ["person_name", "routing_number", "password"])
    ag = notice(rule, "attorney_general")
    assert threshold(ag) == (">", 500)
    assert clock(ag) == (5, "notice_to_individuals")
    assert ag.deadline.within is not None
    assert ag.deadline.within.business_days
    assert harm(rule) == (True, True, False, 5)  # § 715C.2(6): written, five years
    assert subst(notice(rule, "individuals")) == (250_000, 350_000)


def test_kansas() -> None:
    """K.S.A. 50-7a02: account number alone or with code; CRAs over 1,000; no AG."""
    rule = load("us-ks")
    assert triggered(rule, ["person_name", "bank_account"])  # "alone or in combination"
    assert not has(rule, "attorney_general")
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    assert harm(rule)[0]
    assert subst(notice(rule, "individuals")) == (100_000, 5_000)


def test_kentucky() -> None:
    """KRS 365.732(2), (7): no fixed days; CRAs over 1,000; identity-theft-or-fraud standard."""
    rule = load("us-ky")
    assert triggered(rule, ["person_name", "drivers_license"])
    assert not triggered(rule, ["person_name", "medical"])
    assert clock(notice(rule, "individuals")) == (None, "discovery")
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    assert not has(rule, "attorney_general")
    assert harm(rule)[0]


def test_louisiana() -> None:
    """La. R.S. 51:3074(E), LAC 16:III.701: 60 days; AG within 10 days of the resident notice."""
    rule = load("us-la")
    assert triggered(rule, ["person_name", "passport"])
    assert triggered(rule, ["person_name", "biometric"])
    assert clock(notice(rule, "individuals")) == (60, "discovery")
    ag = notice(rule, "attorney_general")
    assert clock(ag) == (10, "notice_to_individuals")
    assert ag.threshold is None
    assert days(notice(rule, "data_owner")) == 10
    assert harm(rule) == (True, True, False, 5)  # R.S. 51:3074(I)
    assert subst(notice(rule, "individuals")) == (100_000, 100_000)


def test_maine() -> None:
    """10 M.R.S. § 1348(1), (4), (5): 30 days; regulator or AG; CRAs over 1,000."""
    rule = load("us-me")
    assert triggered(rule, ["person_name", "password"])  # account passwords, PINs
    assert clock(notice(rule, "individuals")) == (30, "discovery")
    assert notice(rule, "attorney_general").threshold is None
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    assert subst(notice(rule, "individuals")) == (5_000, 1_000)
    assert harm(rule)[0]


def test_maryland() -> None:
    """Md. Com. Law § 14-3504(c), (g), (h): AG first; 45 days; CRAs at 1,000 or more."""
    rule = load("us-md")
    assert triggered(rule, ["email", "password"])
    assert triggered(rule, ["person_name", "genetic"])  # HB 962 (2022)
    ind = notice(rule, "individuals")
    assert clock(ind) == (45, "discovery")
    assert ind.after == (Recipient.ATTORNEY_GENERAL,)  # "prior to giving the notification"
    assert notice(rule, "attorney_general").threshold is None
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">=", 1000)  # "1,000 or more"
    assert days(notice(rule, "data_owner")) == 10
    assert harm(rule) == (True, True, False, 3)  # kept three years
    assert subst(ind) == (100_000, 175_000)
    assert key_voids_safe_harbour(rule)


def test_massachusetts() -> None:
    """M.G.L. c. 93H § 3: AG and OCABR as soon as practicable; account number, code or not."""
    rule = load("us-ma")
    assert triggered(rule, ["person_name", "bank_account"])  # "with or without any required code"
    assert not triggered(rule, ["email", "password"])
    ag, ocabr = notice(rule, "attorney_general"), notice(rule, "regulator")
    assert ag.threshold is None
    assert ocabr.threshold is None
    assert "wisp_statement" in ag.content
    ind = notice(rule, "individuals")
    assert clock(ind) == (None, "discovery")
    assert "number_affected" not in ind.content  # § 3(b): must not be included
    assert "police_report_right" in ind.content
    assert key_voids_safe_harbour(rule)
    # any known unauthorized acquisition or use requires notice, harm or not (§ 3(a)-(b))
    assert not harm(rule)[0]


def test_michigan() -> None:
    """MCL 445.72: without unreasonable delay; CRAs over 1,000; substantial-loss harm standard."""
    rule = load("us-mi")
    assert triggered(rule, ["person_name", "bank_account", "password"])
    assert not triggered(rule, ["person_name", "bank_account"])
    assert clock(notice(rule, "individuals")) == (None, "discovery")
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    assert not has(rule, "attorney_general")
    assert harm(rule)[0]
    assert key_voids_safe_harbour(rule)


def test_minnesota() -> None:
    """Minn. Stat. § 325E.61(2): CRAs within 48 hours when more than 500 persons; no harm test."""
    rule = load("us-mn")
    assert triggered(rule, ["person_name", "ssn"])
    cra = notice(rule, "consumer_reporting_agencies")
    assert threshold(cra) == (">", 500)
    assert cra.deadline.from_ is Clock.DETERMINATION
    assert cra.deadline.within is not None
    assert cra.deadline.within.hours == 48
    assert harm(rule) == (False, False, False, None)
    assert not has(rule, "attorney_general")


def test_mississippi() -> None:
    """Miss. Code § 75-24-29(3): without unreasonable delay; harm test; no AG or CRA notice."""
    rule = load("us-ms")
    assert triggered(rule, ["person_name", "drivers_license"])
    assert clock(notice(rule, "individuals")) == (None, "discovery")
    assert {n.recipient.value for n in rule.notices} == {"individuals", "data_owner"}
    assert harm(rule)[0]
    assert subst(notice(rule, "individuals")) == (5_000, 5_000)


def test_missouri() -> None:
    """Mo. Rev. Stat. § 407.1500.2(8): AG and CRAs when more than 1,000; five-year record."""
    rule = load("us-mo")
    assert triggered(rule, ["person_name", "medical"])
    assert triggered(rule, ["person_name", "routing_number", "password"])
    assert threshold(notice(rule, "attorney_general")) == (">", 1000)
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    assert harm(rule) == (True, True, False, 5)
    assert subst(notice(rule, "individuals")) == (100_000, 150_000)


def test_district_of_columbia() -> None:
    """D.C. Code § 28-3852(b), (c): OAG at 50 or more residents; CRAs over 1,000."""
    rule = load("us-dc")
    assert triggered(rule, ["phone", "ssn"])  # name, phone number or address
    assert triggered(rule, ["postal_address", "bank_account"])
    assert triggered(rule, ["person_name", "genetic"])
    assert triggered(rule, ["email", "password"])
    assert not triggered(rule, ["person_name", "email"])
    ag = notice(rule, "attorney_general")
    assert threshold(ag) == (">=", 50)  # "50 or more District residents"
    assert threshold(notice(rule, "consumer_reporting_agencies")) == (">", 1000)
    assert "identity_theft_services_offer" in notice(rule, "individuals").content  # 18 months
    assert harm(rule)[:3] == (True, False, True)  # consultation with the OAG
    assert subst(notice(rule, "individuals")) == (50_000, 100_000)
    assert key_voids_safe_harbour(rule)


def test_puerto_rico() -> None:
    """10 L.P.R.A. § 4052: DACO within 10 days of detection; citizens as soon as possible."""
    rule = load("us-pr")
    assert rule.timezone == "America/Puerto_Rico"
    assert triggered(rule, ["person_name", "bank_account"])  # "with or without passwords"
    assert triggered(rule, ["person_name", "username", "password"])
    assert triggered(rule, ["person_name", "medical"])
    daco = notice(rule, "regulator")
    assert clock(daco) == (10, "discovery")
    assert daco.threshold is None
    assert clock(notice(rule, "individuals")) == (None, "discovery")
    assert not rule.risk_of_harm.allowed
    assert subst(notice(rule, "individuals")) == (100_000, 100_000)


def test_guam() -> None:
    """9 GCA § 48.30: without unreasonable delay; identity-theft-or-fraud standard; no AG."""
    rule = load("us-gu")
    assert rule.timezone == "Pacific/Guam"
    assert triggered(rule, ["person_name", "ssn"])
    assert not triggered(rule, ["person_name", "medical"])
    assert clock(notice(rule, "individuals")) == (None, "discovery")
    assert not has(rule, "attorney_general")
    assert harm(rule)[0]
    assert subst(notice(rule, "individuals")) == (10_000, 5_000)


def test_us_virgin_islands() -> None:
    """14 V.I.C. § 2209: most expedient time without unreasonable delay; no harm test."""
    rule = load("us-vi")
    assert rule.timezone == "America/St_Thomas"
    assert triggered(rule, ["person_name", "drivers_license"])
    assert not triggered(rule, ["username", "password"])
    assert clock(notice(rule, "individuals")) == (None, "discovery")
    assert not rule.risk_of_harm.allowed
    assert subst(notice(rule, "individuals")) == (100_000, 50_000)


@pytest.mark.parametrize("path", MINE, ids=lambda p: p.name)
def test_key_exposure_and_harm_fields_are_consistent(path: Path) -> None:
    """Every rule states its safe harbour; a harm exemption always says what standard it uses."""
    rule = _load_path(path)
    assert rule.exemptions_encryption is not None
    if rule.risk_of_harm.allowed:
        assert rule.risk_of_harm.standard
    else:
        assert not rule.risk_of_harm.must_document
    assert all(rule.triggers.any_of)


# ---------------------------------------------------------------- boundary cases


def meets(n: Notice, count: int) -> bool:
    """Whether ``count`` affected people reach the notice's threshold, operator as written."""
    t = n.threshold
    if t is None:
        return count > 0
    return count > t.value if t.op == ">" else count >= t.value


@pytest.mark.parametrize(
    ("name", "recipient", "at", "owed_at", "owed_one_more"),
    [
        ("us-co", "attorney_general", 500, True, True),  # "500 Colorado residents or more"
        ("us-fl", "regulator", 500, True, True),  # "500 or more individuals in this state"
        ("us-dc", "attorney_general", 50, True, True),  # "50 or more District residents"
        ("us-md", "consumer_reporting_agencies", 1000, True, True),  # "1,000 or more"
        ("us-ca", "attorney_general", 500, False, True),  # "more than 500"
        ("us-il", "attorney_general", 500, False, True),  # "more than 500"
        ("us-ia", "attorney_general", 500, False, True),  # "more than five hundred"
        ("us-de", "attorney_general", 500, False, True),  # "exceeds 500"
        ("us-al", "attorney_general", 1000, False, True),  # "exceeds 1,000"
        ("us-az", "attorney_general", 1000, False, True),  # "more than 1,000"
        ("us-ar", "attorney_general", 1000, False, True),  # "more than 1,000"
        ("us-mo", "attorney_general", 1000, False, True),  # "more than 1,000"
        ("us-hi", "regulator", 1000, False, True),  # "more than 1,000 persons"
        ("us-mn", "consumer_reporting_agencies", 500, False, True),  # "more than 500"
        ("us-ga", "consumer_reporting_agencies", 10_000, False, True),  # "more than 10,000"
    ],
)
def test_threshold_exactly_at_the_value(
    name: str, recipient: str, at: int, owed_at: bool, owed_one_more: bool
) -> None:
    n = notice(load(name), recipient)
    assert meets(n, at) is owed_at
    assert meets(n, at + 1) is owed_one_more
    assert not meets(n, at - 1)


def exempt_by_encryption(rule: Rule, *, key_exposed: bool) -> bool:
    """Whether encrypted data is exempt, given whether the key was exposed too."""
    e = rule.exemptions_encryption
    if e is None or not e.safe_harbor:
        return False
    return not (key_exposed and e.unless_key_exposed)


@pytest.mark.parametrize("path", MINE, ids=lambda p: p.name)
def test_encrypted_data_is_exempt_only_while_the_key_is_safe(path: Path) -> None:
    """Every statute here exempts encrypted data; with the key exposed it is a breach."""
    rule = _load_path(path)
    assert exempt_by_encryption(rule, key_exposed=False)
    assert not exempt_by_encryption(rule, key_exposed=True)


#: Jurisdictions whose statute lets a (documented) no-harm determination remove the duty.
HARM_ALLOWED = frozenset(
    [
        "al",
        "ak",
        "az",
        "ar",
        "co",
        "ct",
        "de",
        "fl",
        "hi",
        "id",
        "in",
        "ia",
        "ks",
        "ky",
        "la",
        "me",
        "md",
        "mi",
        "ms",
        "mo",
        "dc",
        "gu",
    ]
)


@pytest.mark.parametrize("path", MINE, ids=lambda p: p.name)
def test_risk_of_harm_allowance_matches_the_statute(path: Path) -> None:
    """CA, IL, MN, MA, PR, VI and GA (brokers) owe notice whatever the harm; the others do not."""
    rule = _load_path(path)
    assert rule.risk_of_harm.allowed is (path.stem[3:5] in HARM_ALLOWED)
