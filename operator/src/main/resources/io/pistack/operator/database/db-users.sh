#!/bin/sh
# db-users.sh: the embedded database's user step. The pi-operator runs it in a sidecar of the MariaDB pod (the
# same image), every time the pod starts; a changed credentials Secret rolls the pod, so it runs again.
# It logs in as root over the local socket (root has no TCP account) and creates or updates the application
# user named by the credentials Secret with exactly the grants of DatabaseGrants.applicationUserStep, then drops
# every root account a TCP client could match; and it creates or updates the read-only backup user the backup
# Jobs dump as (DatabaseGrants.backupUserStep). Idempotent.
#
# Environment:
#   PI_DB_USER, PI_DB_PASSWORD   the application user (from the credentials Secret)
#   PI_DB_BACKUP_USER, PI_DB_BACKUP_PASSWORD   the backup user (from the <stack>-db-backup Secret)
#   MARIADB_ROOT_PASSWORD        root's password (from the <stack>-db-root Secret)
#   PI_DB_USERS_SQL              the application user's statements (no secret in them), reading @pi_user, @pi_password
#   PI_DB_BACKUP_SQL             the backup user's, reading @pi_backup_user, @pi_backup_password
#   PI_DB_USER_CHARS, PI_DB_USER_MAX, PI_DB_USER_RESERVED   the user-name rule (DatabaseUserName)
#   PI_DB_SOCKET=/run/mysqld/mysqld.sock   PI_DB_READY_FILE=/run/mysqld/pi-users-ready
#   PI_DB_ATTEMPTS=150 (2 s apart)  PI_DB_STAY=true (sleep after the work, as a sidecar must)
# Passwords reach the client only through MYSQL_PWD and stdin: never an argument, never output.
set -eu
SOCKET=${PI_DB_SOCKET:-/run/mysqld/mysqld.sock}
READY=${PI_DB_READY_FILE:-/run/mysqld/pi-users-ready}
ATTEMPTS=${PI_DB_ATTEMPTS:-150}
CLIENT=$(command -v mariadb || command -v mysql) || { echo "db-users: no mariadb client on PATH" >&2; exit 1; }

stay() {
  [ "${PI_DB_STAY:-true}" = true ] || exit 0
  trap 'exit 0' TERM INT
  while :; do sleep 3600 & wait $! || true; done
}
# Hex, so that no value is ever quoted: printf is a shell builtin (no process, no argv).
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
root_sql() { MYSQL_PWD=$MARIADB_ROOT_PASSWORD "$CLIENT" --no-defaults --protocol=socket --socket="$SOCKET" \
  --user=root --batch --skip-column-names; }

rm -f "$READY"
if [ "$PI_DB_USER" = root ]; then
  # Refused (the operator reports it in the PiStack status): change nothing, so a stack that ran as root keeps
  # running until its credentials Secret names another user. Root's password may not even be the root Secret's
  # (a datadir made with the user's): the backup user waits for that move too, and until then backups fail to log in.
  echo "db-users: the credentials Secret names root; the embedded database needs another user: nothing changed" >&2
  : >"$READY"
  stay
fi
# The user-name rule (DatabaseUserName, which the operator reports in the status): an empty name would be
# MariaDB's anonymous account. A name outside it changes nothing, as for root.
unsafe=false
case $PI_DB_USER in
  ''|*[!${PI_DB_USER_CHARS:?}]*) unsafe=true ;;
esac
[ "${#PI_DB_USER}" -le "${PI_DB_USER_MAX:?}" ] || unsafe=true
for reserved in ${PI_DB_USER_RESERVED:?}; do
  [ "$PI_DB_USER" != "$reserved" ] || unsafe=true
done
if [ "$unsafe" = true ]; then
  echo "db-users: the credentials Secret's user name is not one the embedded database creates (see the PiStack's" \
    "DatabaseReady condition): nothing changed" >&2
  : >"$READY"
  stay
fi
backup=true
if [ "$PI_DB_BACKUP_USER" = root ] || [ "$PI_DB_BACKUP_USER" = "$PI_DB_USER" ]; then
  # Would take root's or the application user's password and rights: left alone; the backups cannot log in.
  echo "db-users: the backup user's Secret names root or the application user: backup user not created" >&2
  backup=false
fi
i=0
while :; do
  i=$((i + 1))
  if out=$({ printf "SET @pi_user = CONVERT(X'%s' USING utf8mb4), @pi_password = CONVERT(X'%s' USING utf8mb4);\n" \
      "$(hex "$PI_DB_USER")" "$(hex "$PI_DB_PASSWORD")"
      printf "SET @pi_backup_user = CONVERT(X'%s' USING utf8mb4), @pi_backup_password = CONVERT(X'%s' USING utf8mb4);\n" \
      "$(hex "$PI_DB_BACKUP_USER")" "$(hex "$PI_DB_BACKUP_PASSWORD")"
      printf '%s\n' "$PI_DB_USERS_SQL"
      if [ "$backup" = true ]; then printf '%s\n' "$PI_DB_BACKUP_SQL"; fi; } | root_sql 2>&1); then
    break
  fi
  if [ "$i" -ge "$ATTEMPTS" ]; then
    # Only the client's error lines, without the statement text it may quote ("near '...'"), which could hold
    # the hex of a password.
    echo "db-users: failed after $i attempts: $(printf '%s\n' "$out" | grep '^ERROR' | sed "s/ near '.*//")" >&2
    exit 1
  fi
  sleep 2
done
echo "db-users: application user ready; root only from localhost"
[ "$backup" = false ] || echo "db-users: backup user ready"
: >"$READY"
stay
