// The cluster context a command gets: nothing connects until a client is asked for, a failed connect is the
// documented exit 3, and a context riding on someone else's clients connects nothing of its own.
import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {describe, it} from 'node:test'

import type {IAdminClient} from '@confluentinc/kafka-javascript'

import {ExitCode, KcliError} from '../../../src/lib/errors.js'
import {ClusterContext} from '../../../src/lib/kafka/cluster.js'
import {listOffsets, watermarks} from '../../../src/lib/kafka/offsets.js'
import {mergeLayers} from '../../../src/lib/settings/resolve.js'

const settings = (brokers: string, timeoutMs = 1000) =>
  mergeLayers({source: {kind: 'flag', name: 'flags'}, brokers: [brokers], timeoutMs})

/** A port nobody listens on, found by opening and closing one. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('ClusterContext', () => {
  it('connects nothing until a client is asked for, and closes cleanly when nothing was opened', async () => {
    const cluster = new ClusterContext(settings('127.0.0.1:1'))
    assert.deepEqual(cluster.brokers, ['127.0.0.1:1'])
    assert.equal(cluster.timeoutMs, 1000)
    // No partitions: no admin client is needed, so nothing connects to the dead address.
    assert.equal((await watermarks(cluster, [])).size, 0)
    assert.equal((await listOffsets(cluster, [], 'latest')).size, 0)
    assert.equal(await cluster.close(), true)
  })

  it('a cluster that does not answer is exit 3, naming the brokers; admin() fails the same way', async () => {
    const address = `127.0.0.1:${await closedPort()}`
    const cluster = new ClusterContext(settings(address))
    try {
      await assert.rejects(
        cluster.admin(),
        (err: unknown) =>
          err instanceof KcliError && err.exit === ExitCode.unreachable && err.message.includes(address),
      )
    } finally {
      assert.equal(await cluster.close(), true)
    }
  })

  it('over() rides on the clients it is given and connects none of its own', async () => {
    const admin = {} as IAdminClient
    const cluster = ClusterContext.over(settings('127.0.0.1:1'), {admin})
    assert.equal(await cluster.admin(), admin)
    await assert.rejects(cluster.client(), /admin client only/)
  })
})
