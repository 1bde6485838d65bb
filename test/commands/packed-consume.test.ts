// The packed consume of kcli's patch, called directly: asked to, it marks each key and value that is one JSON text on
// one line (what the JSON-lines output embeds without a scan of its own), and marks nothing unless asked.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {packedSource} from '../../src/lib/consume/source.js'
import {
  JSON_KEY,
  JSON_KEY_CHECKED,
  JSON_VALUE,
  JSON_VALUE_CHECKED,
  RECORD_MESSAGE,
  RecordCursor,
} from '../../src/lib/records/packed.js'
import {createTopic, disconnect, kcli, libraryConsumer, uniqueName} from '../helpers.js'

async function flagsOf(topic: string, classifyJson: boolean): Promise<number[]> {
  const consumer = await libraryConsumer(uniqueName('packed'), {log_level: 0})
  try {
    consumer.assign([{topic, partition: 0, offset: 0}])
    const source = packedSource(consumer, classifyJson)
    const flags: number[] = []
    while (flags.length < 4) {
      const c = new RecordCursor(await source(100))
      while (c.next()) if (c.kind === RECORD_MESSAGE) flags.push(c.jsonFlags)
    }
    return flags
  } finally {
    await disconnect(consumer)
  }
}

describe('packed consume', () => {
  it("sets each message's JSON flags when asked, and none otherwise", async () => {
    const topic = await createTopic(uniqueName('packed-json'), 1)
    const input = [
      {key: {k: 1}, value: [1, 2]},
      {key: 'text', value: '{"a":\n1}'},
      {value: 'not json'},
      {key: '', value: null},
    ]
    const produced = await kcli(['produce', '-t', topic, '--input', 'envelope', '-q'], {
      input: input.map((m) => JSON.stringify(m)).join('\n') + '\n',
    })
    assert.equal(produced.code, 0, produced.stderr)

    const checked = JSON_KEY_CHECKED | JSON_VALUE_CHECKED
    assert.deepEqual(await flagsOf(topic, true), [
      checked | JSON_KEY | JSON_VALUE,
      // A key given as text is stored as its bytes: `text`, not JSON; a value spread over lines is JSON, not one line.
      checked,
      // No key; empty keys and null values are not checked either.
      JSON_VALUE_CHECKED,
      0,
    ])
    assert.deepEqual(await flagsOf(topic, false), [0, 0, 0, 0])
  })
})
