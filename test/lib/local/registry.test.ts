// What the local schema registry is started with: bound to loopback, H2 file storage in the state dir, BACKWARD.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {registryJvmArgs, registryUrl} from '../../../src/lib/local/registry.js'

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
})
