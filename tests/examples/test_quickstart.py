"""examples/quickstart.py runs as a script against a real server at any hour of any day."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.sandbox.clock import Clock
from app.sandbox.options import SandboxOptions
from tests.support.stack import running_stack

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"
SYDNEY = ZoneInfo("Australia/Sydney")
TODAY = datetime.now(SYDNEY).replace(minute=0, second=0, microsecond=0)


@pytest.mark.parametrize("instant", [
    TODAY.replace(hour=hour) + timedelta(days=days)
    for days, hour in ((0, 3), (0, 12), (1, 19), (4, 23), (6, 7))
], ids=lambda instant: instant.strftime("%a-%Hh"))
def test_the_quickstart_prints_the_next_race_and_its_field(instant: datetime) -> None:
    options = SandboxOptions(clock=Clock(frozen_at=instant))
    with running_stack(options) as stack:
        done = subprocess.run([sys.executable, str(SCRIPT), stack.mcp_url], capture_output=True,
                              text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:] + done.stdout
    lines = done.stdout.splitlines()
    assert lines[0].endswith("(sandbox: simulated data)")
    assert " R" in lines[0] and "jumps " in lines[1] and "favourite #" in lines[1]
    runners = lines[2:]
    assert len(runners) >= 2 and all(line.startswith("  #") for line in runners)
