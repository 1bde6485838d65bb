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
})
