"""``notify authority-letters`` and ``notify drafts`` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader


def _run(home: Path, *args: str, codes: tuple[int, ...] = (0,)) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDESK_")}
    env.update(BREACHDESK_HOME=str(home), BREACHDESK_ACTOR="cli-tester")
    done = subprocess.run(
        [sys.executable, "-m", "breachdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in codes, (args, done.stdout, done.stderr)
    return done.stdout


def test_authority_letters_and_drafts_from_a_linked_incident(tmp_path: Path) -> None:
    from breachdesk.demodata import generate_customer_master, generate_leak

    master = tmp_path / "master.sqlite"
    generate_customer_master(master, people=60, seed=4)
    generate_leak(master, tmp_path / "leak", seed=4, spreadsheet=False)
    home = tmp_path / "ws"
    _run(home, "init")
    _run(home, "incident", "open", "Leak", "--discovered", "2026-01-05T09:30:00Z")
    _run(home, "scan", str(tmp_path / "leak" / "customers_export.csv"), "--incident", "1")
    _run(home, "link", "1", "--customers", str(master))

    out = tmp_path / "letters"
    shown = json.loads(
        _run(
            home,
            "notify",
            "authority-letters",
            "1",
            "--to",
            str(out),
            "--contact-email",
            "privacy@example.com",
            "--json",
            codes=(0, 1),
        )
    )
    rows = list(csv.DictReader(io.StringIO((out / "index.csv").read_text())))
    assert rows
    assert sorted(shown["files"]) == sorted(p.name for p in out.iterdir())
    for row in rows:
        reader = PdfReader(out / row["file"])
        text = " ".join((p.extract_text() or "") for p in reader.pages)
        assert "privacy@example.com" in text
        if row["addressee"]:
            assert row["addressee"].split(",")[0].split()[0] in text

    drafts = tmp_path / "drafts"
    result = json.loads(
        _run(
            home,
            "notify",
            "drafts",
            "1",
            "--to",
            str(drafts),
            "--locale",
            "es",
            "--json",
            codes=(0, 1),
        )
    )
    assert sorted(result["files"]) == [
        "es/media.txt",
        "es/press_release.txt",
        "es/social_post.txt",
        "es/substitute_web.html",
        "es/substitute_web.txt",
    ]
    assert (drafts / "es" / "substitute_web.html").read_text().startswith("<!DOCTYPE html>")
    missing = _run(
        home,
        "notify",
        "drafts",
        "1",
        "--to",
        str(drafts),
        "--templates",
        str(tmp_path / "nope"),
        codes=(2,),
    )
    assert missing == ""
