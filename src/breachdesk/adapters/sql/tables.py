"""Table definitions; the Alembic migrations create exactly these."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from breachdesk.adapters.sql.types import EncryptedText, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

workspace_meta = Table(
    "workspace_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("controller", Text),
    Column("status", String(32), nullable=False),
    Column("discovered_at", UtcDateTime, nullable=False),
    Column("occurred_from", UtcDateTime),
    Column("occurred_to", UtcDateTime),
    Column("summary", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("key", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("parent", String(64)),
    Column("position", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("assignee", Text),
    Column("due_at", UtcDateTime),
    Column("completed_at", UtcDateTime),
    Column("completed_by", Text),
    Column("note", Text),
    UniqueConstraint("incident_id", "key", name="uq_tasks_incident_key"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("topic", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("rationale", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("corrects", Integer, ForeignKey("decisions.id")),
)

evidence_items = Table(
    "evidence_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("media_type", String(255), nullable=False),
    Column("original_name", Text, nullable=False),
    Column("description", Text),
    Column("added_by", Text, nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
    # evidence encryption (0014): the blob's own key, sealed under the incident's data key;
    # NULL for a plain blob stored before evidence was encrypted
    Column("blob_key", EncryptedText("evidence_items.blob_key")),
    UniqueConstraint("incident_id", "sha256", name="uq_evidence_items_incident_sha256"),
)

custody_entries = Table(
    "custody_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("evidence_id", Integer, ForeignKey("evidence_items.id"), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text),
)

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(128), nullable=False, index=True),
    Column("incident_id", Integer, index=True),
    Column("details", Text, nullable=False),
    Column("state_hash", String(64)),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One row: the newest entry's seq and hash, locked by every append (serialises writers).
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

# --- discovery results ---------------------------------------------------------------------

scan_sources = Table(
    "scan_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("evidence_id", Integer, ForeignKey("evidence_items.id")),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("format", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("records", BigInteger, nullable=False),
    Column("hits", BigInteger, nullable=False),
    Column("skipped", BigInteger, nullable=False),
    Column("report", Text, nullable=False),  # canonical JSON of the SourceReport (no values)
    Column("scanned_by", Text, nullable=False),
    Column("scanned_at", UtcDateTime, nullable=False),
    UniqueConstraint("incident_id", "sha256", name="uq_scan_sources_incident_sha256"),
)

leaked_records = Table(
    "leaked_records",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("source_id", Integer, ForeignKey("scan_sources.id"), nullable=False, index=True),
    Column("table_name", Text),
    Column("row_number", BigInteger, nullable=False),
    Column("elements", Text, nullable=False),  # sorted, comma-separated element ids
)

record_keys = Table(
    "record_keys",
    metadata,
    Column(
        "record_id",
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("leaked_records.id"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(32), nullable=False),
    Column("keyed_hash", String(64), nullable=False),
    Index("ix_record_keys_kind_hash", "kind", "keyed_hash"),
)

record_contacts = Table(
    "record_contacts",
    metadata,
    Column(
        "record_id",
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("leaked_records.id"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(32), nullable=False),
    Column("value", EncryptedText("record_contacts.value"), nullable=False),
)

# --- affected people ------------------------------------------------------------------------

link_runs = Table(
    "link_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("source_label", Text, nullable=False),
    Column("keys", Text, nullable=False),
    Column("fuzzy", Boolean, nullable=False),
    Column("stats", Text, nullable=False),
    Column("linked_by", Text, nullable=False),
    Column("linked_at", UtcDateTime, nullable=False),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("person_ref", String(64), nullable=False),  # keyed hash of the linking person id
    Column("known", Boolean, nullable=False),
    Column("customer_ref", EncryptedText("people.customer_ref")),
    Column("country", String(8)),
    Column("region", String(16)),
    Column("residence_source", String(16), nullable=False),
    Column("elements", Text, nullable=False),
    Column("flags", Text, nullable=False),
    Column("records", Integer, nullable=False),
    Column("review", Boolean, nullable=False),
    Column("name", EncryptedText("people.name")),
    Column("email", EncryptedText("people.email")),
    Column("phone", EncryptedText("people.phone")),
    Column("address", EncryptedText("people.address")),
    UniqueConstraint("incident_id", "person_ref", name="uq_people_incident_person_ref"),
)

person_records = Table(
    "person_records",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id"), nullable=False, index=True),
    Column(
        "record_id",
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("leaked_records.id"),
        nullable=False,
        index=True,
    ),
    Column("method", String(16), nullable=False),
    Column("score", Float),
)

exposures = Table(
    "exposures",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id"), nullable=False, index=True),
    Column("element", String(64), nullable=False),
    Column("source_id", Integer, ForeignKey("scan_sources.id"), nullable=False),
    Column("records", Integer, nullable=False),
)

person_keys = Table(
    "person_keys",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("keyed_hash", String(64), nullable=False),
    Index("ix_person_keys_kind_hash", "kind", "keyed_hash"),
)

link_conflicts = Table(
    "link_conflicts",
    metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column(
        "record_id",
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("leaked_records.id"),
        nullable=False,
    ),
    Column("candidates", Integer, nullable=False),
    Column("reason", String(32), nullable=False),
)

# --- obligations ----------------------------------------------------------------------------

incident_facts = Table(
    "incident_facts",
    metadata,
    Column(
        "incident_id", Integer, ForeignKey("incidents.id"), primary_key=True, autoincrement=False
    ),
    Column("determined_at", UtcDateTime),
    Column("assessed_at", UtcDateTime),
    Column("encrypted", Boolean, nullable=False),
    Column("key_exposed", Boolean, nullable=False),
    Column("flags", Text, nullable=False),
    Column("no_risk", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

obligations = Table(
    "obligations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("key", String(200), nullable=False),
    Column("rule_id", String(128), nullable=False),
    Column("jurisdiction", String(16), nullable=False),
    Column("recipient", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("due_at", UtcDateTime),
    Column("target_at", UtcDateTime),
    Column("people", Integer, nullable=False),
    Column("data", Text, nullable=False),  # canonical JSON of the evaluated obligation
    Column("evaluated_at", UtcDateTime, nullable=False),
    Column("met_at", UtcDateTime),
    Column("met_by", Text),
    Column("met_note", Text),
    Column("proof_evidence_id", Integer, ForeignKey("evidence_items.id")),
    Column("late", Boolean),
    UniqueConstraint("incident_id", "key", name="uq_obligations_incident_key"),
)

authority_contacts = Table(
    "authority_contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("recorded_by", Text, nullable=False),
    Column("authority", Text, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("reference", Text),
    Column("outcome", Text),
    Column("jurisdiction", String(16)),
    Column("delay_requested", Boolean, nullable=False),
    Column("delay_until", UtcDateTime),
    Column("evidence_id", Integer, ForeignKey("evidence_items.id")),
)

# --- investigation: ingested log files and normalised events ------------------------------

# One row per (incident, file bytes); ``lines`` is the checkpoint: every line up to it is stored.
log_files = Table(
    "log_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("evidence_id", Integer, ForeignKey("evidence_items.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("parser", String(64), nullable=False),
    Column("options", Text, nullable=False),  # canonical JSON: tz, field map (resume uses them)
    Column("lines", BigInteger, nullable=False),
    Column("events", BigInteger, nullable=False),
    Column("skipped", BigInteger, nullable=False),
    Column("skipped_sample", Text, nullable=False),  # JSON [[locator, reason], ...], no values
    Column("ingested_by", Text, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("completed_at", UtcDateTime),
    UniqueConstraint("incident_id", "sha256", name="uq_log_files_incident_sha256"),
)

# Times are integer microseconds since the epoch (UTC): compact, ordered the same on every
# backend, and read into polars without parsing.
log_events = Table(
    "log_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("incident_id", Integer, nullable=False),
    Column("file_id", Integer, ForeignKey("log_files.id"), nullable=False),
    Column("line", BigInteger, nullable=False),
    Column("time_us", BigInteger, nullable=False),
    Column("source", String(32), nullable=False),
    Column("host", Text),
    Column("src_ip", String(64)),
    Column("user_name", Text),
    Column("action", Text),
    Column("target", Text),
    Column("status", String(64)),
    Column("bytes", BigInteger),
    Column("user_agent", Text),
    Column("fields", Text),  # JSON object of source-native fields
    Index("ix_log_events_incident_time", "incident_id", "time_us"),
    Index("ix_log_events_incident_ip", "incident_id", "src_ip"),
    Index("ix_log_events_incident_user", "incident_id", "user_name"),
    Index("ix_log_events_file_line", "file_id", "line"),
)

# --- investigation: analyses, detections, record maps, confirmed accesses --------------------

# One row per `logs analyze` run; ``summary`` is canonical JSON (attackers, window, evidence).
log_analyses = Table(
    "log_analyses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("rules", Integer, nullable=False),
    Column("events", BigInteger, nullable=False),
    Column("summary", Text, nullable=False),
    Column("analysed_by", Text, nullable=False),
    Column("analysed_at", UtcDateTime, nullable=False),
)

detections = Table(
    "detections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("analysis_id", Integer, ForeignKey("log_analyses.id"), nullable=False, index=True),
    Column("rule_id", String(128), nullable=False),
    Column("title", Text, nullable=False),
    Column("level", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("events", BigInteger, nullable=False),
    Column("first_at", UtcDateTime, nullable=False),
    Column("last_at", UtcDateTime, nullable=False),
    Column("actors", Text, nullable=False),
)

# The matched events of a detection (log_events ids; capped per detection, the count is exact).
detection_events = Table(
    "detection_events",
    metadata,
    Column("detection_id", Integer, ForeignKey("detections.id"), nullable=False, index=True),
    Column("event_id", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
)

record_maps = Table(
    "record_maps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("pattern", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("added_by", Text, nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
)

# Records the attackers fetched (2xx), tied to people by keyed hash: confirmed exposures.
# ``person_ref`` (stable across re-linking) is null when nobody in the manifest has the id.
record_accesses = Table(
    "record_accesses",
    metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("person_ref", String(64)),
    Column("kind", String(32), nullable=False),
    Column("keyed_hash", String(64), nullable=False),
    Column("requests", Integer, nullable=False),
    Column("first_at", UtcDateTime, nullable=False),
    Column("last_at", UtcDateTime, nullable=False),
    Column("event_id", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("confirmed_at", UtcDateTime, nullable=False),
)

# --- notification outbox ---------------------------------------------------------------------

# Rendered content is stored encrypted in the row (not in the evidence store): it is per-person
# PII, it must commit atomically with its audit entry, and the ledger keeps its hash beside it.
outbox = Table(
    "outbox",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("person_id", Integer),
    Column("campaign", String(64), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("recipient", EncryptedText("outbox.recipient"), nullable=False),
    Column("subject", EncryptedText("outbox.subject"), nullable=False),
    Column("body_text", EncryptedText("outbox.body_text"), nullable=False),
    Column("body_html", EncryptedText("outbox.body_html")),
    Column("fallback", EncryptedText("outbox.fallback")),
    Column("content_hash", String(64), nullable=False),
    Column("template_version", String(128), nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("lease_owner", String(128)),
    Column("lease_until", UtcDateTime),
    Column("message_id", String(255)),
    Column("fallback_of", BigInteger().with_variant(Integer, "sqlite")),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_outbox_claim", "channel", "state", "next_attempt_at"),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column(
        "outbox_id",
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("outbox.id"),
        nullable=False,
        index=True,
    ),
    Column("at", UtcDateTime, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("server_response", Text, nullable=False),
    Column("duration", Float, nullable=False),
)

# --- credential resets ------------------------------------------------------------------------

# Provider configuration holds no secret: secrets are named by environment variable only.
credential_providers = Table(
    "credential_providers",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("config", Text, nullable=False),  # canonical JSON
    Column("created_by", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

reset_accounts = Table(
    "reset_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("person_id", Integer, nullable=False),
    Column("actions", Text, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("urgency", String(16), nullable=False),
    Column("rationale", Text, nullable=False),
    Column("provider", String(64)),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("done_actions", Text, nullable=False),
    Column("flagged_at", UtcDateTime),
    Column("completed_at", UtcDateTime),
    Column("link_nonce", String(32)),
    Column("link_expires_at", UtcDateTime),
    Column("link_sent_at", UtcDateTime),
    Column("clicked_at", UtcDateTime),
    Column("reminded_at", UtcDateTime),
    Column("reminders", Integer, nullable=False),
    Column("error", Text),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("incident_id", "person_id", name="uq_reset_accounts_incident_person"),
)

reset_attempts = Table(
    "reset_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("reset_accounts.id"), nullable=False, index=True),
    Column("provider", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("phase", String(8), nullable=False),  # intent (before the call) | result
    Column("outcome", String(16)),
    Column("response", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

password_assessments = Table(
    "password_assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("source_id", Integer, ForeignKey("scan_sources.id"), nullable=False),
    Column("record_id", BigInteger().with_variant(Integer, "sqlite")),
    Column("location", Text, nullable=False),  # table and column, never the value
    Column("scheme", String(32), nullable=False),
    Column("tier", Integer, nullable=False),
    Column("rationale", Text, nullable=False),
    Column("pwned", Integer),  # times seen in a Pwned Passwords list, when checked
)

credit_codes = Table(
    "credit_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("code", EncryptedText("credit_codes.code"), nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("person_id", Integer),
    Column("allocated_at", UtcDateTime),
    UniqueConstraint("incident_id", "code_hash", name="uq_credit_codes_incident_code_hash"),
)

# --- notification campaigns ------------------------------------------------------------------

# One row per approval; the newest approval of a campaign is the one `notify send` checks.
notice_approvals = Table(
    "notice_approvals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("campaign", String(64), nullable=False),
    Column("approver", String(128), nullable=False),
    Column("role", String(64), nullable=False),
    Column("approved_at", UtcDateTime, nullable=False),
    Column("templates", Text, nullable=False),  # JSON [[template id, version], ...]
    Column("overrides", Text),
    Column("overrides_hash", String(64)),
    Column("content", Text, nullable=False),  # canonical JSON of sender, contacts, measures
)

notice_suppressions = Table(
    "notice_suppressions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("person_id", Integer, nullable=False),
    Column("campaign", String(64), nullable=False),
    Column("match_hash", String(64), nullable=False),
    Column("other_incident_id", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    UniqueConstraint("incident_id", "campaign", "person_id", name="uq_notice_suppressions_person"),
)

# --- security findings -----------------------------------------------------------------------

# One row per imported report or test run; (tool, label) is the scope re-imports compare within.
finding_scans = Table(
    "finding_scans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("tool", String(64), nullable=False),
    Column("label", Text, nullable=False),
    Column("evidence_id", Integer, ForeignKey("evidence_items.id")),
    Column("imported_at", UtcDateTime, nullable=False),
    Column("imported_by", Text, nullable=False),
    Column("findings", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
)

# Evidence is encrypted: a response excerpt from a web test can carry personal data.
findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("fingerprint", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("tool", String(64), nullable=False),
    Column("rule_id", Text, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("location", Text, nullable=False),  # JSON of core.finding.Location
    Column("cwe", Text, nullable=False),  # comma-separated numbers
    Column("cve", Text, nullable=False),  # comma-separated ids
    Column("cvss_vector", Text),
    Column("cvss_score", Float),
    Column("description", Text, nullable=False),
    Column("evidence", EncryptedText("findings.evidence"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("due_at", UtcDateTime),
    Column("first_seen_at", UtcDateTime, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("first_scan_id", Integer, ForeignKey("finding_scans.id"), nullable=False),
    Column("last_scan_id", Integer, ForeignKey("finding_scans.id"), nullable=False),
    Column("fixed_by_scan_id", Integer, ForeignKey("finding_scans.id")),
    Column("fixed_at", UtcDateTime),
    Column("recurring", Boolean, nullable=False),
    Column("root_cause", Boolean, nullable=False),
    Column("note", Text),
    Column("accepted_until", UtcDateTime),
    Column("tools", Text, nullable=False),  # comma-separated tool names that reported it
    UniqueConstraint("incident_id", "fingerprint", name="uq_findings_incident_fingerprint"),
)

finding_occurrences = Table(
    "finding_occurrences",
    metadata,
    Column("scan_id", Integer, ForeignKey("finding_scans.id"), primary_key=True),
    Column("finding_id", Integer, ForeignKey("findings.id"), primary_key=True, index=True),
    Column("tool", String(64), nullable=False),
    Column("rule_id", Text, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("location", Text, nullable=False),
    Column("count", Integer, nullable=False),
)

# --- pentest schedules -------------------------------------------------------------------------

# A recurring authorised web test; run-due claims a row by moving next_run_at before running it.
pentest_schedules = Table(
    "pentest_schedules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("target", Text, nullable=False),
    Column("profile", String(16), nullable=False),
    Column("cron", String(128), nullable=False),
    Column("max_requests", Integer, nullable=False),
    Column("rate", Float, nullable=False),
    Column("ca_file", Text),
    Column("network_tools", Boolean, nullable=False),
    Column("authorised_by", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("next_run_at", UtcDateTime, nullable=False, index=True),
    Column("last_run_at", UtcDateTime),
    Column("last_scan_id", Integer),
)

# --- web workspace: users, sessions, API tokens, rate limits, privileged notes, portal --------

# Passwords are Argon2 hashes; session ids and API tokens are stored as SHA-256 digests only.
web_users = Table(
    "web_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("role", String(32), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("locked_until", UtcDateTime),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("web_users.id"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("web_users.id"), nullable=False, index=True),
    Column("label", String(128), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

# Failed logins and portal requests per keyed subject (user name, address, IP): rate limits.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scope", String(32), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_login_attempts_scope_subject", "scope", "subject", "at"),
)

# Counsel's privileged notes: encrypted, and never read by any path other roles reach.
privileged_notes = Table(
    "privileged_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("author", Text, nullable=False),
    Column("body", EncryptedText("privileged_notes.body"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# Single-use magic links of the public portal: the token's digest and the address's match key.
portal_links = Table(
    "portal_links",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("match_key", String(128), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
)

# --- protection: incident data keys, retention schedules ---------------------------------------

# Per-incident data keys wrapped by the workspace key; a purge overwrites then deletes the row.
incident_keys = Table(
    "incident_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("wrapped", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("retired_at", UtcDateTime),
    Column("destroyed_at", UtcDateTime),
    UniqueConstraint("incident_id", "version", name="uq_incident_keys_incident_version"),
)

# How long an incident's people and evidence are kept, and a legal hold that blocks purging.
retention_policies = Table(
    "retention_policies",
    metadata,
    Column("incident_id", Integer, primary_key=True, autoincrement=False),
    Column("keep_people_days", Integer, nullable=False),
    Column("keep_evidence_days", Integer, nullable=False),
    Column("legal_hold", Boolean, nullable=False),
    Column("hold_reason", Text),
    Column("set_by", Text, nullable=False),
    Column("set_at", UtcDateTime, nullable=False),
    Column("people_purged_at", UtcDateTime),
    Column("evidence_purged_at", UtcDateTime),
)

# --- playbooks: runs of `breachdesk run` and the response steps they have done ------------------

# One run per playbook name; a rerun with --resume continues it.
playbook_runs = Table(
    "playbook_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(128), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("incident_id", Integer),
    Column("started_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    UniqueConstraint("name", name="uq_playbook_runs_name"),
)

# A step's last outcome: done, or waiting (for an approval) with who and by when.
playbook_steps = Table(
    "playbook_steps",
    metadata,
    Column("run_id", Integer, primary_key=True, autoincrement=False),
    Column("step", String(32), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("summary", Text, nullable=False),
    Column("waiting_for", Text),
    Column("due_at", UtcDateTime),
    Column("at", UtcDateTime, nullable=False),
)
