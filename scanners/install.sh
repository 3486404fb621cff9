#!/usr/bin/env bash
# Installs the scanners pinned in scanners/tools.txt into a cache directory keyed by that file's hash,
# and prints the directory's bin/ path. Idempotent: a warm run only checks a marker file (well under 1 s).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${HOME}/.cache/pi-operator/scanners-$(sha256sum scanners/tools.txt | cut -c1-12)"
if [ ! -e "$dir/.complete" ]; then
  # One install at a time (.ci/run starts one in the background; ScannersTest's run.sh may ask meanwhile): wait for it.
  mkdir -p "$(dirname "$dir")"
  exec 9>"$dir.lock"
  flock 9
fi
if [ ! -e "$dir/.complete" ]; then
  rm -rf "$dir"   # a half-made one from an interrupted run
  mkdir -p "$dir/bin"
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
  fi
  python3 -m venv "$dir/venv"
  pip_reqs=$(awk '$1 == "pip" { print $2 }' scanners/tools.txt)
  # shellcheck disable=SC2086
  "$dir/venv/bin/pip" install -q --disable-pip-version-check $pip_reqs >&2
  ln -s ../venv/bin/checkov "$dir/bin/checkov"
  ln -s ../venv/bin/python3 "$dir/bin/python3"
  for mod in $(awk '$1 == "go" { print $2 }' scanners/tools.txt); do
    GOBIN="$dir/bin" go install "$mod" >&2
  done
  touch "$dir/.complete"
fi
echo "$dir/bin"
