// Turns the runs recorded by bench/lib.sh into Markdown: medians per tool, then each target met or missed.
// Usage: node bench/report.mjs <results.tsv> <messages> [target ...]
//   target: ratio|<text>|<label>|<baseline label>|<minimum>   throughput of label / baseline >= minimum
//           rss|<text>|<label>|<maximum MB>                    median peak RSS of label <= maximum
// results.tsv rows: label run wall_s user_s sys_s max_rss_kb ok(1|0)
import fs from 'node:fs'

const [file, messagesArg, ...targets] = process.argv.slice(2)
const messages = Number(messagesArg)

const runs = new Map()
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  if (!line.trim()) continue
  const [label, , wall, user, sys, rss, ok] = line.split('\t')
  if (!runs.has(label)) runs.set(label, {total: 0, ok: []})
  const entry = runs.get(label)
  entry.total++
  if (ok === '1') entry.ok.push({wall: Number(wall), cpu: Number(user) + Number(sys), rssMb: Number(rss) / 1024})
}

function median(values) {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const stats = new Map()
for (const [label, {total, ok}] of runs) {
  const wall = median(ok.map((r) => r.wall))
  stats.set(label, {
    total,
    ok: ok.length,
    wall,
    rate: messages / wall,
    cpu: median(ok.map((r) => r.cpu)),
    rssMb: median(ok.map((r) => r.rssMb)),
    rssMaxMb: Math.max(...ok.map((r) => r.rssMb)),
  })
}

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-')
const fixed = (n, digits) => (Number.isFinite(n) ? n.toFixed(digits) : '-')

const out = []
out.push('| run | ok runs | msg/s | wall s | CPU s (user+sys) | CPU µs/msg | peak RSS MB (median / max) |')
out.push('|---|---:|---:|---:|---:|---:|---:|')
for (const [label, s] of stats) {
  out.push(
    `| ${label} | ${s.ok}/${s.total} | ${int(s.rate)} | ${fixed(s.wall, 2)} | ${fixed(s.cpu, 2)} | ${fixed((s.cpu / messages) * 1e6, 2)} | ${int(s.rssMb)} / ${int(s.rssMaxMb)} |`,
  )
}

if (targets.length > 0) {
  out.push('')
  out.push('| target | measured | needed | result |')
  out.push('|---|---:|---:|---|')
  for (const spec of targets) {
    const [kind, text, label, ...rest] = spec.split('|')
    const s = stats.get(label)
    if (kind === 'ratio') {
      const [baseline, minimum] = rest
      const b = stats.get(baseline)
      const ratio = s && b ? s.rate / b.rate : NaN
      const verdict = Number.isFinite(ratio) ? (ratio >= Number(minimum) ? 'met' : '**missed**') : 'no data'
      out.push(`| ${text} | ${fixed(ratio, 2)}× | ≥ ${minimum}× | ${verdict} |`)
    } else if (kind === 'rss') {
      const [maximum] = rest
      const worst = s ? s.rssMaxMb : NaN
      const verdict = Number.isFinite(worst) ? (worst <= Number(maximum) ? 'met' : '**missed**') : 'no data'
      out.push(`| ${text} | ${int(worst)} MB (max of runs) | ≤ ${maximum} MB | ${verdict} |`)
    } else {
      throw new Error(`unknown target kind: ${kind}`)
    }
  }
}
console.log(out.join('\n'))
