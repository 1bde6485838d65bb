// How many messages `perf produce` keeps in flight at --rate max: the producer's queue, within the send-time ring.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {SendTimes, inFlightWindow} from '../../../src/lib/perf/produce.js'

const run = (producerProperties: Record<string, number>) => ({
  topic: 't',
  plan: {rate: 'max' as const, count: 1, size: 1},
  producerProperties,
})

describe('perf produce in-flight window', () => {
  it("is the producer's queue size: -X over kcli's default over librdkafka's", () => {
    assert.equal(inFlightWindow({properties: {}}, run({'queue.buffering.max.messages': 200_000})), 200_000)
    assert.equal(
      inFlightWindow(
        {properties: {'queue.buffering.max.messages': '20000'}},
        run({'queue.buffering.max.messages': 200_000}),
      ),
      20_000,
    )
    assert.equal(inFlightWindow({properties: {}}, run({})), 100_000)
  })

  it('never exceeds the ring of send times', () => {
    assert.equal(
      inFlightWindow({properties: {'queue.buffering.max.messages': '10000000'}}, run({})),
      SendTimes.capacity,
    )
  })

  it('keeps a send time until its slot comes round again', () => {
    const times = new SendTimes()
    times.set(5, 1.5)
    times.set(5 + SendTimes.capacity - 1, 2.5)
    assert.equal(times.get(5), 1.5)
    times.set(5 + SendTimes.capacity, 3.5)
    assert.equal(times.get(5 + SendTimes.capacity), 3.5)
  })
})
