"""Notice delivery throughput: personalised e-mails through the outbox to a local SMTP server.

Usage: python benchmarks/notify.py [--messages 100000] [--concurrency 8] [--sink maildir|null]
                                   [--smtp HOST:PORT [--to-domain D] [--sender A]]
                                   [--processes 1] [--record-batch 64] [--baseline 2000] [--tls]
                                   [--database-url URL]

Creates a throwaway workspace (SQLite unless ``--database-url``), queues ``--messages`` rendered,
personalised messages in chunks (one transaction and audit entry per chunk), then times
``dispatch_pending`` with the SMTP transport against the aiosmtpd sink running in its own process
(``maildir``: every message written to a Maildir; ``null``: accepted and discarded, to measure the
sender alone), or to ``--smtp HOST:PORT``: Postfix's ``smtp-sink`` (a C test server, e.g.
``smtp-sink -u postfix -c 127.0.0.1:2526 1000``) or the Postfix of ``.ci/postfix`` with
``--to-domain discard.breachdesk.test --sender bdsender@breachdesk.test`` (queued, then discarded).
``--tls`` makes both senders use STARTTLS, as a real relay requires. Each message
is claimed with a lease, sent outside any transaction and its outcome committed by the recorder,
exactly as in production. Reports messages/s, peak RSS of the dispatching process (sampled during
dispatch, and before it), and the ratio to a naive baseline: smtplib, one connection per message,
sequential, over a ``--baseline`` sample of the same messages.
Targets (issue 6): >= 300 msg/s, >= 10x the baseline, memory flat in campaign size.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import smtplib
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from breachdesk.adapters.mail_sink import MailSink, free_port, self_signed_tls, tls_from
from breachdesk.adapters.smtp import Security, SmtpSettings, SmtpTransport
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import init_workspace, open_workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.core.clock import SystemClock
from breachdesk.core.delivery import OutgoingMessage, message_id
from breachdesk.services.outbox import dispatch_pending, queue_notices

CHUNK = 5_000
DOMAIN = "bench.breachdesk.test"
SENDER = "dpo@acme.test"


def _sink(maildir: str | None, port: int, tls: str | None, ready: Any, stop: Any) -> None:
    context = tls_from(Path(tls)) if tls else None
    with MailSink(Path(maildir) if maildir else None, port=port, tls_context=context):
        ready.set()
        stop.wait()


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class _PeakRss:
    """Samples the process's resident set every 50 ms."""

    def __init__(self) -> None:
        self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _rss_mb())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return max(self.peak, _rss_mb())


def _message(incident: int, i: int, domain: str = "example.org") -> OutgoingMessage:
    body = (
        f"Dear customer {i},\n\nOn 1 March 2026 we found that a copy of our customer database was "
        f"taken. Your e-mail address, your password hash and your date of birth were in it.\n"
        f"Please reset your password at https://acme.test/reset?case={i}.\n"
    )
    return OutgoingMessage(
        incident_id=incident,
        person_id=i + 1,
        campaign="individuals",
        channel="email",
        recipient=f"person{i}@{domain}",
        subject="About your data at ACME",
        body_text=body,
        body_html="<p>" + body.replace("\n", "<br>") + "</p>",
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
        template_version="email/gdpr/en@1",
    )


def _baseline(
    incident: int, server: tuple[str, int], n: int, tls: bool, to: str, sender: str
) -> float:
    """The naive sender: email.message, one smtplib connection per message, sequential."""
    context = ssl.create_default_context()
    context.check_hostname = False  # the benchmark's own self-signed certificate
    context.verify_mode = ssl.CERT_NONE
    started = time.perf_counter()
    for i in range(n):
        m = _message(incident, i, to)
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = sender, m.recipient, m.subject
        email["Message-ID"] = message_id(i + 1, incident, DOMAIN)
        email.set_content(m.body_text)
        email.add_alternative(m.body_html or "", subtype="html")
        with smtplib.SMTP(*server) as conn:
            if tls:
                conn.starttls(context=context)
            conn.send_message(email)
    return n / (time.perf_counter() - started)


def _queue(uow: SqlUnitOfWorkFactory, incident: int, n: int, to: str) -> None:
    started = time.perf_counter()
    for start in range(0, n, CHUNK):
        batch = [_message(incident, i, to) for i in range(start, min(start + CHUNK, n))]
        queue_notices(uow, SystemClock(), batch, actor="bench")
    queued = time.perf_counter() - started
    print(f"queued {n:,} in {queued:.1f} s ({n / queued:,.0f} msg/s)")


@contextmanager
def _server(args: argparse.Namespace, tmp: Path) -> Iterator[tuple[str, int]]:
    """The SMTP server to send to: ``--smtp HOST:PORT``, or the aiosmtpd sink in its own process."""
    if args.smtp:
        host, _, port = args.smtp.rpartition(":")
        yield host or "127.0.0.1", int(port)
        return
    maildir = str(tmp / "mail") if args.sink == "maildir" else None
    tls = str(tmp) if args.tls else None
    if tls:
        self_signed_tls(tmp)
    port, ready, halt = free_port(), mp.Event(), mp.Event()
    sink = mp.Process(target=_sink, args=(maildir, port, tls, ready, halt))
    sink.start()
    ready.wait(30)
    try:
        yield "127.0.0.1", port
    finally:
        halt.set()
        sink.join(30)


def _send_all(
    uow: SqlUnitOfWorkFactory, server: tuple[str, int], args: argparse.Namespace, owner: str
) -> tuple[int, dict[str, int], float, float]:
    """One dispatcher: claimed count, outcomes, RSS before and peak RSS (MB)."""
    before = _rss_mb()
    peak = _PeakRss()
    security: Security = "starttls" if args.tls else "none"
    settings = SmtpSettings(*server, args.sender, DOMAIN, security, verify_tls=False)
    transport = SmtpTransport(settings)
    report = dispatch_pending(
        uow,
        transport,
        SystemClock(),
        owner=owner,
        limit=500,
        concurrency=args.concurrency,
        record_batch=args.record_batch,
    )
    transport.close()
    outcomes = {str(k): v for k, v in report.outcomes.items()}
    return report.claimed, outcomes, before, peak.stop()


def _process(settings: Settings, server: tuple[str, int], args: Any, n: int, out: Any) -> None:
    """A dispatcher process sharing the campaign (leases keep the processes apart)."""
    ws = open_workspace(settings)
    try:
        out.put(_send_all(SqlUnitOfWorkFactory(ws.engine), server, args, f"bench-{n}"))
    finally:
        ws.close()


def _dispatch(settings: Settings, server: tuple[str, int], args: argparse.Namespace) -> float:
    """Send every queued message once; prints the figures and returns messages per second."""
    started = time.perf_counter()
    if args.processes == 1:
        ws = open_workspace(settings)
        results = [_send_all(SqlUnitOfWorkFactory(ws.engine), server, args, "bench")]
        ws.close()
    else:
        out: Any = mp.Queue()
        workers = [
            mp.Process(target=_process, args=(settings, server, args, n, out))
            for n in range(args.processes)
        ]
        for w in workers:
            w.start()
        results = [out.get() for _ in workers]
        for w in workers:
            w.join()
    elapsed = time.perf_counter() - started
    claimed = sum(r[0] for r in results)
    outcomes: dict[str, int] = {}
    for r in results:
        for k, v in r[1].items():
            outcomes[k] = outcomes.get(k, 0) + v
    rate = claimed / elapsed
    print(f"dispatched {claimed:,} in {elapsed:.1f} s: {rate:,.0f} msg/s ({args.processes} proc)")
    print(f"outcomes {{{', '.join(f'{k}: {v}' for k, v in outcomes.items())}}}")
    before = ", ".join(f"{r[2]:.0f}" for r in results)
    peak = ", ".join(f"{r[3]:.0f}" for r in results)
    print(f"RSS before dispatch {before} MB, peak during dispatch {peak} MB (per process)")
    return rate


def main() -> None:
    """Run the benchmark and print its figures."""
    p = argparse.ArgumentParser()
    p.add_argument("--messages", type=int, default=100_000)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--processes", type=int, default=1, help="dispatcher processes sharing it")
    p.add_argument("--sink", choices=["maildir", "null"], default="maildir")
    p.add_argument("--smtp", default=None, help="send to this server (HOST:PORT) instead")
    p.add_argument("--to-domain", default="example.org", help="recipients' domain")
    p.add_argument("--sender", default=SENDER)
    p.add_argument("--baseline", type=int, default=2_000)
    p.add_argument("--record-batch", type=int, default=64)
    p.add_argument("--tls", action="store_true", help="STARTTLS (self-signed) on both senders")
    p.add_argument("--database-url", default=None)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bd-bench-notify-") as tmp:
        home = Path(tmp) / "ws"
        settings = Settings(home=home, database_url=args.database_url, actor="bench", key=None)
        init_workspace(settings)
        ws = open_workspace(settings)
        uow, clock = SqlUnitOfWorkFactory(ws.engine), SystemClock()
        incident = ws.cases.open_incident(IncidentDraft("Bench", clock.now()), actor="bench").id
        _queue(uow, incident, args.messages, args.to_domain)
        try:
            with _server(args, Path(tmp)) as server:
                rate = _dispatch(settings, server, args)
                if args.baseline:
                    n, tls, to = args.baseline, args.tls, args.to_domain
                    base = _baseline(incident, server, n, tls, to, args.sender)
                    print(f"baseline (one connection per message, sequential): {base:,.0f} msg/s")
                    print(f"ratio: {rate / base:.1f}x")
        finally:
            ws.close()


if __name__ == "__main__":
    main()
