#!/usr/bin/env bash
# Produce JSON lines that must match a JSON Schema: check the whole file first without sending anything, then send
# it. A line that does not match is named with its number and the path of the problem:
#   line 7: the value does not match the schema at /amount: must be number
#
#   examples/produce-with-schema.sh orders examples/order.schema.json orders.jsonl
set -euo pipefail
topic=${1:?usage: produce-with-schema.sh <topic> <schema.json> <file.jsonl>}
schema=${2:?usage: produce-with-schema.sh <topic> <schema.json> <file.jsonl>}
file=${3:?usage: produce-with-schema.sh <topic> <schema.json> <file.jsonl>}
kcli=${KCLI:-kcli}

$kcli produce -t "$topic" --schema "$schema" --dry-run "$file"
$kcli produce -t "$topic" --schema "$schema" "$file"
