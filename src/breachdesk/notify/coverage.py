"""Which required content items of the rules a template satisfies, read from its blocks."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jinja2 import Environment, nodes

from breachdesk.notify.message import Channel

#: Content item names used by rule files -> the one item the templates speak of.
SYNONYMS: dict[str, str] = {
    "nature_of_breach": "incident_description",
    "nature_of_incident": "incident_description",
    "preliminary_description": "incident_description",
    "scope_of_incident": "incident_description",
    "date_of_breach": "date_range",
    "approximate_date_of_breach": "date_range",
    "timing_of_incident": "date_range",
    "number_of_affected_individuals": "number_affected",
    "number_of_residents": "number_affected",
    "total_number_affected": "number_affected",
    "approximate_number_of_affected_persons": "number_affected",
    "approximate_number_of_data_subjects": "number_affected",
    "number_of_affected_consumers": "number_affected",
    "number_of_residents_notified": "number_affected",
    "remediation_steps": "measures_taken",
    "remediation_measures": "measures_taken",
    "recurrence_prevention": "measures_taken",
    "secondary_damage": "likely_consequences",
    "vigilance_advice": "steps_individuals_should_take",
    "individual_protection_steps": "steps_individuals_should_take",
    "password_change_advice": "steps_individuals_should_take",
    "credit_freeze_advice": "credit_protection_advice",
    "fraud_alert_advice": "credit_protection_advice",
    "security_freeze_instructions": "credit_protection_advice",
    "fraud_alert_and_security_freeze_instructions": "credit_protection_advice",
    "toll_free_numbers": "contact_information",
    "toll_free_telephone_number": "contact_information",
    "telephone_contact_information": "contact_information",
    "name_and_contact_information_of_notifying_person": "contact_information",
    "entity_identity_and_contact_details": "contact_information",
    "notifying_entity_name": "contact_information",
    "dpo_contact": "contact_information",
    "ftc_and_state_ag_contact_information": "agency_contact_information",
    "state_and_federal_agency_contacts": "agency_contact_information",
    "ag_contact_information": "agency_contact_information",
    "ftc_contact_information": "agency_contact_information",
    "fcra_rights": "consumer_rights",
    "police_report_right": "consumer_rights",
    "police_report_rights": "consumer_rights",
    "advice_to_report_identity_theft_to_law_enforcement_ag_and_ftc": "consumer_rights",
    "complaint_process_information": "consumer_rights",
    "identity_theft_services_offer": "services_offered",
    "remediation_services": "services_offered",
    "timing_of_notice": "notice_to_individuals",
    "distribution_of_notice": "notice_to_individuals",
    "method_of_distribution": "notice_to_individuals",
    "date_of_distribution": "notice_to_individuals",
    "anticipated_date_of_notice": "notice_to_individuals",
    "notification_plan": "notice_to_individuals",
    "status_of_notice": "notice_to_individuals",
    "notification_steps_taken": "notice_to_individuals",
    "report_on_individual_notices": "notice_to_individuals",
    "law_enforcement_delay_disclosure": "law_enforcement_delay_statement",
    "law_enforcement_delay_request": "law_enforcement_delay_statement",
    "reasons_for_delay": "law_enforcement_delay_statement",
}

#: Block (a macro of a locale's ``_blocks.j2``) -> the canonical items it satisfies.
CONTENT_ITEMS: dict[str, frozenset[str]] = {
    "what_happened": frozenset(
        {"incident_description", "date_range", "date_of_discovery", "root_cause"}
    ),
    "your_data": frozenset({"data_elements", "steps_individuals_should_take"}),
    "data_categories": frozenset({"data_elements", "steps_individuals_should_take"}),
    "notice_plan": frozenset({"notice_to_individuals"}),
    "regulator_intro": frozenset({"copy_of_individual_notice", "content_of_notice"}),
    "consequences": frozenset({"likely_consequences"}),
    "regulator_consequences": frozenset({"likely_consequences"}),
    "what_we_do": frozenset({"measures_taken", "services_offered"}),
    "credit_protection": frozenset({"credit_protection_advice", "cra_contact_information"}),
    "agencies": frozenset({"agency_contact_information", "consumer_rights"}),
    "delay": frozenset({"law_enforcement_delay_statement"}),
    "contact": frozenset({"contact_information"}),
    "other": frozenset({"other_information"}),
    "date_line": frozenset({"date_of_notice"}),
    "scale": frozenset({"number_affected"}),
}

#: Items a block shows only when an obligation requires them (or the facts call for them).
CREDIT_ITEMS = frozenset({"credit_protection_advice", "cra_contact_information"})
AGENCY_ITEMS = frozenset({"agency_contact_information", "consumer_rights"})


def canonical(items: Iterable[str]) -> frozenset[str]:
    """Rule content items mapped to the names the templates speak of."""
    return frozenset(SYNONYMS.get(item, item) for item in items)


def blocks_used(source: str, env: Environment) -> frozenset[str]:
    """Names of the ``b.<block>(...)`` calls in a template source."""
    tree = env.parse(source)
    return frozenset(
        call.node.attr
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Getattr)
        and isinstance(call.node.node, nodes.Name)
        and call.node.node.name == "b"
    )


def items_of(blocks: Iterable[str]) -> frozenset[str]:
    """Canonical content items satisfied by a set of blocks."""
    out: set[str] = set()
    for block in blocks:
        out |= CONTENT_ITEMS.get(block, frozenset())
    return frozenset(out)


def missing_content(
    channel: Channel,
    locale: str,
    required_items: Iterable[str],
    *,
    overrides: Path | None = None,
) -> set[str]:
    """Required items (as the rules name them) that a channel's template does not satisfy."""
    from breachdesk.notify.render import template_sources

    env, sources = template_sources(channel, locale, overrides=overrides)
    covered: frozenset[str] | None = None
    for source in sources:
        items = items_of(blocks_used(source, env))
        covered = items if covered is None else covered & items
    have = covered or frozenset()
    return {item for item in required_items if SYNONYMS.get(item, item) not in have}
