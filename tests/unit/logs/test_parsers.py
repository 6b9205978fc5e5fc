"""Each parser on good and corrupt samples (tests/data/logs) and on the shared real recordings."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from breachdesk.timeline.event import LineSkipped, LogEvent, ParsedItem
from breachdesk.timeline.fieldmap import FieldMapError, parse_field_map
from breachdesk.timeline.parsers.base import ParseOptions
from breachdesk.timeline.parsers.syslog import YearGuess
from breachdesk.timeline.registry import open_log, parser_named, sniff_parser

DATA = Path(__file__).parents[2] / "data" / "logs"
SHARED = Path(__file__).parents[3].parent / "shared" / "data"


def shared(relative: str) -> Path:
    """A file of the shared test data, or a skip saying why (never in CI, where it exists)."""
    path = SHARED / relative
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"shared test data missing in CI: {path}")
        pytest.skip(f"shared test data not present: {path}")
    return path


def parse(name: str, fmt: str | None = None, **options: object) -> list[ParsedItem]:
    with (DATA / name).open("rb") as raw:
        stream, head = open_log(raw)
        parser = parser_named(fmt) if fmt else sniff_parser(head)
        assert parser is not None, name
        return list(parser.parse(stream, name, ParseOptions(**options)))  # type: ignore[arg-type]


def events(items: list[ParsedItem]) -> list[LogEvent]:
    return [i for i in items if isinstance(i, LogEvent)]


def skips(items: list[ParsedItem]) -> dict[str, str]:
    return {i.locator: i.reason for i in items if isinstance(i, LineSkipped)}


def test_access_log_fields_and_offsets() -> None:
    items = parse("access_combined.log")
    got = events(items)
    assert [e.source for e in got] == ["apache"] * 7
    first = got[0]
    assert first.time == datetime(2026, 3, 10, 8, 0, 1, tzinfo=UTC)  # +0100 converted
    assert (first.src_ip, first.action, first.target, first.status, first.bytes) == (
        "203.0.113.5",
        "GET",
        "/index.html",
        "200",
        512,
    )
    assert got[1].user == "alice"
    assert got[1].fields["referer"] == "https://shop.example/login"
    assert got[2].user_agent == "sqlmap/1.7"
    assert "OR%201=1" in (got[2].target or "")
    vhost = got[4]
    assert (vhost.host, vhost.src_ip, vhost.fields["vhost"]) == (
        "shop.example",
        "192.0.2.10",
        "shop.example:443",
    )
    common = got[5]
    assert common.user_agent is None
    assert "referer" not in common.fields
    assert got[6].action is None  # a TLS handshake sent to the HTTP port keeps its text
    assert skips(items) == {
        "access_combined.log:4": "not an access-log line",
        "access_combined.log:8": "unreadable time stamp",
    }


def test_nginx_name_and_extra_trailing_fields() -> None:
    line = b'10.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/2.0" 200 5 "-" "ua" "1.2.3.4"\n'
    (event,) = parser_named("nginx").parse(io.BytesIO(line), "n.log", ParseOptions())
    assert isinstance(event, LogEvent)
    assert (event.source, event.src_ip, event.user_agent) == ("nginx", "10.0.0.1", "ua")


def test_auth_log_normalises_sshd_and_sudo_across_new_year() -> None:
    items = parse("auth.log", reference=datetime(2026, 1, 2, tzinfo=UTC))
    got = events(items)
    assert got[0].time == datetime(2025, 12, 31, 23, 59, 58, tzinfo=UTC)
    assert got[2].time == datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC)  # December -> January
    table = [(e.action, e.user, e.src_ip, e.status) for e in got[:7]]
    assert table == [
        ("login", "admin", "203.0.113.9", "failure"),
        ("login", "root", "203.0.113.9", "failure"),
        ("login", "deploy", "203.0.113.9", "success"),
        ("login", "alice", "198.51.100.7", "success"),
        ("invalid_user", "oracle", "203.0.113.9", "failure"),
        ("sudo", "deploy", None, "success"),
        ("sudo", "bob", None, "failure"),
    ]
    assert got[0].fields["invalid_user"] == "true"
    assert got[3].fields["method"] == "publickey"
    assert got[5].target == "/usr/bin/mysqldump shop"
    assert got[5].fields["run_as"] == "root"
    assert got[7].action == "CRON"
    assert got[7].fields["program"] == "CRON"
    assert skips(items) == {
        "auth.log:9": "not a syslog line",
        "auth.log:10": "impossible time stamp",
    }


def test_year_less_stamps_take_the_reference_year_or_the_one_before() -> None:
    guess = YearGuess(datetime(2026, 3, 1, tzinfo=UTC), UTC)
    assert guess.stamp(11, 30, 10, 0, 0).year == 2025  # would be in the future: last year
    assert guess.stamp(12, 31, 23, 0, 0).year == 2025
    assert guess.stamp(1, 1, 0, 0, 1).year == 2026  # rolled over
    assert guess.stamp(2, 28, 0, 0, 1).year == 2026
    assert guess.stamp(1, 31, 0, 0, 1).year == 2026  # a small step back is not a new year
    same = YearGuess(datetime(2026, 3, 1, tzinfo=UTC), UTC)
    assert same.stamp(2, 20, 0, 0, 0).year == 2026


def test_tz_applies_to_stamps_without_offset() -> None:
    paris = ZoneInfo("Europe/Paris")
    items = parse("auth.log", reference=datetime(2026, 1, 2, tzinfo=UTC), tz=paris)
    assert events(items)[2].time == datetime(2025, 12, 31, 23, 0, 1, tzinfo=UTC)
    csv_items = parse("logins.csv", tz=timezone(timedelta(hours=-5)))
    assert events(csv_items)[0].time == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


def test_rfc5424_and_corrupt_header() -> None:
    items = parse("syslog_5424.log")
    got = events(items)
    assert got[0].time == datetime(2026, 3, 10, 22, 14, 15, 3000, tzinfo=UTC)
    assert (got[0].host, got[0].action) == ("mail.example", "su")
    assert got[0].fields["severity"] == "crit"
    assert got[0].fields["facility"] == "4"
    assert got[1].fields["message"] == "started"
    assert skips(items) == {"syslog_5424.log:3": "impossible time stamp"}


def test_json_lines_guess_common_names_and_accept_a_map() -> None:
    items = parse("app.jsonl")
    first, second = events(items)
    assert (first.src_ip, first.user, first.action, first.target, first.status) == (
        "198.51.100.23",
        "svc-export",
        "download",
        "/exports/customers.csv",
        "200",
    )
    assert first.bytes == 123456
    assert first.fields["client.ip"] == "198.51.100.23"
    assert second.time == datetime.fromtimestamp(1773129601, UTC)
    assert skips(items) == {
        "app.jsonl:3": "not valid JSON",
        "app.jsonl:4": "no time field found (name it with --map time=FIELD)",
    }
    mapped = parse("app.jsonl", field_map={"user": "client.ip", "action": "url.path"})
    assert events(mapped)[0].user == "198.51.100.23"
    assert events(mapped)[0].action == "/exports/customers.csv"


def test_field_map_option_is_checked() -> None:
    assert parse_field_map("time=@timestamp, src_ip=client.ip") == {
        "time": "@timestamp",
        "src_ip": "client.ip",
    }
    with pytest.raises(FieldMapError, match="unknown field colour"):
        parse_field_map("colour=red")
    with pytest.raises(FieldMapError, match="not name=field"):
        parse_field_map("time")


def test_cloudtrail_document_gzip_and_lines_agree() -> None:
    document = parse("cloudtrail.json.gz")
    lines = parse("cloudtrail_lines.jsonl")
    assert [(e.time, e.action, e.target) for e in events(document)] == [
        (e.time, e.action, e.target) for e in events(lines)
    ]
    get, denied = events(document)
    assert (get.src_ip, get.user, get.host, get.status) == (
        "198.51.100.23",
        "svc-export",
        "eu-west-1",
        "success",
    )
    assert get.target == "s3://customer-exports/2026/customers.csv"
    assert get.fields["eventSource"] == "s3.amazonaws.com"
    assert get.fields["requestParameters.bucketName"] == "customer-exports"
    assert (denied.action, denied.status, denied.target) == (
        "CreateAccessKey",
        "AccessDenied",
        "admin",
    )
    assert skips(document) == {"cloudtrail.json.gz:3": "record has no eventTime"}


def test_truncated_cloudtrail_is_skipped_not_raised() -> None:
    items = parse("cloudtrail_truncated.json")
    assert list(skips(items).values())[-1] == "invalid JSON; rest of file skipped"


def test_csv_with_semicolons_and_bad_rows() -> None:
    items = parse("logins.csv")
    got = events(items)
    assert [(e.user, e.src_ip, e.action, e.status) for e in got] == [
        ("alice", "203.0.113.7", "login", "ok"),
        ("bob", "203.0.113.8", "login", "denied"),
    ]
    assert skips(items) == {
        "logins.csv:4": "unreadable time in field when",
        "logins.csv:5": "3 columns, header has 5",
    }
    missing = parse("logins.csv", fmt="csv", field_map={"time": "timestamp"})
    assert skips(missing) == {"logins.csv:1": "mapped column not in header: timestamp"}


def test_over_long_line_is_skipped_and_parsing_continues() -> None:
    good = (DATA / "access_combined.log").read_bytes().splitlines(keepends=True)[0]
    data = good + b"x" * (2 << 20) + b"\n" + good
    items = list(parser_named("apache").parse(io.BytesIO(data), "big.log", ParseOptions()))
    assert [type(i).__name__ for i in items] == ["LogEvent", "LineSkipped", "LogEvent"]
    assert items[1] == LineSkipped("big.log:2", "line too long")
    assert items[2].locator == "big.log:3"


# --- shared real data ------------------------------------------------------------------------


def test_elastic_apache_sample_parses_completely() -> None:
    path = shared("logs/apache_elastic/apache_logs")
    with path.open("rb") as raw:
        stream, head = open_log(raw)
        parser = sniff_parser(head)
        assert parser is not None
        assert parser.name == "apache"
        items = list(parser.parse(stream, path.name, ParseOptions()))
    got = events(items)
    assert len(items) == 10_000
    assert len(got) >= 9_990
    assert all(e.time.year == 2015 and e.src_ip for e in got)
    assert len({e.src_ip for e in got}) > 100


def test_otrf_honeybucket_csv_maps_by_header() -> None:
    path = shared("logs/cloudtrail_otrf/aws_s3_honeybucketlogs.zip")
    with zipfile.ZipFile(path) as archive:
        (member,) = [n for n in archive.namelist() if n.endswith(".csv")]
        data = archive.read(member)
    stream, head = open_log(io.BytesIO(data))
    parser = sniff_parser(head)
    assert parser is not None
    assert parser.name == "csv"
    items = list(parser.parse(stream, "honeybucket.csv", ParseOptions()))
    got = events(items)
    assert got
    assert not skips(items)
    assert all(e.src_ip and e.action for e in got)
    assert {"ListObjects"} <= {e.action for e in got}
    assert got[0].fields["Event Name"] == got[0].action


@pytest.mark.parametrize(
    "name",
    [
        "CA_4624_4625_LogonType2_LogonProc_chrome.evtx",
        "CA_DCSync_4662.evtx",
        "kerberos_pwd_spray_4771.evtx",
        "sysmon_10_lsass_mimikatz_sekurlsa_logonpasswords.evtx",
    ],
)
def test_evtx_recordings(name: str) -> None:
    path = shared(f"evtx/{name}")
    with path.open("rb") as raw:
        stream, head = open_log(raw)
        parser = sniff_parser(head)
        assert parser is not None
        assert parser.name == "evtx"
        items = list(parser.parse(stream, name, ParseOptions()))
    got = events(items)
    assert got
    assert not skips(items)
    for e in got:
        assert e.fields["EventID"] == e.action
        assert e.fields["Channel"]
        assert e.host
        assert e.fields["Provider_Name"]
        assert e.fields["Computer"] == e.host
    assert [int(e.locator.rsplit(":", 1)[1]) for e in got] == list(range(1, len(got) + 1))


def test_evtx_spray_recording_has_users_and_addresses() -> None:
    path = shared("evtx/kerberos_pwd_spray_4771.evtx")
    with path.open("rb") as raw:
        stream, _ = open_log(raw)
        got = events(list(parser_named("evtx").parse(stream, "k.evtx", ParseOptions())))
    spray = [e for e in got if e.action == "4771"]
    assert spray
    assert all(e.src_ip and e.user for e in spray)
    assert all(e.fields["Channel"] == "Security" for e in spray)


def test_evtx_damaged_file_is_skipped() -> None:
    path = shared("evtx/CA_DCSync_4662.evtx")
    data = bytearray(path.read_bytes())
    data[4096 + 512 : 4096 + 2048] = b"\xff" * 1536  # damage the first chunk's records
    items = list(parser_named("evtx").parse(io.BytesIO(bytes(data)), "bad.evtx", ParseOptions()))
    assert all(isinstance(i, LogEvent | LineSkipped) for i in items)
    truncated = bytes(data[:100])
    again = list(parser_named("evtx").parse(io.BytesIO(truncated), "t.evtx", ParseOptions()))
    assert again
    assert all(isinstance(i, LineSkipped) for i in again)


def test_auth_variants_preauth_pam_and_ipv6() -> None:
    log = (
        b"Mar 10 09:00:01 web1 sshd[1]: Failed password for root from 203.0.113.9 port 52312"
        b" ssh2 [preauth]\n"
        b"Mar 10 09:00:02 web1 sshd[2]: pam_unix(sshd:auth): authentication failure; logname="
        b" uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root\n"
        b"Mar 10 09:00:05 web1 sshd[3]: Accepted password for bob from 2001:db8::1 port 50022"
        b" ssh2\n"
        b"Mar 10 09:00:06 web1 su: pam_unix(su:auth): authentication failure; logname=bob"
        b" uid=1000 euid=0 tty=pts/0 ruser=bob rhost=  user=root\n"
    )
    options = ParseOptions(reference=datetime(2026, 3, 11, tzinfo=UTC))
    got = events(list(parser_named("auth").parse(io.BytesIO(log), "auth.log", options)))
    assert [(e.action, e.user, e.src_ip, e.status) for e in got] == [
        ("login", "root", "203.0.113.9", "failure"),
        ("auth_failure", "root", "203.0.113.9", "failure"),
        ("login", "bob", "2001:db8::1", "success"),
        ("auth_failure", "root", None, "failure"),
    ]
    assert got[1].fields["service"] == "sshd"
