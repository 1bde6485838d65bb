#!/usr/bin/env bash
# Copy a topic exactly: keys, values (any bytes), headers, partitions and timestamps.
#
#   examples/copy-topic.sh orders orders-copy
#
# The copy gets as many partitions as the source, so every message lands on the partition it came from (its
# envelope says which). consume -e reads from the beginning to the end the topic had when it started; messages
# produced meanwhile are not copied. Run it again on a fresh target, never on a half-copied one: it would repeat.
set -euo pipefail
source=${1:?usage: copy-topic.sh <source> <target>}
target=${2:?usage: copy-topic.sh <source> <target>}
kcli=${KCLI:-kcli}

partitions=$($kcli topic describe "$source" --json | jq '.topics[0].partitions | length')
$kcli topic create "$target" --partitions "$partitions"
$kcli consume -t "$source" -e | $kcli produce -t "$target" --input envelope
