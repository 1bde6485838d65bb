// Where a `node --cpu-prof` run spent its time: the functions with the most self time and the most total time.
// Usage: node bench/profile-top.mjs <file.cpuprofile> [rows=15]
import fs from 'node:fs'
import path from 'node:path'

const [file, rowsArg = '15'] = process.argv.slice(2)
const rows = Number(rowsArg)
const profile = JSON.parse(fs.readFileSync(file, 'utf8'))

const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

// Each sample stands for the time until the next one.
const sampleMs = new Map()
const deltas = profile.timeDeltas
let totalMs = 0
for (let i = 0; i < profile.samples.length; i++) {
  const ms = (deltas[i + 1] ?? 0) / 1000
  sampleMs.set(profile.samples[i], (sampleMs.get(profile.samples[i]) ?? 0) + ms)
  totalMs += ms
}

function name(node) {
  const {functionName, url, lineNumber} = node.callFrame
  const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : ''
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`
}

function shortUrl(url) {
  const p = url.replace(/^file:\/\//, '')
  const nm = p.lastIndexOf('node_modules/')
  if (nm >= 0) return p.slice(nm + 'node_modules/'.length)
  if (p.startsWith('node:')) return p
  return path.relative(process.cwd(), p) || p
}

const self = new Map()
const total = new Map()
for (const [id, ms] of sampleMs) {
  const node = byId.get(id)
  self.set(name(node), (self.get(name(node)) ?? 0) + ms)
  const seen = new Set()
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = name(byId.get(cur))
    if (seen.has(key)) continue
    seen.add(key)
    total.set(key, (total.get(key) ?? 0) + ms)
  }
}

function print(title, map) {
  console.log(`\n${title}`)
  const top = [...map]
    .filter(([k]) => k !== '(root)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
  for (const [key, ms] of top)
    console.log(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%  ${key}`)
}

console.log(`profile: ${totalMs.toFixed(0)} ms of samples`)
print('self time (the function itself, native calls it makes included)', self)
print('total time (the function and everything it called)', total)
