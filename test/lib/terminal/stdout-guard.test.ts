import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {describe, it} from 'node:test'

import {root} from '../../helpers.js'

// In a process of its own: process.stdout of the test runner is long built (its reporter writes there).
const script = `
import {stdoutUsed, whenStdout} from './src/lib/terminal/stdout-guard.ts'
import fs from 'node:fs'
const seen = []
whenStdout((s) => seen.push(['first', s]))
whenStdout((s) => seen.push(['second', s]))
const before = {used: stdoutUsed(), seen: seen.length}
const stdout = process.stdout
const again = process.stdout
whenStdout((s) => seen.push(['late', s]))
fs.writeSync(3, JSON.stringify({
  before,
  after: stdoutUsed(),
  order: seen.map(([name]) => name),
  same: seen.every(([, s]) => s === stdout) && again === stdout,
  original: Object.getOwnPropertyDescriptor(process, 'stdout').get.name,
}))
`

describe('whenStdout', () => {
  it('attaches when process.stdout is first asked for, once, to the stream Node builds, then steps aside', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    })
    assert.equal(run.status, 0, run.stderr)
    const result = JSON.parse(String(run.output[3]))
    assert.deepEqual(result.before, {used: false, seen: 0})
    assert.equal(result.after, true)
    assert.deepEqual(result.order, ['first', 'second', 'late'])
    assert.equal(result.same, true)
    // Node's own getter is back in place: later reads of process.stdout cost nothing extra.
    assert.notEqual(result.original, 'get')
  })
})
