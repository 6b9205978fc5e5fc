"""Validators: checksums and format rules, with property tests where the rules are mathematical."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iban as std_iban

from breachdesk.discovery import validators as v

digit_strings = st.text(alphabet="0123456789", min_size=2, max_size=19)


@given(digit_strings)
def test_luhn_check_digit_makes_any_prefix_valid(prefix: str) -> None:
    assert v.luhn_ok(prefix + v.luhn_check_digit(prefix))


@given(digit_strings, st.data())
def test_luhn_detects_any_single_digit_change(prefix: str, data: st.DataObject) -> None:
    number = prefix + v.luhn_check_digit(prefix)
    i = data.draw(st.integers(0, len(number) - 1))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != number[i]]))
    assert not v.luhn_ok(number[:i] + new + number[i + 1 :])


@pytest.mark.parametrize(
    ("number", "issuer"),
    [
        ("4111111111111111", "visa"),
        ("5555555555554444", "mastercard"),
        ("2223003122003222", "mastercard"),
        ("378282246310005", "amex"),
        ("6011111111111117", "discover"),
        ("3530111333300000", "jcb"),
        ("30569309025904", "diners"),
    ],
)
def test_card_issuer_of_published_test_numbers(number: str, issuer: str) -> None:
    assert v.card_issuer(number) == issuer
    assert v.card_ok(number)


def test_card_needs_issuer_range_and_luhn() -> None:
    assert not v.card_ok("4111111111111112")  # Luhn fails
    assert not v.card_ok("9111111111111111")  # no issuer 9
    assert v.card_ok("4111-1111-1111-1111")


countries = st.sampled_from(sorted(v.IBAN_LENGTHS))


@given(countries, st.data())
def test_iban_mod97_round_trip(country: str, data: st.DataObject) -> None:
    n = v.IBAN_LENGTHS[country] - 4
    bban = data.draw(
        st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=n, max_size=n)
    )
    iban = country + v.iban_check_digits(country, bban) + bban
    assert v.iban_ok(iban)
    assert v.iban_mod97(iban) == 1


@given(countries, st.data())
def test_iban_any_single_character_change_fails(country: str, data: st.DataObject) -> None:
    n = v.IBAN_LENGTHS[country] - 4
    bban = data.draw(st.text(alphabet="0123456789", min_size=n, max_size=n))
    iban = country + v.iban_check_digits(country, bban) + bban
    i = data.draw(st.integers(4, len(iban) - 1))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != iban[i]]))
    assert not v.iban_ok(iban[:i] + new + iban[i + 1 :])


@pytest.mark.parametrize(
    "iban", ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "FR1420041010050500013M02606"]
)
def test_iban_known_good_agrees_with_stdnum(iban: str) -> None:
    assert v.iban_ok(iban)
    assert std_iban.is_valid(iban)


def test_iban_wrong_length_for_country_fails() -> None:
    assert not v.iban_ok("DE8937040044053201300")  # one digit short for DE


@st.composite
def aba_numbers(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(sorted(v._ABA_PREFIXES)))
    middle = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    eight = prefix + middle
    n = [int(c) for c in eight]
    partial = 3 * (n[0] + n[3] + n[6]) + 7 * (n[1] + n[4] + n[7]) + (n[2] + n[5])
    return eight + str((10 - partial % 10) % 10)


@given(aba_numbers(), st.data())
def test_aba_valid_and_single_change_fails(number: str, data: st.DataObject) -> None:
    assert v.aba_ok(number) or number == "000000000"
    i = data.draw(st.integers(2, 8))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != number[i]]))
    assert not v.aba_ok(number[:i] + new + number[i + 1 :])


def test_aba_known_numbers() -> None:
    assert v.aba_ok("021000021")
    assert v.aba_ok("011000015")
    assert not v.aba_ok("021000022")
    assert not v.aba_ok("991000021")  # prefix 99 not assigned


@given(st.integers(1, 899), st.integers(1, 99), st.integers(1, 9999))
def test_ssn_rules_valid_area_group_serial(area: int, group: int, serial: int) -> None:
    value = f"{area:03d}-{group:02d}-{serial:04d}"
    expected = "ssn" if area != 666 and value.replace("-", "") not in v._SSN_BLOCKLIST else None
    assert v.ssn_kind(value) == expected


@given(st.integers(0, 999), st.integers(0, 99), st.integers(0, 9999))
def test_ssn_zero_parts_never_valid(area: int, group: int, serial: int) -> None:
    if area == 0 or group == 0 or serial == 0:
        assert v.ssn_kind(f"{area:03d}{group:02d}{serial:04d}") is None


def test_itin_distinguished_from_ssn() -> None:
    assert v.ssn_kind("912-70-1234") == "itin"
    assert v.ssn_kind("912-40-1234") is None  # 9xx with a non-ITIN group
    assert v.ssn_kind("123-45-6780") == "ssn"
    assert not v.ssn_ok("912-70-1234")


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", "bcrypt"),
        ("$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", "argon2"),
        ("$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", "md5-crypt"),
        ("$apr1$saltsalt$qjXMvbEw8oaL.CzflDugX/", "md5-crypt"),
        ("$5$saltsalt$" + "a" * 43, "sha256-crypt"),
        ("$6$rounds=5000$saltsalt$" + "b" * 86, "sha512-crypt"),
        ("pbkdf2_sha256$600000$salt$aGFzaGhhc2hoYXNoaGFzaA==", "pbkdf2"),
        ("pbkdf2:sha256:600000$salt$0f1e2d3c4b5a", "pbkdf2"),
        ("$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA", "scrypt"),
        ("5f4dcc3b5aa765d61d8327deb882cf99", "md5-or-ntlm"),
        ("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8", "sha1"),
        ("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", "sha256"),
    ],
)
def test_hash_formats(value: str, kind: str) -> None:
    assert v.hash_kind(value) == kind


@pytest.mark.parametrize(
    "value", ["hello", "$12.50", "0" * 32, "12345678901234567890123456789012", "5f4dcc3B5aa7"]
)
def test_not_hashes(value: str) -> None:
    assert v.hash_kind(value) is None


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("AKIAIOSFODNN7EXAMPLE", "aws-access-key"),
        ("ASIAIOSFODNN7EXAMPLE", "aws-access-key"),
        ("ghp_" + "a1B2" * 9, "github-token"),
        ("gho_" + "a1B2" * 9, "github-token"),
        ("github_pat_" + "A1b2_" * 16, "github-pat"),
        ("xoxb-1234567890-abcdefghij", "slack-token"),
        ("sk_live_" + "a1B2c3D4" * 3, "stripe-key"),
        ("pk_live_" + "a1B2c3D4" * 3, "stripe-key"),
        ("AIza" + "B" * 35, "google-api-key"),
    ],
)
def test_api_key_prefixes(value: str, kind: str) -> None:
    assert v.api_key_kind(value) == kind


def test_jwt_and_entropy() -> None:
    jwt = (
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    )
    assert v.jwt_ok(jwt)
    assert not v.jwt_ok("eyJ.not.a.token")
    assert v.shannon_entropy("") == 0.0
    assert v.shannon_entropy("aaaa") == 0.0
    assert v.shannon_entropy("abcd") == pytest.approx(2.0)
    assert v.secret_like("q8Zr2mX9vT4pL7sK1nB6wE3y")
    assert not v.secret_like("aaaaaaaaaaaaaaaaaaaaaaaa")


@given(st.text(max_size=40))
def test_validators_never_raise(value: str) -> None:
    v.card_ok(value)
    v.iban_ok(value)
    v.aba_ok(value)
    v.ssn_kind(value)
    v.hash_kind(value)
    v.api_key_kind(value)
    v.national_id_country(value)


@pytest.mark.parametrize(
    ("value", "country"),
    [("12345678Z", "ES"), ("131052-308T", "FI"), ("RSSMRA85T10A562S", "IT"), ("44051401458", "PL")],
)
def test_national_ids_via_stdnum(value: str, country: str) -> None:
    assert v.national_id_country(value) == country


card_like = st.one_of(
    st.text(alphabet="0123456789", min_size=12, max_size=19),
    st.text(alphabet="0123456789 -", min_size=10, max_size=24),
    st.builds(
        lambda p: p + v.luhn_check_digit(p),
        st.text(alphabet="0123456789", min_size=11, max_size=18),
    ),
)
ssn_like = st.one_of(
    st.builds(lambda a, g, s, sep: f"{a:03d}{sep}{g:02d}{sep}{s:04d}", st.integers(0, 999),
              st.integers(0, 99), st.integers(0, 9999), st.sampled_from(["", "-", " "])),
    st.text(alphabet="0123456789- ", max_size=12),
)  # fmt: skip


@given(st.lists(card_like, min_size=1, max_size=20))
def test_vectorised_card_check_matches_scalar(values: list[str]) -> None:
    import re

    import polars as pl

    from breachdesk.discovery import vectorised as vz

    got = pl.DataFrame({"v": values}, schema={"v": pl.String}).select(vz.card_ok(pl.col("v")))
    shape = re.compile(r"\d(?:[ -]?\d){11,18}")
    expected = [bool(shape.fullmatch(x)) and v.card_ok(x) for x in values]
    assert got["v"].to_list() == expected


@given(st.lists(ssn_like, min_size=1, max_size=20))
def test_vectorised_ssn_and_aba_match_scalar(values: list[str]) -> None:
    import re

    import polars as pl

    from breachdesk.discovery import vectorised as vz

    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    got = frame.select(
        ssn=vz.ssn_ok(pl.col("v")), itin=vz.itin_ok(pl.col("v")), aba=vz.aba_ok(pl.col("v"))
    )
    shape = re.compile(r"\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{9}")
    assert got["ssn"].to_list() == [
        bool(shape.fullmatch(x)) and v.ssn_kind(x) == "ssn" for x in values
    ]
    assert got["itin"].to_list() == [
        bool(shape.fullmatch(x)) and v.ssn_kind(x) == "itin" for x in values
    ]
    assert got["aba"].to_list() == [v.aba_ok(x) for x in values]
