#!/usr/bin/env bash
# Start-up and one-shot commands against `node -e 0`, side by side in one run (hyperfine): `kcli --version`, a
# one-message produce, a `consume -n 1` of an existing message and a `group describe`, each as a ratio of `node -e 0`,
# plus the peak RSS of `kcli --version`. hyperfine runs one command's runs back to back, so the runs are split into
# ROUNDS rounds over all commands and pooled: a busy moment of the machine then falls on every command, not on one.
# Prints a Markdown table on stdout.
# Usage: bench/startup.sh   (RUNS per command, default 30; ROUNDS, default 10; KCLI_BENCH_BROKERS or a broker of its
# own, as bench/lib.sh says). Ten rounds rather than five since 2026-12-02: with RUNS=30 in five rounds (six runs a
# command per round), one busy moment still moved a single command's median (Node 24's `consume -n 1` at 3.04x in the
# 07:36 UTC run of bench/README.md, 2.4-2.6x in the runs around it).
RUNS=${RUNS:-30} # before lib.sh, whose default is for the long benchmarks
ROUNDS=${ROUNDS:-10}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v hyperfine >/dev/null || die "hyperfine is needed (Debian package hyperfine)"
per_round=$(((RUNS + ROUNDS - 1) / ROUNDS))

bench_init
topic=kcli-bench-startup-$$
group=$topic-g
create_topic "$topic"
echo '{"n":1}' | "${KCLI[@]}" produce -t "$topic" -b "$BROKERS" -q || die "could not seed $topic"
"${KCLI[@]}" consume -t "$topic" -g "$group" --from-beginning -e -b "$BROKERS" >/dev/null || die "could not seed $group"

kcli="${KCLI[*]}"
for ((round = 1; round <= ROUNDS; round++)); do
  hyperfine -N --warmup 1 --runs "$per_round" --export-json "$WORK/startup-$round.json" \
    -n 'node -e 0' 'node -e 0' \
    -n 'kcli --version' "$kcli --version" \
    -n 'kcli consume -n 1 (existing message)' "$kcli consume -t $topic -b $BROKERS -n 1 -o beginning" \
    -n 'kcli group describe' "$kcli group describe $group -b $BROKERS" \
    >/dev/null 2>"$WORK/hyperfine.err" || die "hyperfine failed: $(tail -n 3 "$WORK/hyperfine.err")"
  # produce reads stdin: through a shell, whose own start is measured and subtracted.
  hyperfine --warmup 1 --runs "$per_round" --export-json "$WORK/produce-$round.json" \
    -n 'sh' "echo x >/dev/null" \
    -n 'kcli produce (one message)' "echo '{\"n\":2}' | $kcli produce -t $topic -b $BROKERS -q" \
    >/dev/null 2>"$WORK/hyperfine.err" || die "hyperfine failed: $(tail -n 3 "$WORK/hyperfine.err")"
done

rss_kb=$( (/usr/bin/time -f '%M' "${KCLI[@]}" --version >/dev/null) 2>&1 | tail -n 1)

node - "$WORK" "$ROUNDS" "$rss_kb" <<'EOF'
const fs = require('fs')
const [work, rounds, rssKb] = process.argv.slice(2)
// Every run of every round, per command name.
const pooled = (prefix) => {
  const times = new Map()
  for (let r = 1; r <= Number(rounds); r++)
    for (const res of JSON.parse(fs.readFileSync(`${work}/${prefix}-${r}.json`, 'utf8')).results)
      times.set(res.command, [...(times.get(res.command) ?? []), ...res.times])
  return times
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return ((s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2) * 1000
}
const a = pooled('startup')
const b = pooled('produce')
const node = median(a.get('node -e 0'))
const rows = [...a].filter(([name]) => name !== 'node -e 0').map(([name, t]) => [name, median(t), t.length])
const produce = b.get('kcli produce (one message)')
rows.push(['kcli produce (one message)', median(produce) - median(b.get('sh')), produce.length])
const targets = {'kcli --version': 2}
console.log(`| command | runs | median ms | × node -e 0 | target | result |`)
console.log('|---|---:|---:|---:|---:|---|')
console.log(`| node -e 0 | ${a.get('node -e 0').length} | ${node.toFixed(0)} | 1.00 | | |`)
for (const [name, ms, runs] of rows) {
  const ratio = ms / node
  const target = targets[name] ?? 3
  console.log(`| ${name} | ${runs} | ${ms.toFixed(0)} | ${ratio.toFixed(2)} | ≤ ${target}× | ${ratio <= target ? 'met' : '**missed**'} |`)
}
const mb = Number(rssKb) / 1024
console.log(`| kcli --version peak RSS | | ${mb.toFixed(0)} MB | | ≤ 60 MB | ${mb <= 60 ? 'met' : '**missed**'} |`)
EOF
