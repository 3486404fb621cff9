#!/usr/bin/env bash
# backup.sh: consistent backup of the Pi repository database plus the shared Pi files.
# The pi-operator runs this in a Job/CronJob on the official mariadb image. It needs only
# bash, coreutils, gzip, tar, flock (util-linux) and mariadb-dump/mariadb (or mysqldump/mysql).
#
# Environment:
#   DB_HOST, DB_USER (required), DB_PASSWORD (goes to the clients via MYSQL_PWD; it is never on argv or in output)
#   DB_PORT=3306  DB_SCHEMA=dashboard  DB_CLIENT_OPTS="" (extra client options, e.g. "--skip-ssl")
#   BACKUP_DIR=/backups  writable backup volume
#   SHARED_DIR=/shared   Pi shared volume. Its subdirectories keys themes images svg custom_jdbc_drivers
#                        are archived when they exist. If none exist, files.tar.gz is a valid empty archive.
#   BACKUP_PREFIX=scheduled ([a-z0-9-]; the operator uses "pre-upgrade")  KEEP=7 (kept per prefix)
#   TERMINATION_LOG=/dev/termination-log  LOCK_TIMEOUT=1800 (seconds to wait for $BACKUP_DIR/.lock)
#   BACKUP_TIMESTAMP_OVERRIDE  tests only: yyyyMMddTHHmmssZ to use instead of the current UTC time
#
# Result: $BACKUP_DIR/<prefix>-<yyyyMMdd'T'HHmmss'Z'>/ containing
#   db.sql.gz     mariadb-dump --databases <schema> (includes DROP/CREATE DATABASE, routines, triggers)
#   files.tar.gz  paths relative to SHARED_DIR: keys/... themes/... images/... svg/... custom_jdbc_drivers/...
#   MANIFEST      "key: value" lines plus one "file: <name> <bytes> sha256:<hex>" line per archive
# The backup is built in $BACKUP_DIR/.incomplete-<name>/, verified, and only then renamed. A failed or
# killed run never leaves a final directory. Retention is applied per prefix, so pre-upgrade backups never
# evict scheduled ones (and the reverse). Stale .incomplete-* directories are removed under the lock.
# On success, stdout and TERMINATION_LOG get exactly one JSON line:
#   {"name":"...","location":"<BACKUP_DIR>/<name>","sizeBytes":N,"completedAt":"yyyy-MM-ddTHH:mm:ssZ",
#    "manifestSha256":"sha256:<hex of MANIFEST>"}
# On failure, stderr gets the message and TERMINATION_LOG gets {"error":"...","exitCode":N}.
# Exit codes: 0 ok | 1 failure (connection, dump, archive, verification, I/O) | 2 bad input
set -euo pipefail

DB_PORT=${DB_PORT:-3306}; DB_SCHEMA=${DB_SCHEMA:-dashboard}; KEEP=${KEEP:-7}
BACKUP_DIR=${BACKUP_DIR:-/backups}; BACKUP_DIR=${BACKUP_DIR%/}; SHARED_DIR=${SHARED_DIR:-/shared}
BACKUP_PREFIX=${BACKUP_PREFIX:-scheduled}; LOCK_TIMEOUT=${LOCK_TIMEOUT:-1800}
TERMINATION_LOG=${TERMINATION_LOG:-/dev/termination-log}
SHARED_SUBDIRS=(keys themes images svg custom_jdbc_drivers)
IGNORED_TABLES=(mis_user_cat_access_view_pi test_user_access mis_user_cat_access_view)
work=""

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/ }; s=${s//$'\r'/ }; s=${s//$'\t'/ }; printf '"%s"' "$s"; }
to_termlog() { { printf '%s\n' "$1" >"$TERMINATION_LOG"; } 2>/dev/null || true; }
die() {
  local code=$1; shift
  echo "backup: ERROR: $*" >&2
  to_termlog "$(printf '{"error":%s,"exitCode":%d}' "$(json_str "$*")" "$code")"
  exit "$code"
}
# On any failure, remove this run's work directory. After SIGKILL it stays, and the next run removes it.
trap 'rc=$?; if [ "$rc" -ne 0 ] && [ -n "$work" ]; then rm -rf -- "$work"; fi' EXIT
trap 'die 1 "terminated by signal"' TERM INT

# ---- validate input -------------------------------------------------------------------------------
[ -n "${DB_HOST:-}" ] || die 2 "DB_HOST is required"
[ -n "${DB_USER:-}" ] || die 2 "DB_USER is required"
[[ $DB_PORT =~ ^[0-9]{1,5}$ ]] || die 2 "DB_PORT must be a port number, got '$DB_PORT'"
[[ $DB_SCHEMA =~ ^[A-Za-z0-9_]+$ ]] || die 2 "DB_SCHEMA must match [A-Za-z0-9_]+, got '$DB_SCHEMA'"
[[ $BACKUP_PREFIX =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ ]] || die 2 "BACKUP_PREFIX must match [a-z0-9-], got '$BACKUP_PREFIX'"
[[ $KEEP =~ ^[1-9][0-9]*$ ]] || die 2 "KEEP must be a positive integer, got '$KEEP'"
[[ $LOCK_TIMEOUT =~ ^[0-9]+$ ]] || die 2 "LOCK_TIMEOUT must be a number of seconds"
[[ -n $BACKUP_DIR && -d $BACKUP_DIR && -w $BACKUP_DIR ]] || die 2 "BACKUP_DIR '$BACKUP_DIR' is not a writable directory"
DUMP=$(command -v mariadb-dump || command -v mysqldump) || die 1 "neither mariadb-dump nor mysqldump is on PATH"
CLIENT=$(command -v mariadb || command -v mysql) || die 1 "neither mariadb nor mysql is on PATH"
command -v flock >/dev/null || die 1 "flock (util-linux) is not on PATH"

if [ -n "${DB_PASSWORD:-}" ]; then export MYSQL_PWD="$DB_PASSWORD"; else unset MYSQL_PWD; fi
read -r -a extra_opts <<<"${DB_CLIENT_OPTS:-}"
conn=(--host="$DB_HOST" --port="$DB_PORT" --user="$DB_USER" --protocol=TCP "${extra_opts[@]}")

# ---- serialize with other backups/restores on this volume, then clean up after killed runs --------
[ -e "$BACKUP_DIR/.lock" ] || : >"$BACKUP_DIR/.lock"
exec 9<"$BACKUP_DIR/.lock"
flock -w "$LOCK_TIMEOUT" 9 || die 1 "timed out after ${LOCK_TIMEOUT}s waiting for $BACKUP_DIR/.lock (another backup or restore is running)"
for stale in "$BACKUP_DIR"/.incomplete-*; do
  if [ -e "$stale" ]; then echo "backup: removing stale $stale left by an interrupted run" >&2; rm -rf -- "$stale"; fi
done

umask 077
ts=${BACKUP_TIMESTAMP_OVERRIDE:-$(date -u +%Y%m%dT%H%M%SZ)}
[[ $ts =~ ^[0-9]{8}T[0-9]{6}Z$ ]] || die 2 "BACKUP_TIMESTAMP_OVERRIDE must look like 20240131T235959Z"
name="$BACKUP_PREFIX-$ts"; final="$BACKUP_DIR/$name"
created="${ts:0:4}-${ts:4:2}-${ts:6:2}T${ts:9:2}:${ts:11:2}:${ts:13:2}Z"
[ ! -e "$final" ] || die 1 "$final already exists"

server=$("$CLIENT" "${conn[@]}" --connect-timeout=20 -N -B -e 'SELECT VERSION()') \
  || die 1 "cannot connect to $DB_HOST:$DB_PORT as $DB_USER"

# ---- dump the database ------------------------------------------------------------------------------
work="$BACKUP_DIR/.incomplete-$name"
mkdir -- "$work"
ignore=()
for t in "${IGNORED_TABLES[@]}"; do ignore+=(--ignore-table="$DB_SCHEMA.$t"); done
echo "backup: dumping schema $DB_SCHEMA from $DB_HOST:$DB_PORT (server $server) into $work" >&2
set +e
"$DUMP" "${conn[@]}" --single-transaction --routines --triggers --add-drop-table --add-drop-database \
  --hex-blob --default-character-set=utf8mb4 --max-allowed-packet=1G "${ignore[@]}" --databases "$DB_SCHEMA" \
  | gzip -c >"$work/db.sql.gz"
codes="${PIPESTATUS[*]}"
set -e
[ "$codes" = "0 0" ] || die 1 "database dump failed (exit status of dump and gzip: $codes)"

# ---- archive the shared files -------------------------------------------------------------------------
present=()
for d in "${SHARED_SUBDIRS[@]}"; do
  if [ -d "$SHARED_DIR/$d" ]; then present+=("$d"); fi
done
echo "backup: archiving [${present[*]}] from $SHARED_DIR" >&2
rc=0
if [ "${#present[@]}" -gt 0 ]; then
  tar -czf "$work/files.tar.gz" --numeric-owner -C "$SHARED_DIR" "${present[@]}" || rc=$?
else
  tar -czf "$work/files.tar.gz" -T /dev/null || rc=$?
fi
# GNU tar exit status 1 means "a file changed while it was read". That is harmless for these directories.
if [ "$rc" -eq 1 ]; then echo "backup: WARNING: some shared files changed while they were archived" >&2
elif [ "$rc" -ne 0 ]; then die 1 "archiving $SHARED_DIR failed (tar exit status $rc)"; fi

# ---- verify, write the manifest, publish atomically ---------------------------------------------------
gzip -t "$work/db.sql.gz" || die 1 "gzip integrity check of db.sql.gz failed"
gzip -t "$work/files.tar.gz" || die 1 "gzip integrity check of files.tar.gz failed"
trailer=$(gzip -dc "$work/db.sql.gz" | tail -n 1) || die 1 "cannot read back db.sql.gz"
[[ $trailer == "-- Dump completed"* ]] || die 1 "dump is incomplete: last line is not the '-- Dump completed' trailer"

file_lines=""
for f in db.sql.gz files.tar.gz; do
  size=$(stat -c %s "$work/$f") || die 1 "cannot stat $f"
  sum=$(sha256sum "$work/$f") || die 1 "cannot checksum $f"
  file_lines+="file: $f $size sha256:${sum%% *}"$'\n'
done
{
  echo "# pi-operator backup manifest"
  echo "format: 1"
  echo "name: $name"
  echo "createdAt: $created"
  echo "schema: $DB_SCHEMA"
  echo "source: $DB_HOST:$DB_PORT"
  echo "server: $server"
  echo "sharedDirs: ${present[*]}"
  echo "dumpTool: $("$DUMP" --version 2>&1 | sed -n 1p)"
  echo "gzip: $(gzip --version 2>&1 | sed -n 1p)"
  echo "tar: $(tar --version 2>&1 | sed -n 1p)"
  printf '%s' "$file_lines"
} >"$work/MANIFEST" || die 1 "cannot write MANIFEST"
sync "$work"/* "$work" || die 1 "sync failed"
mv -T -- "$work" "$final" || die 1 "cannot rename $work to $final"
work=""
sync "$BACKUP_DIR" || true
echo "backup: completed $final" >&2

# ---- retention, per prefix; the backup just written is never pruned ----------------------------------
mapfile -t mine < <(for m in "$BACKUP_DIR/$BACKUP_PREFIX"-*/MANIFEST; do
  n=${m%/MANIFEST}; n=${n##*/}
  if [[ $n =~ ^$BACKUP_PREFIX-[0-9]{8}T[0-9]{6}Z$ && $n != "$name" ]]; then echo "$n"; fi
done | sort -r)
for n in "${mine[@]:KEEP-1}"; do
  echo "backup: retention (KEEP=$KEEP for prefix $BACKUP_PREFIX): deleting $n" >&2
  rm -rf -- "${BACKUP_DIR:?}/$n" || echo "backup: WARNING: could not delete $n" >&2
done

size=$(( $(stat -c %s "$final/db.sql.gz") + $(stat -c %s "$final/files.tar.gz") + $(stat -c %s "$final/MANIFEST") ))
msum=$(sha256sum "$final/MANIFEST") || die 1 "cannot checksum MANIFEST"
summary=$(printf '{"name":%s,"location":%s,"sizeBytes":%d,"completedAt":%s,"manifestSha256":%s}' \
  "$(json_str "$name")" "$(json_str "$final")" "$size" "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" \
  "$(json_str "sha256:${msum%% *}")")
printf '%s\n' "$summary"
to_termlog "$summary"
