# Shared by bench/produce.sh and bench/consume.sh: settings, the broker, topics, one timed run, and the summary.
# Sourced, not run. Settings (environment):
#   KCLI_BENCH_BROKERS   broker to use; unset: start one with `kcli local start --port 19392` and stop it at the end
#   RUNS                 runs per tool (default 5); MESSAGES lines of input (default 1000000); PARTITIONS (default 3)
#   KCLI_BENCH_KCLI      how to run kcli (default: node <repo>/bin/run.js)
#   KCLI_BENCH_KAFKA_LIB Kafka's jars for the Java console tools (default ~/.cache/kcli/kafka/4.3.1/lib)
#   KCLI_BENCH_BEFORE    how to run kcli as it was before the fast path, on its own unpatched client library (how to
#                        build one: bench/README.md); when set, its runs (kcli-before*) join the others, and the stock
#                        path is measured against them in the same run instead of against a ratio from another day
#   RUN_TIMEOUT          seconds one run may take before it is killed and counted as failed (default 600)

set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RUNS=${RUNS:-5}
MESSAGES=${MESSAGES:-1000000}
PARTITIONS=${PARTITIONS:-3}
KAFKA_LIB=${KCLI_BENCH_KAFKA_LIB:-$HOME/.cache/kcli/kafka/4.3.1/lib}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
read -r -a KCLI <<<"${KCLI_BENCH_KCLI:-node $ROOT/bin/run.js}"
read -r -a KCLI_BEFORE <<<"${KCLI_BENCH_BEFORE:-}"
JAVA=(java -cp "$KAFKA_LIB/*")

WORK=""
BROKERS=""
OWN_BROKER=""
TOPICS_TO_DELETE=()

say() { printf '%s\n' "$*" >&2; }
die() {
  say "bench: $*"
  exit 1
}

bench_cleanup() {
  local rc=$?
  if [[ -n $BROKERS && ${#TOPICS_TO_DELETE[@]} -gt 0 ]]; then
    "${KCLI[@]}" topic delete "${TOPICS_TO_DELETE[@]}" --yes --if-exists -b "$BROKERS" >/dev/null 2>&1
  fi
  if [[ -n $OWN_BROKER ]]; then "${KCLI[@]}" local stop --state-dir "$OWN_BROKER" >/dev/null 2>&1; fi
  [[ -n $WORK ]] && rm -rf "$WORK"
  exit "$rc"
}

# Checks the tools, makes a work dir, isolates every tool from the user's config files, and finds or starts a broker.
bench_init() {
  for tool in node java kcat /usr/bin/time timeout; do
    command -v "$tool" >/dev/null || die "$tool is needed"
  done
  compgen -G "$KAFKA_LIB/kafka-tools-*.jar" >/dev/null || die "no Kafka jars in $KAFKA_LIB (set KCLI_BENCH_KAFKA_LIB)"
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/kcli-bench.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM

  # The same settings for every run, whatever rc files the user has.
  for name in $(compgen -e); do
    [[ $name == KCLI_* && $name != KCLI_BENCH_* ]] && unset "$name"
  done
  echo '{}' >"$WORK/kcli-rc.json"
  : >"$WORK/kcat.conf"
  export KCLI_CONFIG=$WORK/kcli-rc.json KCAT_CONFIG=$WORK/kcat.conf NO_COLOR=1
  cd "$WORK" || die "cannot enter $WORK"

  if [[ -n ${KCLI_BENCH_BROKERS:-} ]]; then
    BROKERS=$KCLI_BENCH_BROKERS
  else
    OWN_BROKER=$WORK/broker
    say "starting a broker on localhost:19392 (state in $OWN_BROKER)"
    "${KCLI[@]}" local start --port 19392 --state-dir "$OWN_BROKER" >/dev/null || die "the broker did not start"
    BROKERS=localhost:19392
  fi
  kcat -b "$BROKERS" -L -m 10 >/dev/null 2>&1 || die "no broker answers at $BROKERS"
}

# The deterministic input: MESSAGES lines of ~150-byte JSON.
make_input() {
  INPUT=$WORK/input.jsonl
  node "$BENCH_DIR/make-input.mjs" "$INPUT" "$MESSAGES" || die "could not write the input"
  INPUT_BYTES=$(stat -c %s "$INPUT")
}

create_topic() {
  "${KCLI[@]}" topic create "$1" -p "$PARTITIONS" -b "$BROKERS" >/dev/null 2>"$WORK/create.err" || die "could not create topic $1: $(cat "$WORK/create.err")"
  TOPICS_TO_DELETE+=("$1")
}

delete_topic() {
  "${KCLI[@]}" topic delete "$1" --yes --if-exists -b "$BROKERS" >/dev/null 2>&1
}

# Sum of the end offsets of all partitions of a topic.
end_offsets() {
  local args=() p
  for ((p = 0; p < PARTITIONS; p++)); do args+=(-t "$1:$p:-1"); done
  kcat -b "$BROKERS" -Q "${args[@]}" 2>/dev/null | awk '{sum += $NF} END {print sum + 0}'
}

# measure <stdin file> <command...>: runs the command under /usr/bin/time with stdout counted by `wc -lc`.
# Sets RC, TIMES ("wall user sys maxrss_kb"), OUT_LINES and OUT_BYTES; the command's stderr is in $WORK/stderr.
measure() {
  local in=$1
  shift
  {
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" timeout "$RUN_TIMEOUT" "$@" <"$in" 2>"$WORK/stderr"
    echo $? >"$WORK/rc"
  } | wc -lc >"$WORK/count"
  RC=$(cat "$WORK/rc")
  TIMES=$(tail -n 1 "$WORK/time")
  read -r OUT_LINES OUT_BYTES <"$WORK/count"
}

# record <label> <run> <ok 1|0> <note>: appends the last measurement to the results and reports it on stderr.
record() {
  local label=$1 run=$2 ok=$3 note=$4 wall user sys rss
  read -r wall user sys rss <<<"$TIMES"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$run" "$wall" "$user" "$sys" "$rss" "$ok" >>"$WORK/results.tsv"
  local rate=-
  [[ $ok == 1 ]] && rate=$(awk -v n="$MESSAGES" -v w="$wall" 'BEGIN {printf "%d", n / w}')
  printf 'run %s/%s  %-22s %7ss  %9s msg/s  cpu %5.2fs  rss %4d MB  %s\n' "$run" "$RUNS" "$label" "$wall" "$rate" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" $((rss / 1024)) "$note" >&2
  if [[ $ok != 1 ]]; then sed 's/^/    | /' "$WORK/stderr" | tail -n 5 >&2; fi
}

# The order of the tools in run r: shuffled, seeded by r, so run r has the same order every time. A rotation by one each
# run gave each tool the same predecessor in every run (kcli-matched always ran after the Java producer, kcli-raw after
# kcli-defaults), and what a run leaves the broker to do (a million messages, a deleted topic's files) fell on the same
# tool each time.
shuffled() {
  local r=$1
  shift
  printf '%s\n' "$@" | awk -v seed="$r" '
    BEGIN { srand(seed) }
    { item[NR] = $0 }
    END {
      for (i = NR; i > 1; i--) { j = int(rand() * i) + 1; t = item[i]; item[i] = item[j]; item[j] = t }
      for (i = 1; i <= NR; i++) print item[i]
    }'
}

machine_line() {
  local cpu
  cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
  echo "$(nproc) cores ($cpu), $(free -g | awk '/^Mem:/ {print $2}') GB RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), node $(node -v), $(java -version 2>&1 | head -n 1), kcat $(kcat -V 2>&1 | sed -n 's/^Version \([^ ]*\).*librdkafka \([^ ]*\).*/\1 (librdkafka \2)/p'), kcli's client librdkafka $(cd "$ROOT" && node -e "import('@confluentinc/kafka-javascript').then((m) => console.log(m.default.librdkafkaVersion))")"
}

# stock_target <text> <stock label> <before label> <kcat label> <kcat ratio before the fast path>: the stock path's
# target row. Against kcli before the fast path in this run when KCLI_BENCH_BEFORE is set (5% for run-to-run noise),
# else against kcat, with the ratio kcli had to it when the issue was filed.
stock_target() {
  if ((${#KCLI_BEFORE[@]} > 0)); then
    echo "ratio|$1: no slower than kcli before the fast path, this run (within 5%)|$2|$3|0.95"
  else
    echo "ratio|$1: no slower than before the fast path ($5× $4 then)|$2|$4|$5"
  fi
}

summary() {
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'): $MESSAGES messages ($INPUT_BYTES bytes), $PARTITIONS partitions, broker $BROKERS, medians of $RUNS runs"
  echo "machine: $(machine_line)"
  echo "load before: $LOAD_BEFORE"
  echo "load after:  $(uptime | sed 's/.*load average/load average/')"
  echo
  node "$BENCH_DIR/report.mjs" "$WORK/results.tsv" "$MESSAGES" "$@"
}
