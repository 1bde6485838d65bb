import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {isTerminal} from '../../../src/lib/terminal/output.js'
import {fifo} from '../../pipes.js'

// A terminal (a pseudo-terminal under `script`) is the case the consume and prompt tests run: see
// test/commands/consume.test.ts and group-admin.test.ts.
describe('isTerminal', () => {
  it('is false for /dev/null, a pipe, a file and a closed descriptor', () => {
    const devNull = fs.openSync('/dev/null', 'w')
    const pipe = fifo()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-isterminal-'))
    const file = fs.openSync(path.join(dir, 'out'), 'w')
    try {
      assert.equal(isTerminal(devNull), false)
      assert.equal(isTerminal(pipe.writer), false)
      assert.equal(isTerminal(pipe.reader), false)
      assert.equal(isTerminal(file), false)
    } finally {
      fs.closeSync(devNull)
      fs.closeSync(file)
      pipe.close()
      fs.rmSync(dir, {recursive: true, force: true})
    }
    assert.equal(isTerminal(devNull), false)
  })
})
