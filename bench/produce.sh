#!/usr/bin/env bash
# kcli produce against kcat -P and Kafka's ConsoleProducer: 1M lines of ~150-byte JSON from a file on stdin into a fresh
# topic per run, each tool at its defaults and with matched settings, interleaved; every run is checked by end offsets.
# kcli runs on the native fast path (patches/README.md) and, as kcli-stock, on the client library's stock calls.
# Usage: bench/produce.sh   (see bench/lib.sh for the settings; prints a Markdown summary on stdout, progress on stderr)

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOAD_BEFORE=$(uptime | sed 's/.*load average/load average/')
bench_init
make_input

# Matched: acks=all, idempotence on, linger 5 ms, batches up to 1,000,000 bytes (librdkafka's default), no compression.
LINGER=5
BATCH=1000000

run_tool() {
  local label=$1 topic=$2
  case $label in
    kcli-defaults) measure "$INPUT" "${KCLI[@]}" produce -t "$topic" -b "$BROKERS" ;;
    kcli-raw) measure "$INPUT" "${KCLI[@]}" produce -t "$topic" -b "$BROKERS" --input raw ;;
    kcli-stock) measure "$INPUT" env KCLI_DATA_PATH=stock "${KCLI[@]}" produce -t "$topic" -b "$BROKERS" ;;
    kcli-before) measure "$INPUT" "${KCLI_BEFORE[@]}" produce -t "$topic" -b "$BROKERS" ;;
    kcat-defaults) measure "$INPUT" kcat -P -b "$BROKERS" -t "$topic" ;;
    java-defaults) measure "$INPUT" "${JAVA[@]}" org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$BROKERS" --topic "$topic" ;;
    kcli-matched)
      measure "$INPUT" "${KCLI[@]}" produce -t "$topic" -b "$BROKERS" \
        --acks all --idempotence --linger-ms "$LINGER" --batch-size "$BATCH" --compression none ;;
    kcat-matched)
      measure "$INPUT" kcat -P -b "$BROKERS" -t "$topic" \
        -X acks=all -X enable.idempotence=true -X linger.ms="$LINGER" -X batch.size="$BATCH" -X compression.codec=none ;;
    java-matched)
      measure "$INPUT" "${JAVA[@]}" org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$BROKERS" --topic "$topic" \
        --producer-property acks=all --producer-property enable.idempotence=true --producer-property linger.ms="$LINGER" \
        --producer-property batch.size="$BATCH" --producer-property compression.type=none ;;
  esac
}

# The broker warmed up first, with one untimed write by kcat and one by kcli into a topic of their own: a broker started
# minutes before takes its first writes slower, as it serves its first reads slower (consume.sh), which would land on
# whichever tool the first round starts with.
say "warming up the broker: one write by kcat and one by kcli, not counted"
warm=kcli-bench-produce-$$-warm
create_topic "$warm"
timeout "$RUN_TIMEOUT" kcat -P -b "$BROKERS" -t "$warm" <"$INPUT" >/dev/null 2>&1 || say "the warm-up write by kcat failed (ignored)"
timeout "$RUN_TIMEOUT" "${KCLI[@]}" produce -q -t "$warm" -b "$BROKERS" <"$INPUT" >/dev/null 2>&1 ||
  say "the warm-up write by kcli failed (ignored)"
# Deleted at exit (create_topic keeps it on the list), not now: Kafka removes a deleted topic's files a minute later,
# which would fall in the measured rounds.

labels=(kcli-defaults kcli-raw kcli-stock kcat-defaults java-defaults kcli-matched kcat-matched java-matched)
((${#KCLI_BEFORE[@]} > 0)) && labels+=(kcli-before)
for ((run = 1; run <= RUNS; run++)); do
  for label in $(shuffled "$run" "${labels[@]}"); do
    topic=kcli-bench-produce-$$-$run-$label
    create_topic "$topic"
    run_tool "$label" "$topic"
    delivered=$(end_offsets "$topic")
    ok=0
    [[ $RC == 0 && $delivered == "$MESSAGES" ]] && ok=1
    record "$label" "$run" "$ok" "exit $RC, end offsets $delivered"
    delete_topic "$topic"
  done
done

summary \
  "ratio|defaults (JSON validated): kcli ≥ 0.7× kcat -P|kcli-defaults|kcat-defaults|0.7" \
  "ratio|--input raw: kcli ≥ 0.85× kcat -P|kcli-raw|kcat-defaults|0.85" \
  "ratio|matched: kcli ≥ 0.7× kcat|kcli-matched|kcat-matched|0.7" \
  "ratio|defaults: kcli ≥ 3× Java ConsoleProducer|kcli-defaults|java-defaults|3.0" \
  "$(stock_target "stock path" kcli-stock kcli-before kcat-defaults 0.31)" \
  "rss|defaults: kcli peak RSS ≤ 150 MB|kcli-defaults|150" \
  "rss|--input raw: kcli peak RSS ≤ 150 MB|kcli-raw|150" \
  "rss|stock path: kcli peak RSS ≤ 150 MB|kcli-stock|150"
