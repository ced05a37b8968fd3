# tab-mcp: remote MCP server (Streamable HTTP at /mcp, probes at /health and /ready).
#
#   docker build -t tab-mcp .
#   docker run --rm -p 8081:8081 -e TAB_SANDBOX=true tab-mcp
#
# BASE_IMAGE may be any Debian-like image with python3 (>= 3.11) and its venv module.
# Both stages use the same base because the virtualenv's interpreter links are absolute paths.
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS build

# Set only when the package index is reached through a TLS-inspecting proxy: the path of a
# CA bundle mounted into the build. Never a secret; unset in normal builds.
ARG PIP_CERT=""
ARG SSL_CERT_FILE=""
ARG UV_VERSION=0.13.9

ENV UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

SHELL ["/bin/sh", "-eu", "-c"]

# pip is not part of every base's python3 (Debian's comes without it); venv brings its own.
RUN [ -n "${PIP_CERT:-}" ] || unset PIP_CERT; \
    [ -n "${SSL_CERT_FILE:-}" ] || unset SSL_CERT_FILE; \
    python3 -m venv /opt/uv; \
    /opt/uv/bin/pip install --no-cache-dir "uv==${UV_VERSION}"

WORKDIR /app

# Dependencies first, so that a source change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN [ -n "${PIP_CERT:-}" ] || unset PIP_CERT; \
    [ -n "${SSL_CERT_FILE:-}" ] || unset SSL_CERT_FILE; \
    /opt/uv/bin/uv sync --frozen --no-dev --no-install-project --python "$(command -v python3)"

COPY README.md ./
COPY app ./app
RUN [ -n "${PIP_CERT:-}" ] || unset PIP_CERT; \
    [ -n "${SSL_CERT_FILE:-}" ] || unset SSL_CERT_FILE; \
    /opt/uv/bin/uv sync --frozen --no-dev --no-editable --python "$(command -v python3)"; \
    /app/.venv/bin/python -c "import app.__main__"


FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="tab-mcp" \
      org.opencontainers.image.description="Remote MCP server for Tabcorp racing and sports data" \
      org.opencontainers.image.licenses="MIT"

SHELL ["/bin/sh", "-eu", "-c"]

RUN groupadd --system --gid 10001 tabmcp; \
    useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin tabmcp

COPY --from=build /app/.venv /app/.venv

ENV PATH="/app/.venv/bin:${PATH}" \
    HOST=0.0.0.0 \
    PORT=8081 \
    TAB_MCP_LOG_FORMAT=json \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /app
USER 10001:10001
EXPOSE 8081

# No curl in slim images: probe with the venv's Python, reading $PORT at run time and
# bypassing any proxy variables.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.build_opener(u.ProxyHandler({})).open('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8081'), timeout=4)"]

# uvicorn drains for TAB_MCP_GRACEFUL_TIMEOUT (default 10 s) after SIGTERM, then exits; with
# -e WEB_CONCURRENCY=N the server runs N workers on the port and each of them drains so.
STOPSIGNAL SIGTERM
CMD ["tab-mcp"]
