"""The generated web log: deterministic per seed, attack and truth consistent with each other."""

from __future__ import annotations

from pathlib import Path

from breachdesk.demodata.weblog import TRUTH_NAME, AttackTruth, write_web_log

IDS = [f"C{n:07d}" for n in range(1, 301)]


def test_same_seed_same_bytes_and_truth_round_trips(tmp_path: Path) -> None:
    a = write_web_log(tmp_path / "a" / "access.log", IDS, seed=9, benign=1_500, accessed=40)
    b = write_web_log(tmp_path / "b" / "access.log", IDS, seed=9, benign=1_500, accessed=40)
    assert (tmp_path / "a" / "access.log").read_bytes() == (
        tmp_path / "b" / "access.log"
    ).read_bytes()
    assert a == b == AttackTruth.read(tmp_path / "a" / TRUTH_NAME)
    c = write_web_log(tmp_path / "c" / "access.log", IDS, seed=10, benign=1_500, accessed=40)
    assert c.accessed != a.accessed or c.attacker_ips != a.attacker_ips


def test_truth_describes_the_file(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    truth = write_web_log(log, IDS, seed=4, benign=2_000, accessed=50)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == truth.lines == 2_000 + 24 + 50
    attackers = [ln for ln in lines if ln.split(" ", 1)[0] in truth.attacker_ips]
    assert len(attackers) == 24 + 50
    downloads = [ln.split('"')[1].split()[1] for ln in attackers if "/api/customers/" in ln]
    assert [d.rsplit("/", 1)[1] for d in downloads] == list(truth.accessed)
    assert len(set(truth.accessed)) == 50
    assert set(truth.accessed) <= set(IDS)
    assert truth.start < truth.end
    assert truth.start.microsecond == 0
