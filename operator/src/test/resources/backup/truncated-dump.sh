#!/bin/bash
# Emits a real dump minus its last lines and exits 0. This is a truncated dump that reports no error.
"$REAL_DUMP" "$@" | head -n -3
exit 0
