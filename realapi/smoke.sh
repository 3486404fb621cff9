#!/usr/bin/env bash
# Proves the control plane works: build (cached) -> start -> checks -> stop. Exit 0 = all checks passed.
# Checks: /readyz; Deployment -> ReplicaSet -> Pod (controller-manager + scheduler); Pod Running/Ready and
# Deployment Available (kwok); owner deletion garbage-collects dependents; server-side apply (+ conflict).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/build.sh"
"$here/start.sh"
trap '"$here/stop.sh"' EXIT
source "${REALAPI_STATE:-/tmp/realapi}/env"; export KUBECONFIG
k() { "$REALAPI_BIN/kubectl" "$@"; }
pass=0; fail=0
check() { local what=$1; shift; if "$@"; then echo "ok   $what"; pass=$((pass+1)); else echo "FAIL $what"; fail=$((fail+1)); fi; }
t=$(date +%s)

check "readyz" test "$(k get --raw /readyz)" = ok
check "server version ${REALAPI_BIN##*/k8s/}" k version

k create namespace smoke >/dev/null
k -n smoke create deployment web --image=registry.invalid/web:1 --replicas=1 >/dev/null
check "ReplicaSet created" k -n smoke wait --for=jsonpath='{.status.replicas}'=1 rs -l app=web --timeout=30s
check "Pod scheduled to a kwok node" k -n smoke wait --for=jsonpath='{.spec.nodeName}'=kwok-node-0 pod -l app=web --timeout=30s
check "Pod Running" k -n smoke wait --for=jsonpath='{.status.phase}'=Running pod -l app=web --timeout=30s
check "Pod Ready" k -n smoke wait --for=condition=Ready pod -l app=web --timeout=30s
check "Deployment Available" k -n smoke wait --for=condition=Available deploy/web --timeout=30s
check "Deployment rolled out" k -n smoke rollout status deploy/web --timeout=30s

# garbage collection: deleting the Deployment (background propagation) removes its ReplicaSet and Pod
k -n smoke delete deploy web --wait=true >/dev/null
check "ReplicaSet garbage-collected" k -n smoke wait --for=delete rs -l app=web --timeout=30s
check "Pod garbage-collected" k -n smoke wait --for=delete pod -l app=web --timeout=30s
# ... and for a plain ownerReference between two ConfigMaps
k -n smoke create configmap owner >/dev/null
uid=$(k -n smoke get configmap owner -o jsonpath='{.metadata.uid}')
k -n smoke apply -f - >/dev/null <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: dependent
  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: "$uid"}]
EOF
k -n smoke delete configmap owner >/dev/null
check "ConfigMap dependent garbage-collected" k -n smoke wait --for=delete configmap/dependent --timeout=30s

# server-side apply: create, update, field ownership and a conflict between two managers
ssa() { k -n smoke apply --server-side --field-manager="$1" -f - "${@:2}"; }
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "1"}\n' | ssa mgr-a >/dev/null
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "2"}\n' | ssa mgr-a >/dev/null
check "SSA create+update" test "$(k -n smoke get cm ssa -o jsonpath='{.data.a}')" = 2
managers() { k -n smoke get cm ssa --show-managed-fields -o jsonpath='{.metadata.managedFields[*].manager}'; }
check "SSA managedFields record mgr-a" grep -qw mgr-a <<<"$(managers)"
conflict() { # a second manager setting the same field must get a 409 conflict
  local out
  if out=$(printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "3"}\n' | ssa mgr-b 2>&1); then return 1; fi
  grep -qi conflict <<<"$out"
}
check "SSA conflict for a second manager" conflict
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "1"}\n' | ssa mgr-a >/dev/null
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {b: "x"}\n' | ssa mgr-a >/dev/null
check "SSA prunes fields a manager stops sending" test -z "$(k -n smoke get cm ssa -o jsonpath='{.data.a}')"

echo "checks took $(( $(date +%s) - t ))s"
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
