#!/usr/bin/env bash
# Builds (once, cached) a real Kubernetes control plane for the real-API test tier, one per Kubernetes minor tested:
#   ${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/<version>-linux-amd64/
#     kube-apiserver, kube-controller-manager, kube-scheduler   built from k8s.io/kubernetes (./go.mod: 1.33, the
#                                               default; ./k8s-1.30/go.mod: the oldest supported minor)
#     kwok, kwok-stages.yaml                    built from sigs.k8s.io/kwok (./kwok/go.mod); the other versions' dirs
#                                               link to the default's (kwok is the same for every server version)
#     etcd     wrapper around Debian's /usr/bin/etcd (installed if missing) that keeps it on 127.0.0.1
#     kubectl  symlink to /usr/bin/kubectl, or built from ./go.mod when that is missing
# This is the layout fabric8 kube-api-test looks for. A warm machine skips the build: each part is
# rebuilt only when its binary is missing or its stamp (hash of its go.mod + go.sum) differs.
# Env: KUBE_API_TEST_DIR (cache root), REALAPI_SKIP_KWOK=1 (skip kwok), REALAPI_FORCE=1 (rebuild),
#      REALAPI_MODULES (the Kubernetes modules to build, relative to realapi/; default ". k8s-1.30"),
#      REALAPI_BUILD_LOG (where this run's output goes, named in the failure marker; .ci/run sets it).
# While it runs it holds ${KUBE_API_TEST_DIR}/locks/<version>.lock for every version not yet built, so a test
# started meanwhile waits for the version it needs (await-build.sh); a failed build leaves <version>.failed there.
set -euo pipefail
start=$(date +%s)
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "[realapi/build] $*"; }
command -v go >/dev/null || { echo "go is not on PATH (needs go >= 1.26 for kwok, >= 1.24 for k8s)" >&2; exit 1; }
version_of() { sed -nE 's#^(require)?[[:space:]]*k8s\.io/kubernetes (v[^ ]+).*#\2#p' "$1/go.mod"; }   # e.g. v1.33.13
out_of() { echo "${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/$(version_of "$1" | sed 's/^v//')-linux-amd64"; }
primary_out=$(out_of "$here")

# Lock every version this run builds before building any, each released as soon as it is built (so tests on 1.33
# start while 1.30 builds); on failure, the versions not built get a marker naming the log.
locks=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/locks
mkdir -p "$locks"
declare -A lock_fd=()
for m in ${REALAPI_MODULES:-. k8s-1.30}; do
  v=$(version_of "$(cd "$here/$m" && pwd)" | sed 's/^v//')
  exec {fd}>"$locks/$v.lock"
  flock -x "$fd"   # another build.sh of this version: wait for it (its result is then reused)
  rm -f "$locks/$v.failed"
  lock_fd[$v]=$fd
done
built() { local v=${1#v}; local fd=${lock_fd[$v]}; exec {fd}>&-; unset "lock_fd[$v]"; }
on_exit() {
  local rc=$?
  if [[ $rc != 0 ]]; then
    for v in "${!lock_fd[@]}"; do
      printf 'realapi/build.sh failed (exit %s, %s) before Kubernetes %s was built\nlog: %s\n' \
        "$rc" "$(date -u +%FT%TZ)" "$v" "${REALAPI_BUILD_LOG:-the output of realapi/build.sh}" > "$locks/$v.failed"
    done
  fi
}
trap on_exit EXIT

build_module() { # build_module <module dir>: one Kubernetes version's control plane into its cache dir
local mod=$1
local k8s_ver; k8s_ver=$(version_of "$mod")
[[ -n "$k8s_ver" ]] || { echo "cannot read the k8s.io/kubernetes version from $mod/go.mod" >&2; exit 1; }
local minor; minor=$(echo "$k8s_ver" | cut -d. -f2)
out=$(out_of "$mod")
mkdir -p "$out"

export GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0
stamp_of() { (cd "$1" && cat go.mod go.sum | sha256sum | cut -c1-16); }
fresh() { # fresh <stampfile> <hash> <binaries...>
  local s=$1 h=$2; shift 2
  [[ "${REALAPI_FORCE:-}" != 1 && -f "$out/$s" && "$(cat "$out/$s")" == "$h" ]] || return 1
  for b in "$@"; do [[ -x "$out/$b" ]] || return 1; done
}
# go build into a temp dir, then move into place, so an interrupted build never leaves half a binary.
gobuild() { # gobuild <module dir> <ldflags> <packages...>
  local dir=$1 ld=$2; shift 2
  local tmp; tmp=$(mktemp -d "$out/.build.XXXXXX")
  log "go build $* (in $dir)"
  (cd "$dir" && go build -trimpath -ldflags "$ld" -o "$tmp/" "$@")
  mv -f "$tmp"/* "$out/" && rmdir "$tmp"
}

# Without these -X flags the binaries report v0.0.0-master, which breaks the compatibility/emulation
# version logic of 1.31+ components and confuses clients' version checks.
vpkg_ld=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  vpkg_ld+=" -X $p.gitVersion=$k8s_ver -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
done
k8s_ld="-s -w$vpkg_ld"

# 1. kube-apiserver, kube-controller-manager, kube-scheduler (+ kubectl only if the machine has none)
h=$(stamp_of "$mod")
pkgs=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler)
bins=(kube-apiserver kube-controller-manager kube-scheduler)
if [[ ! -x /usr/bin/kubectl && "$mod" == "$here" ]]; then pkgs+=(k8s.io/kubernetes/cmd/kubectl); bins+=(kubectl); fi
if fresh .stamp-k8s "$h" "${bins[@]}"; then
  log "kubernetes $k8s_ver binaries up to date"
else
  rm -f "$out/.stamp-k8s"
  gobuild "$mod" "$k8s_ld" "${pkgs[@]}"
  echo "$h" > "$out/.stamp-k8s"
fi

# 2. kwok + the Stage objects it needs (kwokctl normally injects these; plain kwok fails with
#    "no stages found" without them). Taken from the kwok module's own kustomize/stage files.
if [[ "${REALAPI_SKIP_KWOK:-}" == 1 ]]; then
  log "kwok skipped (REALAPI_SKIP_KWOK=1)"
elif [[ "$out" != "$primary_out" ]]; then
  ln -sfn "$primary_out/kwok" "$out/kwok"
  ln -sfn "$primary_out/kwok-stages.yaml" "$out/kwok-stages.yaml"
  log "kwok linked from $primary_out (built with it)"
else
  h=$(stamp_of "$here/kwok")
  if fresh .stamp-kwok "$h" kwok && [[ -s "$out/kwok-stages.yaml" ]]; then
    log "kwok up to date"
  else
    rm -f "$out/.stamp-kwok"
    gobuild "$here/kwok" "-s -w" sigs.k8s.io/kwok/cmd/kwok
    kdir=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
    { for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
               pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
        echo "---"; cat "$kdir/kustomize/stage/$f"; done; } > "$out/kwok-stages.yaml"
    echo "$h" > "$out/.stamp-kwok"
  fi
fi

# 3. etcd: Debian's etcd-server, behind a wrapper that moves 0.0.0.0 listeners to 127.0.0.1
#    (kube-api-test starts etcd with --listen-client-urls http://0.0.0.0:<port>).
if [[ ! -x /usr/bin/etcd ]]; then
  log "installing Debian etcd-server"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
fi
cat > "$out/etcd.tmp" <<'EOF'
#!/bin/sh
# Runs Debian's etcd; any 0.0.0.0 listen/advertise URL is rewritten to 127.0.0.1 (loopback only).
for a; do shift; set -- "$@" "$(printf '%s' "$a" | sed 's#//0\.0\.0\.0:#//127.0.0.1:#g')"; done
exec /usr/bin/etcd "$@"
EOF
chmod +x "$out/etcd.tmp" && mv -f "$out/etcd.tmp" "$out/etcd"

# 4. kubectl
if [[ -x /usr/bin/kubectl ]]; then ln -sfn /usr/bin/kubectl "$out/kubectl";
elif [[ "$out" != "$primary_out" ]]; then ln -sfn "$primary_out/kubectl" "$out/kubectl"; fi
log "kubernetes $k8s_ver: $out"
built "$k8s_ver"
}

for m in ${REALAPI_MODULES:-. k8s-1.30}; do
  build_module "$(cd "$here/$m" && pwd)"
done

log "done in $(( $(date +%s) - start ))s"
