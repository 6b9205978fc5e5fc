"""Run installed external scanners (nmap, sqlmap, bandit, semgrep, detect-secrets, pip-audit)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

from breachdesk.core.finding import Skipped
from breachdesk.vulns.webcheck.model import Origin

TIMEOUT = 900.0  # seconds per tool run
_SUFFIX = {"nmap": "xml", "sqlmap": "csv"}
_OK_CODES = {"bandit": (0, 1), "semgrep": (0, 1), "pip-audit": (0, 1), "sqlmap": (0,)}


def semgrep_rules() -> Path:
    """breachdesk's own semgrep rule file (shipped in the package; no registry download)."""
    return Path(str(resources.files("breachdesk.vulns") / "rules" / "semgrep.yaml"))


class ScannerTools:
    """Finds scanners on PATH and runs them with machine-readable output into ``workdir``."""

    def __init__(self, *, advisories_online: bool = False, timeout: float = TIMEOUT) -> None:
        self._online = advisories_online
        self._timeout = timeout

    def executable(self, tool: str) -> str | None:
        """The tool's executable: on PATH, or beside this Python (an unactivated virtualenv)."""
        return shutil.which(tool) or shutil.which(tool, path=str(Path(sys.executable).parent))

    def available(self, tool: str) -> bool:
        """True when the tool's executable is installed."""
        return self.executable(tool) is not None

    def command(self, tool: str, target: str, out: Path) -> list[str] | None:
        """The command line for ``tool`` on ``target`` writing to ``out`` (None: stdout)."""
        match tool:
            case "nmap":
                origin = Origin.of(target)  # the authorised port only, never a sweep
                return ["nmap", "-Pn", "-sV", "-p", str(origin.port), "-oX", str(out), origin.host]
            case "sqlmap":
                return [
                    "sqlmap",
                    "-u",
                    target,
                    "--batch",
                    "--crawl=1",
                    "--level=1",
                    "--risk=1",
                    "--output-dir",
                    str(out.parent / "sqlmap"),
                    "--results-file",
                    str(out),
                ]
            case "bandit":
                return ["bandit", "-r", target, "-f", "json", "-o", str(out), "-q"]
            case "semgrep":
                return [
                    "semgrep",
                    "scan",
                    "--config",
                    str(semgrep_rules()),
                    "--metrics",
                    "off",
                    "--disable-version-check",
                    "--json",
                    "--output",
                    str(out),
                    target,
                ]
            case "detect-secrets":  # run inside the tree (see run): paths come out relative
                return ["detect-secrets", "scan", "--all-files", "."]
            case "pip-audit":
                requirements = Path(target) / "requirements.txt"
                source = ["-r", str(requirements)] if requirements.is_file() else [target]
                return [
                    "pip-audit",
                    *source,
                    "-f",
                    "json",
                    "-o",
                    str(out),
                    "--progress-spinner",
                    "off",
                ]
        return None

    def skip_reason(self, tool: str) -> str | None:
        """Why ``tool`` is not run even though it may be installed."""
        if tool == "pip-audit" and not self._online:
            return "skipped: no advisory database configured (pass --advisories online)"
        if not self.available(tool):
            return "not installed"
        return None

    def run(self, tool: str, target: str, workdir: Path) -> Path | Skipped:
        """Run the tool; its report path, or Skipped naming the tool and the reason."""
        reason = self.skip_reason(tool)
        if reason:
            return Skipped(tool, "", reason)
        workdir.mkdir(parents=True, exist_ok=True)
        out = workdir / f"{tool}-report.{_SUFFIX.get(tool, 'json')}"
        command = self.command(tool, target, out)
        executable = self.executable(tool)
        if command is None or executable is None:
            return Skipped(tool, "", "no such scanner")
        command[0] = executable
        try:
            # detect-secrets started inside another git work tree scans that tree's files only
            cwd = target if tool == "detect-secrets" else None
            done = subprocess.run(
                command, capture_output=True, timeout=self._timeout, check=False, cwd=cwd
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return Skipped(tool, "", f"could not run: {type(exc).__name__}")
        if tool == "detect-secrets" and done.returncode == 0:
            out.write_bytes(done.stdout)
        if done.returncode not in _OK_CODES.get(tool, (0,)) or not out.is_file():
            return Skipped(tool, "", f"exited with status {done.returncode}")
        return out
