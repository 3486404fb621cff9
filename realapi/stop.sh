#!/usr/bin/env bash
# Stops what start.sh started (by the pids it recorded), newest first. Keeps the logs in the state dir.
set -uo pipefail
state=${REALAPI_STATE:-/tmp/realapi}
[[ -f "$state/pids" ]] || { echo "[realapi/stop] nothing recorded in $state/pids"; exit 0; }
mapfile -t lines < <(tac "$state/pids")
for l in "${lines[@]}"; do kill -TERM "${l#* }" 2>/dev/null; done
for ((i = 0; i < 50; i++)); do
  alive=0; for l in "${lines[@]}"; do kill -0 "${l#* }" 2>/dev/null && alive=1; done
  ((alive)) || break; sleep 0.2
done
for l in "${lines[@]}"; do kill -0 "${l#* }" 2>/dev/null && kill -KILL "${l#* }" 2>/dev/null && echo "[realapi/stop] killed ${l%% *}"; done
rm -f "$state/pids"; rm -rf "$state/etcd"
echo "[realapi/stop] stopped (logs kept in $state)"
