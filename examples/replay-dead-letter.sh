#!/usr/bin/env bash
# Replay a dead-letter file after fixing its lines. produce --dead-letter wrote each invalid or undelivered line as
# {"source","line","reason","input"}; this sends the inputs again, through a fix of your choice, and writes what still
# fails to a new dead-letter file.
#
#   kcli produce -t orders --dead-letter orders.dead.jsonl < orders.jsonl
#   jq -r '"\(.line): \(.reason)"' orders.dead.jsonl          # what went wrong
#   FIX="sed 's/,}/}/'" examples/replay-dead-letter.sh orders orders.dead.jsonl
#
# FIX is any filter from lines to lines (default: none, for lines that failed only for a reason now gone).
# Inputs that were not UTF-8 ("inputEncoding": "base64") are skipped with a count: fix those by hand.
set -euo pipefail
topic=${1:?usage: replay-dead-letter.sh <topic> <dead-letter file>}
dead=${2:?usage: replay-dead-letter.sh <topic> <dead-letter file>}
kcli=${KCLI:-kcli}
fix=${FIX:-cat}

binary=$(jq -s '[.[] | select(.inputEncoding == "base64")] | length' "$dead")
[[ "$binary" == 0 ]] || echo "skipping $binary binary lines of $dead" >&2
jq -r 'select(.inputEncoding != "base64") | .input' "$dead" |
  bash -c "$fix" |
  $kcli produce -t "$topic" --dead-letter "$dead.retry"
