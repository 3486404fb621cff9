#!/bin/bash
# Installed on PATH under the dump client's name. It records argv (never the environment), then runs the real client.
printf '%s\n' "$*" >>"$ARGV_LOG"
exec "$REAL_DUMP" "$@"
