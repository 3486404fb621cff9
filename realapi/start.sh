#!/usr/bin/env bash
# Starts a real control plane on 127.0.0.1 from the binaries build.sh made:
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok (+ one fake Node it manages).
# Usage: realapi/start.sh            (state dir: $REALAPI_STATE, default /tmp/realapi; wiped first)
# Leaves: $STATE/kubeconfig (admin: client cert in group system:masters, certs embedded),
#         $STATE/pids, $STATE/*.log, $STATE/env (KUBECONFIG=..., REALAPI_SERVER=https://127.0.0.1:<port>).
# Env: REALAPI_NODES (fake kwok nodes to create, default 1; 0 = no kwok), KUBE_API_TEST_DIR,
#      REALAPI_K8S_MODULE (which Kubernetes build.sh made to start, by its module dir under realapi/: "." = 1.33,
#      the default; "k8s-1.30" = the oldest supported minor),
#      REALAPI_AUDIT_LOG (a path: kube-apiserver writes an audit log there, one JSON event per request at level
#      Metadata: verb, objectRef, userAgent, requestURI, responseStatus; off when unset).
# Stop with realapi/stop.sh.
set -euo pipefail
t0=$(date +%s)
here=$(cd "$(dirname "$0")" && pwd)
k8s_ver=$(sed -nE 's#^(require)?[[:space:]]*k8s\.io/kubernetes (v[^ ]+).*#\2#p' "$here/${REALAPI_K8S_MODULE:-.}/go.mod")
bin=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${k8s_ver#v}-linux-amd64
state=${REALAPI_STATE:-/tmp/realapi}
nodes=${REALAPI_NODES:-1}
log() { echo "[realapi/start] $*"; }

# .ci/run builds in the background: wait for the build of this version if one is running (bounded; fails if it failed)
bash "$here/await-build.sh" "${REALAPI_K8S_MODULE:-.}"
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  [[ -x "$bin/$b" ]] || { echo "missing $bin/$b: run realapi/build.sh first" >&2; exit 1; }
done
if [[ -f "$state/pids" ]]; then
  while read -r _ pid; do
    if kill -0 "$pid" 2>/dev/null; then echo "already running (pid $pid, $state/pids): run realapi/stop.sh" >&2; exit 1; fi
  done < "$state/pids"
fi
rm -rf "$state" && mkdir -p "$state/pki" "$state/etcd"
cd "$state"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
etcd_port=$(free_port); etcd_peer=$(free_port); api_port=$(free_port)

# --- certificates (EC P-256; fast): a CA, the apiserver's serving cert, an admin client cert, the SA key pair
p=pki
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ec $p/ca.key; ec $p/apiserver.key; ec $p/sa.key
# The admin client key is RSA in the traditional PKCS#1 form: fabric8 (the Java tests' client) cannot
# read openssl's PKCS#8 EC keys ("Invalid DER: object is not integer").
openssl genrsa -traditional -out $p/admin.key 2048 2>/dev/null
openssl pkey -in $p/sa.key -pubout -out $p/sa.pub 2>/dev/null
openssl req -x509 -new -key $p/ca.key -subj "/CN=realapi-ca" -days 3650 -out $p/ca.crt
openssl req -x509 -new -key $p/apiserver.key -subj "/CN=kube-apiserver" -days 3650 \
  -CA $p/ca.crt -CAkey $p/ca.key -out $p/apiserver.crt \
  -addext "subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
  -addext "extendedKeyUsage=serverAuth" -addext "basicConstraints=critical,CA:FALSE"
openssl req -x509 -new -key $p/admin.key -subj "/O=system:masters/CN=realapi-admin" -days 3650 \
  -CA $p/ca.crt -CAkey $p/ca.key -out $p/admin.crt \
  -addext "extendedKeyUsage=clientAuth" -addext "basicConstraints=critical,CA:FALSE"

server=https://127.0.0.1:$api_port
export KUBECONFIG=$state/kubeconfig
k() { "$bin/kubectl" "$@"; }
k config set-cluster realapi --server="$server" --certificate-authority=$p/ca.crt --embed-certs >/dev/null
k config set-credentials admin --client-certificate=$p/admin.crt --client-key=$p/admin.key --embed-certs >/dev/null
k config set-context realapi --cluster=realapi --user=admin >/dev/null
k config use-context realapi >/dev/null
printf 'KUBECONFIG=%s\nREALAPI_SERVER=%s\nREALAPI_BIN=%s\n' "$KUBECONFIG" "$server" "$bin" > env

# start <name> <cmd...>: in its own session (survives this script), log in $state/<name>.log
start() { local n=$1; shift; setsid "$@" > "$state/$n.log" 2>&1 < /dev/null & echo "$n $!" >> "$state/pids"; }
wait_for() { # wait_for <what> <seconds> <cmd...>
  local what=$1 secs=$2; shift 2
  for ((i = 0; i < secs * 5; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "timed out after ${secs}s waiting for $what; logs in $state" >&2; tail -20 "$state"/*.log >&2; exit 1
}

start etcd "$bin/etcd" --name=realapi --data-dir="$state/etcd" \
  --listen-client-urls=http://127.0.0.1:$etcd_port --advertise-client-urls=http://127.0.0.1:$etcd_port \
  --listen-peer-urls=http://127.0.0.1:$etcd_peer --initial-advertise-peer-urls=http://127.0.0.1:$etcd_peer \
  --initial-cluster=realapi=http://127.0.0.1:$etcd_peer --quota-backend-bytes=2147483648
wait_for etcd 20 python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$etcd_port/health', timeout=1)"

# A /16 gives 65534 ClusterIPs (a /24 ran out at the 43rd stack of 6 Services); kube-apiserver refuses IPv4
# ranges wider than /12. The first address, 10.0.0.1 (the kubernetes Service), is in the serving cert.
audit=()
if [[ -n "${REALAPI_AUDIT_LOG:-}" ]]; then
  cat > "$state/audit-policy.yaml" <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
EOF
  # maxsize 0 does not mean "never rotate": the log library then rotates at its default, 100 MB (a 500-stack
  # benchmark reached it and its first 100 MB of requests went to a file the counts did not read). 100 GB is never.
  audit=(--audit-policy-file="$state/audit-policy.yaml" --audit-log-path="$REALAPI_AUDIT_LOG" --audit-log-maxsize=100000)
fi
start kube-apiserver "$bin/kube-apiserver" "${audit[@]}" \
  --etcd-servers=http://127.0.0.1:$etcd_port \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=$api_port \
  --tls-cert-file=$p/apiserver.crt --tls-private-key-file=$p/apiserver.key --client-ca-file=$p/ca.crt \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file=$p/sa.pub --service-account-signing-key-file=$p/sa.key \
  --service-cluster-ip-range=10.0.0.0/16 --authorization-mode=Node,RBAC --allow-privileged=true \
  --endpoint-reconciler-type=none --profiling=false
wait_for kube-apiserver 90 k get --raw /readyz

common=(--kubeconfig="$KUBECONFIG" --leader-elect=false --bind-address=127.0.0.1 --secure-port=0 --profiling=false)
start kube-controller-manager "$bin/kube-controller-manager" "${common[@]}" \
  --controllers='*,-cloud-node-lifecycle-controller,-service-lb-controller,-node-route-controller,-node-ipam-controller' \
  --service-account-private-key-file=$p/sa.key --root-ca-file=$p/ca.crt --use-service-account-credentials=false \
  --node-monitor-grace-period=60s
# A test-cluster setting: a pod the scheduler found unschedulable goes back to the queue after 10 s instead of 5 min.
# kube-scheduler reads PVCs through its volume binder's cache, a separate informer handler from the one that moves
# waiting pods when a PVC is bound; when the move runs first, the pod is retried against the stale (unbound) claim,
# fails again and, with no further event, waits for this flush (kubernetes/kubernetes#93552). Under load that left a
# StatefulSet pod Pending for minutes while its claim was Bound. The flush loop runs every 30 s, so a stranded pod
# is retried within about 40 s. (The flag is deprecated but present in 1.30 and 1.33; KubeSchedulerConfiguration has
# no field for it.)
start kube-scheduler "$bin/kube-scheduler" "${common[@]}" --pod-max-in-unschedulable-pods-duration=10s

if [[ "$nodes" -gt 0 ]]; then
  [[ -x "$bin/kwok" ]] || { echo "missing $bin/kwok (REALAPI_NODES=0 to run without it)" >&2; exit 1; }
  start kwok "$bin/kwok" --kubeconfig="$KUBECONFIG" --config="$bin/kwok-stages.yaml" \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-ip=127.0.0.1 --cidr=10.244.0.1/16 --node-lease-duration-seconds=40
  for ((n = 0; n < nodes; n++)); do
    k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$n
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: kwok-node-$n, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}
EOF
  done
  # One list per poll, all nodes at once, bounded overall (kubectl wait --all with a short timeout spends it node by
  # node, and failed with more than about nine nodes).
  ready_nodes() {
    [[ $(k get nodes -l type=kwok -o jsonpath='{range .items[*]}{range .status.conditions[?(@.type=="Ready")]}{.status}{"\n"}{end}{end}' \
      | grep -c '^True$') -ge "$nodes" ]]
  }
  wait_for "$nodes kwok nodes Ready" $((60 + nodes)) ready_nodes
fi
# the serviceaccount controller must have made "default" before pods can be created in a namespace
wait_for "default ServiceAccount" 60 k -n default get serviceaccount default

log "up in $(( $(date +%s) - t0 ))s: $server (etcd 127.0.0.1:$etcd_port), KUBECONFIG=$KUBECONFIG, logs+pids in $state"
