// The fixes kcli's patch makes to librdkafka itself (patches/README.md), checked against the real broker through the
// client library, where they show: each test fails against the stock librdkafka.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {brokers, createTopic, disconnect, kafkaLibrary, libraryConsumer, partitionEnds, uniqueName} from '../helpers.js'

describe('librdkafka fixes', () => {
  // patches/README.md, "the learned broker connected at once": once the bootstrap connection is let go, the stock
  // librdkafka waited out the sparse-connection interval (reconnect.backoff.ms / 2: here 1 s) before connecting to a
  // broker the cluster named; kcli's 20 ms backoff made that ~10 ms of every command's start.
  it('a client connects to the broker the cluster names without waiting out the sparse-connection interval', async () => {
    const {KafkaConsumer} = await kafkaLibrary()
    const times: number[] = []
    // The quickest of three: the stock library waits ~1 s every time, while one slow moment of the broker or the
    // machine must not fail the patched one.
    for (let i = 0; i < 3; i++) {
      const consumer = new KafkaConsumer(
        {
          'bootstrap.servers': brokers,
          'group.id': uniqueName('fix-connect'),
          'reconnect.backoff.ms': 2000,
          log_level: 0,
        },
        {},
      )
      const started = performance.now()
      await new Promise<void>((resolve, reject) =>
        consumer.connect({timeout: 10_000}, (err) => (err ? reject(err) : resolve())),
      )
      times.push(performance.now() - started)
      await disconnect(consumer)
    }
    // Patched, ~12 ms here (~10 ms of it the connection and metadata round trips); stock, just over 1,000 ms.
    const quickest = Math.min(...times)
    assert.ok(quickest < 600, `connected after ${times.map((t) => t.toFixed(0)).join(', ')} ms`)
  })

  // patches/README.md, "no busy wakeups while in flight": the stock librdkafka woke its broker thread 140 to 14,400
  // times per ProduceRequest here while the partition waited for its request in flight; patched, about 3 times.
  it("an idempotent producer's broker thread waits for its in-flight request instead of spinning", async () => {
    const topic = await createTopic(uniqueName('fix-wakeups'), 3)
    const {Producer} = await kafkaLibrary()
    const producer = new Producer({
      'bootstrap.servers': brokers,
      'enable.idempotence': true,
      'statistics.interval.ms': 50,
      log_level: 0,
    } as never)
    type BrokerStats = {nodeid: number; wakeups: number; req: Record<string, number>; int_latency: {cnt: number}}
    let stats: {brokers: Record<string, BrokerStats>} | undefined
    // patches/README.md, "no clock read in the partitioner": the queue-time average a message set's writer keeps per
    // message is skipped when statistics are off, and must still be kept when they are on (each interval's window).
    // This and the partition check below guard that change; they pass against the stock library too.
    let queueTimesCounted = 0
    producer.on('event.stats', (event: {message: string}) => {
      stats = JSON.parse(event.message) as {brokers: Record<string, BrokerStats>}
      for (const b of Object.values(stats.brokers)) queueTimesCounted += b.int_latency.cnt
    })
    await new Promise<void>((resolve, reject) => producer.connect({}, (err) => (err ? reject(err) : resolve())))
    try {
      producer.setPollInterval(10)
      const value = Buffer.alloc(150, 'x')
      for (let sent = 0; sent < 200_000;) {
        try {
          producer.produce(topic, -1, value)
          sent++
        } catch {
          // The local queue is full: let librdkafka send.
          await new Promise((resolve) => setTimeout(resolve, 1))
        }
      }
      await new Promise<void>((resolve, reject) => producer.flush(30_000, (err) => (err ? reject(err) : resolve())))
      // Statistics taken after the flush.
      await new Promise((resolve) => setTimeout(resolve, 200))
    } finally {
      await new Promise<void>((resolve) => producer.disconnect(() => resolve()))
    }
    assert.ok(stats, 'librdkafka sent statistics')
    // Every broker that may lead one of the partitions (the bootstrap entries have no node id).
    const leaders = Object.values(stats.brokers).filter((b) => b.nodeid >= 0)
    const requests = leaders.reduce((sum, b) => sum + b.req.Produce, 0)
    const wakeups = leaders.reduce((sum, b) => sum + b.wakeups, 0)
    assert.ok(requests >= 10, `ProduceRequests: ${requests}`)
    assert.ok(wakeups < 20 * requests, `${wakeups} wakeups for ${requests} ProduceRequests`)
    // Every message was written into a message set once; a window may end between the last event and the disconnect.
    assert.ok(queueTimesCounted > 100_000, `queue times of ${queueTimesCounted} messages in the statistics`)
    const reader = await libraryConsumer(uniqueName('fix-wakeups-g'))
    try {
      const ends = await partitionEnds(reader, topic)
      assert.equal(
        ends.reduce((sum, p) => sum + p.end, 0),
        200_000,
      )
      // The sticky partitioner runs on its caller's clock reading now: keyless messages must still move on from
      // partition to partition (every 10 ms), not stay on the first one.
      assert.ok(
        ends.every((p) => p.end > 0),
        `per partition: ${ends.map((p) => p.end).join(', ')}`,
      )
    } finally {
      await disconnect(reader)
    }
  })

  // patches/README.md, "a connect asks for brokers only": a client's connect() asks for metadata of the topics it
  // knows, none yet, and the stock librdkafka turned that empty list into a request for every topic in the cluster
  // (on this test broker hundreds; on a production cluster, thousands converted to JS objects before any command ran).
  it("a new client's connect fetches the brokers, not every topic of the cluster", async () => {
    const topic = await createTopic(uniqueName('fix-connect-md'))
    const {KafkaConsumer} = await kafkaLibrary()
    const consumer = new KafkaConsumer(
      {'bootstrap.servers': brokers, 'group.id': uniqueName('fix-md'), log_level: 0},
      {},
    )
    type Metadata = import('@confluentinc/kafka-javascript').Metadata
    const metadata = (options: object) =>
      new Promise<Metadata>((resolve, reject) =>
        consumer.getMetadata({timeout: 10_000, ...options}, (err, m) => (err ? reject(err) : resolve(m))),
      )
    try {
      const connected = await new Promise<Metadata>((resolve, reject) =>
        consumer.connect({timeout: 10_000, allTopics: false}, (err, m) => (err ? reject(err) : resolve(m))),
      )
      assert.ok(connected.brokers.length >= 1, 'the brokers are there')
      assert.deepEqual(
        connected.topics.map((t) => t.name),
        [],
      )
      // Asking for one topic, or for all, is as before.
      assert.deepEqual(
        (await metadata({topic, allTopics: false})).topics.map((t) => t.name),
        [topic],
      )
      assert.ok((await metadata({allTopics: true})).topics.some((t) => t.name === topic))
    } finally {
      await disconnect(consumer)
    }
  })

  // patches/README.md, "an assigned partition of an unknown topic looked up at once": with the connect asking for
  // brokers only, a consumer that is assigned a partition before anything asked about its topic had no leader to
  // fetch from until librdkafka's next topic scan (every second): `kcli health --e2e` took just over its 1 s limit.
  it('a consumer assigned a partition of a topic it knows nothing about fetches at once', async () => {
    const topic = await createTopic(uniqueName('fix-assign'))
    const {KafkaConsumer, Producer} = await kafkaLibrary()
    const producer = new Producer({'bootstrap.servers': brokers, log_level: 0})
    await new Promise<void>((resolve, reject) => producer.connect({}, (err) => (err ? reject(err) : resolve())))
    producer.produce(topic, 0, Buffer.from('x'))
    await new Promise<void>((resolve, reject) => producer.flush(10_000, (err) => (err ? reject(err) : resolve())))
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()))

    const consumer = new KafkaConsumer(
      {'bootstrap.servers': brokers, 'group.id': uniqueName('fix-assign'), log_level: 0},
      {},
    )
    await new Promise<void>((resolve, reject) =>
      consumer.connect({timeout: 10_000, allTopics: false}, (err) => (err ? reject(err) : resolve())),
    )
    try {
      // Once its connections are up: a connection made after the assignment asks about the topics the client knows,
      // which hid the wait by chance.
      await new Promise((resolve) => setTimeout(resolve, 200))
      consumer.setDefaultConsumeTimeout(20)
      const started = performance.now()
      consumer.assign([{topic, partition: 0, offset: 0}])
      let got = 0
      while (got === 0 && performance.now() - started < 5000)
        got = await new Promise<number>((resolve, reject) =>
          consumer.consume(1, (err, messages) => (err ? reject(err) : resolve(messages.length))),
        )
      const tookMs = performance.now() - started
      assert.equal(got, 1)
      // Patched, ~5-30 ms here; stock, the rest of the second since the client was made (~800 ms).
      assert.ok(tookMs < 400, `first message after ${tookMs.toFixed(0)} ms`)
    } finally {
      await disconnect(consumer)
    }
  })

  // patches/README.md, "an idempotent producer asks for its id once a learned broker is up": its first metadata
  // answer decommissions the bootstrap broker, and the producer id was then asked for only when the next metadata
  // answer came or its 500 ms timer fired; a connect that brought the topic's metadata along (kcli's) left no later
  // answer, and about one short produce in six waited those 500 ms here.
  it('an idempotent producer delivers its first message without waiting for its producer id timer', async () => {
    const topic = await createTopic(uniqueName('fix-pid'))
    const {Producer} = await kafkaLibrary()
    const took: number[] = []
    // Twenty producers: the stock library's wait depends on the order of answers and connections, not on every run.
    for (let i = 0; i < 20; i++) {
      const producer = new Producer({
        'bootstrap.servers': brokers,
        'enable.idempotence': true,
        'linger.ms': 0,
        dr_cb: true,
        log_level: 0,
      } as never)
      await new Promise<void>((resolve, reject) =>
        producer.connect({timeout: 10_000, topic, allTopics: false}, (err) => (err ? reject(err) : resolve())),
      )
      try {
        producer.setPollInterval(2)
        const started = performance.now()
        const delivered = new Promise<void>((resolve, reject) =>
          producer.once('delivery-report', (err: unknown) => (err ? reject(err) : resolve())),
        )
        producer.produce(topic, 0, Buffer.from(`m${i}`))
        await delivered
        took.push(performance.now() - started)
      } finally {
        await new Promise<void>((resolve) => producer.disconnect(() => resolve()))
      }
    }
    // Patched, a few ms each; stock, some just over 500 ms.
    assert.ok(Math.max(...took) < 400, `delivered after ${took.map((t) => t.toFixed(0)).join(', ')} ms`)
  })
})
