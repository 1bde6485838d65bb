// The consume loop over a real pipe, with batches from the stock packing: what reaches the reader is whole lines,
// also when formatting fails halfway through a batch that writeAhead had begun to send.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {KafkaConsumer, Message} from '@confluentinc/kafka-javascript'

import {type Formatter, formatterFor} from '../../../src/lib/consume/format.js'
import {ConsumeState, consumeLoop} from '../../../src/lib/consume/loop.js'
import type {OffsetRange} from '../../../src/lib/consume/offset-spec.js'
import {packMessages} from '../../../src/lib/records/packed.js'
import {RecordWriter} from '../../../src/lib/terminal/stdout-writer.js'
import {drain, fifo} from '../../pipes.js'

describe('consumeLoop', () => {
  it('writes the lines formatted before a formatter fails whole, then fails with its error', async () => {
    const messages = Array.from({length: 2000}, (_, i) => ({
      topic: 'orders',
      partition: 0,
      offset: i,
      timestamp: 1,
      key: null,
      value: Buffer.from(JSON.stringify({i, pad: 'x'.repeat(100)})),
      size: 0,
    })) as unknown as Message[]
    const json = formatterFor('json', undefined, false)
    let formatted = 0
    const failing: Formatter = {
      startBatch: (batch) => json.startBatch(batch),
      write: (c, out, decoded) => {
        // Far past the 64 KiB a pipe holds: writeAhead has sent part of a line by then.
        if (++formatted === 1500) throw new Error('the formatter broke')
        json.write(c, out, decoded)
      },
    }
    const pipe = fifo()
    const got: Buffer[] = []
    const reading = setInterval(() => got.push(drain(pipe.reader)), 1)
    const state = new ConsumeState()
    try {
      const run = consumeLoop(
        {} as KafkaConsumer,
        async () => packMessages(messages),
        {
          range: {} as OffsetRange,
          storeOffsets: false,
          formatter: failing,
          writer: new RecordWriter(pipe.writer),
          batchSize: 2000,
        },
        state,
      )
      await assert.rejects(run, /the formatter broke/)
    } finally {
      clearInterval(reading)
      got.push(drain(pipe.reader))
      pipe.close()
    }
    const out = Buffer.concat(got).toString()
    assert.ok(out.endsWith('\n'), 'the last line is whole')
    const lines = out.split('\n').slice(0, -1)
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as {value: {i: number}}).value.i),
      Array.from({length: 1499}, (_, i) => i),
    )
    assert.equal(state.written, 1499)
  })
})
