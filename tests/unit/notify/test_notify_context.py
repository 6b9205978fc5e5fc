"""Building notice contexts from obligations, and clear errors for broken override templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from notify_samples import sample_context

from breachdesk.core.obligation import ContactInfo, Obligation, ObligationStatus
from breachdesk.notify.context import authority_contacts, required_content
from breachdesk.notify.message import CHANNELS_FOR_RECIPIENT, Channel
from breachdesk.notify.render import NoticeTemplateError, Renderer


def _obligation(recipient: str, content: tuple[str, ...], contact: str) -> Obligation:
    return Obligation(
        rule_id=f"rule-{contact}",
        jurisdiction="US-XX",
        regime="Example",
        recipient=recipient,
        status=ObligationStatus.APPLIES,
        due_at=None,
        due_local=None,
        target_at=None,
        clock="discovery",
        clock_started_at=None,
        citations=(),
        people=3,
        unknown_residence=0,
        content=content,
        contacts=(ContactInfo(contact),),
    )


def test_required_content_and_contacts_come_from_obligations() -> None:
    obligations = [
        _obligation("individuals", ("data_elements", "cra_contact_information"), "AG"),
        _obligation("individuals", ("data_elements", "date_range"), "AG"),
        _obligation("attorney_general", ("copy_of_individual_notice",), "DPA"),
    ]
    assert required_content(obligations, "individuals") == {
        "data_elements",
        "cra_contact_information",
        "date_range",
    }
    assert authority_contacts(obligations) == (ContactInfo("AG"), ContactInfo("DPA"))


def test_every_recipient_of_the_rules_has_a_channel() -> None:
    for recipient in ("individuals", "attorney_general", "regulator", "media"):
        assert CHANNELS_FOR_RECIPIENT[recipient]
    assert CHANNELS_FOR_RECIPIENT["individuals"][0] is Channel.EMAIL


def test_syntax_error_in_an_override_names_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "sms.txt.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    with pytest.raises(NoticeTemplateError, match=r"sms\.txt\.j2 \(line 2\)"):
        Renderer(tmp_path).render(Channel.SMS, "en", sample_context())


def test_a_regional_folder_without_blocks_uses_its_language_blocks(tmp_path: Path) -> None:
    (tmp_path / "fr-CA").mkdir()
    (tmp_path / "fr-CA" / "sms.txt.j2").write_text("{{ b.sms() }}\n", encoding="utf-8")
    message = Renderer(tmp_path).render(Channel.SMS, "fr-CA", sample_context())
    assert message.locale == "fr-CA"
    assert "Que faire" in message.text
