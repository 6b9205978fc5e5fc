"""A web server's access log around a breach: benign traffic, then SQL injection from a few
addresses and a bulk download of customer records, with the ground truth of the attack."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from breachdesk.core.clock import iso

TRUTH_NAME = "attack_truth.json"
_BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.0 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148",
)
_PAGES = (
    "/",
    "/products",
    "/cart",
    "/help",
    "/about",
    "/account",
    "/static/app.js",
    "/static/site.css",
    "/img/logo.png",
    "/favicon.ico",
)
_SEARCHES = ("shoes", "red+dress", "gift+card", "returns", "size+guide", "laptop+bag")
# Injection payloads as sqlmap and hand-written probes send them (URL-encoded as on the wire).
_INJECTIONS = (
    "/search?q=1%27%20UNION%20SELECT%20username,password%20FROM%20users--",
    "/search?q=1%27%20UNION%20ALL%20SELECT%20NULL,NULL,table_name%20FROM%20information_schema.tables--",
    "/products?id=1%27%20or%20%271%27%3D%271",
    "/products?id=1%27+or+1%3d1--",
    "/products?id=1%20AND%20SLEEP(5)",
    "/search?q=x%27%20AND%20extractvalue(1,concat(0x7e,version()))--",
    "/products?id=1;%20WAITFOR%20DELAY%20%270:0:5%27--",
    "/search?q=1%27%20union%20select%20group_concat(email)%20from%20customers--",
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class AttackTruth:
    """What really happened in the generated log."""

    attacker_ips: tuple[str, ...]
    start: datetime  # first malicious request
    end: datetime  # last record downloaded
    accessed: tuple[str, ...]  # customer ids the attacker downloaded
    lines: int

    def write(self, path: Path) -> None:
        """Save as JSON beside the log."""
        path.write_text(
            json.dumps(
                {
                    "attacker_ips": list(self.attacker_ips),
                    "start": iso(self.start),
                    "end": iso(self.end),
                    "accessed_customers": list(self.accessed),
                    "lines": self.lines,
                },
                indent=2,
            ),
            encoding="utf-8",
        )

    @classmethod
    def read(cls, path: Path) -> AttackTruth:
        """Load a truth file written by :meth:`write`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            tuple(data["attacker_ips"]),
            datetime.fromisoformat(data["start"]),
            datetime.fromisoformat(data["end"]),
            tuple(data["accessed_customers"]),
            int(data["lines"]),
        )


def _stamp(t: datetime) -> str:
    return f"{t.day:02d}/{_MONTHS[t.month - 1]}/{t.year}:{t:%H:%M:%S} +0000"


def line(
    ip: str,
    t: datetime,
    method: str,
    url: str,
    status: int,
    size: int,
    agent: str,
    referer: str = "-",
) -> str:
    """One combined-format access-log line."""
    return (
        f'{ip} - - [{_stamp(t)}] "{method} {url} HTTP/1.1" {status} {size} "{referer}" "{agent}"\n'
    )


def _slot(ip: str) -> int:
    """A stable small number per client address (``hash`` is salted per process)."""
    return int(ip.rsplit(".", 1)[1]) + (0 if ip.startswith("198.") else 300)


def _benign(rng: Random, t: datetime, customers: Sequence[str], clients: Sequence[str]) -> str:
    ip = clients[rng.randrange(len(clients))]
    agent = _BROWSERS[_slot(ip) % len(_BROWSERS)]
    roll = rng.random()
    if roll < 0.55:
        url, status = _PAGES[rng.randrange(len(_PAGES))], 200
    elif roll < 0.70:
        url, status = f"/products/{rng.randint(1, 400)}", 200
    elif roll < 0.80:
        url, status = f"/search?q={_SEARCHES[rng.randrange(len(_SEARCHES))]}", 200
    elif roll < 0.92 and customers:
        # a signed-in customer looks at their own record (the same one for one address)
        url = f"/api/customers/{customers[_slot(ip) % len(customers)]}"
        status = 200
    elif roll < 0.97:
        return line(ip, t, "POST", "/login", 302 if rng.random() < 0.9 else 401, 0, agent)
    else:
        url, status = f"/products/{rng.randint(401, 999)}", 404
    return line(ip, t, "GET", url, status, rng.randint(300, 9000), agent)


def _attack(
    rng: Random, start: datetime, customers: Sequence[str], count: int, ips: tuple[str, str, str]
) -> tuple[list[tuple[datetime, str]], AttackTruth]:
    probe_a, probe_b, downloader = ips
    events: list[tuple[datetime, str]] = []
    t = start
    for n in range(24):  # injection probes, alternating addresses, a scanner among them
        ip, agent = (
            (probe_a, "sqlmap/1.8.11#stable (https://sqlmap.org)")
            if n % 2
            else (probe_b, _BROWSERS[0])
        )
        events.append(
            (
                t,
                line(
                    ip,
                    t,
                    "GET",
                    _INJECTIONS[n % len(_INJECTIONS)],
                    500 if n % 3 == 0 else 200,
                    rng.randint(200, 4000),
                    agent,
                ),
            )
        )
        t += timedelta(seconds=rng.randint(4, 40))
    t += timedelta(minutes=rng.randint(5, 15))
    first = rng.randrange(max(1, len(customers) - count))
    taken = list(customers[first : first + count])
    for cid in taken:  # the bulk download: every record in id order, a script's pace
        events.append(
            (
                t,
                line(
                    downloader,
                    t,
                    "GET",
                    f"/api/customers/{cid}",
                    200,
                    rng.randint(700, 1400),
                    "python-requests/2.32.3",
                ),
            )
        )
        t += timedelta(seconds=rng.randint(1, 2))
    truth = AttackTruth(ips, events[0][0], events[-1][0], tuple(taken), 0)
    return events, truth


def write_web_log(
    path: Path,
    customers: Sequence[str],
    *,
    seed: int = 7,
    start: datetime = datetime(2026, 11, 19, 18, 0, tzinfo=UTC),
    hours: float = 15.0,
    benign: int = 20_000,
    accessed: int = 150,
) -> AttackTruth:
    """Write ``path`` (benign lines plus the attack, in time order) and its truth beside it."""
    rng = Random(seed)
    clients = [f"198.51.100.{i}" for i in range(1, 255)] + [f"192.0.2.{i}" for i in range(1, 200)]
    ips = (
        f"203.0.113.{rng.randint(10, 60)}",
        f"203.0.113.{rng.randint(61, 120)}",
        f"203.0.113.{rng.randint(121, 200)}",
    )
    span = timedelta(hours=hours)
    attack_at = (start + span * (0.35 + 0.2 * rng.random())).replace(microsecond=0)
    attack, truth = _attack(rng, attack_at, customers, min(accessed, len(customers)), ips)
    step = span / max(benign, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    pending = iter(attack)
    nxt = next(pending, None)
    with path.open("w", encoding="utf-8") as fh:
        for n in range(benign):
            t = start + step * n
            while nxt is not None and nxt[0] <= t:
                fh.write(nxt[1])
                nxt = next(pending, None)
            fh.write(_benign(rng, t, customers, clients))
        while nxt is not None:
            fh.write(nxt[1])
            nxt = next(pending, None)
    truth = AttackTruth(
        truth.attacker_ips, truth.start, truth.end, truth.accessed, benign + len(attack)
    )
    truth.write(path.parent / TRUTH_NAME)
    return truth
