import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {OutputBatch, RecordWriter} from '../../../src/lib/terminal/stdout-writer.js'
import {drain, fifo} from '../../pipes.js'

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

  it('writes numbers as String() does: integers from 0 to 2^53 - 1, and anything beyond', () => {
    const samples = [0, 1, 9, 10, 99, 100, 65_535, 2 ** 31, 1_764_590_000_123, 999_999_999_999_999, 1e15, 2 ** 53 - 1]
    // A timestamp set in nanoseconds, the largest int64 one, and what no offset or timestamp is.
    samples.push(2 ** 53, 9_999_999_999_999_998, 1e16, 1_764_590_000_123_456_800, 2 ** 63, -1, -5, 1.5, Number.NaN)
    // Numbers of 7 to 16 digits from a fixed sequence, not random ones: a failure must repeat on the next run.
    for (let n = 0, x = 1; n < 2000; n++, x = (x * 48_271) % 2_147_483_647) samples.push(n, x * 4_194_301 + n)
    for (const n of samples) {
      assert.equal(written((out) => out.integer(n)).toString(), String(n))
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

/** Formats `count` numbered lines of `size` bytes, offering them to the pipe after each as the consume loop does. */
function formatLines(writer: RecordWriter, out: OutputBatch, count: number, size: number, from = 0): Buffer {
  const expected: Buffer[] = []
  for (let i = from; i < from + count; i++) {
    const line = Buffer.from(`${String(i).padStart(8, '0')}${'x'.repeat(size - 9)}\n`)
    expected.push(line)
    out.bytes(line)
    out.end()
    writer.writeAhead(out)
  }
  return Buffer.concat(expected)
}

describe('RecordWriter', () => {
  it('hands formatted lines to the pipe while formatting goes on, never waiting, and writes the rest in order', async () => {
    const pipe = fifo()
    const {reader, writer: fd} = pipe
    try {
      const writer = new RecordWriter(fd)
      const out = new OutputBatch()
      // 400 KiB: far more than the pipe holds, with nobody reading while it is formatted.
      const started = Date.now()
      const expected = formatLines(writer, out, 4000, 100)
      assert.ok(Date.now() - started < 1000, 'writeAhead does not wait for the reader')
      assert.ok(out.written > 0, 'the pipe got what it could hold as it went')
      assert.ok(out.written < out.length, 'and the rest waits for write()')

      const got: Buffer[] = [drain(reader)]
      const done = writer.write(out)
      const reading = setInterval(() => got.push(drain(reader)), 1)
      assert.equal(await done, 4000)
      clearInterval(reading)
      got.push(drain(reader))
      assert.ok(Buffer.concat(got).equals(expected), 'every line, once, in order')
    } finally {
      pipe.close()
    }
  })

  it('counts only whole lines when the reader goes away during formatting', async () => {
    const pipe = fifo()
    try {
      const writer = new RecordWriter(pipe.writer)
      const out = new OutputBatch()
      formatLines(writer, out, 1000, 100)
      drain(pipe.reader)
      pipe.closeReader()
      formatLines(writer, out, 2000, 100, 1000)
      assert.equal(writer.isClosed, true, 'the closed pipe was seen while formatting')
      const written = out.written
      assert.ok(written > 0 && written % 100 !== 0, `a line was cut where the pipe filled (${written} bytes)`)
      assert.equal(await writer.write(out), Math.floor(written / 100))
    } finally {
      pipe.close()
    }
  })
})
