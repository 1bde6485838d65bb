#!/usr/bin/env bash
# Move a consumer group to a point in time: replay (or skip) everything since then. A dry run first shows the plan;
# nothing changes until you say yes (or pass --yes as the third argument, in a script).
#
#   examples/move-group-to-time.sh billing 2026-01-31T12:00:00Z
#   examples/move-group-to-time.sh billing 2026-01-31T12:00:00Z --yes
#
# The group must have no active members (stop its consumers first): their commits would overwrite the new offsets,
# so kcli refuses. Partitions with no message at or after the time move to their end.
set -euo pipefail
group=${1:?usage: move-group-to-time.sh <group> <ISO time> [--yes]}
time=${2:?usage: move-group-to-time.sh <group> <ISO time> [--yes]}
kcli=${KCLI:-kcli}

# The plan: TOPIC PARTITION CURRENT-OFFSET NEW-OFFSET LOG-START-OFFSET LOG-END-OFFSET.
$kcli group reset-offsets "$group" --to-datetime "$time"
if [[ "${3:-}" != "--yes" ]]; then
  read -r -p "Move group $group to these offsets? [y/N] " answer
  [[ "$answer" == [yY]* ]] || { echo "nothing changed" >&2; exit 1; }
fi
$kcli group reset-offsets "$group" --to-datetime "$time" --execute
