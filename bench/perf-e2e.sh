#!/usr/bin/env bash
# `kcli perf e2e` at a fixed rate: produce→consume latency percentiles, checked against a p99 target. Each run is
# checked: exit 0, and every message sent was delivered and read back.
# Usage: bench/perf-e2e.sh   (see bench/lib.sh for the broker; prints Markdown on stdout, progress on stderr)
# Settings: E2E_RUNS (3), RATE (1000) msg/s, DURATION (30s), SIZE (100) bytes, TARGET_P99_MS (10), PARTITIONS (3).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E2E_RUNS=${E2E_RUNS:-3}
RATE=${RATE:-1000}
DURATION=${DURATION:-30s}
SIZE=${SIZE:-100}
TARGET_P99_MS=${TARGET_P99_MS:-10}

LOAD_BEFORE=$(uptime | sed 's/.*load average/load average/')
bench_init

TOPIC=kcli-bench-e2e-$$
create_topic "$TOPIC"
loads=()
for ((run = 1; run <= E2E_RUNS; run++)); do
  load=$(cut -d ' ' -f 1-3 /proc/loadavg)
  out=$WORK/e2e-$run.json
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" timeout "$RUN_TIMEOUT" \
    "${KCLI[@]}" perf e2e -t "$TOPIC" -b "$BROKERS" --rate "$RATE" --duration "$DURATION" --size "$SIZE" --json \
    </dev/null >"$out" 2>"$WORK/stderr"
  rc=$?
  read -r wall user sys rss <<<"$(tail -n 1 "$WORK/time")"
  counts=$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`${r.sent} ${r.delivered} ${r.consumed}`)' "$out" 2>/dev/null)
  read -r sent delivered consumed <<<"${counts:-- - -}"
  ok=0
  figures=$(node "$BENCH_DIR/perf-report.mjs" parse kcli "$out" 2>/dev/null) && [[ $rc == 0 && $sent == "$delivered" && $delivered == "$consumed" ]] && ok=1
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "e2e-$RATE" "$run" "$ok" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$rss" "${figures:-}" >>"$WORK/results.tsv"
  loads+=("run $run: load average $load before")
  say "run $run/$E2E_RUNS exit $rc, sent $sent, delivered $delivered, consumed $consumed, load $load: $(tr '\t' ' ' <<<"${figures:-no figures}")"
  [[ $ok == 1 ]] || sed 's/^/    | /' "$WORK/stderr" | tail -n 5 >&2
done

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'): kcli perf e2e at $RATE msg/s for $DURATION, $SIZE-byte values, $PARTITIONS partitions, acks=all, broker $BROKERS"
echo "machine: $(machine_line)"
echo "load before: $LOAD_BEFORE; $(IFS=';'; echo "${loads[*]}")"
echo "load after:  $(uptime | sed 's/.*load average/load average/')"
echo
node "$BENCH_DIR/perf-report.mjs" e2e "$WORK/results.tsv" "$TARGET_P99_MS"
