import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {isTerminal} from '../../../src/lib/terminal/descriptors.js'
import {root} from '../../helpers.js'
import {fifo} from '../../pipes.js'

// A terminal (a pseudo-terminal under `script`) is the case the consume and prompt tests run: see
// test/commands/consume.test.ts and group-admin.test.ts. kcli's own fd 0 and 1 as a shell's pipe: produce.test.ts and
// consume.test.ts send SIGINT to runs waiting on one.
describe('isTerminal', () => {
  it('is false for /dev/null, a pipe, a file and a descriptor that is not open', () => {
    const devNull = fs.openSync('/dev/null', 'w')
    const pipe = fifo()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-isterminal-'))
    const file = fs.openSync(path.join(dir, 'out'), 'w')
    try {
      assert.equal(isTerminal(devNull), false)
      assert.equal(isTerminal(pipe.writer), false)
      assert.equal(isTerminal(pipe.reader), false)
      assert.equal(isTerminal(file), false)
      assert.equal(isTerminal(100_000), false)
    } finally {
      fs.closeSync(devNull)
      fs.closeSync(file)
      pipe.close()
      fs.rmSync(dir, {recursive: true, force: true})
    }
  })
})

// fd 0 and 1 of the test process are not its to replace: the same calls, in a child given the descriptors.
const script = `
  import {nonBlockingDescriptor} from './src/lib/terminal/descriptors.ts'
  import fs from 'node:fs'
  const input = nonBlockingDescriptor(0)
  let read
  try { read = fs.readSync(input, Buffer.alloc(16)) } catch (error) { read = error.code }
  const output = nonBlockingDescriptor(1)
  let wrote = 0, stop = 'none'
  for (let i = 0; i < 64; i++) {
    try { wrote += fs.writeSync(output, Buffer.alloc(65536)) } catch (error) { stop = error.code; break }
  }
  fs.writeSync(3, JSON.stringify({inFd: input, read, outFd: output, wrote, stop}))
`

function inChild(
  stdin: number,
  stdout: number,
): {inFd: number; read: unknown; outFd: number; wrote: number; stop: string} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-nonblocking-'))
  const result = path.join(dir, 'result')
  const out = fs.openSync(result, 'w')
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      stdio: [stdin, stdout, 'pipe', out],
      encoding: 'utf8',
    })
    assert.equal(child.status, 0, child.stderr)
    return JSON.parse(fs.readFileSync(result, 'utf8'))
  } finally {
    fs.closeSync(out)
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

describe('nonBlockingDescriptor', () => {
  it('opens a blocking pipe again, non-blocking: an empty or a full pipe answers at once', () => {
    const pipe = fifo({blocking: true})
    try {
      const r = inChild(pipe.reader, pipe.writer)
      assert.notEqual(r.inFd, 0)
      assert.equal(r.read, 'EAGAIN')
      assert.notEqual(r.outFd, 1)
      assert.equal(r.stop, 'EAGAIN')
      assert.ok(r.wrote >= 65536, String(r.wrote))
    } finally {
      pipe.close()
    }
  })

  it('leaves /dev/null and a file as they are', () => {
    const devNull = fs.openSync('/dev/null', 'r')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-nonblocking-file-'))
    const file = fs.openSync(path.join(dir, 'out'), 'w')
    try {
      const r = inChild(devNull, file)
      assert.deepEqual([r.inFd, r.read, r.outFd, r.stop, r.wrote], [0, 0, 1, 'none', 64 * 65536])
    } finally {
      fs.closeSync(devNull)
      fs.closeSync(file)
      fs.rmSync(dir, {recursive: true, force: true})
    }
  })
})
