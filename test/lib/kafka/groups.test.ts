// A group's coordinator that is still loading its offsets answers "load in progress" (or "not coordinator" while it
// moves); a real broker does that only in the moments after an election, so the answers are scripted here.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {RdCode} from '../../../src/lib/errors.js'
import {ClusterContext} from '../../../src/lib/kafka/cluster.js'
import {askCoordinator} from '../../../src/lib/kafka/groups.js'
import {mergeLayers} from '../../../src/lib/settings/resolve.js'

const cluster = (timeoutMs: number) =>
  new ClusterContext(mergeLayers({source: {kind: 'flag', name: 'flags'}, brokers: ['127.0.0.1:1'], timeoutMs}))
const busy = {code: RdCode.coordinatorLoadInProgress, message: 'Broker: Coordinator load in progress'}
const moved = {code: RdCode.notCoordinator, message: 'Broker: Not coordinator'}

describe('askCoordinator', () => {
  it('asks again while the coordinator is busy, whether the call fails or its result carries the error', async () => {
    const answers: Array<() => Promise<{error?: unknown}>> = [
      () => Promise.reject(busy),
      () => Promise.resolve({error: moved}),
      () => Promise.resolve({}),
    ]
    let asked = 0
    const result = await askCoordinator(
      cluster(5000),
      () => answers[asked++](),
      (r) => r.error,
    )
    assert.equal(asked, 3)
    assert.deepEqual(result, {})
  })

  it('passes any other error on at once', async () => {
    let asked = 0
    const denied = {code: RdCode.groupAuthorizationFailed, message: 'Broker: Group authorization failed'}
    await assert.rejects(
      askCoordinator(
        cluster(5000),
        () => (asked++, Promise.reject(denied)),
        () => undefined,
      ),
      (err) => err === denied,
    )
    assert.equal(asked, 1)
  })

  it('gives up at the timeout with the last answer', async () => {
    const started = Date.now()
    const result = await askCoordinator(
      cluster(500),
      () => Promise.resolve({error: busy}),
      (r) => r.error,
    )
    assert.equal(result.error, busy)
    assert.ok(Date.now() - started >= 500)
  })
})
