// Profiles in rc files: choosing one, listing them, and the edits of `config use` and `config add` on YAML and JSON
// files.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, describe, it} from 'node:test'

import {KcliError} from '../../../src/lib/errors.js'
import {addProfile, listProfiles, useProfile, yamlBlock} from '../../../src/lib/settings/profiles.js'
import {loadNamed} from '../../../src/lib/settings/rc-search.js'
import {resolveSettings} from '../../../src/lib/settings/resolve.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-profiles-unit-'))
after(() => fs.rmSync(dir, {recursive: true, force: true}))
let files = 0
function write(ext: string, text: string, mode = 0o644): string {
  const file = path.join(dir, `rc${++files}.${ext}`)
  fs.writeFileSync(file, text)
  fs.chmodSync(file, mode)
  return file
}
const content = async (file: string) => (await loadNamed(file, dir)).content

const teamYaml = `# Our clusters; keep this comment.
timeout: 5s   # for all of them
profiles:
  local:
    brokers: localhost:9092
  prod:
    brokers: [kafka-1:9093, kafka-2:9093]
    security.protocol: SASL_SSL
`

describe('choosing a profile', () => {
  it('applies the chosen profile over the top level, and the top level to every profile', async () => {
    const file = write('yaml', `${teamYaml}profile: local\nclientId: team\n`)
    const local = await resolveSettings({flags: {config: file}, env: {}, cwd: dir})
    assert.equal(local.profile, 'local')
    assert.deepEqual(local.brokers, ['localhost:9092'])
    assert.equal(local.timeoutMs, 5000)
    assert.deepEqual(local.sources.profile, {kind: 'file', name: file})
    assert.deepEqual(local.sources.brokers, {kind: 'file', name: file, profile: 'local'})
    assert.deepEqual(local.sources.timeoutMs, {kind: 'file', name: file})

    const prod = await resolveSettings({flags: {config: file}, env: {KCLI_PROFILE: 'prod'}, cwd: dir})
    assert.deepEqual(prod.brokers, ['kafka-1:9093', 'kafka-2:9093'])
    assert.equal(prod.security.securityProtocol, 'SASL_SSL')
    assert.deepEqual(prod.sources.profile, {kind: 'env', name: 'KCLI_PROFILE'})

    const flag = await resolveSettings({flags: {config: file, profile: 'local'}, env: {KCLI_PROFILE: 'prod'}, cwd: dir})
    assert.deepEqual(flag.sources.profile, {kind: 'flag', name: '--profile'})
    assert.deepEqual(flag.brokers, ['localhost:9092'])
  })

  it('uses the top level alone when no profile is chosen', async () => {
    const settings = await resolveSettings({flags: {config: write('yaml', teamYaml)}, env: {}, cwd: dir})
    assert.equal(settings.profile, undefined)
    assert.deepEqual(settings.brokers, ['localhost:9092'])
    assert.equal(settings.sources.brokers.kind, 'default')
  })

  it('refuses an unknown profile, naming what asked for it and the profiles there are', async () => {
    const file = write('yaml', `${teamYaml}profile: staging\n`)
    for (const [flags, env, from] of [
      [{}, {}, '"profile" in'],
      [{profile: 'nope'}, {}, '--profile'],
      [{}, {KCLI_PROFILE: 'nope'}, 'KCLI_PROFILE'],
    ] as const) {
      await assert.rejects(resolveSettings({flags: {config: file, ...flags}, env, cwd: dir}), (err: KcliError) => {
        assert.equal(err.exit, 2)
        assert.ok(err.message.startsWith(from), err.message)
        assert.match(err.hint ?? '', /local, prod/)
        return true
      })
    }
  })

  it('refuses a profile asked for when there is no rc file', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'))
    await assert.rejects(
      resolveSettings({flags: {profile: 'x'}, env: {HOME: empty}, cwd: empty}),
      /no rc file was found/,
    )
  })

  it('refuses profiles inside profiles, and a profile that is not an object', async () => {
    await assert.rejects(
      resolveSettings({flags: {config: write('json', '{"profiles": {"a": {"profiles": {}}}}')}, env: {}, cwd: dir}),
      /"profiles\.a\.profiles": profiles cannot be nested/,
    )
    await assert.rejects(
      resolveSettings({flags: {config: write('json', '{"profiles": {"a": "kafka:9092"}}')}, env: {}, cwd: dir}),
      /"profiles\.a" must be an object/,
    )
  })
})

describe('listProfiles', () => {
  it('lists the profiles with brokers and protocol, marking the current one and what chose it', async () => {
    const file = write('yaml', `${teamYaml}profile: prod\n`)
    const list = await listProfiles({config: file, env: {}, cwd: dir})
    assert.equal(list.current, 'prod')
    assert.equal(list.chosenBy, file)
    assert.deepEqual(list.profiles, [
      {name: 'local', brokers: ['localhost:9092'], securityProtocol: null, current: false},
      {name: 'prod', brokers: ['kafka-1:9093', 'kafka-2:9093'], securityProtocol: 'SASL_SSL', current: true},
    ])
    assert.equal(
      (await listProfiles({config: file, profile: 'local', env: {KCLI_PROFILE: 'prod'}, cwd: dir})).chosenBy,
      '--profile',
    )
  })
})

describe('editing rc files', () => {
  it('sets the default profile in YAML, keeping comments and layout', async () => {
    const file = write('yaml', teamYaml)
    await useProfile(file, 'prod')
    assert.equal(fs.readFileSync(file, 'utf8'), `profile: prod\n${teamYaml}`)
    await useProfile(file, 'local')
    assert.equal(fs.readFileSync(file, 'utf8'), `profile: local\n${teamYaml}`)
    assert.equal(fs.statSync(file).mode & 0o777, 0o644)
  })

  it('adds a profile under the existing profiles key, following its indentation', async () => {
    const file = write(
      'yml',
      teamYaml
        .replaceAll('\n  ', '\n    ')
        .replaceAll('\n    brokers', '\n        brokers')
        .replaceAll('\n    security', '\n        security'),
    )
    const before = (await content(file)) as {profiles: object}
    await addProfile(
      file,
      'staging',
      {brokers: 'kafka-s:9093', sasl: {mechanism: 'SCRAM-SHA-512', username: 'ann', passwordFile: '/home/ann/pw'}},
      {makeDefault: false, holdsSecret: false},
    )
    const after = (await content(file)) as {profiles: Record<string, unknown>; timeout: string}
    assert.deepEqual(after.profiles.staging, {
      brokers: 'kafka-s:9093',
      sasl: {mechanism: 'SCRAM-SHA-512', username: 'ann', passwordFile: '/home/ann/pw'},
    })
    assert.deepEqual({...after.profiles, staging: undefined}, {...before.profiles, staging: undefined})
    assert.ok(fs.readFileSync(file, 'utf8').startsWith('# Our clusters; keep this comment.\n'))
  })

  it('creates a missing file with mode 600 and makes its first profile the default', async () => {
    const file = path.join(dir, 'new', 'config.yaml')
    await addProfile(file, 'local', {brokers: 'localhost:9092'}, {makeDefault: true, holdsSecret: false})
    assert.deepEqual(await content(file), {profile: 'local', profiles: {local: {brokers: 'localhost:9092'}}})
    assert.equal(fs.statSync(file).mode & 0o777, 0o600)
  })

  it('rewrites JSON whole, and makes a file private when the new profile holds a secret', async () => {
    const file = write('json', JSON.stringify({brokers: 'a:1'}))
    await addProfile(
      file,
      'p',
      {sasl: {mechanism: 'PLAIN', username: 'u', password: 'pw'}},
      {makeDefault: true, holdsSecret: true},
    )
    assert.deepEqual(await content(file), {
      brokers: 'a:1',
      profile: 'p',
      profiles: {p: {sasl: {mechanism: 'PLAIN', username: 'u', password: 'pw'}}},
    })
    assert.equal(fs.statSync(file).mode & 0o777, 0o600)
  })

  it('refuses an existing profile, an unknown one to use, package.json and JavaScript files', async () => {
    const file = write('yaml', teamYaml)
    await assert.rejects(
      addProfile(file, 'local', {brokers: 'x:1'}, {makeDefault: false, holdsSecret: false}),
      /already has a profile "local"/,
    )
    await assert.rejects(useProfile(file, 'staging'), /no profile "staging"/)
    const pkgDir = fs.mkdtempSync(path.join(dir, 'pkg-'))
    const pkg = path.join(pkgDir, 'package.json')
    fs.writeFileSync(pkg, JSON.stringify({name: 'x', kcli: {profiles: {a: {brokers: 'a:1'}}}}))
    await assert.rejects(useProfile(pkg, 'a'), /does not edit/)
    assert.deepEqual(JSON.parse(fs.readFileSync(pkg, 'utf8')), {name: 'x', kcli: {profiles: {a: {brokers: 'a:1'}}}})
  })

  it('refuses an edit it cannot make safely, leaving the file as it was', async () => {
    const flow = 'profiles: {local: {brokers: "localhost:9092"}}\n'
    const file = write('yaml', flow)
    await assert.rejects(
      addProfile(file, 'prod', {brokers: 'k:1'}, {makeDefault: false, holdsSecret: false}),
      (err: KcliError) => err.exit === 2 && /safely/.test(err.message) && /prod:/.test(err.hint ?? ''),
    )
    assert.equal(fs.readFileSync(file, 'utf8'), flow)
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith('.kcli-edit')),
      [],
    )
  })

  it('quotes what YAML would read as something else', () => {
    assert.equal(
      yamlBlock({a: 'true', b: '123', c: 'x: y', d: 'plain-value.1', e: 5, f: false}, 0),
      'a: "true"\nb: "123"\nc: "x: y"\nd: plain-value.1\ne: 5\nf: false\n',
    )
  })
})
