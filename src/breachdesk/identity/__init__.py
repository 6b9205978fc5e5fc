"""Linking leaked records to people and building the per-person exposure manifest."""

from breachdesk.identity.fuzzy import FuzzySettings
from breachdesk.identity.keys import KeyOf, KeysOf, batched, hash_master
from breachdesk.identity.link import (
    Conflict,
    ConflictReason,
    FuzzyInput,
    LinkResult,
    LinkStats,
    Method,
    PersonId,
    customer_person,
    link,
    link_master,
    unknown_person,
)
from breachdesk.identity.manifest import (
    ElementExposure,
    ExposureFlag,
    Manifest,
    PersonManifest,
    Residence,
    SourceEvidence,
    build_manifest,
    flags_of,
)
from breachdesk.identity.mapping import ColumnMapping, Field, map_columns, parse_overrides
from breachdesk.identity.master import CustomerMaster, load_master_file, validate_master
from breachdesk.identity.residence import ResidenceSource

__all__ = [
    "ColumnMapping",
    "Conflict",
    "ConflictReason",
    "CustomerMaster",
    "ElementExposure",
    "ExposureFlag",
    "Field",
    "FuzzyInput",
    "FuzzySettings",
    "KeyOf",
    "KeysOf",
    "LinkResult",
    "LinkStats",
    "Manifest",
    "Method",
    "PersonId",
    "PersonManifest",
    "Residence",
    "ResidenceSource",
    "SourceEvidence",
    "batched",
    "build_manifest",
    "customer_person",
    "flags_of",
    "hash_master",
    "link",
    "link_master",
    "load_master_file",
    "map_columns",
    "parse_overrides",
    "unknown_person",
    "validate_master",
]
