#!/usr/bin/env bash
# kcli consume against kcat -C -e (values, and -J) and Kafka's ConsoleConsumer: a pre-filled 1M-message topic read from
# the beginning to the end, interleaved; every run is checked by the number of lines (and bytes, for bare values).
# kcli runs on the native fast path (patches/README.md) and, as kcli-stock-*, on the client library's stock calls.
# Usage: bench/consume.sh   (see bench/lib.sh for the settings; prints a Markdown summary on stdout, progress on stderr)

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOAD_BEFORE=$(uptime | sed 's/.*load average/load average/')
bench_init
make_input

TOPIC=kcli-bench-consume-$$
create_topic "$TOPIC"
say "filling $TOPIC with $MESSAGES messages"
kcat -P -b "$BROKERS" -t "$TOPIC" <"$INPUT" 2>"$WORK/fill.err" || die "could not fill $TOPIC: $(cat "$WORK/fill.err")"
[[ $(end_offsets "$TOPIC") == "$MESSAGES" ]] || die "$TOPIC does not hold exactly $MESSAGES messages"
# The broker warmed up first, with one untimed read by kcat and one by kcli: a broker started minutes before serves its
# first reads much slower (2026-12-02: kcli's bare values 0.58x kcat's on the first 300,000-message read, ~1x on the
# next ones), which would land on whichever tool the first round starts with. The measured runs are checked; these
# are not.
say "warming up the broker: one read of $TOPIC by kcat and one by kcli, not counted"
kcat -C -b "$BROKERS" -t "$TOPIC" -o beginning -e -q >/dev/null 2>&1
"${KCLI[@]}" consume -t "$TOPIC" -b "$BROKERS" --from-beginning -e --output value >/dev/null 2>&1

run_tool() {
  case $1 in
    kcli-json) measure /dev/null "${KCLI[@]}" consume -t "$TOPIC" -b "$BROKERS" --from-beginning -e ;;
    kcli-value) measure /dev/null "${KCLI[@]}" consume -t "$TOPIC" -b "$BROKERS" --from-beginning -e --output value ;;
    kcli-stock-json) measure /dev/null env KCLI_DATA_PATH=stock "${KCLI[@]}" consume -t "$TOPIC" -b "$BROKERS" --from-beginning -e ;;
    kcli-stock-value)
      measure /dev/null env KCLI_DATA_PATH=stock "${KCLI[@]}" consume -t "$TOPIC" -b "$BROKERS" --from-beginning -e --output value ;;
    kcli-before-json) measure /dev/null "${KCLI_BEFORE[@]}" consume -t "$TOPIC" -b "$BROKERS" --from-beginning -e ;;
    kcli-before-value) measure /dev/null "${KCLI_BEFORE[@]}" consume -t "$TOPIC" -b "$BROKERS" --from-beginning -e --output value ;;
    kcat-J) measure /dev/null kcat -C -b "$BROKERS" -t "$TOPIC" -o beginning -e -q -J ;;
    kcat-value) measure /dev/null kcat -C -b "$BROKERS" -t "$TOPIC" -o beginning -e -q ;;
    # It has no exit-at-end: it stops after exactly the number of messages the topic holds.
    java-value)
      measure /dev/null "${JAVA[@]}" org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$BROKERS" --topic "$TOPIC" \
        --from-beginning --max-messages "$MESSAGES" ;;
    # The fields a kcli JSON line carries besides the value, in Java's own text format: like for like.
    java-fields)
      measure /dev/null "${JAVA[@]}" org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$BROKERS" --topic "$TOPIC" \
        --from-beginning --max-messages "$MESSAGES" --formatter-property print.timestamp=true \
        --formatter-property print.partition=true --formatter-property print.offset=true \
        --formatter-property print.headers=true --formatter-property print.key=true ;;
  esac
}

labels=(kcli-json kcli-value kcli-stock-json kcli-stock-value kcat-J kcat-value java-value java-fields)
((${#KCLI_BEFORE[@]} > 0)) && labels+=(kcli-before-json kcli-before-value)
for ((run = 1; run <= RUNS; run++)); do
  for label in $(shuffled "$run" "${labels[@]}"); do
    run_tool "$label"
    ok=0
    if [[ $RC == 0 && $OUT_LINES == "$MESSAGES" ]]; then
      # Bare values are the input's bytes, in another order.
      [[ $label != *-value || $OUT_BYTES == "$INPUT_BYTES" ]] && ok=1
    fi
    record "$label" "$run" "$ok" "exit $RC, $OUT_LINES lines, $OUT_BYTES bytes"
  done
done

summary \
  "ratio|--output value ≥ 0.85× kcat -C -e|kcli-value|kcat-value|0.85" \
  "ratio|JSON lines (default) ≥ 2× kcat -J|kcli-json|kcat-J|2.0" \
  "ratio|--output value ≥ 3× Java ConsoleConsumer|kcli-value|java-value|3.0" \
  "ratio|JSON lines ≥ 3× Java ConsoleConsumer printing the same fields (timestamp, partition, offset, headers, key)|kcli-json|java-fields|3.0" \
  "ratio|JSON lines ≥ 3× Java ConsoleConsumer printing bare values (different work)|kcli-json|java-value|3.0" \
  "$(stock_target "stock path, --output value" kcli-stock-value kcli-before-value kcat-value 0.26)" \
  "$(stock_target "stock path, JSON lines" kcli-stock-json kcli-before-json kcat-J 0.69)" \
  "rss|--output value: peak RSS ≤ 150 MB|kcli-value|150" \
  "rss|JSON lines: peak RSS ≤ 150 MB|kcli-json|150" \
  "rss|stock path, JSON lines: peak RSS ≤ 150 MB|kcli-stock-json|150"
