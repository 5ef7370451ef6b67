#!/bin/sh
# Judgment accuracy against hand labels: see bench/judge_accuracy.py.
#   bench/judge-accuracy.sh [-q]     (CLAUSEWATCH_BIN, CLAUSEWATCH_SHARED)
exec python3 "$(dirname "$0")/judge_accuracy.py" "$@"
