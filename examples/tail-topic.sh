#!/usr/bin/env bash
# Tail a topic: the last 10 messages of each partition, then new ones as they come, one line each with a format
# string: partition:offset, time, key and value. Ctrl-C stops.
#
#   examples/tail-topic.sh orders
#   examples/tail-topic.sh orders -e          # extra flags go to consume: stop at the end instead of following
#
# %p partition, %o offset, %T timestamp (ms), %k key, %v value, %h headers as JSON; \t and \n as usual.
set -euo pipefail
topic=${1:?usage: tail-topic.sh <topic> [consume flags...]}
shift
kcli=${KCLI:-kcli}

$kcli consume -t "$topic" -o -10 -f '%p:%o\t%T\t%k\t%v\n' "$@"
