#!/usr/bin/env bash
# restore.sh: restore a backup written by backup.sh. The pi-operator runs this in a Job on the official
# mariadb image. It needs only bash, coreutils, gzip, tar, flock (util-linux) and mariadb (or mysql).
# Stop the dashboard and scheduler before running it: DROP DATABASE waits on their metadata locks.
#
# Environment (shared with backup.sh):
#   DB_HOST, DB_USER (required), DB_PASSWORD (goes to the client via MYSQL_PWD; it is never on argv or in output)
#   DB_PORT=3306  DB_SCHEMA=dashboard  DB_CLIENT_OPTS=""  BACKUP_DIR=/backups  SHARED_DIR=/shared
#   TERMINATION_LOG=/dev/termination-log  LOCK_TIMEOUT=1800
# Restore-specific:
#   RESTORE_BACKUP  required: the name of a directory under BACKUP_DIR, or "latest" (the newest complete
#                   backup of any prefix, ordered by the timestamp in its name; names dated more than 5 minutes
#                   in the future are ignored)
#   RESTORE_FORCE   true|false (default false): overwrite a schema that already has tables or views
#   RESTORE_STRIP_DEFINERS  true|false (default false): remove the DEFINER clauses of views, triggers, routines
#                   and events, so a user without SET USER (the embedded database's application user) can load
#                   objects another user defined (e.g. the vendor's root@localhost); each is then owned by DB_USER.
#                   Data rows (INSERT lines) are left as they are.
#   RESTORE_MANIFEST_SHA256  sha256:<hex> (optional): the backup's MANIFEST must have exactly this checksum (the one
#                   its PiBackup recorded), else nothing is restored (exit 2)
#   RESTORE_AFTER_SQL  a file of SQL (optional) run once, in DB_SCHEMA, after the backup was restored (e.g. to scrub a
#                   staging copy), with the same client options as the dump (no client commands, no LOAD DATA LOCAL).
#                   It is checked to exist before anything is restored. Its text is never printed: a failure reports
#                   the server's error number and the line only
#
# Order of work: check the input, then verify MANIFEST (schema, sizes, sha256), then the emptiness check,
# then the SQL restore (the dump does DROP/CREATE DATABASE itself), then the shared files. The dump is data: the
# client runs no client command it contains (--binary-mode) and no LOAD DATA LOCAL (--local-infile=0). For each
# directory in files.tar.gz (keys, themes, ...), the current contents of SHARED_DIR/<dir> are replaced.
# Directories that are not in the archive are left alone.
# On success, stdout and TERMINATION_LOG get one JSON line:
#   {"name":"...","location":"...","schema":"...","tables":N,"forced":bool,"completedAt":"..."}
# On failure, stderr gets the message and TERMINATION_LOG gets {"error":"...","exitCode":N}.
# Exit codes: 0 ok | 1 other failure (connection, SQL error, extraction)
#             2 bad input, backup not found, manifest or checksum mismatch, schema mismatch
#             3 refused: the schema is not empty and RESTORE_FORCE is not true
set -euo pipefail

DB_PORT=${DB_PORT:-3306}; DB_SCHEMA=${DB_SCHEMA:-dashboard}
BACKUP_DIR=${BACKUP_DIR:-/backups}; BACKUP_DIR=${BACKUP_DIR%/}; SHARED_DIR=${SHARED_DIR:-/shared}
LOCK_TIMEOUT=${LOCK_TIMEOUT:-1800}; TERMINATION_LOG=${TERMINATION_LOG:-/dev/termination-log}
RESTORE_BACKUP=${RESTORE_BACKUP:-}; RESTORE_FORCE=${RESTORE_FORCE:-false}
SHARED_SUBDIRS=" keys themes images svg custom_jdbc_drivers "
TIMESTAMPED_RE='^[a-z0-9]([a-z0-9-]*[a-z0-9])?-[0-9]{8}T[0-9]{6}Z$'

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/ }; s=${s//$'\r'/ }; s=${s//$'\t'/ }; printf '"%s"' "$s"; }
to_termlog() { { printf '%s\n' "$1" >"$TERMINATION_LOG"; } 2>/dev/null || true; }
die() {
  local code=$1; shift
  echo "restore: ERROR: $*" >&2
  to_termlog "$(printf '{"error":%s,"exitCode":%d}' "$(json_str "$*")" "$code")"
  exit "$code"
}
trap 'die 1 "terminated by signal"' TERM INT

# ---- validate input -------------------------------------------------------------------------------
[ -n "${DB_HOST:-}" ] || die 2 "DB_HOST is required"
[ -n "${DB_USER:-}" ] || die 2 "DB_USER is required"
[[ $DB_PORT =~ ^[0-9]{1,5}$ ]] || die 2 "DB_PORT must be a port number, got '$DB_PORT'"
[[ $DB_SCHEMA =~ ^[A-Za-z0-9_]+$ ]] || die 2 "DB_SCHEMA must match [A-Za-z0-9_]+, got '$DB_SCHEMA'"
[[ $LOCK_TIMEOUT =~ ^[0-9]+$ ]] || die 2 "LOCK_TIMEOUT must be a number of seconds"
case $RESTORE_FORCE in true | false) ;; *) die 2 "RESTORE_FORCE must be true or false, got '$RESTORE_FORCE'" ;; esac
RESTORE_STRIP_DEFINERS=${RESTORE_STRIP_DEFINERS:-false}
case $RESTORE_STRIP_DEFINERS in true | false) ;;
  *) die 2 "RESTORE_STRIP_DEFINERS must be true or false, got '$RESTORE_STRIP_DEFINERS'" ;; esac
[ -n "$RESTORE_BACKUP" ] || die 2 "RESTORE_BACKUP is required (a backup name or 'latest')"
RESTORE_AFTER_SQL=${RESTORE_AFTER_SQL:-}; RESTORE_MANIFEST_SHA256=${RESTORE_MANIFEST_SHA256:-}
if [ -n "$RESTORE_AFTER_SQL" ] && ! [[ -f $RESTORE_AFTER_SQL && -r $RESTORE_AFTER_SQL ]]; then
  die 2 "afterRestoreSql: the SQL file is missing (is the ConfigMap there, with that key?); nothing was restored"
fi
[[ -n $BACKUP_DIR && -d $BACKUP_DIR ]] || die 2 "BACKUP_DIR '$BACKUP_DIR' is not a directory"
CLIENT=$(command -v mariadb || command -v mysql) || die 1 "neither mariadb nor mysql is on PATH"

if [ -n "${DB_PASSWORD:-}" ]; then export MYSQL_PWD="$DB_PASSWORD"; else unset MYSQL_PWD; fi
read -r -a extra_opts <<<"${DB_CLIENT_OPTS:-}"
conn=(--host="$DB_HOST" --port="$DB_PORT" --user="$DB_USER" --protocol=TCP "${extra_opts[@]}")

# Hold backup.sh's lock, so that retention cannot delete the backup while it is being read.
# The lock file is opened read-only, so BACKUP_DIR may be mounted read-only. No lock file means no backup.sh has run.
if [ -r "$BACKUP_DIR/.lock" ] && command -v flock >/dev/null; then
  exec 9<"$BACKUP_DIR/.lock"
  flock -w "$LOCK_TIMEOUT" 9 || die 1 "timed out after ${LOCK_TIMEOUT}s waiting for $BACKUP_DIR/.lock"
fi

# ---- find and verify the backup --------------------------------------------------------------------
# "latest" never picks a name dated in the future (a wrong clock, or a name made to win): of the names on stdin
# ("<prefix>-<yyyyMMdd'T'HHmmss'Z'>", oldest first), those dated more than 5 minutes (clock skew) after now are
# named on stderr and left out.
not_in_future() {
  local limit n
  limit=$(date -u -d '+300 seconds' +%Y%m%dT%H%M%SZ) || return 1
  while IFS= read -r n; do
    if [[ ${n##*-} > $limit ]]; then echo "restore: ignoring $n for \"latest\": it is dated in the future" >&2
    else printf '%s\n' "$n"; fi
  done
}
if [ "$RESTORE_BACKUP" = latest ]; then
  name=$(for m in "$BACKUP_DIR"/*/MANIFEST; do
    n=${m%/MANIFEST}; n=${n##*/}
    if [[ $n =~ $TIMESTAMPED_RE ]]; then echo "${n##*-} $n"; fi
  done | sort | cut -d' ' -f2 | not_in_future | tail -n 1)
  [ -n "$name" ] || die 2 "no complete backup found in $BACKUP_DIR (none dated up to now)"
else
  [[ $RESTORE_BACKUP =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die 2 "invalid backup name '$RESTORE_BACKUP'"
  name=$RESTORE_BACKUP
fi
src="$BACKUP_DIR/$name"
[ -f "$src/MANIFEST" ] || die 2 "backup '$name' not found (no $src/MANIFEST)"
echo "restore: verifying $src" >&2
if [ -n "$RESTORE_MANIFEST_SHA256" ]; then
  msum=$(sha256sum "$src/MANIFEST") || die 1 "cannot read $src/MANIFEST"
  [ "sha256:${msum%% *}" = "$RESTORE_MANIFEST_SHA256" ] \
    || die 2 "the MANIFEST of $name is not the one its PiBackup recorded ($RESTORE_MANIFEST_SHA256): not restoring another backup under that name"
fi
schema_in=$(sed -n 's/^schema: //p' "$src/MANIFEST")
[ "$schema_in" = "$DB_SCHEMA" ] || die 2 "backup $name holds schema '$schema_in' but DB_SCHEMA is '$DB_SCHEMA'"
for f in db.sql.gz files.tar.gz; do
  line=$(grep -F "file: $f " "$src/MANIFEST") || die 2 "MANIFEST of $name has no entry for $f"
  read -r _ _ want_size want_sum <<<"$line"
  [ -f "$src/$f" ] || die 2 "$src/$f is missing"
  [ "$(stat -c %s "$src/$f")" = "$want_size" ] || die 2 "size mismatch for $name/$f (MANIFEST says $want_size bytes)"
  sum=$(sha256sum "$src/$f") || die 1 "cannot read $src/$f"
  [ "sha256:${sum%% *}" = "$want_sum" ] || die 2 "checksum mismatch for $name/$f: the backup is corrupt"
done
mapfile -t tops < <(tar -tzf "$src/files.tar.gz" | cut -d/ -f1 | sort -u)
for d in "${tops[@]}"; do
  [[ $SHARED_SUBDIRS == *" $d "* ]] || die 2 "files.tar.gz of $name has unexpected top-level entry '$d'"
done
if [ "${#tops[@]}" -gt 0 ] && ! [[ -d $SHARED_DIR && -w $SHARED_DIR ]]; then
  die 2 "SHARED_DIR '$SHARED_DIR' is not a writable directory, but backup $name contains files (${tops[*]})"
fi

# ---- refuse to overwrite unless forced --------------------------------------------------------------
count_sql="SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$DB_SCHEMA'"
before=$("$CLIENT" "${conn[@]}" --connect-timeout=20 -N -B -e "$count_sql") \
  || die 1 "cannot connect to $DB_HOST:$DB_PORT as $DB_USER"
[[ $before =~ ^[0-9]+$ ]] || die 1 "unexpected answer counting the tables in $DB_SCHEMA: '$before'"
if [ "$before" -gt 0 ] && [ "$RESTORE_FORCE" != true ]; then
  die 3 "database $DB_SCHEMA is not empty ($before tables); set force to overwrite"
fi

# ---- restore the database, then the files -------------------------------------------------------------
echo "restore: restoring $name into $DB_SCHEMA on $DB_HOST:$DB_PORT (tables before: $before, force: $RESTORE_FORCE)" >&2
set +e
strip_definers() {
  if [ "$RESTORE_STRIP_DEFINERS" = true ]; then
    sed -E '/^INSERT INTO /!s/DEFINER=`([^`]|``)*`@`([^`]|``)*`//g'
  else
    cat
  fi
}
# A backup is data, never code. --binary-mode turns off every client command in the input (\! and system run a
# shell, \. and source read files, \T/tee and \P/pager write or run, connect/\u switch server or schema; only
# DELIMITER and \C remain): such a line is an error that stops the restore. --local-infile=0 refuses
# LOAD DATA LOCAL INFILE, which would read a file of this pod (its credentials) into the database.
client_err=$(mktemp "${TMPDIR:-/tmp}/restore-client.XXXXXX") || die 1 "cannot create a temporary file in ${TMPDIR:-/tmp}"
gzip -dc "$src/db.sql.gz" | strip_definers | "$CLIENT" "${conn[@]}" --binary-mode --local-infile=0 \
  --default-character-set=utf8mb4 --max-allowed-packet=1G 2>"$client_err"
codes="${PIPESTATUS[*]}"
set -e
cat -- "$client_err" >&2
refused=$(grep -m 1 -o -e 'Unknown command .\\..' -e 'local infile capability' "$client_err" || true)
rm -f -- "$client_err"
if [ "$codes" != "0 0 0" ] && [ -n "$refused" ]; then
  die 1 "SQL restore of $name stopped: the dump contains a client command or LOAD DATA LOCAL ($refused), which a restore never runs; $DB_SCHEMA may be partially restored"
fi
[ "$codes" = "0 0 0" ] || die 1 "SQL restore of $name failed (exit status of gzip, definer filter and client: $codes); $DB_SCHEMA may be partially restored"
after=$("$CLIENT" "${conn[@]}" -N -B -e "$count_sql") || die 1 "cannot count the restored tables"

if [ "${#tops[@]}" -gt 0 ]; then
  echo "restore: replacing [${tops[*]}] in $SHARED_DIR" >&2
  for d in "${tops[@]}"; do
    mkdir -p -- "$SHARED_DIR/$d" || die 1 "cannot create $SHARED_DIR/$d"
    find "$SHARED_DIR/$d" -mindepth 1 -delete || die 1 "cannot clear $SHARED_DIR/$d"
  done
  tar -xzf "$src/files.tar.gz" -C "$SHARED_DIR" --numeric-owner --no-overwrite-dir \
    || die 1 "extracting files.tar.gz into $SHARED_DIR failed"
fi

after_sql=false
if [ -n "$RESTORE_AFTER_SQL" ]; then
  echo "restore: running the after-restore SQL in $DB_SCHEMA" >&2
  sql_err=$(mktemp "${TMPDIR:-/tmp}/restore-sql.XXXXXX") || die 1 "cannot create a temporary file in ${TMPDIR:-/tmp}"
  if ! "$CLIENT" "${conn[@]}" --binary-mode --local-infile=0 --default-character-set=utf8mb4 \
      --database="$DB_SCHEMA" <"$RESTORE_AFTER_SQL" 2>"$sql_err" >/dev/null; then
    # The client's message may quote the SQL: only its error number and line are reported.
    where=$(grep -m 1 -o -E 'ERROR [0-9]+( \([0-9A-Z]+\))? at line [0-9]+' "$sql_err" || true)
    rm -f -- "$sql_err"
    die 1 "the after-restore SQL failed (${where:-no error number}); backup $name was restored into $DB_SCHEMA, the SQL stopped there"
  fi
  rm -f -- "$sql_err"
  after_sql=true
fi

summary=$(printf '{"name":%s,"location":%s,"schema":%s,"tables":%d,"forced":%s,"afterRestoreSql":%s,"completedAt":%s}' \
  "$(json_str "$name")" "$(json_str "$src")" "$(json_str "$DB_SCHEMA")" "$after" "$RESTORE_FORCE" "$after_sql" \
  "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")")
echo "restore: completed" >&2
printf '%s\n' "$summary"
to_termlog "$summary"
