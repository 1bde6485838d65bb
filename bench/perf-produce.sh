#!/usr/bin/env bash
# `kcli perf produce` against Kafka's ProducerPerformance (kafka-producer-perf-test) on the same broker: as fast as each
# tool goes, and at a fixed rate both can hold, interleaved; every run is checked by the topic's end offsets.
# Usage: bench/perf-produce.sh   (see bench/lib.sh for the broker and RUNS; prints Markdown on stdout, progress on stderr)
# Settings: MESSAGES (500000) at max rate, SIZE (100) bytes, RATE (10000) msg/s for RATE_MESSAGES (100000) messages.

MESSAGES=${MESSAGES:-500000}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SIZE=${SIZE:-100}
RATE=${RATE:-10000}
RATE_MESSAGES=${RATE_MESSAGES:-100000}

LOAD_BEFORE=$(uptime | sed 's/.*load average/load average/')
bench_init

# timed <output file> <command...>: sets RC and TIMES ("wall user sys maxrss_kb"); stderr goes to $WORK/stderr.
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" timeout "$RUN_TIMEOUT" "$@" </dev/null >"$out" 2>"$WORK/stderr"
  RC=$?
  TIMES=$(tail -n 1 "$WORK/time")
}

PERF=(org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BROKERS" --record-size "$SIZE")
run_tool() {
  local label=$1 topic=$2 out=$3
  case $label in
    # Both at their defaults: acks=all, idempotence on, linger.ms=5, no compression; batches of up to 1 MB (librdkafka)
    # and 16 KB (Java).
    kcli-max) timed "$out" "${KCLI[@]}" perf produce -t "$topic" -b "$BROKERS" -n "$MESSAGES" --size "$SIZE" --json ;;
    java-max) timed "$out" "${JAVA[@]}" "${PERF[@]}" --topic "$topic" --num-records "$MESSAGES" --throughput -1 ;;
    # A shallower queue: latency at max is mostly time queued, and the queue's size is librdkafka's to set.
    kcli-max-queue20k)
      timed "$out" "${KCLI[@]}" perf produce -t "$topic" -b "$BROKERS" -n "$MESSAGES" --size "$SIZE" --json \
        -X queue.buffering.max.messages=20000 ;;
    java-max-batch1m)
      timed "$out" "${JAVA[@]}" "${PERF[@]}" --topic "$topic" --num-records "$MESSAGES" --throughput -1 \
        --command-property batch.size=1000000 ;;
    kcli-rate)
      timed "$out" "${KCLI[@]}" perf produce -t "$topic" -b "$BROKERS" -n "$RATE_MESSAGES" --size "$SIZE" --rate "$RATE" --json ;;
    java-rate) timed "$out" "${JAVA[@]}" "${PERF[@]}" --topic "$topic" --num-records "$RATE_MESSAGES" --throughput "$RATE" ;;
  esac
}

labels=(kcli-max java-max kcli-max-queue20k java-max-batch1m kcli-rate java-rate)
for ((run = 1; run <= RUNS; run++)); do
  for label in $(shuffled "$run" "${labels[@]}"); do
    topic=kcli-bench-perf-$$-$run-$label
    create_topic "$topic"
    out=$WORK/$label-$run.out
    run_tool "$label" "$topic" "$out"
    expected=$MESSAGES
    [[ $label == *-rate ]] && expected=$RATE_MESSAGES
    delivered=$(end_offsets "$topic")
    tool=kcli
    [[ $label == java-* ]] && tool=java
    ok=0
    figures=$(node "$BENCH_DIR/perf-report.mjs" parse "$tool" "$out" 2>/dev/null) && [[ $RC == 0 && $delivered == "$expected" ]] && ok=1
    read -r wall user sys rss <<<"$TIMES"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$run" "$ok" "$wall" "$cpu" "$rss" "${figures:-}" >>"$WORK/results.tsv"
    say "run $run/$RUNS  $(printf '%-17s' "$label") exit $RC, end offsets $delivered/$expected, ${wall}s: $(tr '\t' ' ' <<<"${figures:-no figures}")"
    [[ $ok == 1 ]] || sed 's/^/    | /' "$WORK/stderr" | tail -n 5 >&2
    delete_topic "$topic"
  done
done

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'): $MESSAGES messages of $SIZE bytes at max rate, $RATE_MESSAGES at $RATE msg/s, $PARTITIONS partitions, broker $BROKERS, medians of $RUNS runs"
echo "machine: $(machine_line)"
echo "load before: $LOAD_BEFORE"
echo "load after:  $(uptime | sed 's/.*load average/load average/')"
echo
node "$BENCH_DIR/perf-report.mjs" produce "$WORK/results.tsv"
