# Shared by scripts/container-smoke.sh and scripts/fresh-machine.sh (source it, don't run it):
# output helpers, installing missing host tools, a minimal Debian root made with debootstrap,
# lending the host's CA bundle when a TLS-inspecting proxy sits in front of PyPI, and one MCP
# call over HTTP with curl.

log() { printf '== %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
fail() { printf '   FAILED: %s\n' "$*" >&2; exit 1; }
now() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# install_missing TOOL... : apt-get install the tools (package name = command name) not on PATH.
install_missing() {
    local missing=() tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    if ((${#missing[@]})); then
        echo "   installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

debian_mirror() {
    # The Debian archive this host's apt uses (deb822 .sources or one-line .list format).
    {
        grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{ for (i = 2; i <= NF; i++) print $i }'
        grep -hsE '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
            awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }'
    } | grep -E '/debian/?$' | head -n1 || :
}

# debian_root DIR PACKAGES LOG : a minimal Debian bookworm root in DIR holding PACKAGES
# (comma-separated) and what they depend on; apt's caches are emptied afterwards.
debian_root() {
    local dir=$1 packages=$2 logfile=$3 mirror
    mirror=$(debian_mirror)
    mirror=${mirror:-http://deb.debian.org/debian}
    debootstrap --variant=minbase --include="$packages" bookworm "$dir" "$mirror" \
        >"$logfile" 2>&1 || { tail -n 20 "$logfile" >&2; fail "debootstrap from $mirror"; }
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    DEBIAN_MIRROR=$mirror
}

# verifies_index BUNDLE : whether BUNDLE alone verifies https://pypi.org (curl would also
# consult the host's CA directory, so ask Python).
verifies_index() {
    python3 -c '
import ssl, sys, urllib.request
context = ssl.create_default_context(cafile=sys.argv[1])
urllib.request.urlopen("https://pypi.org/simple/uv/", timeout=20, context=context).close()
' "$1" 2>/dev/null
}

# mcp_post URL JSON : one JSON-RPC POST to an MCP endpoint (handshake-era protocol version).
mcp_post() {
    curl -sS --max-time 30 -H 'Accept: application/json, text/event-stream' \
        -H 'Content-Type: application/json' -H 'MCP-Protocol-Version: 2025-06-18' \
        "$1" -d "$2"
}

# jsonrpc_result < BODY : the `result` of the JSON-RPC response in a JSON or SSE body.
jsonrpc_result() {
    python3 -c '
import json, sys
body = sys.stdin.read()
lines = [l[5:].strip() for l in body.splitlines() if l.startswith("data:")] or [body]
for line in lines:
    message = json.loads(line)
    if "result" in message or "error" in message:
        if "error" in message:
            sys.exit("JSON-RPC error: %s" % message["error"])
        print(json.dumps(message["result"]))
        break
else:
    sys.exit("no JSON-RPC response in: %r" % body[:500])
'
}

# mcp_tool_content URL TOOL ARGUMENTS_JSON : call TOOL; print its structuredContent as JSON
# (exits non-zero on a JSON-RPC error or a tool error).
mcp_tool_content() {
    mcp_post "$1" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"$2\",\"arguments\":$3}}" |
        jsonrpc_result | python3 -c '
import json, sys
result = json.load(sys.stdin)
if result.get("isError"):
    sys.exit("tool error: %s" % result)
print(json.dumps(result["structuredContent"]))
'
}
