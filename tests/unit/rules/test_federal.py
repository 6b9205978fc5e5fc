"""US federal notification regimes (HIPAA, FTC Safeguards, SEC 8-K Item 1.05, NYDFS 500.17).

Expectations come from the regulation text; each test cites the section. Rule files only, no
engine.
"""

from __future__ import annotations

from rulefiles import DATA, load_rule, notices_to, only_notice, triggered_by

from breachdesk.rules.model import Clock, Recipient, Rule

R = Recipient
FOLDER = DATA / "us-federal"


def federal(name: str) -> Rule:
    return load_rule(FOLDER / name)


def test_every_federal_file_validates_with_unique_ids() -> None:
    rules = [load_rule(p) for p in sorted(FOLDER.glob("*.yaml"))]
    assert len(rules) >= 4
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert str(rule.as_of) == "2026-11-01"
        assert rule.citations
        assert rule.sources
        assert rule.applies.requires_flags, "federal regimes bind by organisation type"


def test_hipaa_individuals_within_60_days_of_discovery() -> None:
    """45 CFR 164.404(b): without unreasonable delay, no later than 60 calendar days."""
    rule = federal("us-hipaa-breach-notification.yaml")
    assert rule.applies.requires_flags == ("hipaa_covered_entity",)
    deadline = only_notice(rule, R.INDIVIDUALS).deadline
    assert deadline.within is not None
    assert deadline.within.days == 60
    assert not deadline.within.business_days
    assert deadline.from_ == Clock.DISCOVERY
    assert deadline.without_unreasonable_delay
    assert triggered_by(rule, "medical")


def test_hipaa_hhs_at_500_or_more_media_above_500_per_state() -> None:
    """164.408(b): '500 or more individuals'; 164.406(a): 'more than 500 residents of a State'."""
    rule = federal("us-hipaa-breach-notification.yaml")
    hhs = only_notice(rule, R.REGULATOR)
    assert hhs.threshold is not None
    assert (hhs.threshold.op, hhs.threshold.value, hhs.threshold.counts) == (">=", 500, "total")
    media = only_notice(rule, R.MEDIA)
    assert media.threshold is not None
    assert (media.threshold.op, media.threshold.value) == (">", 500)
    assert media.threshold.counts == "residents"
    assert any("fewer than 500" in note for note in rule.notes), "annual log noted"


def test_hipaa_secured_phi_and_low_probability_of_compromise() -> None:
    """164.402: 'unsecured' PHI only; breach presumed unless a low probability is shown."""
    rule = federal("us-hipaa-breach-notification.yaml")
    assert rule.exemptions_encryption is not None
    assert rule.exemptions_encryption.safe_harbor
    assert rule.exemptions_encryption.unless_key_exposed
    assert rule.risk_of_harm.allowed
    assert rule.risk_of_harm.must_document
    assert rule.risk_of_harm.retain_years == 6  # 164.530(j)(2)
    assert rule.law_enforcement_delay  # 164.412


def test_hipaa_business_associate_tells_the_covered_entity() -> None:
    """45 CFR 164.410(b): no later than 60 calendar days after discovery."""
    rule = federal("us-hipaa-business-associate.yaml")
    notice = only_notice(rule, R.DATA_OWNER)
    assert notice.deadline.within is not None
    assert notice.deadline.within.days == 60
    assert notices_to(rule, R.INDIVIDUALS) == []


def test_ftc_safeguards_500_consumers_30_days() -> None:
    """16 CFR 314.4(j)(1): 'at least 500 consumers', 'no later than 30 days after discovery'."""
    rule = federal("us-ftc-safeguards.yaml")
    assert rule.applies.requires_flags == ("ftc_safeguards_financial_institution",)
    notice = only_notice(rule, R.REGULATOR)
    assert notice.threshold is not None
    assert (notice.threshold.op, notice.threshold.value, notice.threshold.counts) == (
        ">=",
        500,
        "total",
    )
    assert notice.deadline.within is not None
    assert notice.deadline.within.days == 30
    assert notice.deadline.from_ == Clock.DISCOVERY
    # 314.2(m): unencrypted information; encrypted counts if the key was acquired.
    assert rule.exemptions_encryption is not None
    assert rule.exemptions_encryption.unless_key_exposed
    assert rule.risk_of_harm.allowed is False  # no harm threshold in the final rule
    assert triggered_by(rule, "ssn")


def test_sec_item_1_05_four_business_days_after_materiality() -> None:
    """Form 8-K Item 1.05 and General Instruction B.1: four business days after determination."""
    rule = federal("us-sec-8k-item-1-05.yaml")
    assert rule.applies.requires_flags == ("sec_registrant",)
    assert rule.holidays == "US"
    deadline = only_notice(rule, R.REGULATOR).deadline
    assert deadline.within is not None
    assert deadline.within.days == 4
    assert deadline.within.business_days
    assert deadline.from_ == Clock.ASSESSMENT
    assert rule.exemptions_encryption is None, "materiality, not encryption, decides"
    assert triggered_by(rule, "email"), "any data exposure brings the rule into evaluation"


def test_nydfs_72_hours_from_determination() -> None:
    """23 NYCRR 500.17(a)(1): no later than 72 hours after determining an incident occurred."""
    rule = federal("us-ny-nydfs-500-17.yaml")
    assert rule.jurisdiction == "US-NY"
    assert rule.applies.requires_flags == ("nydfs_covered_entity",)
    deadline = only_notice(rule, R.REGULATOR).deadline
    assert deadline.within is not None
    assert deadline.within.hours == 72
    assert deadline.within.days is None
    assert deadline.from_ == Clock.DETERMINATION
    assert triggered_by(rule, "person_name", "ssn")
    assert triggered_by(rule, "medical")


def test_my_folders_pass_the_project_loader() -> None:
    """The loader also checks time zones and holiday calendars, with file and line."""
    from breachdesk.rules.loader import validate_folder

    for sub in ("us-federal", "intl", "authorities"):
        assert validate_folder(DATA / sub) == ()
