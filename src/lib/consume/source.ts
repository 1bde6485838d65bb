// Where consumed records come from: the client library's packed consume (native fast path), or its stock consume()
// with the messages packed here into the same layout, so the loop after it is one for both.
import type {KafkaConsumer, Message} from '@confluentinc/kafka-javascript'

import {type PackedBatch, packMessages} from '../records/packed.js'

export type RecordSource = (size: number) => Promise<PackedBatch>

// A batch this big stops being pulled further: it bounds memory with large messages.
const maxBatchBytes = 16 << 20

type PackedConsumer = KafkaConsumer & {
  consumePacked(
    size: number,
    options: {maxBytes: number; classifyJson: boolean},
    cb: (err: {code: number} | null, batch?: PackedBatch & {messageCount: number}) => void,
  ): void
}

/**
 * With `classifyJson`, the library also tells for each key and value whether it is JSON a JSON line can embed (on its
 * pool thread: the JSON-lines formatter then skips its own scan, the largest part of its work per message).
 */
export function packedSource(consumer: KafkaConsumer, classifyJson = false): RecordSource {
  const packed = consumer as PackedConsumer
  const options = {maxBytes: maxBatchBytes, classifyJson}
  return (size) =>
    new Promise((resolve, reject) =>
      packed.consumePacked(size, options, (err, batch) => (err ? reject(err) : resolve(batch!))),
    )
}

export function stockSource(consumer: KafkaConsumer): RecordSource {
  return (size) =>
    new Promise((resolve, reject) =>
      consumer.consume(size, (err: unknown, messages: Message[]) =>
        err ? reject(err) : resolve(packMessages(messages)),
      ),
    )
}
