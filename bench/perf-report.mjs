// Reads what the perf benchmarks recorded and prints Markdown. Used by bench/perf-produce.sh and bench/perf-e2e.sh.
// Usage:
//   node bench/perf-report.mjs parse kcli <report.json>     -> "msg/s MB/s p50 p95 p99 p99.9 max" (tab-separated, ms)
//   node bench/perf-report.mjs parse java <output.txt>      -> the same from ProducerPerformance's closing line
//   node bench/perf-report.mjs produce <results.tsv>        -> medians per run label, ratios kcli / Java
//   node bench/perf-report.mjs e2e <results.tsv> <p99 ms>   -> every run, the medians, and the p99 target
// results.tsv rows: label run ok wall_s cpu_s max_rss_kb msg/s MB/s p50 p95 p99 p99.9 max
import fs from 'node:fs'

const [command, ...args] = process.argv.slice(2)

function parseKcli(file) {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'))
  const l = r.latencyMs ?? {}
  return [r.msgPerSec, r.mbPerSec, l.p50, l.p95, l.p99, l.p999, l.max]
}

// "500000 records sent, 141709.97 records/sec (13.51 MB/sec), 341.06 ms avg latency, 591.00 ms max latency,
//  469 ms 50th, 526 ms 95th, 551 ms 99th, 590 ms 99.9th."
function parseJava(file) {
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findLast((l) => /records sent, .* 99\.9th\./.test(l))
  if (!line) throw new Error(`no summary line in ${file}`)
  const num = (re) => Number(re.exec(line)?.[1])
  return [
    num(/([\d.]+) records\/sec/),
    num(/\(([\d.]+) MB\/sec\)/),
    num(/([\d.]+) ms 50th/),
    num(/([\d.]+) ms 95th/),
    num(/([\d.]+) ms 99th/),
    num(/([\d.]+) ms 99\.9th/),
    num(/([\d.]+) ms max latency/),
  ]
}

function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const columns = ['wall', 'cpu', 'rss', 'msgps', 'mbps', 'p50', 'p95', 'p99', 'p999', 'max']

function readRuns(file) {
  const runs = new Map()
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const [label, run, ok, ...values] = line.split('\t')
    if (!runs.has(label)) runs.set(label, {total: 0, ok: []})
    const entry = runs.get(label)
    entry.total++
    if (ok === '1') entry.ok.push({run, ...Object.fromEntries(columns.map((c, i) => [c, Number(values[i])]))})
  }
  return runs
}

function medians(entry) {
  return Object.fromEntries(columns.map((c) => [c, median(entry.ok.map((r) => r[c]))]))
}

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-')
const fixed = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-')
const ms = (n) => (Number.isFinite(n) ? (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2)) : '-')

function produceReport(file) {
  const runs = readRuns(file)
  const out = [
    '| run | ok runs | msg/s | MB/s | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | wall s | CPU s | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  const stats = new Map()
  for (const [label, entry] of runs) {
    const m = medians(entry)
    stats.set(label, m)
    out.push(
      `| ${label} | ${entry.ok.length}/${entry.total} | ${int(m.msgps)} | ${fixed(m.mbps)} | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.p99)} | ${ms(m.p999)} | ${ms(m.max)} | ${fixed(m.wall)} | ${fixed(m.cpu)} | ${int(m.rss / 1024)} |`,
    )
  }
  out.push('', '| kcli / Java, medians | msg/s | p50 | p99 |', '|---|---:|---:|---:|')
  for (const [label, k] of stats) {
    if (!label.startsWith('kcli-')) continue
    const j = stats.get(label.replace(/^kcli-/, 'java-'))
    if (!j) continue
    const ratio = (a, b) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '-')
    out.push(
      `| ${label.replace(/^kcli-/, '')} | ${ratio(k.msgps, j.msgps)} | ${ratio(k.p50, j.p50)} | ${ratio(k.p99, j.p99)} |`,
    )
  }
  return out.join('\n')
}

function e2eReport(file, targetMs) {
  const runs = readRuns(file)
  const out = [
    '| run | msg/s | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | CPU s | p99 ≤ target |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ]
  for (const [label, entry] of runs) {
    for (const r of entry.ok)
      out.push(
        `| ${label} #${r.run} | ${int(r.msgps)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.p999)} | ${ms(r.max)} | ${fixed(r.cpu)} | ${r.p99 <= targetMs ? 'yes' : '**no**'} |`,
      )
    const m = medians(entry)
    out.push(
      `| ${label}, median of ${entry.ok.length}/${entry.total} | ${int(m.msgps)} | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.p99)} | ${ms(m.p999)} | ${ms(m.max)} | ${fixed(m.cpu)} | ${m.p99 <= targetMs ? 'met' : '**missed**'} |`,
    )
  }
  return out.join('\n')
}

if (command === 'parse') {
  const [tool, file] = args
  console.log((tool === 'java' ? parseJava(file) : parseKcli(file)).join('\t'))
} else if (command === 'produce') {
  console.log(produceReport(args[0]))
} else if (command === 'e2e') {
  console.log(e2eReport(args[0], Number(args[1] ?? 10)))
} else {
  console.error('usage: perf-report.mjs parse kcli|java <file> | produce <results.tsv> | e2e <results.tsv> [p99 ms]')
  process.exit(2)
}
