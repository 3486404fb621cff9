#!/usr/bin/env python3
"""The scale benchmark: the operator against the cheapest way to get the same objects, on the real API server tier.

Run it with bench/run.sh N (which builds what is missing first). Standard library only.

  1. realapi/start.sh with an audit log (level Metadata: every request with its verb, resource, user agent) and
     enough kwok nodes; the CRD.
  2. operator: `java -jar pi-operator.jar run` (all namespaces, active probes off); cold start to /readyz; heap after
     GC idle; N PiStacks (samples/minimal.yaml, one per namespace bench-op-NNNN, with the licence Secret and static
     volumes for its two claims); time until every PiStack is Ready; heap after GC and RSS; then a restart: time to
     /readyz, until it has reconciled every stack again, and what it wrote and read meanwhile.
  3. baseline, with the operator stopped: `render` of the same N stacks (namespaces bench-kc-NNNN) plus the
     credentials, root and backup user Secrets the operator would generate, applied with `kubectl apply --server-side`,
     one process per reconcile thread of the operator (5), each applying its share of the stacks; time until every
     Deployment is Available and every StatefulSet ready.
  4. the counts, from the audit log: the operator is the fabric8 user agent, the baseline is kubectl in bench-kc-*
     namespaces; the bench's own setup (namespaces, licence Secrets, volumes, PiStacks) is Python-urllib and not
     counted.
  5. the operator-bound times, from the same log (time to Ready mostly waits for kube-controller-manager creating
     the pods): from the first PiStack's creation to the operator's last child-object write (every object of every
     stack applied), and each stack's wait from its creation to the operator's first write in its namespace (the
     reconcile queue) and its apply from first to last write (operator_bound()).

Prints a markdown table; writes every figure as JSON to $BENCH_OUT (default $BENCH_STATE/result.json).
Env: BENCH_STATE (default /tmp/pi-bench; wiped), BENCH_JAR, BENCH_TIMEOUT (seconds per wait, default 300 + 3 N),
     BENCH_KEEP=1 (leave the control plane running), BENCH_BASELINE=0 (skip the baseline), BENCH_HISTO=1 (the heap's
     class histograms with the warm-up stack, with N stacks and after the restart, in $BENCH_STATE), BENCH_HEAPDUMP=1
     (a heap dump with N stacks, $BENCH_STATE/heap-N*.hprof), BENCH_TRACE=1 (every PiStack change while converging, as
     kubectl watch events, in $BENCH_STATE/pistacks-watch.json), BENCH_UNRELATED_SECRETS (default 0); the operator
     inherits the environment, so PI_OPERATOR_RECONCILE_THREADS=20 (recorded in the result) sets its threads;
     BENCH_SHARDS=k (default 1): k operator processes, shard s0..s(k-1), each with PI_OPERATOR_STACK_SELECTOR
     pistack.io/shard=sK, the stacks labelled round robin; heap, CPU, reconciles are summed over them, /readyz after
     the restart is the slowest. The result's "issue_28" holds the fleet figures next to their bounds.
"""
import calendar
import glob
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WRITE_VERBS = {"create", "update", "patch", "delete", "deletecollection"}


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Api:
    """A tiny client for the admin credentials start.sh leaves (its user agent is Python-urllib: not counted)."""

    def __init__(self, state, server):
        self.server = server
        ctx = ssl.create_default_context(cafile=f"{state}/pki/ca.crt")
        ctx.load_cert_chain(f"{state}/pki/admin.crt", f"{state}/pki/admin.key")
        self.ctx = ctx

    def req(self, method, path, body=None, ctype="application/json"):
        data = json.dumps(body).encode() if body is not None else None
        r = urllib.request.Request(self.server + path, data=data, method=method,
                                   headers={"Content-Type": ctype} if data else {})
        try:
            with urllib.request.urlopen(r, context=self.ctx, timeout=60) as resp:
                return json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: {e.code} {e.read()[:300]!r}") from None

    def get(self, path):
        return self.req("GET", path)

    def create(self, path, obj):
        return self.req("POST", path, obj)


def wait_established(api, crd, seconds):
    """Polls the CRD until Established. (`kubectl wait` once exited 1 here right after its watch began,
    without a word on stderr that a test could show; a poll says what it saw.)"""
    deadline = time.time() + seconds
    conditions = []
    while time.time() < deadline:
        obj = api.get(f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd}")
        conditions = (obj.get("status") or {}).get("conditions") or []
        if any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions):
            return
        time.sleep(0.2)
    raise SystemExit(f"CRD {crd} not Established within {seconds} s; conditions: {conditions}")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def http_ok(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except Exception:
        return False


def wait(what, timeout, check, every=1.0):
    t0 = time.time()
    while True:
        v = check()
        if v:
            return time.time() - t0
        if time.time() - t0 > timeout:
            raise SystemExit(f"bench: timed out after {timeout}s waiting for {what}")
        time.sleep(every)


class Operator:
    def __init__(self, jar, kubeconfig, state, n, name="operator", env=None):
        self.jar, self.kubeconfig, self.state, self.n = jar, kubeconfig, state, n
        self.name, self.env = name, env or {}
        self.proc = None
        self.port = None
        self.starts = 0

    def start(self):
        self.port = free_port()
        self.starts += 1
        env = dict(os.environ, KUBECONFIG=self.kubeconfig, PI_OPERATOR_PROBE_INTERVAL="off",
                   PI_OPERATOR_HTTP_PORT=str(self.port), PI_OPERATOR_LOG_LEVEL="INFO", **self.env)
        env.pop("JAVA_TOOL_OPTIONS", None)
        out = open(f"{self.state}/{self.name}-{self.starts}.log", "w")
        t0 = time.time()
        self.proc = subprocess.Popen(["java", "-XX:+UseG1GC", "-jar", self.jar, "run"], env=env, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        wait("operator /readyz", 120, lambda: self.proc.poll() is None and http_ok(f"http://127.0.0.1:{self.port}/readyz")
             or (self.proc.poll() is not None and sys.exit(f"bench: operator exited, see {out.name}")), every=0.05)
        return time.time() - t0

    def metrics(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
            return r.read().decode()

    def reconciles(self, metric="operator_sdk_reconciliations_success_total"):
        """A JOSDK reconcile counter (default: finished reconciles), summed over its series."""
        total = 0.0
        for line in self.metrics().splitlines():
            if line.startswith(metric + "{") or line.startswith(metric + " "):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def started(self):
        return self.reconciles("operator_sdk_reconciliations_started_total")

    def heap_after_gc_kib(self):
        """The live heap: the total of jcmd GC.class_histogram, which counts only what a full GC keeps. (GC.run then
        GC.heap_info also counts what a busy operator allocates between the two commands: it said 274 MiB right
        after a restart over 500 stacks, 130 MiB before it; at 100 stacks the histograms before and after a restart
        held 48 and 45 MiB.)"""
        out = subprocess.run(["jcmd", str(self.proc.pid), "GC.class_histogram"], check=True, capture_output=True,
                             text=True).stdout
        m = re.search(r"^Total\s+\d+\s+(\d+)\s*$", out, re.M)
        return int(m.group(1)) // 1024

    def class_histogram(self, path):
        """The heap's classes by size (jcmd GC.class_histogram: live objects, after a full GC), for BENCH_HISTO=1."""
        out = subprocess.run(["jcmd", str(self.proc.pid), "GC.class_histogram"], check=True, capture_output=True,
                             text=True).stdout
        with open(path, "w") as f:
            f.write(out)

    def cpu_s(self):
        """CPU seconds the process used so far (user + system, /proc/<pid>/stat)."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def audit_files(path):
    """The audit log and its rotated parts, oldest first. kube-apiserver rotates it at 100 MB with
    --audit-log-maxsize=0 (its log library's default), into <name>-<timestamp>.<ext> beside it; a 500-stack run
    fills 100 MB before its baseline, and counting the last part alone missed the operator's requests. realapi/start.sh
    now sets 100000 (MB), so there is one part; the others are read in case of a harness that rotates."""
    stem, ext = os.path.splitext(path)
    return sorted(glob.glob(f"{glob.escape(stem)}-*{ext}")) + [path]


def audit_events(path):
    for part in audit_files(path):
        with open(part) as f:
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                if e.get("stage") != "ResponseComplete":
                    continue
                yield e


def ts(e):
    # "2026-11-26T18:34:05.500654Z" -> epoch seconds
    s = e["requestReceivedTimestamp"]
    frac = s[20:-1] if "." in s else "0"
    return calendar.timegm(time.strptime(s[:19], "%Y-%m-%dT%H:%M:%S")) + float("0." + frac)


def kind_of(e):
    o = e.get("objectRef", {})
    r = o.get("resource", "?")
    return r + ("/" + o["subresource"] if o.get("subresource") else "")


def counts(events, who, t_from, t_to):
    """Writes by resource and verb, failed writes, Secret reads, all requests, for one client in a time window."""
    by = Counter()
    failed = 0
    secret_gets = 0
    secret_lists = 0
    requests = 0
    for e in events:
        if not who(e):
            continue
        t = ts(e)
        if t < t_from or t > t_to:
            continue
        requests += 1
        verb = e["verb"]
        res = e.get("objectRef", {}).get("resource")
        if verb in WRITE_VERBS:
            by[f"{kind_of(e)} {verb}"] += 1
            if e.get("responseStatus", {}).get("code", 200) >= 400:
                failed += 1
        elif res == "secrets" and verb == "get":
            secret_gets += 1
        elif res == "secrets" and verb in ("list", "watch"):
            secret_lists += 1
    writes = sum(by.values())
    status = sum(v for k, v in by.items() if k.startswith("pistacks/status "))
    events_ = sum(v for k, v in by.items() if k.startswith("events "))
    return {"writes": writes, "status_writes": status, "event_writes": events_,
            "object_writes": writes - status - events_, "failed_writes": failed, "secret_gets": secret_gets,
            "secret_lists_watches": secret_lists, "requests": requests, "writes_by": dict(sorted(by.items()))}


def spread(values):
    """Median, 90th percentile and maximum of some seconds (rounded to 0.1 s); {} for none."""
    v = sorted(values)
    if not v:
        return {}
    return {"median": round(v[len(v) // 2], 1), "p90": round(v[min(len(v) - 1, int(len(v) * 0.9))], 1),
            "max": round(v[-1], 1)}


def operator_bound(events, t_from, t_to):
    """What the operator alone took to apply a creation, from the audit log: each PiStack's creation (the bench's
    POST) against the operator's child-object writes in its namespace bench-op-* (every write but its status and
    events). Time to Ready also waits for kube-controller-manager to create the pods; this does not.

      applied_s          from the first PiStack's creation to the operator's last child write: every object of every
                         stack applied
      stack_wait_s       each stack, from its creation to its first child write: its wait in the reconcile queue
                         (median / 90th percentile / max)
      stack_apply_s      each stack, from its first to its last child write: its apply (median / p90 / max)
      write_ms           each child write's latency at the API server (received to response; median / p90 / max)
      in_flight          the operator's child writes in flight at once: mean while at least one is, and max (more
                         threads than requests the API server serves at once only queue)
    """
    created, first, last = {}, {}, {}
    child_writes = 0
    latencies, edges = [], []
    for e in events:
        o = e.get("objectRef", {})
        ns = o.get("namespace", "")
        if not ns.startswith("bench-op-") or e["verb"] not in WRITE_VERBS:
            continue
        if e.get("responseStatus", {}).get("code", 200) >= 400:
            continue
        t = ts(e)
        if t < t_from or t > t_to:
            continue
        ua = e.get("userAgent", "")
        if "fabric8" not in ua:
            if o.get("resource") == "pistacks" and not o.get("subresource") and e["verb"] == "create":
                created[ns] = min(created.get(ns, t), t)
        elif o.get("resource") not in ("pistacks", "events"):
            child_writes += 1
            done = ts({"requestReceivedTimestamp": e.get("stageTimestamp", e["requestReceivedTimestamp"])})
            latencies.append(1000 * (done - t))
            edges += [(t, 1), (done, -1)]
            first[ns] = min(first.get(ns, t), t)
            last[ns] = max(last.get(ns, t), t)
    both = [ns for ns in created if ns in first]
    in_flight = peak = 0
    busy = weighted = 0.0
    for (t, d), (t_next, _) in zip(sorted(edges), sorted(edges)[1:] + [(None, 0)]):
        in_flight += d
        peak = max(peak, in_flight)
        if in_flight and t_next is not None:
            busy += t_next - t
            weighted += in_flight * (t_next - t)
    return {"stacks_created": len(created), "stacks_written": len(both), "child_writes": child_writes,
            "applied_s": round(max(last[ns] for ns in both) - min(created.values()), 1) if both else None,
            "stack_wait_s": spread(first[ns] - created[ns] for ns in both),
            "stack_apply_s": spread(last[ns] - first[ns] for ns in both), "write_ms": spread(latencies),
            "in_flight": {"mean": round(weighted / busy, 1) if busy else 0, "max": peak}}


def per_stack_ready(api):
    """Each stack's time from creation to Ready (its Ready condition's lastTransitionTime, whole seconds):
    median, 90th percentile and maximum."""
    times = []
    for s in api.get("/apis/pistack.io/v1alpha1/pistacks")["items"]:
        if not s["metadata"]["namespace"].startswith("bench-op-"):
            continue
        created = calendar.timegm(time.strptime(s["metadata"]["creationTimestamp"], "%Y-%m-%dT%H:%M:%SZ"))
        for c in (s.get("status") or {}).get("conditions", []):
            if c.get("type") == "Ready" and c.get("status") == "True":
                times.append(calendar.timegm(time.strptime(c["lastTransitionTime"], "%Y-%m-%dT%H:%M:%SZ")) - created)
    times.sort()
    if not times:
        return {}
    return {"median": times[len(times) // 2], "p90": times[min(len(times) - 1, int(len(times) * 0.9))],
            "max": times[-1]}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    state = os.environ.get("BENCH_STATE", "/tmp/pi-bench")
    jar = os.environ.get("BENCH_JAR", f"{ROOT}/operator/target/pi-operator.jar")
    timeout = int(os.environ.get("BENCH_TIMEOUT", 300 + 3 * n))
    out_path = os.environ.get("BENCH_OUT", f"{state}/result.json")
    nodes = max(1, math.ceil(2 * n / 45))  # default-sized minimal stacks: ~11 GiB requested; a kwok node has 1 TiB
    rt = f"{state}/realapi"
    audit = f"{state}/audit.log"
    if os.path.exists(f"{rt}/pids"):
        subprocess.run(["bash", f"{ROOT}/realapi/stop.sh"], env=dict(os.environ, REALAPI_STATE=rt), capture_output=True)
    shutil.rmtree(state, ignore_errors=True)
    os.makedirs(state)
    load_before = os.getloadavg()
    result = {"n": n, "nodes": nodes, "cores": os.cpu_count(), "loadavg_at_start": [round(x, 2) for x in load_before],
              "reconcile_threads": os.environ.get("PI_OPERATOR_RECONCILE_THREADS", "default")}
    t_bench = time.time()

    log(f"control plane with {nodes} kwok nodes, audit log {audit}")
    env = dict(os.environ, REALAPI_STATE=rt, REALAPI_NODES=str(nodes), REALAPI_AUDIT_LOG=audit)
    subprocess.run(["bash", f"{ROOT}/realapi/start.sh"], env=env, check=True, stdout=sys.stderr)
    shards = int(os.environ.get("BENCH_SHARDS", "1"))
    result["shards"] = shards
    ops = []
    try:
        renv = dict(line.split("=", 1) for line in open(f"{rt}/env").read().split())
        kubeconfig, kubectl = renv["KUBECONFIG"], renv["REALAPI_BIN"] + "/kubectl"
        api = Api(rt, renv["REALAPI_SERVER"])
        kenv = dict(os.environ, KUBECONFIG=kubeconfig)
        # Every CRD the operator serves (PiStack, PiBackup): its controllers start only once all are there.
        subprocess.run([kubectl, "apply", "--server-side", "-f", f"{ROOT}/crds/"],
                       env=kenv, check=True, capture_output=True)
        wait_established(api, "pistacks.pistack.io", 60)
        wait_established(api, "pibackups.pistack.io", 60)

        def prepare(ns):
            api.create("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
            api.create(f"/api/v1/namespaces/{ns}/secrets", {"apiVersion": "v1", "kind": "Secret",
                       "metadata": {"name": "pi-licence"}, "stringData": {"licence": "bench-licence-single-line"}})
            for claim, size, mode in (("pi-shared", "5Gi", "ReadWriteMany"), ("data-pi-db-0", "10Gi", "ReadWriteOnce")):
                api.create("/api/v1/persistentvolumes", {"apiVersion": "v1", "kind": "PersistentVolume",
                           "metadata": {"name": f"{ns}-{claim}"},
                           "spec": {"capacity": {"storage": size}, "accessModes": [mode], "storageClassName": "",
                                    "persistentVolumeReclaimPolicy": "Retain", "hostPath": {"path": f"/tmp/{ns}-{claim}"},
                                    "claimRef": {"namespace": ns, "name": claim}}})

        op_ns = [f"bench-op-{i:04d}" for i in range(n)]
        kc_ns = [f"bench-kc-{i:04d}" for i in range(n)]
        log(f"preparing {n} operator namespaces")
        for ns in op_ns:
            prepare(ns)

        # Unrelated Secrets in a watched namespace (BENCH_UNRELATED_SECRETS, default 0): what the Secret watch costs.
        unrelated = int(os.environ.get("BENCH_UNRELATED_SECRETS", "0"))
        result["unrelated_secrets"] = unrelated
        if unrelated:
            log(f"creating {unrelated} unrelated Secrets (1 KiB of data each) in bench-op-0000")
            for i in range(unrelated):
                api.create("/api/v1/namespaces/bench-op-0000/secrets", {"apiVersion": "v1", "kind": "Secret",
                           "metadata": {"name": f"unrelated-{i:05d}", "labels": {"app": "someone-else"}},
                           "stringData": {"token": secrets.token_urlsafe(640), "user": f"user-{i}"}})

        # ---- the operator: one process, or BENCH_SHARDS processes each serving the stacks labelled for it
        ops = [Operator(jar, kubeconfig, state, n)] if shards == 1 else [
            Operator(jar, kubeconfig, state, n, f"shard-{k}", {"PI_OPERATOR_STACK_SELECTOR": f"{SHARD_LABEL}=s{k}"})
            for k in range(shards)]
        result["cold_start_readyz_s"] = round(max(start_all(ops)), 2)
        time.sleep(2)
        stack = {"apiVersion": "pistack.io/v1alpha1", "kind": "PiStack", "metadata": {"name": "pi"},
                 "spec": {"version": "2025_10.1", "licence": {"secretName": "pi-licence"}}}

        def labelled(obj, i):
            """The stack as created: with BENCH_SHARDS, labelled for shard i % shards."""
            if shards > 1:
                obj = dict(obj, metadata=dict(obj["metadata"], labels={SHARD_LABEL: f"s{i % shards}"}))
            return obj
        # One stack first, outside the counted window (BENCH_WARMUP=0 leaves it out): the heap then holds what any
        # number of stacks share (classes the JSON mappers have met, the clients' pools), so the heap figure per
        # stack is the slope, not that one-time cost spread over N.
        warm = os.environ.get("BENCH_WARMUP", "1") != "0"
        result["warmup_stack"] = warm
        warm_ns = [f"bench-warmup-{k}" if shards > 1 else "bench-warmup" for k in range(shards)] if warm else []
        for k, ns in enumerate(warm_ns):  # one per shard: each operator's heap holds what its stacks share
            prepare(ns)
            api.create(f"/apis/pistack.io/v1alpha1/namespaces/{ns}/pistacks",
                       labelled(dict(stack, metadata={"name": "pi", "namespace": ns}), k))
        for ns in warm_ns:
            wait("the warm-up stack Ready", timeout, lambda: any(
                c.get("type") == "Ready" and c.get("status") == "True" for c in
                (api.get(f"/apis/pistack.io/v1alpha1/namespaces/{ns}/pistacks/pi").get("status") or {})
                .get("conditions", [])))
        if warm:
            time.sleep(5)
        result["heap_idle_kib"] = sum(o.heap_after_gc_kib() for o in ops)
        if os.environ.get("BENCH_HISTO") == "1":  # what the warm-up holds: the histograms at N are diffed with it
            for o in ops:
                o.class_histogram(f"{state}/histogram-warmup{'' if shards == 1 else '-' + o.name}.txt")
        cpu_before = sum(o.cpu_s() for o in ops)
        log(f"operator ready in {result['cold_start_readyz_s']} s, heap {'with the warm-up stack' if warm else 'idle'}"
            f" {result['heap_idle_kib']} KiB")
        tracer = None
        if os.environ.get("BENCH_TRACE") == "1":  # every PiStack as the operator writes it, for a close look
            tracer = subprocess.Popen([kubectl, "get", "pistacks", "-A", "--watch", "--output-watch-events", "-o",
                                       "json"], env=kenv, stdout=open(f"{state}/pistacks-watch.json", "w"),
                                      stderr=subprocess.DEVNULL, start_new_session=True)
            time.sleep(1)
        t0 = time.time()
        for i, ns in enumerate(op_ns):
            api.create(f"/apis/pistack.io/v1alpha1/namespaces/{ns}/pistacks",
                       labelled(dict(stack, metadata={"name": "pi", "namespace": ns}), i))
        log(f"{n} PiStacks created in {time.time() - t0:.1f} s; waiting for Ready")

        def ready_stacks():
            items = api.get("/apis/pistack.io/v1alpha1/pistacks")["items"]
            return sum(1 for s in items if s["metadata"]["namespace"].startswith("bench-op-") and any(
                c.get("type") == "Ready" and c.get("status") == "True" for c in (s.get("status") or {}).get("conditions", [])))

        last = [0]

        def all_ready():
            r = ready_stacks()
            if r != last[0]:
                last[0] = r
                log(f"  {r}/{n} Ready")
            return r >= n

        wait(f"{n} PiStacks Ready", timeout, all_ready)
        t_ready = time.time()
        result["loadavg_at_ready"] = [round(x, 2) for x in os.getloadavg()]
        result["operator_ready_s"] = round(t_ready - t0, 1)
        result["stack_ready_s"] = per_stack_ready(api)
        time.sleep(10)  # what it still writes right after the last Ready (status, events) belongs to converging
        t_conv_end = time.time()
        # CPU of the operator processes from the first creation until converged (includes the 10 s quiet tail).
        result["cpu_converging_s"] = round(sum(o.cpu_s() for o in ops) - cpu_before, 1)
        result["heap_stacks_kib"] = sum(o.heap_after_gc_kib() for o in ops)
        result["rss_kib"] = sum(o.rss_kib() for o in ops)
        if os.environ.get("BENCH_HISTO") == "1":
            for o in ops:
                o.class_histogram(f"{state}/histogram-{n}{'' if shards == 1 else '-' + o.name}.txt")
        if os.environ.get("BENCH_HEAPDUMP") == "1":  # the live objects themselves (jcmd GC.heap_dump, hprof)
            for o in ops:
                subprocess.run(["jcmd", str(o.proc.pid), "GC.heap_dump",
                                f"{state}/heap-{n}{'' if shards == 1 else '-' + o.name}.hprof"], check=True,
                               capture_output=True)
        if tracer:
            os.killpg(tracer.pid, signal.SIGTERM)
        result["reconciles_converging"] = sum(o.reconciles() for o in ops)
        result["reconciles_started_converging"] = sum(o.started() for o in ops)
        result["shard_stacks"] = {o.name: shard_stacks(o) for o in ops} if shards > 1 else None

        # ---- restart (every shard at once: /readyz over all stacks is the last shard's)
        for o in ops:
            o.stop()
        t_restart = time.time()
        result["restart_readyz_each_s"] = [round(x, 2) for x in start_all(ops)]
        result["restart_readyz_s"] = max(result["restart_readyz_each_s"])
        # It has re-synced once it has reconciled every stack again; then it must go quiet.
        wait("the restarted operators to reconcile every stack", timeout,
             lambda: sum(o.reconciles() for o in ops) >= n + len(warm_ns))
        time.sleep(10)
        t_restart_end = time.time()
        result["reconciles_after_restart"] = sum(o.reconciles() for o in ops)
        result["reconciles_started_after_restart"] = sum(o.started() for o in ops)
        result["heap_after_restart_kib"] = sum(o.heap_after_gc_kib() for o in ops)
        if os.environ.get("BENCH_HISTO") == "1":
            for o in ops:
                o.class_histogram(f"{state}/histogram-{n}{'' if shards == 1 else '-' + o.name}-after-restart.txt")
        for o in ops:
            o.stop()

        # BENCH_BASELINE=0 skips it (quicker, for looking at the operator alone; the table then has no ratios)
        t1 = time.time()
        if os.environ.get("BENCH_BASELINE", "1") != "0":
            # ---- baseline: render + kubectl apply --server-side, in other namespaces, operator stopped
            log(f"baseline: preparing {n} namespaces and rendering")
            for ns in kc_ns:
                prepare(ns)
            # As many kubectl processes as the operator has reconcile threads (default 5), each applying the stacks
            # i % k == j one object after another: the same parallelism as the operator, and at 1000 stacks a
            # baseline of minutes rather than the hour and a half one sequential apply would take.
            k = max(1, min(n, int(os.environ.get("PI_OPERATOR_RECONCILE_THREADS", "5"))))
            result["baseline_processes"] = k
            files = []
            for j in range(k):
                part = [ns for i, ns in enumerate(kc_ns) if i % k == j]
                src = f"{state}/stacks-{j}.yaml"
                with open(src, "w") as f:
                    for ns in part:
                        f.write(json.dumps(dict(stack, metadata={"name": "pi", "namespace": ns})) + "\n---\n")
                rendered = subprocess.run(["java", "-jar", jar, "render", "-f", src], check=True,
                                          capture_output=True, text=True).stdout
                files.append(f"{state}/baseline-{j}.yaml")
                with open(files[-1], "w") as f:
                    f.write(rendered)
                    for ns in part:  # what the operator generates: the database credentials, root's and the backup user's Secrets
                        f.write("\n---\n" + json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {
                            "name": "pi-db-credentials", "namespace": ns}, "stringData": {
                            "username": "pi", "password": secrets.token_urlsafe(24)}}) + "\n")
                        f.write("\n---\n" + json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {
                            "name": "pi-db-root", "namespace": ns}, "stringData": {
                            "password": secrets.token_urlsafe(24)}}) + "\n")
                        f.write("\n---\n" + json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {
                            "name": "pi-db-backup", "namespace": ns}, "stringData": {
                            "username": "pi_backup", "password": secrets.token_urlsafe(24)}}) + "\n")
            t1 = time.time()
            appliers = [subprocess.Popen([kubectl, "apply", "--server-side", "--field-manager=bench-baseline", "-f",
                                          path], env=kenv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                         text=True) for path in files]
            for a in appliers:
                _, err = a.communicate()
                if a.returncode != 0:
                    raise RuntimeError(f"baseline kubectl apply failed ({a.returncode}): {err[-2000:]}")
            result["baseline_apply_s"] = round(time.time() - t1, 1)
            log(f"baseline applied in {result['baseline_apply_s']} s; waiting for Deployments and StatefulSets")

            def baseline_ready():
                deps = [d for d in api.get("/apis/apps/v1/deployments")["items"]
                        if d["metadata"]["namespace"].startswith("bench-kc-")]
                sts = [s for s in api.get("/apis/apps/v1/statefulsets")["items"]
                       if s["metadata"]["namespace"].startswith("bench-kc-")]
                avail = sum(1 for d in deps if any(c["type"] == "Available" and c["status"] == "True"
                                                   for c in d.get("status", {}).get("conditions", [])))
                st_ready = sum(1 for s in sts if s.get("status", {}).get("readyReplicas", 0) >= s["spec"].get("replicas", 1))
                return len(deps) == 5 * n and avail == 5 * n and len(sts) == n and st_ready == n

            wait("baseline Deployments Available", timeout, baseline_ready)
            t_base_ready = time.time()
            result["baseline_ready_s"] = round(t_base_ready - t1, 1)
        else:
            result["baseline_apply_s"] = result["baseline_ready_s"] = None
        time.sleep(2)
        t_end = time.time()
        result["bench_wall_s"] = round(t_end - t_bench, 1)
        result["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]

        # ---- the counts
        log("counting the audit log")
        events = list(audit_events(audit))
        operator = lambda e: "fabric8" in e.get("userAgent", "")
        baseline = lambda e: (e.get("userAgent", "").startswith("kubectl")
                              and e.get("objectRef", {}).get("namespace", "").startswith("bench-kc-"))
        result["operator_converging"] = counts(events, operator, t0 - 1, t_conv_end)
        result["operator_restart"] = counts(events, operator, t_restart, t_restart_end)
        result["baseline"] = counts(events, baseline, t1 - 1, t_end)
        result["operator_bound"] = operator_bound(events, t0 - 1, t_conv_end)
        result["audit_events"] = len(events)
        user_agents = Counter(e.get("userAgent", "").split(" ")[0] for e in events)
        result["user_agents"] = dict(user_agents.most_common(12))
        result["issue_28"] = issue_figures(result)
    finally:
        for o in ops:
            o.stop()
        if os.environ.get("BENCH_KEEP") != "1":
            subprocess.run(["bash", f"{ROOT}/realapi/stop.sh"], env=dict(os.environ, REALAPI_STATE=rt),
                           stdout=sys.stderr)

    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)
    print(table(result))
    log(f"figures in {out_path}")


SHARD_LABEL = "pistack.io/shard"


def start_all(ops):
    """Starts the operators at once; each one's time to /readyz."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(len(ops)) as pool:
        return list(pool.map(lambda o: o.start(), ops))


def shard_stacks(o):
    """A shard's pi_operator_shard_stacks (the PiStacks it serves)."""
    for line in o.metrics().splitlines():
        if line.startswith("pi_operator_shard_stacks"):
            return float(line.rsplit(" ", 1)[1])
    return None


def issue_figures(r):
    """Every figure issue 28 names, next to its bound and the same run's baseline."""
    n, c, rs, b = r["n"], r["operator_converging"], r["operator_restart"], r["baseline"]
    floor = b["writes"] + n if b["writes"] else None  # the objects plus one status write per creation
    return {
        "total_writes": {"operator": c["writes"], "baseline": b["writes"] or None, "floor": floor,
                         "ratio": round(c["writes"] / b["writes"], 3) if b["writes"] else None, "bound": 1.1},
        "live_heap_per_stack_kib": {"value": round((r["heap_stacks_kib"] - r["heap_idle_kib"]) / n, 1), "bound": 64},
        "cpu_per_created_stack_s": {"value": round(r["cpu_converging_s"] / n, 3), "bound": 0.3},
        "restart_readyz_s": {"value": r["restart_readyz_s"], "bound": 5},
        "restart_writes": {"value": rs["writes"], "bound": 0},
        "shards": r["shards"], "stacks": n,
    }


def table(r):
    n = r["n"]
    c, rs, b, ob = r["operator_converging"], r["operator_restart"], r["baseline"], r["operator_bound"]
    per = lambda v: f"{v} ({v / n:.1f} per stack)"
    ratio = lambda a, bb: f"{a / bb:.2f}×" if bb else "—"
    heap_per = (r["heap_stacks_kib"] - r["heap_idle_kib"]) / n
    rows = [
        ("stacks", f"{n} (on {r['nodes']} kwok nodes)", f"{n}"),
        ("time until every stack is Ready / every Deployment Available (StatefulSet ready)",
         f"{r['operator_ready_s']} s ({ratio(r['operator_ready_s'], r['baseline_ready_s'])})",
         f"{r['baseline_ready_s']} s (apply took {r['baseline_apply_s']} s)" if r["baseline_ready_s"] else "not run"),
        ("each stack, from its creation to Ready (median / 90th percentile / max)",
         " / ".join(f"{r['stack_ready_s'].get(k, '?')} s" for k in ("median", "p90", "max")), "—"),
        ("operator-bound: from the first creation until every object of every stack was applied",
         f"{ob['applied_s']} s", "—"),
        ("each stack, from its creation to the operator's first write (its wait for a reconcile thread) / from its "
         "first to its last write (median / 90th percentile / max)",
         " / ".join(f"{ob['stack_wait_s'].get(k, '?')} s" for k in ("median", "p90", "max")) + "; "
         + " / ".join(f"{ob['stack_apply_s'].get(k, '?')} s" for k in ("median", "p90", "max")), "—"),
        ("its child writes: latency at the API server (median / 90th percentile / max); in flight at once (mean "
         "while writing / max)", " / ".join(f"{ob['write_ms'].get(k, '?'):.0f} ms" for k in ("median", "p90", "max"))
         + f"; {ob['in_flight']['mean']} / {ob['in_flight']['max']}", "—"),
        ("object writes", per(c["object_writes"]), per(b["object_writes"])),
        ("status writes", per(c["status_writes"]), "—"),
        ("events", per(c["event_writes"]), "—"),
        ("total writes", f"{per(c['writes'])}, **{ratio(c['writes'], b['writes'])}**", per(b["writes"])),
        ("failed writes (e.g. 409)", str(c["failed_writes"]), str(b["failed_writes"])),
        ("reconciles (JOSDK, finished) while converging", per(int(r["reconciles_converging"])), "—"),
        ("Secret GETs while converging", per(c["secret_gets"]), str(b["secret_gets"])),
        ("all requests while converging", per(c["requests"]), per(b["requests"])),
        ("after a restart of the operator",
         f"{rs['writes']} writes, {rs['secret_gets']} Secret GETs, {rs['requests']} requests, "
         f"{int(r['reconciles_after_restart'])} reconciles; /readyz in "
         f"{r['restart_readyz_s']} s", "—"),
        ("heap after GC, " + ("1 warm-up stack → 1 + N" if r.get("warmup_stack") else "idle → N stacks"),
         f"{r['heap_idle_kib'] // 1024} → {r['heap_stacks_kib'] // 1024} MiB (**≈ {heap_per:.0f} KiB per stack**)", "—"),
        ("RSS with N stacks", f"{r['rss_kib'] // 1024} MiB", "—"),
        ("operator CPU from the first creation until converged", f"{r['cpu_converging_s']} s "
         f"(**{r['cpu_converging_s'] / n:.2f} s per stack**)", "—"),
        ("operator processes (BENCH_SHARDS)", str(r["shards"]), "—"),
        ("cold start to /readyz", f"{r['cold_start_readyz_s']} s", "—"),
    ]
    out = ["| | operator | kubectl SSA of `render` output |", "|---|---|---|"]
    out += [f"| {a} | {x} | {y} |" for a, x, y in rows]
    out.append("")
    out.append(f"Operator writes by resource and verb while converging: "
               + ", ".join(f"{k} {v}" for k, v in c["writes_by"].items()))
    out.append(f"Baseline writes: " + ", ".join(f"{k} {v}" for k, v in b["writes_by"].items()))
    out.append(f"Reconcile threads (PI_OPERATOR_RECONCILE_THREADS): {r['reconcile_threads']}.")
    out.append(f"Load average (1/5/15 min) at start {r['loadavg_at_start']}, when all were Ready "
               f"{r['loadavg_at_ready']}, at end {r['loadavg_at_end']}, "
               f"{r['cores']} cores; bench wall time {r['bench_wall_s']} s.")
    return "\n".join(out)


if __name__ == "__main__":
    main()
