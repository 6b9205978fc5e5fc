"""Authority letters and public drafts from a real evaluation of the shipped rules."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from breachdesk.core.obligation import BreachFacts, ContactInfo, Obligation, PersonFacts
from breachdesk.notify.context import NoticeContext
from breachdesk.notify.coverage import canonical
from breachdesk.notify.elements import LOCALES
from breachdesk.notify.message import Channel
from breachdesk.rules.evaluate import evaluate
from breachdesk.rules.registry import load_rules
from breachdesk.services.documents import (
    AUTHORITY_RECIPIENTS,
    addressee_line,
    authority_letters,
    letter_files,
    public_drafts,
)

BASE = NoticeContext(
    organisation="Example Outfitters",
    contact=ContactInfo(
        "Privacy office", email="privacy@outfitters.example", phone="1-800-555-0100"
    ),
    incident_description="An attacker copied a customer table from a test server.",
    measures_taken="We shut the server down and reset every password.",
    notice_date=date(2026, 3, 20),
    elements=frozenset({"person_name", "ssn", "email", "password"}),
    occurred_from=date(2026, 2, 1),
    occurred_to=date(2026, 2, 14),
    discovered_on=date(2026, 3, 1),
    number_affected=6040,
)


@pytest.fixture(scope="module")
def obligations() -> tuple[Obligation, ...]:
    rules = load_rules()
    facts = BreachFacts(
        discovered_at=datetime(2026, 3, 1, tzinfo=UTC),
        people=(
            PersonFacts("US", "US-NY", "master", frozenset({"person_name", "ssn"}), count=6000),
            PersonFacts("DE", None, "master", frozenset({"email", "password"}), count=40),
        ),
    )
    return evaluate(rules.rules, facts, authorities=rules.authorities).obligations


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_every_authority_obligation_gets_a_letter_per_contact(
    obligations: tuple[Obligation, ...],
) -> None:
    letters = authority_letters(obligations, BASE)
    owed = [o for o in obligations if o.recipient in AUTHORITY_RECIPIENTS]
    assert owed
    assert {letter.obligation for letter in letters} == {o.key for o in owed}
    for o in owed:
        mine = [x for x in letters if x.obligation == o.key]
        expected = len(o.contacts) or (3 if o.recipient == "consumer_reporting_agencies" else 1)
        assert len(mine) == expected, o.key
    bureaus = {
        x.addressee.name if x.addressee else None
        for x in letters
        if x.recipient == "consumer_reporting_agencies"
    }
    assert bureaus == {"Equifax", "Experian", "TransUnion"}


def test_letters_open_and_carry_the_addressee_and_required_content(
    obligations: tuple[Obligation, ...],
) -> None:
    letters = authority_letters(obligations, BASE)
    for letter in letters:
        assert letter.message.channel is Channel.REGULATOR_LETTER
        text = _pdf_text(letter.pdf)
        assert "Example Outfitters" in text
        assert letter.addressee is not None
        assert addressee_line(letter.addressee).split(",")[0] in text
        if "number_affected" in canonical(
            next(o for o in obligations if o.key == letter.obligation).content
        ):
            people = next(o for o in obligations if o.key == letter.obligation).people
            assert f"{people:,}" in text or str(people) in text, letter.obligation
    gdpr = next(x for x in letters if x.obligation.startswith("eu-gdpr-art33:"))
    assert gdpr.addressee is not None
    assert gdpr.addressee.address is not None
    assert "Bonn" in _pdf_text(gdpr.pdf)


def test_the_jurisdictions_language_is_used_unless_one_is_given(
    obligations: tuple[Obligation, ...],
) -> None:
    ny = replace(obligations[0], jurisdiction="FR", recipient="regulator")
    (letter,) = authority_letters([ny], BASE)
    assert letter.message.locale == "fr"
    (forced,) = authority_letters([ny], BASE, locale="de")
    assert forced.message.locale == "de"


def test_index_and_gaps(obligations: tuple[Obligation, ...]) -> None:
    bare = replace(obligations[0], recipient="law_enforcement", contacts=())
    docs = letter_files(authority_letters([*obligations, bare], BASE))
    rows = list(csv.DictReader(io.StringIO(docs.files["index.csv"].decode())))
    assert all(docs.files[r["file"]].startswith(b"%PDF-") for r in rows)
    assert any(r["addressee"] == "" and "no contact" in " ".join(docs.gaps) for r in rows)
    for row in rows:
        if row["missing"]:
            assert any(row["file"].removesuffix(".pdf") in gap for gap in docs.gaps)


def test_public_drafts_in_every_locale(obligations: tuple[Obligation, ...]) -> None:
    docs = public_drafts(obligations, BASE)
    for loc in LOCALES:
        for channel in ("substitute_web", "media", "press_release", "social_post"):
            assert f"{loc}/{channel}.txt" in docs.files
        html = docs.files[f"{loc}/substitute_web.html"].decode()
        assert html.startswith("<!DOCTYPE html>")
        assert "Example Outfitters" in html
    social = docs.files["en/social_post.txt"].decode()
    assert "Example Outfitters" in social
    press = docs.files["en/press_release.txt"].decode()
    assert "privacy@outfitters.example" in press


def test_drafts_report_content_an_override_drops(
    obligations: tuple[Obligation, ...], tmp_path: Path
) -> None:
    folder = tmp_path / "en"
    folder.mkdir()
    (folder / "substitute_web.txt.j2").write_text("{{ b.subject('substitute_web') }}\n")
    (folder / "substitute_web.html.j2").write_text("<p>{{ org }}</p>\n")
    docs = public_drafts(obligations, BASE, locales=("en",), overrides=tmp_path)
    assert any(g.startswith("en/substitute_web: lacks required items") for g in docs.gaps)
    assert not any(g.startswith("en/media") for g in docs.gaps)
