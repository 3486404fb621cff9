#!/usr/bin/env bash
# Prints the directory of the Gateway API CRDs (standard channel) the real-API tier installs: the module
# sigs.k8s.io/gateway-api at the version below, fetched once through the Go module proxy into the Go module cache
# (go mod download verifies it against the checksum database) and checked against the sum pinned here.
#   bash realapi/gateway-api.sh      ->  /root/go/pkg/mod/sigs.k8s.io/gateway-api@v1.6.3/config/crd/standard
# The tests (GatewayApiCrds) apply every CustomResourceDefinition in that directory.
set -euo pipefail
version=v1.6.3
sum="h1:lKpJa5bGlraC/QeACvCpsHLdmO6y0iKfzVl6gzaFEYc="
command -v go >/dev/null || { echo "go is not on PATH" >&2; exit 1; }
json=$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "sigs.k8s.io/gateway-api@$version")
dir=$(sed -nE 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p' <<<"$json")
got=$(sed -nE 's/^[[:space:]]*"Sum": "(.*)",?$/\1/p' <<<"$json")
[[ "$got" == "$sum" ]] || { echo "sigs.k8s.io/gateway-api@$version has sum $got, expected $sum" >&2; exit 1; }
[[ -d "$dir/config/crd/standard" ]] || { echo "no config/crd/standard in $dir" >&2; exit 1; }
echo "$dir/config/crd/standard"
