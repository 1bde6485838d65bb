#!/usr/bin/env bash
# Start-up and one-shot commands against `node -e 0`, side by side in one run (hyperfine, interleaved warm runs):
# `kcli --version`, a one-message produce, a `consume -n 1` of an existing message and a `group describe`, each as a
# ratio of `node -e 0`, plus the peak RSS of `kcli --version`. Prints a Markdown table on stdout.
# Usage: bench/startup.sh   (RUNS, default 10; KCLI_BENCH_BROKERS or a broker of its own, as bench/lib.sh says)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS=${RUNS:-10}
command -v hyperfine >/dev/null || die "hyperfine is needed (Debian package hyperfine)"

bench_init
topic=kcli-bench-startup-$$
group=$topic-g
create_topic "$topic"
echo '{"n":1}' | "${KCLI[@]}" produce -t "$topic" -b "$BROKERS" -q || die "could not seed $topic"
"${KCLI[@]}" consume -t "$topic" -g "$group" --from-beginning -e -b "$BROKERS" >/dev/null || die "could not seed $group"

kcli="${KCLI[*]}"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$WORK/startup.json" \
  -n 'node -e 0' 'node -e 0' \
  -n 'kcli --version' "$kcli --version" \
  -n 'kcli consume -n 1 (existing message)' "$kcli consume -t $topic -b $BROKERS -n 1 -o beginning" \
  -n 'kcli group describe' "$kcli group describe $group -b $BROKERS" \
  >/dev/null 2>"$WORK/hyperfine.err" || die "hyperfine failed: $(tail -n 3 "$WORK/hyperfine.err")"
# produce reads stdin: through a shell, whose own start is measured and subtracted.
hyperfine --warmup 3 --runs "$RUNS" --export-json "$WORK/produce.json" \
  -n 'sh' "echo x >/dev/null" \
  -n 'kcli produce (one message)' "echo '{\"n\":2}' | $kcli produce -t $topic -b $BROKERS -q" \
  >/dev/null 2>"$WORK/hyperfine.err" || die "hyperfine failed: $(tail -n 3 "$WORK/hyperfine.err")"

rss_kb=$( (/usr/bin/time -f '%M' "${KCLI[@]}" --version >/dev/null) 2>&1 | tail -n 1)

node - "$WORK/startup.json" "$WORK/produce.json" "$rss_kb" <<'EOF'
const fs = require('fs')
const [startup, produce, rssKb] = process.argv.slice(2)
const median = (r) => r.median * 1000
const a = JSON.parse(fs.readFileSync(startup, 'utf8')).results
const b = JSON.parse(fs.readFileSync(produce, 'utf8')).results
const node = median(a[0])
const rows = [...a.slice(1), {command: b[1].command, median: b[1].median - b[0].median}]
const targets = {'kcli --version': 2}
console.log(`| command | median ms | × node -e 0 | target | result |`)
console.log('|---|---:|---:|---:|---|')
console.log(`| node -e 0 | ${node.toFixed(0)} | 1.00 | | |`)
for (const r of rows) {
  const ratio = median(r) / node
  const target = targets[r.command] ?? 3
  console.log(`| ${r.command} | ${median(r).toFixed(0)} | ${ratio.toFixed(2)} | ≤ ${target}× | ${ratio <= target ? 'met' : '**missed**'} |`)
}
const mb = Number(rssKb) / 1024
console.log(`| kcli --version peak RSS | ${mb.toFixed(0)} MB | | ≤ 60 MB | ${mb <= 60 ? 'met' : '**missed**'} |`)
EOF
