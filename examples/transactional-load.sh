#!/usr/bin/env bash
# Load a file all or nothing: the whole input is one transaction, committed at the end, aborted on any invalid line,
# failed delivery or Ctrl-C. Readers with isolation.level=read_committed (kcli consume's default, and the Java
# client's usual setting) never see a half-loaded file.
#
#   examples/transactional-load.sh prices prices-2026-01-31.jsonl
#
# The transactional id names this loader: two loads with the same id fence each other, so run one at a time.
set -euo pipefail
topic=${1:?usage: transactional-load.sh <topic> <file.jsonl>}
file=${2:?usage: transactional-load.sh <topic> <file.jsonl>}
kcli=${KCLI:-kcli}

$kcli produce -t "$topic" --transactional-id "load-$topic" "$file"
