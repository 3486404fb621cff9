#!/usr/bin/env bash
# Waits while realapi/build.sh builds the Kubernetes version a test needs (.ci/run starts the build in the
# background, so the tests that need no API server run meanwhile), then fails if that build failed.
# Usage: realapi/await-build.sh [module dir under realapi/: "." = 1.33 (default), "k8s-1.30"]
# Bounded by REALAPI_BUILD_WAIT seconds (default 2400: a cold build of one version on a loaded 2-CPU machine).
# Returns at once when no build of that version is running (start.sh then checks that the binaries are there).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
v=$(sed -nE 's#^(require)?[[:space:]]*k8s\.io/kubernetes v([^ ]+).*#\2#p' "$here/${1:-.}/go.mod")
locks=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/locks
wait_s=${REALAPI_BUILD_WAIT:-2400}
if [[ -e "$locks/$v.lock" ]] && ! flock -s -n "$locks/$v.lock" true; then
  t0=$(date +%s)
  echo "[realapi/await-build] realapi/build.sh is building Kubernetes $v: waiting for it (up to ${wait_s}s)" >&2
  if ! flock -s -w "$wait_s" "$locks/$v.lock" true; then
    echo "[realapi/await-build] Kubernetes $v still not built after ${wait_s}s (REALAPI_BUILD_WAIT)" >&2
    exit 1
  fi
  echo "[realapi/await-build] Kubernetes $v built; waited $(( $(date +%s) - t0 ))s" >&2
fi
if [[ -e "$locks/$v.failed" ]]; then
  cat "$locks/$v.failed" >&2
  log=$(sed -n 's/^log: //p' "$locks/$v.failed")
  if [[ -f "$log" ]]; then echo "--- last lines of $log:" >&2; tail -40 "$log" >&2; fi
  exit 1
fi
