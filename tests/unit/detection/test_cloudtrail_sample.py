"""Public S3 honey-bucket records (OTRF) through the CloudTrail parser and our cloud rules."""

from __future__ import annotations

import ast
import csv
import io
import zipfile
from typing import Any

import pytest
from detection_helpers import SHARED

from breachdesk.timeline.event import LogEvent
from breachdesk.timeline.parsers.cloudtrail import cloudtrail_event
from breachdesk.timeline.sigma import evaluate, load_rules
from breachdesk.timeline.sigma.engine import frame_of

SAMPLE = SHARED / "logs" / "cloudtrail_otrf" / "aws_s3_honeybucketlogs.zip"
ANONYMOUS_RULE = "1dbe0724-eba0-455f-aa86-d54cbb1a2d61"


def _records() -> list[dict[str, Any]]:
    """The export's rows as the CloudTrail records they were made from."""
    with zipfile.ZipFile(SAMPLE) as archive:
        name = archive.namelist()[0]
        with archive.open(name) as raw:
            rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")))
    return [
        {
            "eventTime": row["Event DateTime"],
            "eventSource": "s3.amazonaws.com",
            "eventName": row["Event Name"],
            "eventType": row["Event Type"],
            "userIdentity": ast.literal_eval(row["User ID"]),
            "requestParameters": ast.literal_eval(row["Request Parameters"]),
            "sourceIPAddress": row["Source IP"],
            "userAgent": row["Request User Agent"],
        }
        for row in rows
    ]


def test_anonymous_bucket_access_is_flagged_and_nothing_else() -> None:
    if not SAMPLE.is_file():
        pytest.skip(f"CloudTrail sample not present at {SAMPLE}")
    records = _records()
    events = [cloudtrail_event(r, f"honeybucket.csv:{i}") for i, r in enumerate(records, 1)]
    assert all(isinstance(e, LogEvent) for e in events)
    found = {m.rule.id: m for m in evaluate(frame_of(events), load_rules([]))}  # type: ignore[arg-type]
    anonymous = {
        i
        for i, r in enumerate(records)
        if r["userIdentity"].get("accountId") == "ANONYMOUS_PRINCIPAL"
    }
    assert len(anonymous) == 284
    assert set(found[ANONYMOUS_RULE].event_ids) == anonymous
    assert found[ANONYMOUS_RULE].rule.level == "high"
    # listing and probing a bucket is not a policy change
    assert "73ad4be1-5fb1-41b0-b0dd-063735ee0990" not in found


def test_sigmahq_cloudtrail_rules_read_flattened_nested_fields() -> None:
    rules_dir = SHARED / "sigma" / "rules" / "cloud" / "aws"
    if not rules_dir.is_dir():
        pytest.skip(f"SigmaHQ CloudTrail rules not present at {rules_dir}")
    base = {"eventTime": "2026-03-01T10:00:00Z", "sourceIPAddress": "192.0.2.10"}
    records = [
        {
            **base,
            "eventSource": "cloudtrail.amazonaws.com",
            "eventName": "StopLogging",
            "eventType": "AwsApiCall",
            "userIdentity": {"type": "IAMUser", "userName": "ops"},
        },
        {
            **base,
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "eventType": "AwsConsoleSignIn",
            "userIdentity": {"type": "Root"},
        },
        {
            **base,
            "eventSource": "s3.amazonaws.com",
            "eventName": "GetObject",
            "eventType": "AwsServiceEvent",
            "userIdentity": {"type": "Root"},
        },
    ]
    events = [cloudtrail_event(r, f"trail.json:{i}") for i, r in enumerate(records)]
    found = {m.rule.title: m.event_ids for m in evaluate(frame_of(events), load_rules([rules_dir]))}  # type: ignore[arg-type]
    assert found["AWS CloudTrail Important Change"] == (0,)
    assert found["AWS Root Credentials"] == (1,)
