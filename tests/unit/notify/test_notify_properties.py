"""Property: a notice names exactly the person's exposed elements, never another one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from notify_samples import sample_context

from breachdesk.core.element import DataElement
from breachdesk.notify.elements import LOCALES, element_name
from breachdesk.notify.message import Channel
from breachdesk.notify.render import render

ELEMENTS = sorted(DataElement, key=lambda e: e.value)


@given(
    elements=st.sets(st.sampled_from(ELEMENTS), min_size=1, max_size=12),
    locale=st.sampled_from(LOCALES),
    channel=st.sampled_from([Channel.EMAIL, Channel.LETTER]),
)
def test_notice_lists_exactly_the_persons_elements(
    elements: set[DataElement], locale: str, channel: Channel
) -> None:
    message = render(channel, locale, sample_context(elements=[e.value for e in elements]))
    listed = {e for e in DataElement if f"\n- {element_name(e, locale)}\n" in message.text}
    assert listed == elements
    assert message.html is not None
    shown = {e for e in DataElement if f"<li>{_html(element_name(e, locale))}<br>" in message.html}
    assert shown == elements


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;")
