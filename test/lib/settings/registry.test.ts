// The schema registry's settings ride the same layers as the security settings: flags > KCLI_* > profile > rc file,
// secrets masked, files private, and never handed to librdkafka.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import type {DataPath} from '../../../src/lib/kafka/fast-path.js'
import {configReport} from '../../../src/lib/settings/report.js'
import {KcliError} from '../../../src/lib/errors.js'
import {resolveSettings} from '../../../src/lib/settings/resolve.js'
import {securityProperties} from '../../../src/lib/settings/security.js'

const anyPath: DataPath = {batchProduce: false, packedConsume: false, adminCalls: false, reason: 'test'}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-registry-settings-'))
const noEnv = {XDG_CONFIG_HOME: path.join(dir, 'no-config'), XDG_DATA_HOME: path.join(dir, 'no-data')}

function rcFile(name: string, text: string, mode = 0o600): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, text, {mode})
  fs.chmodSync(file, mode)
  return file
}

describe('registry settings', () => {
  it('come from the rc file (nested or dotted, in profiles), the environment and flags, in that order', async () => {
    const config = rcFile(
      'registry.yaml',
      [
        'registry:',
        '  url: http://top:8081',
        '  username: top-user',
        'profiles:',
        '  prod:',
        '    registry.url: https://registry.prod:443',
        '    registry.ca: ./prod-ca.pem',
      ].join('\n'),
    )
    const fromFile = await resolveSettings({flags: {config}, env: noEnv, cwd: dir})
    assert.equal(fromFile.security.registryUrl, 'http://top:8081')
    assert.equal(fromFile.security.registryUsername, 'top-user')
    const prod = await resolveSettings({flags: {config, profile: 'prod'}, env: noEnv, cwd: dir})
    assert.equal(prod.security.registryUrl, 'https://registry.prod:443')
    assert.equal(prod.security.registryCa, path.join(dir, 'prod-ca.pem'), 'paths relative to the rc file')
    assert.equal(prod.sources.security?.registryUrl?.profile, 'prod')
    const env = await resolveSettings({
      flags: {config},
      env: {...noEnv, KCLI_REGISTRY_URL: 'http://env:1'},
      cwd: dir,
    })
    assert.equal(env.security.registryUrl, 'http://env:1')
    assert.equal(env.sources.security?.registryUrl?.name, 'KCLI_REGISTRY_URL')
    const flag = await resolveSettings({
      flags: {config, 'registry-url': 'http://flag:2'},
      env: {...noEnv, KCLI_REGISTRY_URL: 'http://env:1'},
      cwd: dir,
    })
    assert.equal(flag.security.registryUrl, 'http://flag:2')
    assert.equal(flag.sources.security?.registryUrl?.name, '--registry-url')
    assert.deepEqual(securityProperties(flag.security), {}, 'not librdkafka properties')
  })

  it('read secrets from files and variables, mask them in config show, and keep rc files holding them private', async () => {
    const passwordFile = rcFile('registry.password', 'pw-from-file\n')
    const settings = await resolveSettings({
      flags: {'registry-username': 'ann', 'registry-password-file': passwordFile},
      env: {...noEnv, KCLI_REGISTRY_TOKEN: 'tok-from-env'},
      cwd: dir,
    })
    assert.equal(settings.security.registryPassword, 'pw-from-file')
    assert.equal(settings.security.registryToken, 'tok-from-env')
    const rows = configReport(settings, anyPath).settings.filter((r) => r.key.startsWith('registry.'))
    assert.deepEqual(
      rows.map((r) => [r.key, r.value]),
      [
        ['registry.username', 'ann'],
        ['registry.password', `******** (from ${passwordFile})`],
        ['registry.token', '********'],
      ],
    )
    assert.doesNotMatch(JSON.stringify(configReport(settings, anyPath)), /pw-from-file|tok-from-env/)
    const inUrl = await resolveSettings({flags: {'registry-url': 'https://ann:pw-in-url@r:1/x'}, env: noEnv, cwd: dir})
    assert.equal(
      configReport(inUrl, anyPath).settings.find((r) => r.key === 'registry.url')?.value,
      'https://ann:********@r:1/x',
    )
    const open = rcFile('open.yaml', 'registry:\n  url: http://x:1\n  password: pw\n', 0o644)
    await assert.rejects(resolveSettings({flags: {config: open}, env: noEnv, cwd: dir}), (err: unknown) => {
      assert.ok(err instanceof KcliError)
      assert.equal(err.exit, 2)
      assert.match(err.message, /holds a secret \(registry\.password\), but other users can read it \(mode 0644\)/)
      return true
    })
    const unknown = rcFile('unknown.yaml', 'registry:\n  address: http://x:1\n')
    await assert.rejects(
      resolveSettings({flags: {config: unknown}, env: noEnv, cwd: dir}),
      /unknown key "registry.address"/,
    )
  })
})
