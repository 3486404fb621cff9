#!/usr/bin/env bash
# Builds (once, cached) the real clients that judge a PiStack's status in the tests:
#   kstatus        sigs.k8s.io/cli-utils v0.37.2 pkg/kstatus/status (what Flux computes)
#   argocd-health  github.com/yuin/gopher-lua v1.1.2 (the Lua Argo CD embeds) running a health check
#   celcost        k8s.io/apiextensions-apiserver v0.33.13: the CRD's estimated CEL cost (see ../README.md)
# into ${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/clients/<hash>/, where <hash> covers go.mod, go.sum
# and every .go file here: a warm run only hashes. Prints that directory as its last line of stdout.
# Go modules come from the Go module proxy only (GOFLAGS=-mod=readonly: go.sum pins them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "[realapi/clients] $*" >&2; }
command -v go >/dev/null || { echo "go is not on PATH (Go >= 1.24; .ci/run needs it for realapi/ anyway)" >&2; exit 1; }

hash=$(cd "$here" && find . -name '*.go' -o -name go.mod -o -name go.sum | LC_ALL=C sort \
  | xargs sha256sum | sha256sum | cut -c1-16)
out=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/clients/$hash
built() { [[ -x "$out/kstatus" && -x "$out/argocd-health" && -x "$out/celcost" ]]; }
if built; then
  echo "$out"
  exit 0
fi
mkdir -p "$(dirname "$out")"
# One build at a time (.ci/run's background build, and tests in two JVMs, may all ask): the others wait and reuse it.
exec 9>"$(dirname "$out")/.lock"
flock 9
if built; then
  echo "$out"
  exit 0
fi
start=$(date +%s)
tmp=$(mktemp -d "$(dirname "$out")/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log "go build ./cmd/... (in $here)"
(cd "$here" && GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0 \
  go build -trimpath -ldflags "-s -w" -o "$tmp/" ./cmd/...)
# Another build may have finished meanwhile: keep whichever landed first.
mv -T "$tmp" "$out" 2>/dev/null || true
log "built in $(( $(date +%s) - start ))s: $out"
echo "$out"
