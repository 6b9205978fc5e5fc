"""Letters: print-ready PDFs in the workspace spool, a private mail-house manifest, no doubles."""

from __future__ import annotations

import csv
import stat
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from breachdesk.adapters.letters import (
    MANIFEST,
    LetterOptions,
    LetterTransport,
    address_fields,
    page_count,
)
from breachdesk.core.delivery import DeliveryState, OutboxMessage, OutgoingMessage, Verdict
from breachdesk.core.obligation import ContactInfo
from breachdesk.notify.context import NoticeContext
from breachdesk.notify.message import Channel
from breachdesk.notify.postal import PostalAddress, parse_recipient, postal_address
from breachdesk.notify.render import render
from breachdesk.services.outbox import delivery_ledger, dispatch_pending, queue_notices
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock

T0 = datetime(2026, 3, 20, 9, 30, tzinfo=UTC)
PEOPLE = [
    ("Jane Roe", "1 Main Street, Apt 4, 62701, Springfield, US-IL, US"),
    ("Łukasz Żółć", "ul. Piękna 12\n00-549 Warszawa\nPL"),  # beyond Latin-1: needs DejaVu
    ("=HYPERLINK(1)", "9 Elm Road, 10115, Berlin, DE"),
]


def letter(i: int, name: str, address: str, locale: str = "en") -> OutboxMessage:
    context = NoticeContext(
        organisation="Example Outfitters",
        contact=ContactInfo("Privacy team", email="privacy@outfitters.example"),
        incident_description="An attacker copied a customer table from a test server.",
        measures_taken="We shut the server down and reset every password.",
        notice_date=date(2026, 3, 20),
        elements=frozenset({"ssn", "email"}),
        person_name=name,
        person_address=address.replace("\n", ", "),
    )
    rendered = render(Channel.LETTER, locale, context)
    return OutboxMessage(
        id=i,
        incident_id=4,
        person_id=i,
        campaign="wave 1",
        channel="letter",
        recipient=postal_address(name, address).encode(),
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        content_hash=rendered.content_hash,
        template_version=rendered.template_version,
        attempts=0,
    )


def _text(path: Path) -> str:
    reader = PdfReader(BytesIO(path.read_bytes()))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def _rows(batch: Path) -> list[dict[str, str]]:
    with (batch / MANIFEST).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_each_letter_is_a_pdf_that_opens_and_the_manifest_lists_it(tmp_path: Path) -> None:
    transport = LetterTransport(LetterOptions(tmp_path / "letters"), FixedClock(T0))
    receipts = [transport.send(letter(i, n, a)) for i, (n, a) in enumerate(PEOPLE, start=1)]
    (batch,) = transport.batches()
    transport.close()
    assert batch == tmp_path / "letters" / "4" / "20260320T093000Z-wave-1"
    assert all(r.verdict is Verdict.ACCEPTED for r in receipts)
    assert [r.message_id for r in receipts] == [f"BD-4-0000000{i}" for i in (1, 2, 3)]
    assert receipts[0].response == f"queued for print: batch {batch.name} file 00000001.pdf"
    rows = _rows(batch)
    assert [r["letter_id"] for r in rows] == ["1", "2", "3"]
    for row, (name, address) in zip(rows, PEOPLE, strict=True):
        pdf = batch / row["file"]
        reader = PdfReader(BytesIO(pdf.read_bytes()))
        assert int(row["pages"]) == len(reader.pages) >= 1
        text = _text(pdf)
        assert name in text
        assert "Social Security number" in text
        assert "Example Outfitters" in text
        lines = parse_recipient(postal_address(name, address).encode()).lines
        shown = min(len(lines), 4)
        assert [row[f"address_{k}"] for k in range(1, shown + 1)] == list(lines[:shown])
    assert rows[0]["address_5"] == "US-IL, US"  # overflow lines are joined into the last field
    assert rows[2]["name"] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert rows[1]["reference"] == "BD-4-00000002"


def test_spool_is_private(tmp_path: Path) -> None:
    transport = LetterTransport(LetterOptions(tmp_path / "letters"), FixedClock(T0))
    transport.send(letter(1, *PEOPLE[0]))
    (batch,) = transport.batches()
    transport.close()
    for path in (batch.parent, batch):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    for path in (batch / MANIFEST, batch / "00000001.pdf"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_resend_after_a_restart_is_not_printed_twice(tmp_path: Path) -> None:
    spool = LetterOptions(tmp_path / "letters")
    first = LetterTransport(spool, FixedClock(T0))
    first.send(letter(1, *PEOPLE[0]))
    first.close()  # the process that sent it dies before recording the outcome
    again = LetterTransport(spool, FixedClock(T0))
    receipt = again.send(letter(1, *PEOPLE[0]))
    fresh = again.send(letter(2, *PEOPLE[1]))
    batches = again.batches()
    again.close()
    assert receipt.verdict is Verdict.ACCEPTED
    assert receipt.response == "already queued for print: batch 20260320T093000Z-wave-1"
    assert fresh.verdict is Verdict.ACCEPTED
    assert [b.name for b in batches] == ["20260320T093000Z-wave-1-2"]
    all_ids = [
        r["letter_id"] for b in sorted((tmp_path / "letters" / "4").iterdir()) for r in _rows(b)
    ]
    assert all_ids == ["1", "2"]


def test_a_spool_that_cannot_be_written_is_temporary(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    receipt = LetterTransport(LetterOptions(blocked / "letters")).send(letter(1, *PEOPLE[0]))
    assert receipt.verdict is Verdict.TEMPORARY
    assert receipt.response.startswith("spool not writable")


def test_a_campaign_of_letters_through_the_outbox(tmp_path: Path) -> None:
    uow, clock = FakeUnitOfWorkFactory(), FixedClock(T0)
    people = [(f"Łucja Nowak-{i}", f"{i} High Street, {10000 + i}, Springfield") for i in range(12)]
    rendered = [letter(i, n, a) for i, (n, a) in enumerate(people)]
    queue_notices(
        uow,
        clock,
        [
            OutgoingMessage(
                4,
                m.person_id,
                "wave 1",
                "letter",
                m.recipient,
                m.subject,
                m.body_text,
                m.body_html,
                m.content_hash,
                m.template_version,
            )
            for m in rendered
        ],
        actor="a",
    )
    transport = LetterTransport(LetterOptions(tmp_path / "letters"), clock)
    report = dispatch_pending(uow, transport, clock, owner="w", concurrency=4)
    (batch,) = transport.batches()
    transport.close()
    assert report.outcomes == {DeliveryState.DELIVERED: 12}
    rows = _rows(batch)
    assert sorted(r["name"] for r in rows) == sorted(n for n, _ in people)
    assert sorted(p.name for p in batch.glob("*.pdf")) == sorted(r["file"] for r in rows)
    for row in rows:  # laid out on four threads at once: each PDF reads back whole and its own
        assert row["name"] in _text(batch / row["file"])
    ledger = list(delivery_ledger(uow, 4))
    assert {r.message_id for r in ledger} == {r["reference"] for r in rows}


def test_address_fields_and_page_count() -> None:
    assert address_fields(PostalAddress("A", ("l1", "l2")).encode()) == [
        "A",
        "l1",
        "l2",
        "",
        "",
        "",
    ]
    assert address_fields("5 Road, Town") == ["", "5 Road", "Town", "", "", ""]
    assert page_count(b"<< /Type /Pages /Kids [] >> << /Type /Page >> << /Type/Page >>") == 2
