#!/usr/bin/env bash
# Fresh-machine test: the README's two commands, exactly as it prints them, on a clean Debian 12
# root holding only python3, python3-venv and git (debootstrap minbase, nothing cached). The
# serve command must answer /health and one MCP tools/call; the test command must pass. The
# clone has no ../shared beside it, as on any newcomer's machine.
#
#   bash scripts/fresh-machine.sh
#
# Needs root (debootstrap, chroot, mounts); installs debootstrap and curl if missing. Tests the
# committed HEAD (the machine clones the repository). The root is deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/debian-root.sh
source scripts/lib/debian-root.sh

REPO=$(pwd)
WORK=$(mktemp -d)
ROOT="$WORK/root"
HOME_IN_ROOT=/home/newcomer
ROOT_ENV=()

# The processes running inside the root (all of them started here).
root_pids() {
    local proc
    for proc in /proc/[0-9]*; do
        [[ "$(readlink "$proc/root" 2>/dev/null)" == "$ROOT" ]] && echo "${proc#/proc/}"
    done
    return 0
}
unmount_root() {
    local target
    # Deepest first; the bind mounts hold the host's /dev and /proc.
    for target in $(findmnt -rn -o TARGET | grep -F "$ROOT/" | sort -r); do
        umount -l "$target" 2>/dev/null || :
    done
}
cleanup() {
    root_pids | xargs -r kill -KILL 2>/dev/null || :
    unmount_root
    if findmnt -rn -o TARGET | grep -qF "$ROOT/"; then
        echo "   left $WORK in place: something is still mounted under it" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# The README's first code block: line 1 serves, line 2 tests (comments dropped).
readme_command() {
    awk '/^```bash$/ { block++; next } /^```$/ { if (block == 1) exit } block == 1' README.md |
        sed -n "$1p" | sed 's/[[:space:]]*#.*$//'
}
SERVE_COMMAND=$(readme_command 1)
TEST_COMMAND=$(readme_command 2)
[[ -n "$SERVE_COMMAND" && -n "$TEST_COMMAND" ]] || fail "no commands found in README.md"

# in_root COMMAND [NAME=VALUE...] : run COMMAND with bash in the clone inside the root, with a
# clean environment (nothing of this host's Python, pip or uv settings leaks in).
in_root() {
    local command=$1
    shift
    chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin \
        LANG=C.UTF-8 TERM=dumb "${ROOT_ENV[@]}" "$@" \
        /bin/bash -c "cd $HOME_IN_ROOT/tab-mcp && $command"
}

# ---------------------------------------------------------------------------------------------
log "tools"
[[ $EUID == 0 ]] || fail "run as root (debootstrap, chroot and mounts need it)"
install_missing debootstrap curl
ok "$(debootstrap --version | head -n1)"
printf '   serve command: %s\n   test command:  %s\n' "$SERVE_COMMAND" "$TEST_COMMAND"

# ---------------------------------------------------------------------------------------------
log "clean Debian root: python3, python3-venv, git"
t0=$(now)
debian_root "$ROOT" python3,python3-venv,git "$WORK/debootstrap.log"
CLEAN_MB=$(du -sm "$ROOT" | cut -f1)
ok "debootstrap bookworm from $DEBIAN_MIRROR: $(since "$t0") s, $CLEAN_MB MB"
ok "$(chroot "$ROOT" python3 --version), $(chroot "$ROOT" git --version)"
chroot "$ROOT" sh -c 'command -v uv pip pip3' && fail "the root already has uv or pip"
[[ ! -e "$ROOT/root/.cache" ]] || fail "the root has a cache"

mkdir -p "$ROOT/proc" "$ROOT/dev" "$ROOT/sys"
mount -t proc proc "$ROOT/proc"
mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev"
mount --rbind /sys "$ROOT/sys" && mount --make-rslave "$ROOT/sys"
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"

# pip and uv in the root trust only their own CA roots (pip's certifi, uv's Mozilla roots). If
# those cannot verify PyPI from here but the host's bundle can, a TLS-inspecting proxy is in the
# way: lend the host bundle (and say so).
HOST_BUNDLE=/etc/ssl/certs/ca-certificates.crt
python3 -c '
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/usr/share/python-wheels/pip-*.whl")[0]
sys.stdout.buffer.write(zipfile.ZipFile(wheel).read("pip/_vendor/certifi/cacert.pem"))
' "$ROOT" >"$WORK/root-pip-roots.pem"
if verifies_index "$WORK/root-pip-roots.pem"; then
    ok "the root's own CA roots verify pypi.org: no help needed"
elif verifies_index "$HOST_BUNDLE"; then
    mkdir -p "$ROOT/etc/ssl/certs"
    cp "$HOST_BUNDLE" "$ROOT/etc/ssl/certs/proxy-ca-bundle.crt"
    ROOT_ENV=(PIP_CERT=/etc/ssl/certs/proxy-ca-bundle.crt
              SSL_CERT_FILE=/etc/ssl/certs/proxy-ca-bundle.crt)
    ok "TLS-inspecting proxy detected: lending the host CA bundle (PIP_CERT, SSL_CERT_FILE)"
else
    fail "pypi.org is not reachable from this host"
fi

# ---------------------------------------------------------------------------------------------
log "git clone inside the root"
git clone --quiet --bare "$REPO" "$ROOT/srv/tab-mcp.git"
mkdir -p "$ROOT$HOME_IN_ROOT"
chroot "$ROOT" git clone --quiet /srv/tab-mcp.git "$HOME_IN_ROOT/tab-mcp"
ok "cloned $(git rev-parse --short HEAD) to $HOME_IN_ROOT/tab-mcp; ../shared: $(
    [[ -e "$ROOT$HOME_IN_ROOT/shared" ]] && echo present || echo absent)"

# ---------------------------------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE_URL="http://127.0.0.1:$PORT"
log "serve: $SERVE_COMMAND (PORT=$PORT)"
t0=$(now)
in_root "$SERVE_COMMAND" "PORT=$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
healthy=""
for _ in $(seq 1 600); do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; fail "the server exited"; }
    if curl -fsS -o "$WORK/health.json" "$BASE_URL/health" 2>/dev/null; then healthy=1; break; fi
    sleep 0.5
done
[[ -n "$healthy" ]] || { tail -n 30 "$WORK/serve.log" >&2; fail "/health never answered"; }
SERVE_SECONDS=$(since "$t0")
ok "/health answered $(since "$t0") s after the command started: $(cat "$WORK/health.json")"
startup=$(grep -m1 -o 'tab-mcp [^"]* serving MCP at [^"]*' "$WORK/serve.log") ||
    fail "no start-up line naming the MCP URL"
printf '   start-up line: %s\n' "$startup"
curl -fsS "$BASE_URL/" | grep -q 'sandbox: simulated data' ||
    fail "the page at / does not say the data is simulated"
ok "GET / serves the page for people"

installed=$(chroot "$ROOT" sh -c "ls $HOME_IN_ROOT/tab-mcp/.venv/lib/python3*/site-packages")
for dev_tool in mypy ruff hypothesis pytest; do
    grep -qx "$dev_tool" <<<"$installed" && fail "serving installed the dev tool $dev_tool"
done
ok "serving installed $(grep -c 'dist-info$' <<<"$installed") distributions, no dev tools"

mcp_post "$BASE_URL/mcp" '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"fresh-machine","version":"1"}}}' |
    jsonrpc_result >/dev/null
content=$(mcp_tool_content "$BASE_URL/mcp" next_to_go '{"count":3}')
python3 -c '
import json, sys
content = json.loads(sys.argv[1])
races = content["races"]
assert races and content["source"]["sandbox"] is True, content
print("   ok: tools/call next_to_go: %d races, first %s R%s" % (
    len(races), races[0]["venue"], races[0]["race_number"]))
' "$content"

t0=$(now)
root_pids | xargs -r kill -TERM
for _ in $(seq 1 60); do [[ -z "$(root_pids)" ]] && break; sleep 0.5; done
[[ -z "$(root_pids)" ]] || fail "the server did not stop on SIGTERM"
wait "$SERVER_PID" || :
ok "stopped $(since "$t0") s after SIGTERM"

# ---------------------------------------------------------------------------------------------
log "test: $TEST_COMMAND"
t0=$(now)
if in_root "$TEST_COMMAND" >"$WORK/test.log" 2>&1; then
    TEST_SECONDS=$(since "$t0")
    summary=$(grep -E '[0-9]+ (passed|failed)' "$WORK/test.log" | tail -n1)
    ok "passed in ${TEST_SECONDS} s: ${summary:-$(tail -n1 "$WORK/test.log")}"
else
    tail -n 60 "$WORK/test.log" >&2
    fail "the test command failed"
fi

log "summary"
printf '   root %s MB clean, %s MB after both commands; serve healthy after %s s; test command passed in %s s\n' \
    "$CLEAN_MB" "$(du -sm --exclude=proc --exclude=sys --exclude=dev "$ROOT" 2>/dev/null | cut -f1)" \
    "$SERVE_SECONDS" "$TEST_SECONDS"
echo "fresh machine: passed"
