"""Every Prometheus metric of the server, in one place.

Labels are bounded: a tool label is a registered tool name or "unknown", an endpoint label is a
route template (never a raw path), and nothing is labelled by session, user or key.
Counters and histograms add up across worker processes by themselves (`worker_metrics`); each
gauge says how its workers' values combine.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

TOOL_CALLS = Counter(
    "tabmcp_tool_calls", "Tool calls by tool and outcome (ok, error).",
    ["tool", "outcome"], registry=REGISTRY,
)
TOOL_DURATION = Histogram(
    "tabmcp_tool_duration_seconds", "Tool call duration.", ["tool"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
UPSTREAM_REQUESTS = Counter(
    "tabmcp_upstream_requests", "Upstream requests by endpoint template and status "
    "(HTTP status, or timeout / connection_error / breaker_open).",
    ["endpoint", "status"], registry=REGISTRY,
)
UPSTREAM_DURATION = Histogram(
    "tabmcp_upstream_duration_seconds", "Upstream request duration.", ["endpoint"],
    registry=REGISTRY, buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TOKEN_REQUESTS = Counter(
    "tabmcp_token_requests", "Token endpoint requests by grant and outcome.",
    ["grant", "outcome"], registry=REGISTRY,
)
CACHE_EVENTS = Counter(
    "tabmcp_cache_events", "Cache events (hit, miss, coalesced, refresh, evicted) by cache.",
    ["cache", "event"], registry=REGISTRY,
)
WARMER_READS = Counter(
    "tabmcp_warmer_reads", "Cache warmer reads by outcome (refreshed, fresh, no_budget, "
    "claimed_elsewhere, failed).", ["outcome"], registry=REGISTRY,
)
# With several workers each has its own breaker: the highest of the running workers' values,
# so the gauge still reads 1 while any of them refuses upstream calls (a dead worker's is dropped).
BREAKER_OPEN = Gauge(
    "tabmcp_upstream_breaker_open", "1 while the upstream circuit breaker is open.",
    registry=REGISTRY, multiprocess_mode="livemax",
)
INBOUND_REJECTED = Counter(
    "tabmcp_inbound_rejected", "Inbound requests rejected before reaching a tool, by reason.",
    ["reason"], registry=REGISTRY,
)
STORE_FALLBACKS = Counter(
    "tabmcp_store_fallbacks", "Shared-store operations served by the in-process fallback "
    "instead (the store down, slow, or in its backoff after a failure), by operation.",
    ["operation"], registry=REGISTRY,
)
# With several workers each falls back on its own: the lowest of the running workers' values,
# so the gauge reads 0 as soon as any of them serves from in-process state.
STORE_SHARED = Gauge(
    "tabmcp_store_shared", "1 while the shared store (Redis) is in use; 0 while the server "
    "falls back to in-process state, or when no store is configured.",
    registry=REGISTRY, multiprocess_mode="livemin",
)
