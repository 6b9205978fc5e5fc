"""Rendering every channel in every locale, strict variables, overrides and locale fallback."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from notify_samples import MakeContext, sample_context

from breachdesk.notify.elements import LOCALES, element_name
from breachdesk.notify.message import Channel, sms_segments
from breachdesk.notify.render import NoticeTemplateError, Renderer, locale_chain, render

WITH_HTML = {Channel.EMAIL, Channel.LETTER, Channel.REGULATOR_LETTER, Channel.SUBSTITUTE_WEB}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("channel", list(Channel))
def test_every_channel_renders_in_every_locale(
    channel: Channel, locale: str, make_context: MakeContext
) -> None:
    message = render(channel, locale, make_context())
    assert message.locale == locale
    assert message.notes == ()
    assert message.subject
    assert "\n" not in message.subject
    assert "Example Outfitters" in message.text
    assert re.fullmatch(r"[0-9a-f]{64}", message.template_version)
    assert re.fullmatch(r"[0-9a-f]{64}", message.content_hash)
    assert message.template_id == f"{locale}/{channel.value}"
    if channel in WITH_HTML:
        assert message.html is not None
        assert f'<html lang="{locale}">' in message.html
    else:
        assert message.html is None


@pytest.mark.parametrize("locale", LOCALES)
def test_individual_notice_names_elements_dates_and_contacts(
    locale: str, make_context: MakeContext
) -> None:
    text = render(Channel.EMAIL, locale, make_context()).text
    for element in ("ssn", "password_hash", "email"):
        assert f"- {element_name(element, locale)}\n" in text  # type: ignore[arg-type]
    assert "2026" in text
    assert "privacy@outfitters.example" in text
    assert "Equifax" in text
    assert "identitytheft.gov" in text


def test_credit_blocks_only_when_a_rule_or_an_ssn_calls_for_them(
    make_context: MakeContext,
) -> None:
    plain = render(Channel.EMAIL, "en", make_context(elements=["email"])).text
    assert "Equifax" not in plain
    assert "Federal Trade Commission" not in plain
    asked = make_context(elements=["email"], required=frozenset({"credit_freeze_advice"}))
    assert "Equifax" in render(Channel.EMAIL, "en", asked).text


@pytest.mark.parametrize("locale", LOCALES)
def test_sms_is_short_with_a_link_placeholder(locale: str, make_context: MakeContext) -> None:
    context = make_context(elements=["sex_life_orientation", "email", "phone"])
    text = render(Channel.SMS, locale, context).text
    assert "{link}" in text
    assert sms_segments(text.strip()) <= 3


def test_sms_segments_count_gsm_and_unicode() -> None:
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("ó" * 70) == 1
    assert sms_segments("ó" * 71) == 2


def test_html_escapes_values(make_context: MakeContext) -> None:
    context = make_context(organisation="<script>alert(1)</script> & Co")
    html = render(Channel.EMAIL, "en", context).html
    assert html is not None
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;amp;" not in html


def test_person_details_stay_out_of_repr(make_context: MakeContext) -> None:
    message = render(Channel.LETTER, "en", make_context())
    assert "Jane Roe" in message.text
    assert "1 Main Street" in message.text
    assert "Jane Roe" not in repr(message)
    assert "Main Street" not in repr(message)
    assert "Jane Roe" not in repr(make_context())


def test_content_hash_follows_the_person(make_context: MakeContext) -> None:
    one = render(Channel.EMAIL, "en", make_context())
    two = render(Channel.EMAIL, "en", make_context(person_name="John Doe"))
    assert one.template_version == two.template_version
    assert one.content_hash != two.content_hash


def _override(tmp_path: Path, locale: str, name: str, source: str) -> Path:
    folder = tmp_path / locale
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(source, encoding="utf-8")
    return tmp_path


def test_undefined_variable_fails_naming_template_and_variable(
    tmp_path: Path, make_context: MakeContext
) -> None:
    overrides = _override(tmp_path, "en", "sms.txt.j2", "Hello {{ secret_code }} {{ org }}\n")
    with pytest.raises(NoticeTemplateError) as caught:
        Renderer(overrides).render(Channel.SMS, "en", make_context())
    message = str(caught.value)
    assert "secret_code" in message
    assert "sms.txt.j2" in message
    assert "Jane Roe" not in message


def test_sandbox_refuses_unsafe_attribute_access(tmp_path: Path, make_context: MakeContext) -> None:
    source = "{{ org.__class__.__mro__[1].__subclasses__() }}\n"
    overrides = _override(tmp_path, "en", "sms.txt.j2", source)
    with pytest.raises(NoticeTemplateError):
        Renderer(overrides).render(Channel.SMS, "en", make_context())


def test_incident_override_wins_and_changes_the_version(
    tmp_path: Path, make_context: MakeContext
) -> None:
    shipped = Renderer().render(Channel.SMS, "en", make_context())
    overrides = _override(tmp_path, "en", "sms.txt.j2", "{{ org }} notice: {{ link }}\n")
    custom = Renderer(overrides).render(Channel.SMS, "en", make_context())
    assert custom.text == "Example Outfitters notice: {link}\n"
    assert custom.template_version != shipped.template_version
    # other channels still come from the shipped templates, unchanged
    email = Renderer(overrides).render(Channel.EMAIL, "en", make_context())
    assert (
        email.template_version
        == Renderer().render(Channel.EMAIL, "en", make_context()).template_version
    )


def test_overriding_a_shared_block_file_changes_the_version(
    tmp_path: Path, make_context: MakeContext
) -> None:
    shipped = Path(__file__).parents[3] / "src/breachdesk/notify/templates/en/_blocks.j2"
    source = shipped.read_text(encoding="utf-8").replace("Dear customer", "Hello customer")
    overrides = _override(tmp_path, "en", "_blocks.j2", source)
    custom = Renderer(overrides).render(Channel.EMAIL, "en", make_context(person_name=None))
    default = Renderer().render(Channel.EMAIL, "en", make_context(person_name=None))
    assert "Hello customer" in custom.text
    assert custom.template_version != default.template_version


def test_locale_fallback_with_a_note(make_context: MakeContext) -> None:
    assert locale_chain("es-MX") == ("es-MX", "es", "en")
    assert locale_chain("fr") == ("fr", "en")
    message = render(Channel.EMAIL, "es-MX", make_context())
    assert message.locale == "es"
    assert message.requested_locale == "es-MX"
    assert message.notes
    assert "es-MX" in message.notes[0]
    unknown = render(Channel.EMAIL, "pt-BR", make_context())
    assert unknown.locale == "en"
    assert unknown.notes


def test_regional_override_folder_is_used_first(tmp_path: Path, make_context: MakeContext) -> None:
    overrides = _override(tmp_path, "es-MX", "sms.txt.j2", "{{ org }}: aviso {{ link }}\n")
    message = Renderer(overrides).render(Channel.SMS, "es-MX", make_context())
    assert message.locale == "es-MX"
    assert message.notes == ()
    assert message.text.startswith("Example Outfitters: aviso")


def test_required_items_show_their_blocks_and_missing_values_are_noted(
    make_context: MakeContext,
) -> None:
    required = frozenset(
        {"fraud_alert_advice", "ftc_contact_information", "law_enforcement_delay_statement"}
        | {"identity_theft_services_offer", "number_of_residents"}
    )
    message = render(Channel.LETTER, "en", make_context(elements=["email"], required=required))
    assert "TransUnion" in message.text
    assert "identitytheft.gov" in message.text
    assert "not delayed by a law enforcement investigation" in message.text
    assert "still establishing how many people" in message.text
    assert any("services_offered" in note for note in message.notes)
    offered = make_context(
        elements=["email"], required=required, services_offer="24 months of credit monitoring."
    )
    done = render(Channel.LETTER, "en", offered)
    assert "24 months of credit monitoring." in done.text
    assert not any("services_offered" in note for note in done.notes)


@pytest.mark.parametrize("locale", LOCALES)
def test_regulator_letter_speaks_of_categories_not_of_you(locale: str) -> None:
    context = sample_context(elements=["ssn", "email"], addressee="Office of the Attorney General")
    message = render(Channel.REGULATOR_LETTER, locale, context)
    assert "Office of the Attorney General" in message.text
    for element in ("ssn", "email"):
        name = element_name(element, locale)  # type: ignore[arg-type]
        assert f"- {name}\n" not in message.text
    assert "- Email address\n" in render(Channel.REGULATOR_LETTER, "en", context).text


def test_regulator_letter_states_the_individual_notice_plan() -> None:
    plan = "E-mail to everyone with an address on file; letters to the rest."
    context = sample_context(
        individuals_notified_on=date(2026, 3, 22),
        notice_plan=plan,
        required=frozenset({"timing_of_notice", "distribution_of_notice"}),
    )
    message = render(Channel.REGULATOR_LETTER, "en", context)
    assert "Individual notices are sent starting March 22, 2026." in message.text
    assert plan in message.text
    assert message.notes == ()
    unplanned = sample_context(required=frozenset({"distribution_of_notice"}))
    notes = render(Channel.REGULATOR_LETTER, "en", unplanned).notes
    assert any("notice_to_individuals" in note for note in notes)
