// What the local schema registry is started with: bound to loopback, H2 file storage in the state dir, BACKWARD; and
// how its first write is asked until it is answered.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {answeredStatus, registryJvmArgs, registryUrl} from '../../../src/lib/local/registry.js'

describe('local schema registry', () => {
  it('listens on 127.0.0.1 only, keeps its data in the state dir and defaults to BACKWARD', () => {
    const args = registryJvmArgs('/state', 9592, '/cache/app')
    assert.ok(args.includes('-Dquarkus.http.host=127.0.0.1'))
    assert.ok(args.includes('-Dquarkus.management.host=127.0.0.1'))
    assert.ok(args.includes('-Dquarkus.http.port=9592'))
    assert.ok(args.includes('-Dquarkus.datasource.jdbc.url=jdbc:h2:file:/state/registry/registry'))
    assert.ok(args.includes('-Dregistry.rules.global.compatibility=BACKWARD'))
    assert.deepEqual(args.slice(-2), ['-jar', '/cache/app/apicurio-registry-app-2.6.13.Final-runner.jar'])
    assert.equal(registryUrl(9592), 'http://127.0.0.1:9592/apis/ccompat/v7')
  })

  describe('a request asked again until answered', () => {
    const scripted = (statuses: number[]) => {
      let calls = 0
      return {ask: async () => statuses[Math.min(calls++, statuses.length - 1)]!, calls: () => calls}
    }

    it('asks again after no answer, and returns the first answer', async () => {
      const script = scripted([0, 0, 200])
      assert.equal(await answeredStatus(script.ask, Date.now() + 10_000), 200)
      assert.equal(script.calls(), 3)
    })

    it('returns a refusal as it is, without asking again', async () => {
      const script = scripted([0, 409, 200])
      assert.equal(await answeredStatus(script.ask, Date.now() + 10_000), 409)
      assert.equal(script.calls(), 2)
    })

    it('gives up with no answer once the deadline has passed', async () => {
      const script = scripted([0])
      const started = Date.now()
      assert.equal(await answeredStatus(script.ask, started + 500), 0)
      assert.ok(Date.now() - started >= 500 && script.calls() >= 2, `${script.calls()} calls`)
    })
  })
})
