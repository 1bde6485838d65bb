import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {OutputBatch} from '../../../src/lib/terminal/stdout-writer.js'

function written(fill: (out: OutputBatch) => void, initialBytes = 4): Buffer {
  const out = new OutputBatch(initialBytes)
  fill(out)
  return out.buffer.subarray(0, out.length)
}

describe('OutputBatch', () => {
  it('writes text as UTF-8, short or long, ASCII or not, growing the buffer as needed', () => {
    const samples = [
      '',
      'topic',
      '"ünïcode" topic',
      '日本語',
      '😀 emoji',
      'x'.repeat(64),
      'y'.repeat(65),
      `${'z'.repeat(70)}é`,
    ]
    for (const text of samples) {
      assert.deepEqual(
        written((out) => out.text(text)),
        Buffer.from(text, 'utf8'),
        text,
      )
      assert.deepEqual(
        written((out) => {
          out.ascii('{')
          out.text(text)
          out.ascii('}')
        }),
        Buffer.from(`{${text}}`, 'utf8'),
      )
    }
  })

  it('writes ASCII text byte for byte, as Buffer does with latin1', () => {
    for (const text of ['', ',"offset":', 'null', 'QUJD'.repeat(40)]) {
      assert.deepEqual(
        written((out) => out.ascii(text)),
        Buffer.from(text, 'latin1'),
      )
    }
  })

  it('writes integers as JSON.stringify does', () => {
    const samples = [
      0,
      -0,
      1,
      9,
      10,
      99,
      100,
      12345,
      -7,
      -120,
      1_700_000_000_000,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
    ]
    for (const n of samples) {
      assert.equal(written((out) => out.integer(n)).toString('latin1'), JSON.stringify(n), String(n))
    }
    // Beyond the safe integers: as JavaScript prints the number.
    assert.equal(written((out) => out.integer(2 ** 60)).toString('latin1'), String(2 ** 60))
  })
})
