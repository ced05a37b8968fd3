"""The operational endpoints: `/health`, `/ready`, `/metrics`."""

from __future__ import annotations

import ipaddress
from typing import Any

from prometheus_client.exposition import choose_encoder
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app import __version__
from app.http_paths import HEALTH_PATH, METRICS_PATH, READY_PATH
from app.observability.worker_metrics import exposition_registry
from app.security.api_keys import ApiKeys, bearer_token
from app.services import Services


def operational_routes(services: Services) -> list[Route]:
    """Routes for liveness, readiness and Prometheus metrics."""

    async def health(_: Request) -> Response:
        """Liveness: the process answers. No upstream call."""
        return JSONResponse({"status": "ok", "version": __version__})

    keys = ApiKeys.parse(services.settings.tab_mcp_api_keys)

    def may_see_reasons(request: Request) -> bool:
        # Why the upstream fails (e.g. rejected credentials) is for the operator only.
        if request.client is not None and _is_loopback_address(request.client.host):
            return True
        return keys.enabled and keys.match(
            bearer_token(request.headers.get("authorization"))) is not None

    async def ready(request: Request) -> Response:
        """Readiness from the last known upstream state (breaker, token); never an upstream
        call. With a shared store, `shared_store` gives its mode, and the status is "degraded"
        (still 200) while the server falls back to in-process state. Reasons are given on
        loopback and to callers with a valid API key."""
        ok, reason = await services.readiness()
        body: dict[str, Any] = {"status": "ready" if ok else "not_ready"}
        explain = may_see_reasons(request)
        if explain:
            body["reason"] = reason
        mode, store_reason = services.store_status()
        if mode != "off":
            # Serving from in-process state still serves: degraded, and still 200.
            if ok and mode != "shared":
                body["status"] = "degraded"
            body["shared_store"] = {"mode": mode, **({"reason": store_reason} if explain
                                                     else {})}
        return JSONResponse(body, status_code=200 if ok else 503)

    registry = exposition_registry()

    async def metrics(request: Request) -> Response:
        """Prometheus exposition, negotiated from `Accept` (text 0.0.4 by default); with
        several workers, the sum over all of them."""
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encoder(registry), headers={"Content-Type": content_type})

    return [
        Route(HEALTH_PATH, health, methods=["GET", "HEAD"]),
        Route(READY_PATH, ready, methods=["GET", "HEAD"]),
        Route(METRICS_PATH, metrics, methods=["GET"]),
    ]


def _is_loopback_address(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
