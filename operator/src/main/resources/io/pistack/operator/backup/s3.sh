#!/usr/bin/env bash
# s3.sh: moves backups written by backup.sh to and from an S3-compatible bucket with the AWS CLI
# (v1 or v2; only "aws s3api" is used). The pi-operator runs it in the backup, restore and verification
# pods on an AWS CLI image, next to backup.sh/restore.sh on the MariaDB image; the two share BACKUP_DIR
# (an emptyDir). It needs bash, coreutils (sha256sum, base64, stat, date) and aws.
#
#   s3.sh upload   upload the newest complete backup in BACKUP_DIR (or S3_BACKUP_NAME) to
#                  s3://S3_BUCKET/S3_PREFIX<name>/{db.sql.gz,files.tar.gz,MANIFEST}, MANIFEST last
#   s3.sh fetch    download RESTORE_BACKUP (a name, or "latest": the newest not dated more than 5 minutes in
#                  the future) into BACKUP_DIR/<name>/
#   s3.sh list     print the names of the complete backups (those with a MANIFEST), oldest first
#   s3.sh delete NAME  delete every version (and delete marker) under s3://S3_BUCKET/S3_PREFIX<NAME>/, unless one
#                  is still under Object Lock (retention not expired, or a legal hold): then nothing is deleted
#
# Environment:
#   S3_BUCKET (required)  S3_PREFIX="" (e.g. "pi/prod/"; a trailing "/" is added)  S3_REGION=us-east-1
#   S3_ENDPOINT=""        an S3-compatible endpoint (MinIO...); path-style addressing is used with it
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (optional): without them the CLI's default chain is used
#                         (web identity / pod identity / instance profile). Never printed.
#   S3_LOCK_MODE=""       GOVERNANCE or COMPLIANCE: the Object Lock retention set on every uploaded object
#   S3_LOCK_DAYS          days of that retention (required with S3_LOCK_MODE)
#   BACKUP_DIR=/backups   TERMINATION_LOG=/dev/termination-log
#
# Upload: the local files are first checked against the MANIFEST (size, sha256), so a damaged local
# backup is never uploaded. Each object is sent with its SHA-256 (x-amz-checksum-sha256, which S3 checks
# on receipt) and, with S3_LOCK_MODE, its retention; then its metadata is read back (head-object) and the
# size, checksum and retention must be what was sent. An existing backup of the same name is never
# overwritten. Upload and fetch delete nothing in the bucket.
# Delete (what spec.backup.keep runs for a backup beyond keep): first every version's retention is read; if any
# version is retained until a time still to come (GOVERNANCE too: the retention is never bypassed) or has a legal
# hold, nothing is deleted and the exit code is 3. Else the MANIFEST's versions go first (so the backup is no
# longer complete, and "list" no longer shows it, whatever happens next), then the other versions and the delete
# markers. A backup already gone is not an error (a rerun after a kill finishes the job).
# Fetch: for each key the OLDEST version is read (the one the backup wrote; with Object Lock that is the
# version under retention); a later version (an overwrite) is ignored with a warning. restore.sh then
# checks the files against the MANIFEST, so a truncated or tampered object is refused there.
# Output (upload): one JSON line on stdout and in TERMINATION_LOG:
#   {"name":"...","location":"s3://bucket/prefix/name","sizeBytes":N,"completedAt":"...","retainUntil":"..."|null,
#    "manifestSha256":"sha256:<hex of MANIFEST>","versionId":"<the MANIFEST object's version>"|null}
# On failure, stderr gets the message and TERMINATION_LOG gets {"error":"...","exitCode":N}.
# Output (delete): {"name":...,"location":...,"deletedVersions":N}; refused (exit 3): TERMINATION_LOG gets
#   {"error":"...","exitCode":3,"locked":true,"mode":"COMPLIANCE"|"GOVERNANCE"|null,"retainUntil":"..."|null,"legalHold":bool}
# Exit codes: 0 ok | 1 failure (S3 error, I/O) | 2 bad input, backup not found, checksum mismatch
#   | 3 (delete) a version is still under Object Lock: nothing deleted
set -euo pipefail

BACKUP_DIR=${BACKUP_DIR:-/backups}; BACKUP_DIR=${BACKUP_DIR%/}
TERMINATION_LOG=${TERMINATION_LOG:-/dev/termination-log}
S3_BUCKET=${S3_BUCKET:-}; S3_PREFIX=${S3_PREFIX:-}; S3_REGION=${S3_REGION:-us-east-1}; S3_ENDPOINT=${S3_ENDPOINT:-}
S3_LOCK_MODE=${S3_LOCK_MODE:-}; S3_LOCK_DAYS=${S3_LOCK_DAYS:-}
TIMESTAMPED_RE='^[a-z0-9]([a-z0-9-]*[a-z0-9])?-[0-9]{8}T[0-9]{6}Z$'
FILES=(db.sql.gz files.tar.gz MANIFEST)   # MANIFEST last: its presence marks a complete backup
MAX_SINGLE_PUT=$((5 * 1024 * 1024 * 1024))

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/ }; s=${s//$'\r'/ }; s=${s//$'\t'/ }; printf '"%s"' "$s"; }
to_termlog() { { printf '%s\n' "$1" >"$TERMINATION_LOG"; } 2>/dev/null || true; }
die() {
  local code=$1; shift
  echo "s3: ERROR: $*" >&2
  to_termlog "$(printf '{"error":%s,"exitCode":%d}' "$(json_str "$*")" "$code")"
  exit "$code"
}
trap 'die 1 "terminated by signal"' TERM INT

# ---- validate input -------------------------------------------------------------------------------
cmd=${1:-}
case $cmd in upload | fetch | list | delete) ;; *) die 2 "usage: s3.sh upload|fetch|list|delete NAME" ;; esac
[[ $S3_BUCKET =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die 2 "S3_BUCKET must be a bucket name, got '$S3_BUCKET'"
if [ -n "$S3_PREFIX" ]; then
  S3_PREFIX=${S3_PREFIX#/}; S3_PREFIX="${S3_PREFIX%/}/"
  [[ $S3_PREFIX =~ ^[A-Za-z0-9._/-]+$ && $S3_PREFIX != *//* ]] || die 2 "S3_PREFIX must match [A-Za-z0-9._/-], got '$S3_PREFIX'"
fi
[[ $S3_REGION =~ ^[a-z0-9-]+$ ]] || die 2 "S3_REGION must match [a-z0-9-], got '$S3_REGION'"
[ -z "$S3_ENDPOINT" ] || [[ $S3_ENDPOINT =~ ^https?://[^[:space:]]+$ ]] || die 2 "S3_ENDPOINT must be an http(s) URL"
case $S3_LOCK_MODE in
  "") ;;
  GOVERNANCE | COMPLIANCE) [[ $S3_LOCK_DAYS =~ ^[1-9][0-9]{0,4}$ ]] || die 2 "S3_LOCK_DAYS must be a positive number of days, got '$S3_LOCK_DAYS'" ;;
  *) die 2 "S3_LOCK_MODE must be GOVERNANCE or COMPLIANCE, got '$S3_LOCK_MODE'" ;;
esac
[[ $cmd = delete || ( -n $BACKUP_DIR && -d $BACKUP_DIR ) ]] || die 2 "BACKUP_DIR '$BACKUP_DIR' is not a directory"
command -v aws >/dev/null || die 1 "aws (the AWS CLI) is not on PATH"

export AWS_DEFAULT_REGION=$S3_REGION AWS_REGION=$S3_REGION AWS_PAGER="" AWS_RETRY_MODE=${AWS_RETRY_MODE:-standard}
endpoint=()
if [ -n "$S3_ENDPOINT" ]; then
  endpoint=(--endpoint-url "$S3_ENDPOINT")
  # S3-compatible servers usually want path-style addressing (bucket in the path, not in the host name).
  cfg=$(mktemp "${TMPDIR:-/tmp}/s3-aws-config.XXXXXX")
  printf '[default]\ns3 =\n  addressing_style = path\n' >"$cfg"
  export AWS_CONFIG_FILE=$cfg
fi
# aws prints its own error message on stderr (never the credentials); the caller adds context.
s3api() { aws "${endpoint[@]}" s3api "$@"; }
location() { printf 's3://%s/%s%s' "$S3_BUCKET" "$S3_PREFIX" "$1"; }

# hex sha256 -> base64 of the 32 bytes, as x-amz-checksum-sha256 wants it
hex_to_b64() { local hex=$1 esc=""; for ((i = 0; i < ${#hex}; i += 2)); do esc+="\\x${hex:i:2}"; done; printf "$esc" | base64; }

# Names of the complete backups in the bucket (a MANIFEST object exists), oldest first by their timestamp.
remote_names() {
  local keys
  # Versions, not the current objects: a delete marker (a plain DELETE) must not hide a locked backup.
  keys=$(s3api list-object-versions --bucket "$S3_BUCKET" --prefix "$S3_PREFIX" \
    --query "Versions[?ends_with(Key, '/MANIFEST')].Key" --output text) \
    || die 1 "cannot list s3://$S3_BUCKET/$S3_PREFIX"
  for k in $keys; do
    [ "$k" != None ] || continue
    local n=${k#"$S3_PREFIX"}; n=${n%/MANIFEST}
    if [[ $n =~ $TIMESTAMPED_RE ]]; then echo "${n##*-} $n"; fi
  done | sort -u | cut -d' ' -f2
}

# "latest" never picks a name dated in the future (a wrong clock, or a name made to win): of the names on stdin
# ("<prefix>-<yyyyMMdd'T'HHmmss'Z'>", oldest first), those dated more than 5 minutes (clock skew) after now are
# named on stderr and left out.
not_in_future() {
  local limit n
  limit=$(date -u -d '+300 seconds' +%Y%m%dT%H%M%SZ) || return 1
  while IFS= read -r n; do
    if [[ ${n##*-} > $limit ]]; then echo "s3: ignoring $n for \"latest\": it is dated in the future" >&2
    else printf '%s\n' "$n"; fi
  done
}

# ---- list ---------------------------------------------------------------------------------------------
if [ "$cmd" = list ]; then
  remote_names
  exit 0
fi

# ---- delete -------------------------------------------------------------------------------------------
if [ "$cmd" = delete ]; then
  name=${2:-}
  [[ $name =~ $TIMESTAMPED_RE ]] || die 2 "delete needs a backup name (<prefix>-<yyyyMMdd'T'HHmmss'Z'>), got '$name'"
  dir="$S3_PREFIX$name/"
  # "<Key> <VersionId>" lines: the object versions, then the delete markers ("None" when there are none).
  versions=$(s3api list-object-versions --bucket "$S3_BUCKET" --prefix "$dir" \
    --query 'Versions[].[Key, VersionId]' --output text) || die 1 "cannot list the versions in s3://$S3_BUCKET/$dir"
  markers=$(s3api list-object-versions --bucket "$S3_BUCKET" --prefix "$dir" \
    --query 'DeleteMarkers[].[Key, VersionId]' --output text) || die 1 "cannot list the delete markers in s3://$S3_BUCKET/$dir"
  now=$(date -u +%s); max_epoch=0; lock_mode=""; held=false
  while IFS=$'\t' read -r key vid; do
    [[ -n $key && $key != None ]] || continue
    ver=(); if [[ -n $vid && $vid != null && $vid != None ]]; then ver=(--version-id "$vid"); fi
    head=$(s3api head-object --bucket "$S3_BUCKET" --key "$key" "${ver[@]}" \
      --query '[ObjectLockMode, ObjectLockRetainUntilDate, ObjectLockLegalHoldStatus]' --output text) \
      || die 1 "cannot read the retention of s3://$S3_BUCKET/$key"
    read -r mode until hold <<<"$head"
    [ "$hold" != ON ] || held=true
    if [[ -n $until && $until != None ]]; then
      epoch=$(date -u -d "$until" +%s 2>/dev/null) || die 1 "s3://$S3_BUCKET/$key has an unreadable retain-until date '$until'"
      if [ "$epoch" -gt "$now" ] && [ "$epoch" -gt "$max_epoch" ]; then max_epoch=$epoch; lock_mode=$mode; fi
    fi
  done <<<"$versions"
  if [ "$max_epoch" -gt 0 ] || [ "$held" = true ]; then
    until_json=null; msg="$(location "$name") is under Object Lock"
    if [ "$max_epoch" -gt 0 ]; then
      until_iso=$(date -u -d "@$max_epoch" +%Y-%m-%dT%H:%M:%SZ); until_json=$(json_str "$until_iso")
      msg="$msg ($lock_mode retention until $until_iso)"
    fi
    [ "$held" = false ] || msg="$msg (a legal hold is on)"
    echo "s3: $msg: not deleting it" >&2
    mode_json=null; [ -z "$lock_mode" ] || mode_json=$(json_str "$lock_mode")
    to_termlog "$(printf '{"error":%s,"exitCode":3,"locked":true,"mode":%s,"retainUntil":%s,"legalHold":%s}' \
      "$(json_str "$msg: not deleting it")" "$mode_json" "$until_json" "$held")"
    exit 3
  fi
  deleted=0
  # MANIFEST first: without it the backup is incomplete and no longer listed, whatever happens next.
  while IFS=$'\t' read -r key vid; do
    [[ -n $key && $key != None ]] || continue
    ver=(); if [[ -n $vid && $vid != null && $vid != None ]]; then ver=(--version-id "$vid"); fi
    s3api delete-object --bucket "$S3_BUCKET" --key "$key" "${ver[@]}" >/dev/null \
      || die 1 "cannot delete s3://$S3_BUCKET/$key ${vid:+(version $vid)}"
    deleted=$((deleted + 1))
  done < <(printf '%s\n' "$versions" | awk -F'\t' '$1 ~ /\/MANIFEST$/'; printf '%s\n' "$versions" | awk -F'\t' '$1 !~ /\/MANIFEST$/'; printf '%s\n' "$markers")
  echo "s3: deleted $(location "$name") ($deleted versions and delete markers)" >&2
  summary=$(printf '{"name":%s,"location":%s,"deletedVersions":%d}' "$(json_str "$name")" "$(json_str "$(location "$name")")" "$deleted")
  printf '%s\n' "$summary"
  to_termlog "$summary"
  exit 0
fi

# ---- upload -------------------------------------------------------------------------------------------
if [ "$cmd" = upload ]; then
  name=${S3_BACKUP_NAME:-}
  if [ -z "$name" ]; then
    name=$(for m in "$BACKUP_DIR"/*/MANIFEST; do
      n=${m%/MANIFEST}; n=${n##*/}
      if [[ $n =~ $TIMESTAMPED_RE ]]; then echo "${n##*-} $n"; fi
    done | sort | tail -n 1 | cut -d' ' -f2)
    [ -n "$name" ] || die 2 "no complete backup found in $BACKUP_DIR"
  fi
  [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die 2 "invalid backup name '$name'"
  src="$BACKUP_DIR/$name"
  [ -f "$src/MANIFEST" ] || die 2 "backup '$name' not found (no $src/MANIFEST)"

  # The local copy must be what the MANIFEST describes before anything leaves the pod.
  declare -A sha_hex
  for f in db.sql.gz files.tar.gz; do
    line=$(grep -F "file: $f " "$src/MANIFEST") || die 2 "MANIFEST of $name has no entry for $f"
    read -r _ _ want_size want_sum <<<"$line"
    [ -f "$src/$f" ] || die 2 "$src/$f is missing"
    [ "$(stat -c %s "$src/$f")" = "$want_size" ] || die 2 "size mismatch for $name/$f (MANIFEST says $want_size bytes)"
    sum=$(sha256sum "$src/$f") || die 1 "cannot read $src/$f"
    [ "sha256:${sum%% *}" = "$want_sum" ] || die 2 "checksum mismatch for $name/$f: the local backup is corrupt, not uploading it"
  done

  # Never overwrite (or add a version on top of) an existing backup of the same name.
  if existing=$(s3api list-objects-v2 --bucket "$S3_BUCKET" --prefix "$S3_PREFIX$name/" \
    --query 'length(Contents || `[]`)' --output text); then
    [ "$existing" = 0 ] || die 1 "$(location "$name") already exists; not overwriting it"
  else
    die 1 "cannot list s3://$S3_BUCKET/$S3_PREFIX$name/ (bucket missing, no permission or no connection)"
  fi

  lock=(); retain_until=""
  if [ -n "$S3_LOCK_MODE" ]; then
    retain_until=$(date -u -d "+$S3_LOCK_DAYS days" +%Y-%m-%dT%H:%M:%SZ)
    lock=(--object-lock-mode "$S3_LOCK_MODE" --object-lock-retain-until-date "$retain_until")
  fi
  total=0; manifest_sum=""; manifest_version=""
  for f in "${FILES[@]}"; do
    size=$(stat -c %s "$src/$f") || die 1 "cannot stat $src/$f"
    [ "$size" -le "$MAX_SINGLE_PUT" ] || die 1 "$f is larger than 5 GiB, the limit of a single upload"
    sum=$(sha256sum "$src/$f") || die 1 "cannot read $src/$f"
    b64=$(hex_to_b64 "${sum%% *}")
    key="$S3_PREFIX$name/$f"
    echo "s3: uploading $f ($size bytes) to s3://$S3_BUCKET/$key" >&2
    version=$(s3api put-object --bucket "$S3_BUCKET" --key "$key" --body "$src/$f" \
      --checksum-algorithm SHA256 --checksum-sha256 "$b64" "${lock[@]}" --query VersionId --output text) \
      || die 1 "upload of $f to s3://$S3_BUCKET/$key failed"
    ver=(); if [ -n "$version" ] && [ "$version" != None ] && [ "$version" != null ]; then ver=(--version-id "$version"); fi
    head=$(s3api head-object --bucket "$S3_BUCKET" --key "$key" "${ver[@]}" --checksum-mode ENABLED \
      --query '[ContentLength, ChecksumSHA256, ObjectLockMode, ObjectLockRetainUntilDate]' --output text) \
      || die 1 "cannot read back the metadata of s3://$S3_BUCKET/$key"
    read -r got_size got_sum got_mode got_until <<<"$head"
    [ "$got_size" = "$size" ] || die 1 "s3://$S3_BUCKET/$key has $got_size bytes, $size were sent"
    [ "$got_sum" = "$b64" ] || die 1 "s3://$S3_BUCKET/$key has SHA-256 '$got_sum', '$b64' was sent"
    if [ -n "$S3_LOCK_MODE" ]; then
      [ "$got_mode" = "$S3_LOCK_MODE" ] || die 1 "s3://$S3_BUCKET/$key has Object Lock mode '$got_mode', not $S3_LOCK_MODE (is Object Lock enabled on the bucket?)"
      got_epoch=$(date -u -d "$got_until" +%s 2>/dev/null) || die 1 "s3://$S3_BUCKET/$key has no retain-until date ('$got_until')"
      [ "$got_epoch" -ge "$(date -u -d "$retain_until" +%s)" ] || die 1 "s3://$S3_BUCKET/$key is retained until $got_until, not $retain_until"
    fi
    total=$((total + size))
    if [ "$f" = MANIFEST ]; then manifest_sum="sha256:${sum%% *}"; manifest_version=${ver[1]:-}; fi
  done
  echo "s3: uploaded and verified $(location "$name")" >&2
  until_json=null; [ -z "$retain_until" ] || until_json=$(json_str "$retain_until")
  version_json=null; [ -z "$manifest_version" ] || version_json=$(json_str "$manifest_version")
  summary=$(printf '{"name":%s,"location":%s,"sizeBytes":%d,"completedAt":%s,"retainUntil":%s,"manifestSha256":%s,"versionId":%s}' \
    "$(json_str "$name")" "$(json_str "$(location "$name")")" "$total" \
    "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$until_json" "$(json_str "$manifest_sum")" "$version_json")
  printf '%s\n' "$summary"
  to_termlog "$summary"
  exit 0
fi

# ---- fetch --------------------------------------------------------------------------------------------
RESTORE_BACKUP=${RESTORE_BACKUP:-}
[ -n "$RESTORE_BACKUP" ] || die 2 "RESTORE_BACKUP is required (a backup name or 'latest')"
[ -w "$BACKUP_DIR" ] || die 2 "BACKUP_DIR '$BACKUP_DIR' is not writable"
if [ "$RESTORE_BACKUP" = latest ]; then
  name=$(remote_names | not_in_future | tail -n 1)
  [ -n "$name" ] || die 2 "no complete backup found in s3://$S3_BUCKET/$S3_PREFIX (none dated up to now)"
else
  [[ $RESTORE_BACKUP =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die 2 "invalid backup name '$RESTORE_BACKUP'"
  name=$RESTORE_BACKUP
fi
# Every version of the backup's keys as "<Key> <VersionId>" lines. S3 lists the versions of one key
# newest first, so the last line of a key is the first version written.
versions=$(s3api list-object-versions --bucket "$S3_BUCKET" --prefix "$S3_PREFIX$name/" \
  --query 'Versions[].[Key, VersionId]' --output text) \
  || die 1 "cannot list the versions in s3://$S3_BUCKET/$S3_PREFIX$name/"
dest="$BACKUP_DIR/$name"
rm -rf -- "$dest.partial"; mkdir -p -- "$dest.partial"
for f in "${FILES[@]}"; do
  key="$S3_PREFIX$name/$f"
  mapfile -t mine < <(printf '%s\n' "$versions" | awk -F'\t' -v k="$key" '$1 == k { print $2 }')
  [ "${#mine[@]}" -gt 0 ] && [ -n "${mine[-1]}" ] || die 2 "backup '$name' not found or incomplete: no s3://$S3_BUCKET/$key"
  if [ "${#mine[@]}" -gt 1 ]; then
    echo "s3: WARNING: $key has ${#mine[@]} versions; reading the first one written, ignoring the later ones" >&2
  fi
  ver=(); if [ "${mine[-1]}" != null ]; then ver=(--version-id "${mine[-1]}"); fi
  echo "s3: downloading s3://$S3_BUCKET/$key" >&2
  s3api get-object --bucket "$S3_BUCKET" --key "$key" "${ver[@]}" "$dest.partial/$f" >/dev/null \
    || die 1 "download of s3://$S3_BUCKET/$key failed"
done
rm -rf -- "$dest"; mv -T -- "$dest.partial" "$dest"
echo "s3: fetched $(location "$name") into $dest" >&2
printf '{"name":%s,"location":%s}\n' "$(json_str "$name")" "$(json_str "$(location "$name")")"
