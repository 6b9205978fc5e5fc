"""Faster scans (one-pass lexicons, literal starts, split patterns) equal the regexes replaced."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from breachdesk.discovery.context import (
    case_variants,
    cue_pattern,
    cue_present,
    cue_windows,
    literal_starts,
    matches_at,
    trie_pattern,
)
from breachdesk.discovery.detectors import (
    device_id,
    iban,
    ip_address,
    password_hash,
    postal_address,
)
from breachdesk.discovery.lexmatch import whole_words

WORDS = frozenset({"new", "new york", "york", "paris", "par", "oman", "roma", "ré", "são paulo"})
ALPHABET = "newyorkpasiumé ãPNYRO'-_\u2019\n1"


def regex_spans(words: frozenset[str], text: str, extra: str) -> list[tuple[int, int]]:
    cls = r"\w" + re.escape(extra)
    pattern = re.compile(rf"(?<![{cls}])(?:{trie_pattern(words)})(?![{cls}])")
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=400)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_whole_words_equal_the_trie_regex(text: str) -> None:
    variants = frozenset(case_variants(WORDS))
    for extra in ("", "-", "'\u2019-"):
        assert list(whole_words(variants, text, extra)) == regex_spans(variants, text, extra)


def test_whole_words_prefer_the_longest_word_with_a_boundary() -> None:
    words = frozenset({"new", "new york"})
    assert list(whole_words(words, "new york, new yorker", "")) == [(0, 8), (10, 13)]


def test_lexicons_sharing_one_pass_stay_apart() -> None:
    text = "York and Paris"
    assert list(whole_words(frozenset({"York"}), text, "")) == [(0, 4)]
    assert list(whole_words(frozenset({"Paris"}), text, "")) == [(9, 14)]
    assert list(whole_words(frozenset({"York"}), text, "")) == [(0, 4)]


LITERALS = ("ab", "b-", "SK")
PREFIXED = re.compile(r"(?:ab|b-|SK)[a-z]{2,5}")


@settings(max_examples=400)
@given(st.text(alphabet="abSK-xyz ", max_size=40))
def test_matches_at_literal_starts_equal_finditer(text: str) -> None:
    found = [m.span() for m in matches_at(PREFIXED, text, literal_starts(text, LITERALS))]
    assert found == [m.span() for m in PREFIXED.finditer(text)]


CUES = cue_pattern("token", "api key", "secret")


@settings(max_examples=400)
@given(st.text(alphabet="tokenapiysecrTOKENAPI _\u017f\u212a", max_size=40))
def test_cue_present_equals_a_search(text: str) -> None:
    assert cue_present(text, ("token", "api key", "secret"), CUES) is (
        CUES.search(text) is not None
    )


HASH_PARTS = [
    "$2b$12$" + "a" * 53, "$1$salt$" + "b" * 22, "{SSHA}abc=",
    "$6$s$" + "0123456789abcdef" * 5 + "a" * 6, "pbkdf2_sha256$1000$salt$abc=",
    "0123456789abcdef" * 2, "0123456789abcdef" * 3, "x", " ", ".",
    "$", "{", "/", "scrypt:1:2:3$ab$cd", "deadbeef" * 4 + "$", "DEADBEEF" * 5,
]  # fmt: skip


@settings(max_examples=400)
@given(st.lists(st.sampled_from(HASH_PARTS), max_size=6))
def test_hash_candidates_equal_the_single_pattern(parts: list[str]) -> None:
    text = "".join(parts)
    expected = [(m.span(), m.group()) for m in password_hash._CANDIDATE.finditer(text)]
    assert [(m.span(), m.group()) for m in password_hash.candidates(text)] == expected


@settings(max_examples=400)
@given(st.text(alphabet="0123456789abcdefABCDEFg::.x \n", max_size=60))
@example("peer 2001:db8::8a2e:370:7334 and fe80::1, x2001:db8::1 ::1 a:b:c:d:e:f:1:2")
def test_ipv6_candidates_at_colons_equal_finditer(text: str) -> None:
    expected = [m.span() for m in ip_address._V6.finditer(text)]
    found = [m.span() for m in matches_at(ip_address._V6, text, ip_address.v6_starts(text))]
    assert found == expected


@settings(max_examples=400)
@given(st.text(alphabet="0123456789abcdefABCDEFg:-x \n", max_size=60))
@example("00:1A:2B:3C:4D:5E 00-1a-2b-3c-4d-5e x00:1A:2B:3C:4D:5E 00:1A:2B:3C:4D:5E:6F 0:1A:2B")
def test_mac_candidates_at_separators_equal_finditer(text: str) -> None:
    expected = [m.span() for m in device_id._MAC.finditer(text)]
    found = [m.span() for m in matches_at(device_id._MAC, text, device_id.mac_starts(text))]
    assert found == expected


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            [
                "USS Nimitz",
                "Unit 2050 Box 4190",
                "PSC 1234, Box 5678",
                "USNS X",
                ", ",
                " ",
                "FPO AE 09499",
                "APO AP 96522",
                "DPO AA 34001",
                "USCGC Eagle",
                "Units",
            ]
        ),
        max_size=6,
    )
)
def test_military_candidates_at_literal_starts_equal_finditer(parts: list[str]) -> None:
    text = "".join(parts)
    expected = [m.span() for m in postal_address._MILITARY.finditer(text)]
    starts = literal_starts(text, postal_address._MILITARY_STARTS)
    assert [m.span() for m in matches_at(postal_address._MILITARY, text, starts)] == expected


@settings(max_examples=400)
@given(st.text(alphabet="GBgbDE0123456789 -x\n", max_size=60))
@example("Pay to GB82 WEST 1234 5698 7654 32 today, DE89370400440532013000 xGB82WEST12345698765432")
def test_iban_candidates_at_check_digits_equal_finditer(text: str) -> None:
    expected = [m.span() for m in iban._CANDIDATE.finditer(text)]
    found = [m.span() for m in matches_at(iban._CANDIDATE, text, iban.iban_starts(text))]
    assert found == expected


def _windows_by_find(
    text: str, needles: tuple[str, ...], before: int, after: int
) -> list[tuple[int, int]]:
    """The windows as one str.find sweep per needle computes them (reference)."""
    lower = text.lower()
    spans = []
    for needle in needles:
        i = lower.find(needle)
        while i != -1:
            spans.append((max(0, i - before), min(len(text), i + len(needle) + after)))
            i = lower.find(needle, i + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@settings(max_examples=400)
@given(st.text(alphabet="ssnSSNtinTINexp ip\n.b", max_size=60), st.integers(0, 8))
def test_cue_windows_from_the_shared_pass_equal_find_sweeps(text: str, reach: int) -> None:
    for needles in (("ssn", "tin"), ("exp",), ("b.", "ssn", "sn")):
        assert cue_windows(text, needles, reach, 2 * reach) == _windows_by_find(
            text, needles, reach, 2 * reach
        )
