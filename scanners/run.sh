#!/usr/bin/env bash
# Runs kube-score and Checkov on every *.yaml in DIR (the render output of each sample and the chart's
# helm template, written by ScannersTest) and compares the findings with scanners/allow-list.txt.
# Exit 0 when every finding is allowed; 1 otherwise. Allow-list entries that match nothing are printed
# as "stale" (the manifests got better: trim the list) and do not fail the run.
# Usage: scanners/run.sh DIR [BIN]   (BIN: the tools' bin/ directory; default: what install.sh prints)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$1"
bin="${2:-$(bash "$here/install.sh")}"
for tool in kube-score checkov python3; do
  [ -x "$bin/$tool" ] || { echo "scanners: $bin/$tool is missing (run scanners/install.sh)" >&2; exit 2; }
done
out="$dir/.scan"
rm -rf "$out" && mkdir -p "$out"
shopt -s nullglob
files=("$dir"/*.yaml)
[ "${#files[@]}" -gt 0 ] || { echo "scanners: no *.yaml in $dir" >&2; exit 2; }
for f in "${files[@]}"; do
  name=$(basename "$f" .yaml)
  # kube-score exits 1 when it grades anything critical; the findings are judged below.
  "$bin/kube-score" score --output-format json "$f" > "$out/$name.kube-score.json" || true
done
# One Checkov process for all files (its start-up is most of its time). Exit 1 means failed checks.
"$bin/checkov" --quiet --compact --framework kubernetes --output json --skip-download \
  -d "$dir" > "$out/checkov.json" 2> "$out/checkov.err" || true
exec "$bin/python3" "$here/findings.py" "$out" "$here/allow-list.txt"
