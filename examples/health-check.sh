#!/usr/bin/env bash
# A health check for cron: silent while the cluster is healthy; otherwise one line to stderr (cron mails it) and the
# exit code of kcli health: 1 degraded (under-replicated or leaderless partitions, a missing topic, a slow probe),
# 3 unreachable.
#
#   */5 * * * * KCLI_BROKERS=kafka-1:9092 /opt/kcli/examples/health-check.sh orders payments
#
# Each argument is a topic that must exist with a leader for every partition. With HEALTH_PROBE=<topic>, a probe
# message is also produced and read back within 1s.
set -uo pipefail
kcli=${KCLI:-kcli}

args=(--timeout 10s)
for topic in "$@"; do args+=(-t "$topic"); done
[[ -n "${HEALTH_PROBE:-}" ]] && args+=(--e2e "$HEALTH_PROBE" --max-latency 1s)

report=$($kcli health "${args[@]}" --json)
status=$?
if [[ $status -ne 0 ]]; then
  echo "kafka $(jq -r '.status + ": " + (.problems | join("; "))' <<<"$report") ($(date -u +%FT%TZ))" >&2
fi
exit $status
