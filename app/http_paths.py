"""The HTTP paths the server answers, declared once for the routes and the inbound checks."""

from __future__ import annotations

HEALTH_PATH = "/health"
READY_PATH = "/ready"
METRICS_PATH = "/metrics"

#: Probes: answered to anyone, with no inbound check at all.
OPEN_PATHS = frozenset({HEALTH_PATH, READY_PATH})
