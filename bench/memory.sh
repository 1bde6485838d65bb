#!/usr/bin/env bash
# Memory over a long run: MESSAGES (default 5M) lines produced and then consumed on each data path (native fast path,
# stock calls), with kcli's RSS sampled every half second. RSS must level off, not grow with the count: a buffer handed
# to JS and never freed would show as a line rising to the end. Prints a Markdown table on stdout.
# Usage: MESSAGES=5000000 bench/memory.sh   (see bench/lib.sh for the other settings)

MESSAGES=${MESSAGES:-5000000}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_init
make_input

# sample <pid> <file>: RSS in MB every 0.5 s until the process ends.
sample() {
  while kill -0 "$1" 2>/dev/null; do
    awk '/^VmRSS/ {printf "%d\n", $2 / 1024}' "/proc/$1/status" 2>/dev/null >>"$2"
    sleep 0.5
  done
}

# rss_row <label> <samples file>: RSS after a fifth of the run, after half, at the end, and the peak.
rss_row() {
  awk -v label="$1" '{v[NR] = $1; if ($1 > max) max = $1}
    END {n = NR; printf "| %s | %d | %d | %d | %d | %d |\n", label, n / 2, v[int(n / 5) + 1], v[int(n / 2) + 1], v[n], max}' "$2"
}

echo "| run | seconds | RSS MB at 1/5 | at 1/2 | at the end | peak |"
echo "|---|---:|---:|---:|---:|---:|"
for path in native stock; do
  env_path=()
  [[ $path == stock ]] && env_path=(env KCLI_DATA_PATH=stock)
  topic=kcli-bench-memory-$$-$path
  create_topic "$topic"

  : >"$WORK/produce-$path.rss"
  "${env_path[@]}" "${KCLI[@]}" produce -t "$topic" -b "$BROKERS" -q <"$INPUT" 2>"$WORK/stderr" &
  pid=$!
  sample "$pid" "$WORK/produce-$path.rss"
  wait "$pid" || die "produce ($path) failed: $(tail -n 3 "$WORK/stderr")"
  [[ $(end_offsets "$topic") == "$MESSAGES" ]] || die "produce ($path) did not deliver $MESSAGES messages"
  rss_row "produce, $path" "$WORK/produce-$path.rss"

  : >"$WORK/consume-$path.rss"
  "${env_path[@]}" "${KCLI[@]}" consume -t "$topic" -b "$BROKERS" --from-beginning -e >"$WORK/out-$path" 2>"$WORK/stderr" &
  pid=$!
  sample "$pid" "$WORK/consume-$path.rss"
  wait "$pid" || die "consume ($path) failed: $(tail -n 3 "$WORK/stderr")"
  [[ $(wc -l <"$WORK/out-$path") == "$MESSAGES" ]] || die "consume ($path) did not print $MESSAGES lines"
  rm -f "$WORK/out-$path"
  rss_row "consume (JSON lines), $path" "$WORK/consume-$path.rss"
  delete_topic "$topic"
done
