"""A person's reset link and credit-monitoring enrolment code appear in their notice when given,
in every shipped language and in both e-mail parts; absent, the notice does not mention them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from breachdesk.core.obligation import ContactInfo
from breachdesk.notify.context import NoticeContext
from breachdesk.notify.message import Channel
from breachdesk.notify.render import Renderer

LINK = "https://acme.example/reset/tok-1234567890"
CODE = "ENROL-7Q4K-22"


def _context() -> NoticeContext:
    return NoticeContext(
        organisation="ACME Ltd",
        contact=ContactInfo("ACME Ltd", email="privacy@acme.example"),
        incident_description="An API endpoint returned customer records.",
        measures_taken="We closed the endpoint.",
        notice_date=date(2026, 11, 21),
        elements=frozenset({"email", "password_hash"}),
    )


@pytest.mark.parametrize("locale", ["en", "es", "fr", "de"])
def test_link_and_code_shown_when_present(locale: str) -> None:
    renderer = Renderer()
    with_items = renderer.render(
        Channel.EMAIL, locale, replace(_context(), reset_link=LINK, enrolment_code=CODE)
    )
    assert with_items.locale == locale
    for part in (with_items.text, with_items.html or ""):
        assert LINK in part
        assert CODE in part
    without = renderer.render(Channel.EMAIL, locale, _context())
    assert LINK not in without.text
    assert CODE not in without.text
    assert len(with_items.text) > len(without.text)


def test_items_stay_out_of_repr() -> None:
    context = replace(_context(), reset_link=LINK, enrolment_code=CODE)
    assert LINK not in repr(context)
    assert CODE not in repr(context)
