"""The operational endpoints: `/health`, `/ready`, `/metrics`."""

from __future__ import annotations

from prometheus_client.exposition import choose_encoder
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app import __version__
from app.http_paths import HEALTH_PATH, METRICS_PATH, READY_PATH
from app.observability.metrics import REGISTRY
from app.services import Services


def operational_routes(services: Services) -> list[Route]:
    """Routes for liveness, readiness and Prometheus metrics."""

    async def health(_: Request) -> Response:
        """Liveness: the process answers. No upstream call."""
        return JSONResponse({"status": "ok", "version": __version__})

    async def ready(_: Request) -> Response:
        """Readiness: config valid, upstream usable (token obtainable, breaker closed)."""
        ok, reason = await services.readiness()
        return JSONResponse({"status": "ready" if ok else "not_ready", "reason": reason},
                            status_code=200 if ok else 503)

    async def metrics(request: Request) -> Response:
        """Prometheus exposition, negotiated from `Accept` (text 0.0.4 by default)."""
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encoder(REGISTRY), headers={"Content-Type": content_type})

    return [
        Route(HEALTH_PATH, health, methods=["GET", "HEAD"]),
        Route(READY_PATH, ready, methods=["GET", "HEAD"]),
        Route(METRICS_PATH, metrics, methods=["GET"]),
    ]
