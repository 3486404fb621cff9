#!/usr/bin/env bash
# The scale benchmark: bash bench/run.sh [N]   (N stacks, default 20). See docs/sizing.md.
# Builds what is missing first (the control plane binaries with realapi/build.sh, the operator jar with Maven), then
# runs bench/bench.py: a markdown table on stdout, progress on stderr, every figure as JSON in $BENCH_OUT
# (default $BENCH_STATE/result.json; BENCH_STATE defaults to /tmp/pi-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/realapi/build.sh" >&2
jar=${BENCH_JAR:-$root/operator/target/pi-operator.jar}
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q package -DskipTests -Djib.skip -pl operator -am) >&2
fi
BENCH_JAR=$jar exec python3 "$root/bench/bench.py" "${1:-20}"
