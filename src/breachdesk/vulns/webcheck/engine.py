"""Run the web test: crawl within the budget, then every check; a check cut short is incomplete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from breachdesk.vulns.webcheck.crawl import crawl
from breachdesk.vulns.webcheck.model import (
    BudgetExhaustedError,
    Check,
    Issue,
    PiiDetector,
    Probe,
    ProbeError,
    Profile,
    Site,
)

MAX_PAGES = {Profile.BASELINE: 25, Profile.FULL: 100}


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """What one check did: its issues, or why it could not finish."""

    check: str
    rules: tuple[str, ...]
    issues: tuple[Issue, ...]
    incomplete: str | None = None  # reason; the check's absent issues prove nothing then


@dataclass(frozen=True, slots=True)
class WebTestResult:
    """Every check's outcome, the pages crawled and the requests spent."""

    target: str
    profile: Profile
    pages: int
    requests: int
    outcomes: tuple[CheckOutcome, ...]

    @property
    def issues(self) -> list[Issue]:
        """Every issue of every check."""
        return [i for o in self.outcomes for i in o.issues]

    @property
    def complete(self) -> bool:
        """True when no check was cut short."""
        return all(o.incomplete is None for o in self.outcomes)


Progress = Callable[[str, int, int], None]


def run_web_test(
    probe: Probe,
    start: str,
    *,
    profile: Profile,
    detect_pii: PiiDetector,
    checks: Sequence[Check],
    on_progress: Progress | None = None,
) -> WebTestResult:
    """Crawl from ``start`` then run ``checks`` in order; ``on_progress(step, done, total)``."""
    total = len(checks) + 1
    if on_progress:
        on_progress("crawl", 0, total)
    try:
        pages, points = crawl(probe, start, max_pages=MAX_PAGES[profile])
    except ProbeError as exc:
        reason = f"target unreachable: {exc}"
        failed = tuple(CheckOutcome(c.name, c.rules, (), reason) for c in checks)
        return WebTestResult(start, profile, 0, probe.used, failed)
    site = Site(probe, start, pages, points, profile, detect_pii)
    outcomes: list[CheckOutcome] = []
    for n, check in enumerate(checks, start=1):
        if on_progress:
            on_progress(check.name, n, total)
        try:
            outcome = CheckOutcome(check.name, check.rules, tuple(check.run(site)))
        except BudgetExhaustedError:
            outcome = CheckOutcome(check.name, check.rules, (), "request budget exhausted")
        except ProbeError as exc:
            outcome = CheckOutcome(check.name, check.rules, (), f"target error: {exc}")
        outcomes.append(outcome)
    if on_progress:
        on_progress("done", total, total)
    return WebTestResult(start, profile, len(pages), probe.used, tuple(outcomes))
