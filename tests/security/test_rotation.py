"""Secret rotation without a restart: a rotated *_FILE secret is re-read on invalid_client."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.sandbox.options import SandboxOptions
from tests.support.stack import running_stack

CLIENT = "rotating-client"
OLD, NEW = "old-Secret&1", "new-Secret&2"


@pytest.mark.anyio
async def test_rotated_secret_file_is_picked_up_after_invalid_client(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret_file = tmp_path / "client_secret"
    secret_file.write_text(OLD + "\n")
    monkeypatch.setenv("TAB_CLIENT_SECRET_FILE", str(secret_file))
    options = SandboxOptions(clients={CLIENT: OLD})
    with running_stack(options, tab_client_id=CLIENT, tab_client_secret=None) as stack:
        assert stack.settings.tab_client_secret is not None
        assert stack.settings.tab_client_secret.get_secret_value() == OLD  # read from the file
        await stack.call("racing_dates")
        # The operator rotates the secret upstream and in the mounted file; tokens lapse.
        stack.admin("PUT", "/_sandbox/clients", {"client_id": CLIENT, "client_secret": NEW})
        secret_file.write_text(NEW + "\n")
        stack.admin("POST", "/_sandbox/tokens/expire")
        stack.admin("POST", "/_sandbox/stats/reset")
        data = await stack.call("next_to_go", count=2)
        stats = stack.admin("GET", "/_sandbox/stats")
    assert data["races"]
    assert stats["token_failures"].get("client_credentials") == 1  # the old secret, once
    assert stats["token_requests"]["client_credentials"] == 2  # then the re-read one
