// Writes the benchmarks' input: N lines of JSON, about 150 bytes each, the same bytes on every run and machine.
// Usage: node bench/make-input.mjs <file> [lines=1000000]
import fs from 'node:fs'

const [file, countArg = '1000000'] = process.argv.slice(2)
if (!file || file.startsWith('-') || !/^\d+$/.test(countArg)) {
  console.error('usage: node bench/make-input.mjs <file> [lines]')
  process.exit(2)
}
const count = Number(countArg)

// A fixed-seed LCG, so the file never depends on Math.random or the clock.
let seed = 42
function next(limit) {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
  return seed % limit
}

const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet']
const currencies = ['EUR', 'USD', 'GBP', 'JPY']
const base = Date.UTC(2025, 0, 1)

const fd = fs.openSync(file, 'w')
let chunk = ''
for (let i = 0; i < count; i++) {
  const record = {
    id: i,
    user: `user-${String(next(100_000)).padStart(5, '0')}`,
    ts: new Date(base + i * 1000).toISOString(),
    amount: next(10_000_000) / 100,
    currency: currencies[next(currencies.length)],
    qty: 1 + next(50),
    ok: next(2) === 1,
    note: `${words[next(10)]} ${words[next(10)]} ${words[next(10)]}`,
  }
  chunk += JSON.stringify(record) + '\n'
  if (chunk.length > 1 << 20) {
    fs.writeSync(fd, chunk)
    chunk = ''
  }
}
fs.writeSync(fd, chunk)
fs.closeSync(fd)
