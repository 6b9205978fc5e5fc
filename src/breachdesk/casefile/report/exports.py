"""Regulator-ready exports of the report: GDPR Art. 33 content, VERIS 1.3 JSON, US AG CSV rows.

Pure mappings from :class:`IncidentReport`; the JSON Schemas ship next to this module."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from breachdesk.casefile.report.model import IncidentReport

VERIS_VERSION = "1.3.7"
#: The EU/EEA members' ISO codes; Art. 33 counts data subjects residing there.
_EEA = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)
#: Element -> VERIS data variety (attribute.confidentiality.data.variety).
_VERIS_DATA = {
    "password": "Credentials", "password_hash": "Credentials", "username": "Credentials",
    "security_answer": "Credentials", "api_key": "Credentials", "auth_token": "Credentials",
    "payment_card": "Payment", "card_security_code": "Payment", "card_expiry": "Payment",
    "bank_account": "Bank", "iban": "Bank", "routing_number": "Bank",
    "medical": "Medical", "health_insurance": "Medical", "genetic": "Medical",
}  # fmt: skip
#: Element -> a likely consequence for the people concerned (Art. 33(3)(c)).
_CONSEQUENCES = {
    "password": "account takeover, also on other services where the password was reused",
    "password_hash": "account takeover after offline cracking of weak passwords",
    "payment_card": "fraudulent card payments",
    "bank_account": "fraudulent debits and financial loss",
    "iban": "fraudulent direct debits",
    "ssn": "identity theft and fraudulent credit applications",
    "national_id": "identity theft",
    "passport": "identity theft",
    "date_of_birth": "identity theft combined with other leaked identifiers",
    "email": "phishing and spam targeting the people concerned",
    "phone": "smishing and unwanted calls",
    "postal_address": "unwanted mail and physical-world targeting",
    "medical": "discrimination and distress from disclosure of health data",
}


@dataclass(frozen=True, slots=True)
class ExportFacts:
    """What the case file does not hold: DPO contact, measures proposed, phasing."""

    dpo_name: str = ""
    dpo_email: str = ""
    dpo_phone: str = ""
    measures_proposed: tuple[str, ...] = ()
    further_information: str = ""


def schema(name: str) -> dict[str, Any]:
    """A shipped JSON Schema: ``gdpr-art33`` or ``veris``."""
    text = resources.files(__package__).joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at else None


def _day(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d") if at else ""


def _gdpr_notified(r: IncidentReport) -> tuple[datetime | None, datetime | None]:
    """(due, met) of the earliest supervisory-authority obligation of an EEA jurisdiction."""
    for o in r.obligations:
        if o.jurisdiction.split("-")[0] in _EEA | {"EU"} and o.recipient != "individuals":
            return o.due_at, o.met_at
    return None, None


def _measures_taken(r: IncidentReport) -> list[str]:
    taken = [f"{f.title} fixed and verified by re-test" for f in r.findings if f.fixed_at]
    if r.resets_total:
        taken.append(f"credential resets: {r.resets_done} of {r.resets_total} accounts done")
    if r.messages:
        taken.append(f"individual notices: {r.delivered} of {r.messages} delivered")
    taken += [d.decision for d in r.decisions]
    return taken


def gdpr_art33(r: IncidentReport, facts: ExportFacts) -> dict[str, Any]:
    """The content of an Art. 33 notification to a supervisory authority."""
    due, met = _gdpr_notified(r)
    eea = {k: n for k, n in r.by_jurisdiction if k.split("-")[0] in _EEA}
    late = met is not None and due is not None and met > due
    aware = r.discovered_at
    return {
        "format": "breachdesk/gdpr-art33/1",
        "reference": f"incident-{r.incident_id}",
        "controller": {
            "name": r.controller,
            "dpo": {"name": facts.dpo_name, "email": facts.dpo_email, "phone": facts.dpo_phone},
        },
        "nature": {
            "title": r.title,
            "description": r.summary,
            "breach_types": ["confidentiality"],
            "root_cause": [f"{f.title} ({f.location})" for f in r.root_causes],
            "occurred_from": _iso(r.occurred_from),
            "occurred_to": _iso(r.occurred_to),
            "ongoing": r.occurred_to is None and not any(f.fixed_at for f in r.root_causes),
        },
        "data_subjects": {
            "approximate_number": r.people,
            "in_eea": sum(eea.values()),
            "categories": ["customers"],
            "by_country": dict(sorted(eea.items())),
        },
        "personal_data_records": {
            "approximate_number": r.records,
            "categories": [e for e, _ in r.by_element],
        },
        "likely_consequences": sorted(
            {_CONSEQUENCES[e] for e, _ in r.by_element if e in _CONSEQUENCES}
        ),
        "measures": {"taken": _measures_taken(r), "proposed": list(facts.measures_proposed)},
        "communication_to_data_subjects": {
            "notices_total": r.messages,
            "notices_delivered": r.delivered,
        },
        "timing": {
            "became_aware_at": _iso(aware),
            "notification_due_at": _iso(due or aware + timedelta(hours=72)),
            "notified_at": _iso(met),
            "late": late,
            "reasons_for_delay": "" if not late else "see the decisions recorded in the report",
        },
        "phased": {
            "is_phased": bool(facts.further_information),
            "further_information": facts.further_information,
        },
        "generated_at": _iso(r.generated_at),
    }


def veris(r: IncidentReport) -> dict[str, Any]:
    """The incident as a VERIS 1.3 record (the fields breachdesk knows)."""
    start = r.occurred_from or r.discovered_at
    varieties: dict[str, int] = {}
    for element, n in r.by_element:
        kind = _VERIS_DATA.get(element, "Personal")
        varieties[kind] = max(varieties.get(kind, 0), n)
    hacking = ["SQLi"] if any("sql" in f.title.lower() for f in r.root_causes) else ["Unknown"]
    countries = sorted({k.split("-")[0] for k, _ in r.by_jurisdiction if k != "unknown"})
    return {
        "schema_version": VERIS_VERSION,
        "incident_id": str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"breachdesk:{r.controller}:{r.incident_id}")
        ).upper(),
        "source_id": "breachdesk",
        "reference": f"incident-{r.incident_id}",
        "security_incident": "Confirmed",
        "confidence": "High" if r.root_causes else "Medium",
        "summary": f"{r.title}. {r.summary}".strip(),
        "timeline": {
            "incident": {"year": start.year, "month": start.month, "day": start.day},
            "discovery": {"unit": "Days", "value": max(0, (r.discovered_at - start).days)},
        },
        "discovery_method": {
            "internal": {"variety": ["Log review" if r.detections else "Unknown"]}
        },
        "actor": {
            "external": {"variety": ["Unknown"], "motive": ["Unknown"], "region": ["000000"]}
        },
        "action": {"hacking": {"variety": hacking, "vector": ["Web application"]}},
        "asset": {"assets": [{"variety": "S - Web application"}, {"variety": "S - Database"}]},
        "attribute": {
            "confidentiality": {
                "data_disclosure": "Yes",
                "data_total": r.records,
                "data": [{"variety": k, "amount": n} for k, n in sorted(varieties.items())],
                "data_victim": ["Customer"],
                "state": ["Stored"],
            }
        },
        "victim": {"victim_id": r.controller, "country": countries or ["Unknown"]},
        "impact": {"overall_rating": "Unknown"},
        "plus": {
            "analysis_status": "Finalized" if r.root_causes else "First pass",
            "created": _iso(r.generated_at),
            "attack_sources": list(r.attacker_ips),
        },
    }


AG_COLUMNS = (
    "state", "residents_affected", "breach_start", "breach_end", "discovered",
    "elements", "consumer_notice_date", "regulator_due", "regulator_notified",
)  # fmt: skip


def us_ag_rows(r: IncidentReport) -> list[dict[str, str]]:
    """One row per US state: residents affected, dates, elements and notice dates."""
    held = dict(r.elements_by_jurisdiction)
    rows = []
    for place, n in sorted(r.by_jurisdiction):
        if not place.startswith("US-"):
            continue
        mine = [o for o in r.obligations if o.jurisdiction == place]
        people = [o for o in mine if o.recipient == "individuals"]
        regulator = [o for o in mine if o.recipient != "individuals"]
        rows.append(
            {
                "state": place[3:],
                "residents_affected": str(n),
                "breach_start": _day(r.occurred_from),
                "breach_end": _day(r.occurred_to),
                "discovered": _day(r.discovered_at),
                "elements": ";".join(held.get(place, ())),
                "consumer_notice_date": _day(people[0].met_at) if people else "",
                "regulator_due": _day(regulator[0].due_at) if regulator else "",
                "regulator_notified": _day(regulator[0].met_at) if regulator else "",
            }
        )
    return rows
