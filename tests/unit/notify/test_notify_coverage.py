"""The default individual notices carry every content item the shipped rules require of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from breachdesk.notify.coverage import CONTENT_ITEMS, SYNONYMS, canonical, missing_content
from breachdesk.notify.elements import LOCALES
from breachdesk.notify.message import Channel

RULES = Path(__file__).parents[3] / "src/breachdesk/rules/data"


def required_items(recipient: str) -> set[str]:
    """Every content item the shipped rule files list for notices to one recipient."""
    items: set[str] = set()
    for path in sorted(RULES.rglob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict):
            continue
        for notice in document.get("notices") or ():
            if notice.get("recipient") == recipient:
                items.update(notice.get("content") or ())
    return items


def test_the_rules_pack_lists_individual_content() -> None:
    items = required_items("individuals")
    assert {"data_elements", "cra_contact_information", "incident_description"} <= items


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.LETTER])
def test_individual_templates_cover_every_required_item(channel: Channel, locale: str) -> None:
    assert missing_content(channel, locale, required_items("individuals")) == set()


@pytest.mark.parametrize("locale", LOCALES)
def test_public_notices_cover_the_media_items(locale: str) -> None:
    items = required_items("media")
    for channel in (Channel.MEDIA, Channel.SUBSTITUTE_WEB, Channel.PRESS_RELEASE):
        assert missing_content(channel, locale, items) == set()


def test_regulator_letter_covers_the_core_items() -> None:
    core = {"incident_description", "date_of_breach", "data_elements", "measures_taken"}
    core |= {"number_of_affected_individuals", "likely_consequences", "contact_information"}
    assert missing_content(Channel.REGULATOR_LETTER, "en", core) == set()


def test_synonyms_map_to_items_some_block_satisfies() -> None:
    satisfied = set().union(*CONTENT_ITEMS.values())
    assert set(SYNONYMS.values()) <= satisfied
    assert canonical(["number_of_residents", "remediation_steps"]) == {
        "number_affected",
        "measures_taken",
    }


def test_unknown_items_and_dropped_blocks_are_reported(tmp_path: Path) -> None:
    assert missing_content(Channel.SMS, "en", ["data_elements", "made_up_item"]) == {
        "data_elements",
        "made_up_item",
    }
    folder = tmp_path / "en"
    folder.mkdir()
    (folder / "email.txt.j2").write_text("{{ b.what_happened() }}\n{{ b.contact() }}\n")
    missing = missing_content(
        Channel.EMAIL, "en", ["incident_description", "cra_contact_information"], overrides=tmp_path
    )
    # the shipped HTML part still has every block, but the overridden text part does not
    assert missing == {"cra_contact_information"}


@pytest.mark.parametrize("locale", LOCALES)
def test_letters_to_credit_bureaus_cover_their_items(locale: str) -> None:
    items = required_items("consumer_reporting_agencies") | required_items("law_enforcement")
    assert missing_content(Channel.REGULATOR_LETTER, locale, items) == set()
