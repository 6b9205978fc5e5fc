"""One way to run ``python -m breachdesk`` against a workspace from the end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


class Cli:
    """Runs ``python -m breachdesk`` against one workspace, checking the exit code."""

    def __init__(self, home: Path, timeout: float = 300) -> None:
        self.home = home
        self.timeout = timeout
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDESK_")}
        self.env.update(BREACHDESK_HOME=str(home), BREACHDESK_ACTOR="cli-tester")

    def __call__(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "breachdesk", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=False,
        )
        assert done.returncode == code, (args, done.stdout, done.stderr)
        return done

    def json(self, *args: str, code: int = 0) -> Any:
        return json.loads(self(*args, "--json", code=code).stdout)
