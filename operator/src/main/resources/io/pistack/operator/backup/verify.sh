#!/usr/bin/env bash
# verify.sh: proves that a backup written by backup.sh restores. It starts a throwaway MariaDB server in
# WORK_DIR (an emptyDir) with networking off (a Unix socket only), restores the backup into it with restore.sh
# (which checks the MANIFEST: schema, sizes, SHA-256), then checks that every table the dump creates exists
# and that the key tables have rows. Nothing outside WORK_DIR is written; the real database and shared
# volume are never touched. It runs on the MariaDB image (mariadbd, mariadb-install-db, mariadb, bash, gzip).
#
# Environment:
#   BACKUP_DIR=/backups     the backups (read-only is fine)
#   VERIFY_BACKUP=latest    a backup name, or "latest" (newest complete one by the timestamp in its name, not
#                           dated more than 5 minutes in the future)
#   WORK_DIR=/verify        empty, writable scratch space; needs room for the restored database
#   DB_SCHEMA=dashboard     VERIFY_KEY_TABLES="mis_user" (space-separated; each must have at least one row)
#   TERMINATION_LOG=/dev/termination-log   SCRIPTS_DIR=<this script's directory> (for restore.sh)
#   RESTORE_SCRIPT          restore.sh's text, run instead of $SCRIPTS_DIR/restore.sh (the operator's Jobs carry
#                           the scripts in the pod spec)
# On success, stdout and TERMINATION_LOG get one JSON line:
#   {"name":"...","result":"Passed","verifiedAt":"...","tables":N,"rows":{"mis_user":N},"seconds":N}
# On failure, stderr gets the message and TERMINATION_LOG gets
#   {"name":"..."|null,"result":"Failed","error":"...","exitCode":N}
# Exit codes: 0 passed | 1 could not verify (the throwaway server did not start...) | 2 bad input, not found
#             4 the backup failed verification (corrupt, does not load, tables missing, key table empty)
set -euo pipefail

BACKUP_DIR=${BACKUP_DIR:-/backups}; BACKUP_DIR=${BACKUP_DIR%/}; WORK_DIR=${WORK_DIR:-/verify}; WORK_DIR=${WORK_DIR%/}
VERIFY_BACKUP=${VERIFY_BACKUP:-latest}; DB_SCHEMA=${DB_SCHEMA:-dashboard}
VERIFY_KEY_TABLES=${VERIFY_KEY_TABLES-mis_user}; TERMINATION_LOG=${TERMINATION_LOG:-/dev/termination-log}
SCRIPTS_DIR=${SCRIPTS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
TIMESTAMPED_RE='^[a-z0-9]([a-z0-9-]*[a-z0-9])?-[0-9]{8}T[0-9]{6}Z$'
name=""; server_pid=""; started=$(date +%s)

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/ }; s=${s//$'\r'/ }; s=${s//$'\t'/ }; printf '"%s"' "$s"; }
to_termlog() { { printf '%s\n' "$1" >"$TERMINATION_LOG"; } 2>/dev/null || true; }
die() {
  local code=$1; shift
  echo "verify: ERROR: $*" >&2
  local n=null; [ -z "$name" ] || n=$(json_str "$name")
  to_termlog "$(printf '{"name":%s,"result":"Failed","error":%s,"exitCode":%d}' "$n" "$(json_str "$*")" "$code")"
  exit "$code"
}
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
}
trap stop_server EXIT
trap 'die 1 "terminated by signal"' TERM INT

# ---- validate input -------------------------------------------------------------------------------
[[ $DB_SCHEMA =~ ^[A-Za-z0-9_]+$ ]] || die 2 "DB_SCHEMA must match [A-Za-z0-9_]+, got '$DB_SCHEMA'"
for t in $VERIFY_KEY_TABLES; do
  [[ $t =~ ^[A-Za-z0-9_]+$ ]] || die 2 "VERIFY_KEY_TABLES must be table names, got '$t'"
done
[[ -n $BACKUP_DIR && -d $BACKUP_DIR ]] || die 2 "BACKUP_DIR '$BACKUP_DIR' is not a directory"
[[ -d $WORK_DIR && -w $WORK_DIR ]] || die 2 "WORK_DIR '$WORK_DIR' is not a writable directory"
if [ -n "${RESTORE_SCRIPT:-}" ]; then
  restore_cmd=(bash -c "$RESTORE_SCRIPT" restore.sh)
else
  [ -f "$SCRIPTS_DIR/restore.sh" ] || die 2 "restore.sh not found in $SCRIPTS_DIR"
  restore_cmd=(bash "$SCRIPTS_DIR/restore.sh")
fi
INSTALL_DB=$(command -v mariadb-install-db || command -v mysql_install_db) || die 1 "mariadb-install-db is not on PATH"
SERVER=$(command -v mariadbd || command -v mysqld || { [ -x /usr/sbin/mariadbd ] && echo /usr/sbin/mariadbd; }) \
  || die 1 "mariadbd is not on PATH"
CLIENT=$(command -v mariadb || command -v mysql) || die 1 "neither mariadb nor mysql is on PATH"

# "latest" never picks a name dated in the future (a wrong clock, or a name made to win): of the names on stdin
# ("<prefix>-<yyyyMMdd'T'HHmmss'Z'>", oldest first), those dated more than 5 minutes (clock skew) after now are
# named on stderr and left out.
not_in_future() {
  local limit n
  limit=$(date -u -d '+300 seconds' +%Y%m%dT%H%M%SZ) || return 1
  while IFS= read -r n; do
    if [[ ${n##*-} > $limit ]]; then echo "verify: ignoring $n for \"latest\": it is dated in the future" >&2
    else printf '%s\n' "$n"; fi
  done
}
if [ "$VERIFY_BACKUP" = latest ]; then
  name=$(for m in "$BACKUP_DIR"/*/MANIFEST; do
    n=${m%/MANIFEST}; n=${n##*/}
    if [[ $n =~ $TIMESTAMPED_RE ]]; then echo "${n##*-} $n"; fi
  done | sort | cut -d' ' -f2 | not_in_future | tail -n 1)
  [ -n "$name" ] || die 2 "no complete backup found in $BACKUP_DIR (none dated up to now)"
else
  [[ $VERIFY_BACKUP =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die 2 "invalid backup name '$VERIFY_BACKUP'"
  name=$VERIFY_BACKUP
fi
[ -f "$BACKUP_DIR/$name/MANIFEST" ] || die 2 "backup '$name' not found (no $BACKUP_DIR/$name/MANIFEST)"

# ---- a throwaway server: its own data directory, no TCP listener -----------------------------------
data="$WORK_DIR/data"; sock="$WORK_DIR/mysqld.sock"; shared="$WORK_DIR/shared"
rm -rf -- "$data" "$shared"; mkdir -p -- "$data" "$shared"
user_opt=(); if [ "$(id -u)" = 0 ]; then user_opt=(--user=root); fi
"$INSTALL_DB" --no-defaults --datadir="$data" --auth-root-authentication-method=normal --skip-test-db \
  "${user_opt[@]}" >"$WORK_DIR/install.log" 2>&1 || die 1 "mariadb-install-db failed: $(tail -n 3 "$WORK_DIR/install.log")"
"$SERVER" --no-defaults --datadir="$data" --socket="$sock" --skip-networking --pid-file="$WORK_DIR/mysqld.pid" \
  --log-error="$WORK_DIR/error.log" --tmpdir="$WORK_DIR" --lower-case-table-names=1 \
  --log-bin-trust-function-creators=1 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
  --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --max-allowed-packet=1G \
  "${user_opt[@]}" >"$WORK_DIR/server.log" 2>&1 &
server_pid=$!
sql() { MYSQL_PWD="" "$CLIENT" --no-defaults --protocol=SOCKET --socket="$sock" --user=root -N -B -e "$1"; }
for _ in $(seq 1 600); do
  if sql 'SELECT 1' >/dev/null 2>&1; then break; fi
  kill -0 "$server_pid" 2>/dev/null || die 1 "the throwaway MariaDB server exited: $(tail -n 3 "$WORK_DIR/error.log" 2>/dev/null)"
  sleep 0.1
done
sql 'SELECT 1' >/dev/null 2>&1 || die 1 "the throwaway MariaDB server did not start within 60s"
echo "verify: throwaway server $(sql 'SELECT VERSION()') up (socket only); restoring $name" >&2

# ---- restore with restore.sh: MANIFEST checks, then the dump, then the files (into scratch space) ---
set +e
restore_err=$(DB_HOST=localhost DB_USER=root DB_PASSWORD="" DB_SCHEMA="$DB_SCHEMA" \
  DB_CLIENT_OPTS="--protocol=SOCKET --socket=$sock" BACKUP_DIR="$BACKUP_DIR" SHARED_DIR="$shared" \
  RESTORE_BACKUP="$name" RESTORE_FORCE=false TERMINATION_LOG=/dev/null \
  "${restore_cmd[@]}" 2>&1 >/dev/null)
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  why=$(printf '%s\n' "$restore_err" | sed -n 's/^restore: ERROR: //p' | tail -n 1)
  die 4 "backup $name does not restore (restore exit code $rc): ${why:-see the log}"
fi

# ---- the tables the dump creates are all there; the key tables have rows ----------------------------
mapfile -t want < <(gzip -dc "$BACKUP_DIR/$name/db.sql.gz" | sed -n 's/^CREATE TABLE `\([^`]*\)`.*/\1/p' | tr 'A-Z' 'a-z' | sort -u)
mapfile -t have < <(sql "SELECT LOWER(TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$DB_SCHEMA' AND TABLE_TYPE='BASE TABLE' ORDER BY 1")
[ "${#want[@]}" -gt 0 ] || die 4 "backup $name creates no table"
missing=$(comm -23 <(printf '%s\n' "${want[@]}") <(printf '%s\n' "${have[@]}") | tr '\n' ' ')
[ -z "${missing// /}" ] || die 4 "backup $name: tables missing after the restore: $missing"
rows_json=""
for t in $VERIFY_KEY_TABLES; do
  n=$(sql "SELECT COUNT(*) FROM \`$DB_SCHEMA\`.\`$t\`" 2>/dev/null) || die 4 "backup $name: key table $t is missing"
  [ "$n" -gt 0 ] || die 4 "backup $name: key table $t is empty"
  rows_json+="${rows_json:+,}$(json_str "$t"):$n"
done

summary=$(printf '{"name":%s,"result":"Passed","verifiedAt":%s,"tables":%d,"rows":{%s},"seconds":%d}' \
  "$(json_str "$name")" "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "${#have[@]}" "$rows_json" \
  "$(($(date +%s) - started))")
echo "verify: backup $name passed" >&2
printf '%s\n' "$summary"
to_termlog "$summary"
