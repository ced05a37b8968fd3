"""Every betting step writes one structured audit line: who (API key id), what, how much,
outcome; never a key, token, decoToken or the account number."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.observability.logging import configure_logging
from app.sandbox.embedded import SANDBOX_PASSWORD, SANDBOX_USERNAME
from tests.betting.support import (
    KEY,
    OTHER_KEY,
    betting_stack,
    call,
    fault,
    open_runner,
    place,
    quote,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    yield stream
    configure_logging("WARNING", "json")


def audit_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    return [line for line in lines if line.get("event") == "bet audit"]


async def test_each_step_writes_one_audit_line_without_secrets(tmp_path: Path,
                                                               log: io.StringIO) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        configure_logging("INFO", "json", secrets=stack.settings.secret_values(), stream=log)
        runner = open_runner(stack)
        quoted = await quote(stack, runner)
        refused = await call(stack, "bet_place", key=OTHER_KEY, quote_id=quoted["quote_id"])
        assert refused.is_error
        fault(stack, drop_rate=1, after_handler=True)
        assert (await place(stack, quoted["quote_id"]))["status"] == "placed"
        too_big = await call(stack, "bet_quote", venue=runner.venue,
                             race_number=runner.race_number,
                             selections=[[runner.runner_number]], stake=500)
        assert too_big.is_error
    lines = audit_lines(log)
    steps = [(line["audit"], line["outcome"]) for line in lines]
    assert steps == [("quote", "quoted"), ("approval", "refused"), ("approval", "approved"),
                     ("placement", "unknown"), ("reconciliation", "placed"),
                     ("quote", "refused")], steps
    assert all(line["caller"].startswith("key:") for line in lines), lines
    assert lines[0]["cost"] == 5.0 and lines[-1]["cost"] == 500.0
    assert len({line["caller"] for line in lines}) == 2
    text = log.getvalue()
    for secret in (KEY, OTHER_KEY, SANDBOX_PASSWORD, quoted["quote_id"], "decoToken"):
        assert secret not in text
    assert all(SANDBOX_USERNAME not in json.dumps(line) for line in lines)
