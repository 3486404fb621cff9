#!/bin/bash
# Emits part of a real dump, signals the test through HANG_MARKER, then hangs until it is killed.
"$REAL_DUMP" "$@" | head -c 65536
echo started >"$HANG_MARKER"
exec sleep 300
