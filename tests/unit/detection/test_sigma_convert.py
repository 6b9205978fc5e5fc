"""The Sigma converter: every modifier, value type, condition form and keyword search."""

from __future__ import annotations

import base64

import pytest
from detection_helpers import matches, problem, rule, web, win
from hypothesis import given
from hypothesis import strategies as st

WIN = "product: windows\n    service: security"


def test_plain_value_is_whole_value_case_insensitive() -> None:
    text = rule("sel:\n    cs-method: get\ncondition: sel")
    assert matches(text, [web("/a"), web("/a", method="POST"), web("/a", method="GETX")]) == [0]


@pytest.mark.parametrize(
    ("modifier", "value", "hits"),
    [
        ("contains", "admin", [0, 1]),
        ("startswith", "/admin", [0]),
        ("endswith", ".php", [1]),
    ],
)
def test_string_modifiers(modifier: str, value: str, hits: list[int]) -> None:
    text = rule(f"sel:\n    c-uri|{modifier}: '{value}'\ncondition: sel")
    events = [web("/ADMIN/x"), web("/x/admin.php"), web("/index.html")]
    assert matches(text, events) == hits


def test_value_list_is_or_and_all_makes_it_and() -> None:
    either = rule("sel:\n    c-uri|contains:\n        - foo\n        - bar\ncondition: sel")
    both = rule("sel:\n    c-uri|contains|all:\n        - foo\n        - bar\ncondition: sel")
    events = [web("/foo"), web("/bar"), web("/foo/bar"), web("/baz")]
    assert matches(either, events) == [0, 1, 2]
    assert matches(both, events) == [2]


def test_wildcards_in_the_middle_and_single_character() -> None:
    text = rule("sel:\n    c-uri: '/api/*/export?'\ncondition: sel")
    events = [web("/api/v1/export1"), web("/api/v1/export"), web("/api/v1/exportXY")]
    assert matches(text, events) == [0]


def test_escaped_wildcard_is_literal() -> None:
    text = rule("sel:\n    c-uri: '/a\\*b'\ncondition: sel")
    assert matches(text, [web("/a*b"), web("/axb")]) == [0]


def test_regular_expression_with_and_without_flags() -> None:
    plain = rule("sel:\n    c-uri|re: '^/user/[0-9]+$'\ncondition: sel")
    insensitive = rule("sel:\n    c-uri|re|i: '^/USER/[0-9]+$'\ncondition: sel")
    events = [web("/user/12"), web("/user/x"), web("/USER/3")]
    assert matches(plain, events) == [0]
    assert matches(insensitive, events) == [0, 2]


def test_regular_expression_needing_lookaround_is_reported() -> None:
    text = rule("sel:\n    c-uri|re: '^/a(?!dmin)'\ncondition: sel")
    assert problem(text).reason.startswith("invalid")


def test_cidr() -> None:
    text = rule(
        "sel:\n    c-ip|cidr:\n        - 10.0.0.0/8\n        - 192.168.1.0/25\ncondition: sel"
    )
    events = [web("/", ip="10.2.3.4"), web("/", ip="192.168.1.200"), web("/", ip="192.168.1.5")]
    assert matches(text, events) == [0, 2]


def test_numbers_compare_with_text_status_and_lt_gt() -> None:
    exact = rule("sel:\n    sc-status: 404\ncondition: sel")
    low = rule("sel:\n    sc-status|lt: 400\ncondition: sel")
    high = rule("sel:\n    sc-status|gte: 500\ncondition: sel")
    events = [web("/", status="404"), web("/", status="200"), web("/", status="503")]
    assert matches(exact, events) == [0]
    assert matches(low, events) == [1]
    assert matches(high, events) == [2]


def test_exists_and_null() -> None:
    has = rule("sel:\n    Referer|exists: true\ncondition: sel", logsource=WIN)
    lacks = rule("sel:\n    Referer|exists: false\ncondition: sel", logsource=WIN)
    null = rule("sel:\n    Referer: null\ncondition: sel", logsource=WIN)
    events = [win(Referer="x"), win(), win(Referer="")]
    assert matches(has, events) == [0]
    assert matches(lacks, events) == [1, 2]
    assert matches(null, events) == [1, 2]


def test_base64_and_base64offset() -> None:
    encoded = base64.b64encode(b"whoami").decode()
    exact = rule("sel:\n    CommandLine|base64: whoami\ncondition: sel", logsource=WIN)
    offset = rule(
        "sel:\n    CommandLine|base64offset|contains: whoami\ncondition: sel", logsource=WIN
    )
    shifted = base64.b64encode(b"x whoami /all").decode()
    events = [win(CommandLine=encoded), win(CommandLine=shifted), win(CommandLine="whoami")]
    assert matches(exact, events) == [0]
    assert matches(offset, events) == [0, 1]


def test_windash_expands_dash_to_slash_and_dashes() -> None:
    text = rule("sel:\n    CommandLine|windash|contains: ' -enc '\ncondition: sel", logsource=WIN)
    events = [
        win(CommandLine="ps /enc x"),
        win(CommandLine="ps \u2013enc x"),
        win(CommandLine="ps -enc x"),
        win(CommandLine="ps enc x"),
    ]
    assert matches(text, events) == [0, 1, 2]


def test_fieldref_and_cased() -> None:
    same = rule("sel:\n    SubjectUserName|fieldref: TargetUserName\ncondition: sel", logsource=WIN)
    cased = rule("sel:\n    TargetUserName|cased: Admin\ncondition: sel", logsource=WIN)
    events = [
        win(SubjectUserName="a", TargetUserName="a"),
        win(SubjectUserName="a", TargetUserName="Admin"),
        win(SubjectUserName="a", TargetUserName="admin"),
    ]
    assert matches(same, events) == [0]
    assert matches(cased, events) == [1]


def test_conditions_and_or_not_and_selectors() -> None:
    detection = """
sel_get:
    cs-method: GET
sel_admin:
    c-uri|startswith: /admin
filter_ok:
    sc-status: 200
condition: all of sel_* and not 1 of filter_*
"""
    events = [
        web("/admin"),
        web("/admin", status="403"),
        web("/x", status="403"),
        web("/admin", method="POST", status="403"),
    ]
    assert matches(rule(detection), events) == [1]
    anyof = rule(detection.replace("all of sel_* and not 1 of filter_*", "1 of them"))
    assert matches(anyof, events) == [0, 1, 2, 3]
    grouped = rule(
        detection.replace(
            "all of sel_* and not 1 of filter_*", "sel_get and (sel_admin or not filter_ok)"
        )
    )
    assert matches(grouped, events) == [0, 1, 2]


def test_list_of_maps_is_or_of_ands() -> None:
    detection = """
sel:
    - cs-method: POST
      c-uri: /login
    - sc-status: 500
condition: sel
"""
    events = [web("/login", method="POST"), web("/login"), web("/x", status="500")]
    assert matches(rule(detection), events) == [0, 2]


def test_not_on_missing_field_is_true() -> None:
    text = rule(
        "sel:\n    EventID: 1\nflt:\n    Image: x\ncondition: sel and not flt", logsource=WIN
    )
    assert matches(text, [win(EventID="1"), win(EventID="1", Image="x")]) == [0]


def test_keyword_rules_search_url_agent_and_native_fields() -> None:
    text = rule("keywords:\n    - 'UNION SELECT'\n    - 'C:\\Windows\\Temp'\ncondition: keywords")
    events = [
        web("/q?x=1 union select 1"),
        web("/", agent="UNION SELECT bot"),
        web("/", note="c:\\windows\\temp\\a.exe"),
        web("/plain"),
    ]
    assert matches(text, events) == [0, 1, 2]


def test_keyword_and_field_mixed() -> None:
    text = rule("sel:\n    cs-method: GET\nkw:\n    - 'etc/passwd'\ncondition: sel and kw")
    events = [web("/../etc/passwd"), web("/../etc/passwd", method="POST")]
    assert matches(text, events) == [0]


def test_uri_stem_and_query_parts() -> None:
    stem = rule("sel:\n    cs-uri-stem|endswith: .jsp\ncondition: sel")
    query = rule("sel:\n    cs-uri-query|contains: cmd=\ncondition: sel")
    events = [web("/a.jsp?cmd=id"), web("/a.jsp"), web("/b?cmd=x")]
    assert matches(stem, events) == [0, 1]
    assert matches(query, events) == [0, 2]


def test_logsource_scopes_rules_to_their_events() -> None:
    text = rule("sel:\n    EventID: 4625\ncondition: sel", logsource=WIN)
    sysmon = win("Microsoft-Windows-Sysmon/Operational", EventID="4625")
    assert matches(text, [win(EventID="4625"), sysmon, web("/4625")]) == [0]


def test_unconvertible_rules_are_reported_not_raised() -> None:
    assert (
        "not produced"
        in problem(rule("sel:\n    a: b\ncondition: sel", logsource="category: proxy")).reason
    )
    assert (
        "placeholder" in problem(rule("sel:\n    c-ip|expand: '%admins%'\ncondition: sel")).reason
    )
    broken = problem(
        "title: x\nlogsource:\n    category: webserver\ndetection:\n    condition: s\n"
    )
    assert broken.reason.startswith(("invalid", "cannot"))
    assert problem("::: not yaml [").reason.startswith(("unreadable", "invalid"))


@given(
    st.text(alphabet="abcXYZ/._-?=% 01", min_size=1, max_size=12),
    st.text(alphabet="abcXYZ/._-?=% 01", max_size=20),
)
def test_contains_agrees_with_python(needle: str, url: str) -> None:
    quoted = needle.replace("'", "''").replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")
    text = rule(f"sel:\n    c-uri|contains: '{quoted}'\ncondition: sel")
    expected = [0] if needle.lower() in url.lower() else []
    assert matches(text, [web(url)]) == expected


@given(
    st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3),
    st.sets(st.sampled_from(["a", "b", "c"])),
)
def test_all_of_and_1_of_agree_with_python(names: list[str], present: set[str]) -> None:
    blocks = "".join(f"s_{n}:\n    c-uri|contains: '/{n}/'\n" for n in sorted(set(names)))
    url = "".join(f"/{p}/" for p in sorted(present))
    both = matches(rule(blocks + "condition: all of s_*"), [web(url)])
    one = matches(rule(blocks + "condition: 1 of s_*"), [web(url)])
    assert both == ([0] if set(names) <= present else [])
    assert one == ([0] if set(names) & present else [])


def test_case_folding_beyond_ascii() -> None:
    keyword = rule("keywords:\n    - 'ÜBERWEISUNG'\ncondition: keywords")
    field = rule("sel:\n    c-uri|contains: 'ÄRGER'\ncondition: sel")
    events = [web("/überweisung"), web("/ärger"), web("/uberweisung")]
    assert matches(keyword, events) == [0]
    assert matches(field, events) == [1]
