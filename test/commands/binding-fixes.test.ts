// Fixes kcli's patch makes to the client library's binding (patches/README.md) that no kcli command shows reliably,
// checked through the library against the real broker.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'

import {closeClient} from '../../src/lib/kafka/client.js'
import {brokers, createTopic, kafkaLibrary, uniqueName} from '../helpers.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

// Polls as fast as the event loop turns while each producer disconnects, the way a poll timer (kcli's 100 ms one, a
// user's setPollInterval) may fire during a disconnect. In a child: the stock binding crashes or hangs the process.
const pollDuringDisconnect = `
const {Producer} = (await import('@confluentinc/kafka-javascript')).default
const [brokers, topic] = process.argv.slice(1)
let closing = false
let pollsWhileClosing = 0
for (let i = 0; i < 30; i++) {
  const producer = new Producer({'bootstrap.servers': brokers, dr_cb: true, 'linger.ms': 0, log_level: 0})
  await new Promise((resolve, reject) =>
    producer.connect({timeout: 10000, topic, allTopics: false}, (err) => (err ? reject(err) : resolve())))
  producer.produce(topic, null, Buffer.from('m'))
  let closed = false
  const spin = () => {
    if (closed) return
    try { producer._client.poll(); if (closing) pollsWhileClosing++ } catch {}
    setImmediate(spin)
  }
  spin()
  closing = true
  await new Promise((resolve) => producer.disconnect(5000, () => resolve()))
  closing = false
  closed = true
}
process.stdout.write(String(pollsWhileClosing))
`

/** Runs a script of this file's in a child process against the suite's broker, with `topic` as its second argument. */
function runScript(script: string, topic: string) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', script, brokers, topic], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  })
}

describe('client library binding fixes', () => {
  it('a poll while the producer disconnects neither crashes nor hangs the process', async () => {
    const topic = await createTopic(uniqueName('fix-poll'))
    const child = runScript(pollDuringDisconnect, topic)
    // Stock: SIGSEGV within a few disconnects here, or a poll stuck on the freed client's lock until the timeout.
    assert.equal(child.signal, null, `killed by ${child.signal}: ${child.stderr}`)
    assert.equal(child.status, 0, child.stderr)
    // The polls did run while the producers disconnected (about one per producer would be too few to show much).
    assert.ok(Number(child.stdout) > 300, `only ${child.stdout} polls during the disconnects`)
  })

  // Where npm downloaded a prebuilt binary the fix above is not compiled in: kcli's own close keeps the library's poll
  // timer from firing during the disconnect.
  it("kcli's close stops a producer's poll timer before the disconnect starts", async () => {
    const topic = await createTopic(uniqueName('fix-poll-timer'))
    const {Producer} = await kafkaLibrary()
    const producer = new Producer({'bootstrap.servers': brokers, log_level: 0} as never)
    await new Promise<void>((resolve, reject) =>
      producer.connect({timeout: 10_000, topic, allTopics: false}, (err) => (err ? reject(err) : resolve())),
    )
    producer.setPollInterval(1)
    const timer = (producer as unknown as {pollInterval?: unknown}).pollInterval
    assert.ok(timer, 'the library keeps its poll timer where this test looks for it')
    const closed = closeClient(producer, 10_000)
    // Synchronously, before the disconnect's flush and destroy run on their worker thread.
    assert.equal((producer as unknown as {pollInterval?: unknown}).pollInterval, undefined)
    assert.equal(await closed, true)
  })
})

// librdkafka's patch (patches/README.md): libcurl and the two dozen libraries it needs are loaded for the first OIDC
// token request, not with the library. In a child, whose memory map shows what it loaded.
const curlOnlyForTokens = `
const {Producer} = (await import('@confluentinc/kafka-javascript')).default
const fs = await import('node:fs')
const curl = () => /\\/libcurl\\.so/.test(fs.readFileSync('/proc/self/maps', 'utf8'))
const [brokers, topic] = process.argv.slice(1)
const seen = {}
const plain = new Producer({'bootstrap.servers': brokers, log_level: 0})
await new Promise((resolve, reject) =>
  plain.connect({timeout: 10000, topic, allTopics: false}, (err) => (err ? reject(err) : resolve())))
seen.plain = curl()
await new Promise((resolve) => plain.disconnect(5000, () => resolve()))
const oidc = new Producer({
  'bootstrap.servers': brokers, 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanisms': 'OAUTHBEARER',
  'sasl.oauthbearer.method': 'oidc', 'sasl.oauthbearer.client.id': 'kcli-test',
  'sasl.oauthbearer.client.secret': 'not-a-secret', 'sasl.oauthbearer.token.endpoint.url': 'http://127.0.0.1:9/token',
  event_cb: true, log_level: 3,
})
const failed = new Promise((resolve) =>
  oidc.on('event.log', (log) => /Failed to retrieve OIDC token/.test(log.message) && resolve(log.message)))
oidc.connect({timeout: 3000}, () => {})
seen.oidcError = await failed
seen.oidc = curl()
process.stdout.write(JSON.stringify(seen))
process.exit(0)
`

describe('libcurl loaded when first used', () => {
  it('a client without OIDC never loads libcurl; one with OIDC loads it for its token request', async () => {
    const topic = await createTopic(uniqueName('fix-curl'))
    const child = runScript(curlOnlyForTokens, topic)
    assert.equal(child.status, 0, child.stderr)
    const seen = JSON.parse(child.stdout) as {plain: boolean; oidc: boolean; oidcError: string}
    assert.equal(seen.plain, false, 'libcurl was loaded for a client that makes no HTTP request')
    // libcurl's own error for a refused connection: the request went through libcurl, not the loader's failure.
    assert.match(seen.oidcError, /127\.0\.0\.1:9\/token.*(Couldn't connect|Connection refused)/)
    assert.doesNotMatch(seen.oidcError, /Failed to load libcurl/)
    assert.equal(seen.oidc, true)
  })
})
