"""``breachdesk detect``: one JSON line per input line, bad lines reported without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from breachdesk.cli.detect import detect


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(detect)
    return app


def test_detect_outputs_spans_and_reports_bad_lines(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"full_text": "Mail a.b@example.com, SSN 123-45-6780"}) + "\n"
        "{broken\n"
        + json.dumps({"text": "wrong field"})
        + "\n"
        + json.dumps({"full_text": "nothing here"})
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(_app(), [str(source)])
    assert result.exit_code == 1
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["line"] for x in lines] == [1, 4]
    assert [s["element"] for s in lines[0]["spans"]] == ["email", "ssn"]
    assert set(lines[0]["spans"][0]) == {"element", "start", "end", "confidence", "detector"}
    assert lines[1]["spans"] == []
    assert "line 2: invalid JSON" in result.stderr
    assert "line 3: no text field 'full_text'" in result.stderr
    assert "Traceback" not in result.output
    assert "a.b@example.com" not in result.stderr


def test_detect_custom_field_clean_exit(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"body": "call +44 20 7946 0958"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(_app(), [str(source), "--field", "body"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["spans"][0]["element"] == "phone"
