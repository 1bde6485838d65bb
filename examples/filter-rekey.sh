#!/usr/bin/env bash
# Filter and re-key with jq between two topics: keep the orders above an amount, keyed by their customer.
#
#   examples/filter-rekey.sh orders big-orders 1000
#
# consume prints envelopes ({"key","value","headers",...}); jq keeps and reshapes them; produce --input envelope
# reads them back. Dropping "partition" lets the new key choose it (as the Java client would). Mind that jq parses
# the values: jq 1.7 keeps integers as written, jq 1.6 rounds those beyond 2^53 (kcli itself never does).
set -euo pipefail
source=${1:?usage: filter-rekey.sh <source> <target> <min amount>}
target=${2:?usage: filter-rekey.sh <source> <target> <min amount>}
min=${3:?usage: filter-rekey.sh <source> <target> <min amount>}
kcli=${KCLI:-kcli}

$kcli consume -t "$source" -e |
  jq -c --argjson min "$min" 'select(.value.amount > $min) | {key: .value.customer, value, headers}' |
  $kcli produce -t "$target" --input envelope
