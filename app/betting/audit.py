"""One structured audit line per betting step: who (`caller`, the API key's id), what, how
much, outcome.

The line carries no credential, token, decoToken or account number: only what the bet was.
"""

from __future__ import annotations

from typing import Any

import structlog

_log = structlog.get_logger("tab_mcp.audit")


def audit(step: str, *, key_id: str, outcome: str, **what: Any) -> None:
    """Write the audit line for `step` (quote, approval, placement, failure, reconciliation)."""
    # `caller`, not `api_key_id`: the log redactor hides any field named like an API key.
    _log.info("bet audit", audit=step, caller=key_id, outcome=outcome, **what)
