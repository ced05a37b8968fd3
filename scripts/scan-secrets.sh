#!/usr/bin/env bash
# Fails when a tracked file holds a secret-like string that .secrets.baseline does not record.
# detect-secrets-hook exits 3 when only line numbers moved (no new secret): a notice, not a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -d '' files < <(git ls-files -z -- ':!uv.lock' ':!.secrets.baseline')
status=0
uv run --frozen detect-secrets-hook --baseline .secrets.baseline "${files[@]}" || status=$?
if [ "$status" -eq 3 ]; then
  echo "notice: .secrets.baseline has stale line numbers; refresh it with:" \
       "uv run detect-secrets scan --baseline .secrets.baseline"
elif [ "$status" -ne 0 ]; then
  exit "$status"
fi
echo "detect-secrets: no unrecorded secrets"
