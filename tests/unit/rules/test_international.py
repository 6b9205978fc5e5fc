"""International breach-notification regimes and the EEA supervisory-authority directory.

Expectations come from the statute or regulation text; each test cites it. Rule files only, no
engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rulefiles import DATA, MY_STATES, load_rule, notices_to, only_notice, triggered_by

from breachdesk.rules.model import AuthorityList, Clock, Recipient, Rule

R = Recipient
FOLDER = DATA / "intl"

EEA = {
    # the 27 EU member states
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    # EEA EFTA states
    "IS", "LI", "NO",
}  # fmt: skip


def intl(name: str) -> Rule:
    return load_rule(FOLDER / name)


def test_every_international_file_validates_with_unique_ids() -> None:
    rules = [load_rule(p) for p in sorted(FOLDER.glob("*.yaml"))]
    assert len(rules) >= 10
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert str(rule.as_of) == "2026-11-01"
        assert rule.citations
        assert rule.sources


def test_ids_unique_across_all_my_folders() -> None:
    paths = [
        *FOLDER.glob("*.yaml"),
        *(DATA / "us-federal").glob("*.yaml"),
        *(DATA / "us" / f"us-{code.lower()}.yaml" for code in MY_STATES),
    ]
    ids = [load_rule(p).id for p in paths]
    assert len(ids) == len(set(ids))


def test_gdpr_art33_72_hours_unless_unlikely_to_result_in_a_risk() -> None:
    """GDPR Art. 33(1): not later than 72 hours after becoming aware; Art. 33(5) documentation."""
    rule = intl("eu-gdpr-art33.yaml")
    assert rule.jurisdiction == "EU"
    notice = only_notice(rule, R.REGULATOR)
    assert notice.deadline.within is not None
    assert notice.deadline.within.hours == 72
    assert notice.deadline.without_unreasonable_delay  # "without undue delay and, where feasible"
    assert notice.deadline.from_ == Clock.DISCOVERY
    assert notice.threshold is None  # one data subject suffices
    assert rule.risk_of_harm.allowed
    assert rule.risk_of_harm.must_document
    assert rule.risk_of_harm.standard is not None
    assert "unlikely to result in a risk to the rights and freedoms" in rule.risk_of_harm.standard
    assert "dpo_contact" in notice.content  # Art. 33(3)(b)
    assert "likely_consequences" in notice.content  # Art. 33(3)(c)
    assert triggered_by(rule, "email")


def test_gdpr_art34_high_risk_and_encryption_exemption() -> None:
    """GDPR Art. 34(1) 'high risk', without undue delay; Art. 34(3)(a) unintelligible data."""
    rule = intl("eu-gdpr-art34.yaml")
    notice = only_notice(rule, R.INDIVIDUALS)
    assert notice.deadline.within is None
    assert notice.deadline.without_unreasonable_delay
    assert notice.deadline.target is not None
    assert rule.risk_of_harm.standard is not None
    assert "high risk" in rule.risk_of_harm.standard
    assert rule.exemptions_encryption is not None
    assert rule.exemptions_encryption.safe_harbor
    assert rule.exemptions_encryption.unless_key_exposed
    assert notice.substitute_notice is not None  # Art. 34(3)(c) public communication


def test_gdpr_processor_tells_the_controller_whatever_the_risk() -> None:
    """GDPR Art. 33(2): the processor notifies the controller without undue delay."""
    rule = intl("eu-gdpr-art33-processor.yaml")
    assert rule.applies.requires_flags == ("gdpr_processor",)
    assert only_notice(rule, R.DATA_OWNER).deadline.without_unreasonable_delay
    assert rule.risk_of_harm.allowed is False


def test_uk_gdpr_ico_72_hours_and_individuals_on_high_risk() -> None:
    """UK GDPR Art. 33(1) and 34(1)."""
    art33 = intl("gb-uk-gdpr-art33.yaml")
    assert art33.jurisdiction == "GB"
    ico = only_notice(art33, R.REGULATOR)
    assert ico.deadline.within is not None
    assert ico.deadline.within.hours == 72
    assert ico.contact is not None
    assert "Information Commissioner" in ico.contact.name
    art34 = intl("gb-uk-gdpr-art34.yaml")
    assert art34.risk_of_harm.standard is not None
    assert "high risk" in art34.risk_of_harm.standard
    assert only_notice(art34, R.INDIVIDUALS).deadline.without_unreasonable_delay


def test_pipeda_real_risk_of_significant_harm_and_24_month_records() -> None:
    """PIPEDA s. 10.1(1)-(3): as soon as feasible after determination; s. 10.3 and
    SOR/2018-64 s. 6: records kept 24 months."""
    rule = intl("ca-pipeda.yaml")
    assert rule.jurisdiction == "CA"
    assert rule.risk_of_harm.standard is not None
    assert "real risk of significant harm" in rule.risk_of_harm.standard
    assert rule.risk_of_harm.retain_years == 2
    assert rule.risk_of_harm.must_document
    individuals = only_notice(rule, R.INDIVIDUALS)
    assert individuals.deadline.within is None
    assert individuals.deadline.from_ == Clock.DETERMINATION
    opc = notices_to(rule, R.REGULATOR)[0]
    assert opc.contact is not None
    assert "Privacy Commissioner" in opc.contact.name


def test_australia_ndb_serious_harm_commissioner_before_individuals() -> None:
    """Privacy Act 1988 s 26WE (serious harm), s 26WK then s 26WL, s 26WH 30-day assessment."""
    rule = intl("au-ndb.yaml")
    assert rule.risk_of_harm.standard is not None
    assert "serious harm" in rule.risk_of_harm.standard
    oaic = only_notice(rule, R.REGULATOR)
    assert oaic.deadline.from_ == Clock.ASSESSMENT
    assert oaic.deadline.without_unreasonable_delay  # "as soon as practicable"
    individuals = only_notice(rule, R.INDIVIDUALS)
    assert R.REGULATOR in individuals.after
    assert any("30 days" in note for note in rule.notes)


def test_brazil_three_business_days_to_anpd_and_data_subjects() -> None:
    """Res. CD/ANPD 15/2024 art. 6 and art. 9: three business days from knowledge."""
    rule = intl("br-lgpd.yaml")
    assert rule.holidays == "BR"
    for recipient in (R.REGULATOR, R.INDIVIDUALS):
        deadline = only_notice(rule, recipient).deadline
        assert deadline.within is not None
        assert deadline.within.days == 3
        assert deadline.within.business_days
    assert rule.risk_of_harm.retain_years == 5  # Res. 15 art. 10


def test_singapore_three_calendar_days_after_assessment_and_500_individuals() -> None:
    """PDPA s 26D(1): 3 calendar days after assessing; Regulations 2021 reg 4: not fewer
    than 500 affected individuals."""
    harm = intl("sg-pdpa-significant-harm.yaml")
    pdpc = only_notice(harm, R.REGULATOR)
    assert pdpc.deadline.within is not None
    assert pdpc.deadline.within.days == 3
    assert not pdpc.deadline.within.business_days
    assert pdpc.deadline.from_ == Clock.ASSESSMENT
    assert R.REGULATOR in only_notice(harm, R.INDIVIDUALS).after  # s 26D(2): on or after
    scale = intl("sg-pdpa-significant-scale.yaml")
    threshold = only_notice(scale, R.REGULATOR).threshold
    assert threshold is not None
    assert (threshold.op, threshold.value, threshold.counts) == (">=", 500, "total")
    assert notices_to(scale, R.INDIVIDUALS) == []  # scale alone: Commission only


def test_india_dpdp_board_72_hours_and_every_data_principal() -> None:
    """DPDP Rules 2025 rule 7(1) and 7(2)(b): detailed report within 72 hours."""
    rule = intl("in-dpdp.yaml")
    hours = [n.deadline.within.hours for n in notices_to(rule, R.REGULATOR) if n.deadline.within]
    assert hours == [72]
    assert only_notice(rule, R.INDIVIDUALS).threshold is None
    assert rule.risk_of_harm.allowed is False  # every breach is intimated
    assert rule.exemptions_encryption is None


def test_japan_appi_final_report_30_or_60_days_and_over_1000() -> None:
    """APPI Art. 26; PPC Rules art. 7(iv) 'more than 1,000'; art. 8(2) 30/60 days."""
    finals = [
        n.deadline.within.days
        for n in notices_to(intl("jp-appi-sensitive.yaml"), R.REGULATOR)
        if n.deadline.within
    ]
    assert finals == [30]
    scale = intl("jp-appi-scale.yaml")
    threshold = notices_to(scale, R.REGULATOR)[0].threshold
    assert threshold is not None
    assert (threshold.op, threshold.value) == (">", 1000)
    wrongful = intl("jp-appi-wrongful-purpose.yaml")
    assert [
        n.deadline.within.days for n in notices_to(wrongful, R.REGULATOR) if n.deadline.within
    ] == [60]
    sensitive = intl("jp-appi-sensitive.yaml")
    assert triggered_by(sensitive, "medical")
    assert not triggered_by(sensitive, "email")
    assert sensitive.exemptions_encryption is not None
    assert sensitive.exemptions_encryption.unless_key_exposed


def _authorities() -> AuthorityList:
    raw: Any = yaml.safe_load(Path(DATA / "authorities" / "eea.yaml").read_text("utf-8"))
    return AuthorityList.model_validate(raw)


def test_eea_authority_list_covers_all_30_eea_states_once() -> None:
    authorities = _authorities().authorities
    jurisdictions = [a.jurisdiction for a in authorities]
    assert set(jurisdictions) == EEA
    assert len(jurisdictions) == len(EEA) == 30
    for authority in authorities:
        assert authority.regime == "eu-gdpr"
        assert authority.contact.url is not None
        assert authority.contact.url.startswith("https://")


def test_india_cert_in_six_hours_in_force_today() -> None:
    """CERT-In Directions of 28 April 2022, direction (ii): report within 6 hours of noticing."""
    rule = intl("in-cert-in.yaml")
    deadline = only_notice(rule, R.REGULATOR).deadline
    assert deadline.within is not None
    assert deadline.within.hours == 6
    assert deadline.from_ == Clock.DISCOVERY
    assert (
        rule.effective_from.isoformat()
        < "2026-11-01"
        < intl("in-dpdp.yaml").effective_from.isoformat()
    )


def test_brazil_public_notice_when_individual_notice_impossible() -> None:
    """Res. CD/ANPD 15/2024: public communication for at least 90 days."""
    notice = only_notice(intl("br-lgpd.yaml"), R.INDIVIDUALS)
    assert notice.substitute_notice is not None
    assert notice.substitute_notice.text is not None
    assert "90 days" in notice.substitute_notice.text
