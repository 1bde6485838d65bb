// Settings resolution without a CLI: layer precedence, rc file validation, environment parsing, durations and secret
// masking.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {formatDuration, parseDuration} from '../../../src/lib/time/duration.js'
import {KcliError} from '../../../src/lib/errors.js'
import {fileLayer} from '../../../src/lib/settings/rc-file.js'
import {loadNamed} from '../../../src/lib/settings/rc-search.js'
import {type SettingsLayer, isSecretKey, maskSecret, splitBrokers} from '../../../src/lib/settings/layers.js'
import {
  defaults,
  envLayer,
  flagLayer,
  mergeLayers,
  parsePropertyFlags,
  resolveSettings,
} from '../../../src/lib/settings/resolve.js'

const rc = '/home/ann/project/.kclirc.json'
const fileSource = {kind: 'file', name: rc} as const

const flags = (layer: Omit<SettingsLayer, 'source'>): SettingsLayer => ({
  source: {kind: 'flag', name: 'flags'},
  ...layer,
})
const env = (layer: Omit<SettingsLayer, 'source'>): SettingsLayer => ({
  source: {kind: 'env', name: 'environment'},
  ...layer,
})
const file = (layer: Omit<SettingsLayer, 'source'>): SettingsLayer => ({source: fileSource, ...layer})

/** Asserts that fn throws a usage error (exit 2) whose message contains every one of the given parts. */
function throwsUsage(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof KcliError, `expected a KcliError, got ${String(err)}`)
    assert.equal(err.exit, 2)
    for (const part of parts) assert.ok(err.message.includes(part), `"${err.message}" should mention ${part}`)
    return true
  })
}

async function rejectsUsage(promise: Promise<unknown>, ...parts: string[]): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof KcliError, `expected a KcliError, got ${String(err)}`)
    assert.equal(err.exit, 2)
    for (const part of parts) assert.ok(err.message.includes(part), `"${err.message}" should mention ${part}`)
    return true
  })
}

describe('mergeLayers', () => {
  it('uses the defaults, marked as such, when no layer has anything', () => {
    const settings = mergeLayers(flags({}), env({}))
    assert.deepEqual(settings.brokers, [...defaults.brokers])
    assert.equal(settings.clientId, defaults.clientId)
    assert.equal(settings.timeoutMs, defaults.timeoutMs)
    assert.equal(settings.topic, undefined)
    assert.deepEqual(settings.properties, {})
    assert.deepEqual(settings.sources, {
      brokers: {kind: 'default', name: 'default'},
      clientId: {kind: 'default', name: 'default'},
      timeoutMs: {kind: 'default', name: 'default'},
      properties: {},
    })
    assert.equal(settings.configFile, undefined)
  })

  it('does not share the defaults array with its result', () => {
    const settings = mergeLayers()
    settings.brokers.push('mutated:1')
    assert.deepEqual(mergeLayers().brokers, [...defaults.brokers])
  })

  // Each row: which layers have brokers, and which one must win.
  const brokerCases: Array<{
    have: Array<'flag' | 'env' | 'file'>
    winner: string
    source: {kind: string; name: string}
  }> = [
    {have: ['flag', 'env', 'file'], winner: 'flag:1', source: {kind: 'flag', name: '--brokers'}},
    {have: ['env', 'file'], winner: 'env:1', source: {kind: 'env', name: 'KCLI_BROKERS'}},
    {have: ['flag', 'file'], winner: 'flag:1', source: {kind: 'flag', name: '--brokers'}},
    {have: ['file'], winner: 'file:1', source: fileSource},
    {have: [], winner: 'localhost:9092', source: {kind: 'default', name: 'default'}},
  ]
  for (const {have, winner, source} of brokerCases) {
    it(`takes brokers from ${source.kind} when set in [${have.join(', ')}]`, () => {
      const settings = mergeLayers(
        flags(have.includes('flag') ? {brokers: ['flag:1']} : {}),
        env(have.includes('env') ? {brokers: ['env:1']} : {}),
        file(have.includes('file') ? {brokers: ['file:1']} : {}),
      )
      assert.deepEqual(settings.brokers, [winner])
      assert.deepEqual(settings.sources.brokers, source)
    })
  }

  it('decides precedence key by key, naming the flag, variable or file of each', () => {
    const settings = mergeLayers(
      flags({timeoutMs: 1000}),
      env({clientId: 'from-env', timeoutMs: 2000}),
      file({brokers: ['file:1'], clientId: 'from-file', timeoutMs: 3000, topic: 'orders'}),
    )
    assert.deepEqual(settings.brokers, ['file:1'])
    assert.equal(settings.clientId, 'from-env')
    assert.equal(settings.timeoutMs, 1000)
    assert.equal(settings.topic, 'orders')
    assert.deepEqual(settings.sources.brokers, fileSource)
    assert.deepEqual(settings.sources.clientId, {kind: 'env', name: 'KCLI_CLIENT_ID'})
    assert.deepEqual(settings.sources.timeoutMs, {kind: 'flag', name: '--timeout'})
    assert.deepEqual(settings.sources.topic, fileSource)
    assert.equal(settings.configFile, rc)
  })

  it('takes the topic from KCLI_TOPIC over the rc file', () => {
    const settings = mergeLayers(flags({}), env({topic: 'from-env'}), file({topic: 'from-file'}))
    assert.equal(settings.topic, 'from-env')
    assert.deepEqual(settings.sources.topic, {kind: 'env', name: 'KCLI_TOPIC'})
  })

  it('merges librdkafka properties key by key, the highest layer winning each key', () => {
    const settings = mergeLayers(
      flags({properties: {'linger.ms': '50'}}),
      env({}),
      file({properties: {'linger.ms': '5', 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN'}}),
    )
    assert.deepEqual(settings.properties, {
      'linger.ms': '50',
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'PLAIN',
    })
    assert.deepEqual(settings.sources.properties, {
      'linger.ms': {kind: 'flag', name: '-X linger.ms'},
      'security.protocol': fileSource,
      'sasl.mechanism': fileSource,
    })
  })

  it('records no configFile when no rc file layer was given', () => {
    assert.equal(mergeLayers(flags({brokers: ['a:1']}), env({})).configFile, undefined)
  })
})

describe('property aliases', () => {
  it('folds -X bootstrap.servers and -X client.id into brokers and client id', () => {
    const layer = flagLayer({property: ['bootstrap.servers=a:1,b:2', 'client.id=app', 'acks=all']})
    assert.deepEqual(layer.brokers, ['a:1', 'b:2'])
    assert.equal(layer.clientId, 'app')
    assert.deepEqual(layer.properties, {acks: 'all'})
  })

  it('folds metadata.broker.list, the older name of bootstrap.servers', () => {
    assert.deepEqual(flagLayer({property: ['metadata.broker.list=old:1']}).brokers, ['old:1'])
  })

  it('lets --brokers and --client-id win over the same values given with -X in the same command', () => {
    const layer = flagLayer({
      brokers: 'flag:1',
      'client-id': 'flag-id',
      property: ['bootstrap.servers=x:1', 'client.id=x'],
    })
    assert.deepEqual(layer.brokers, ['flag:1'])
    assert.equal(layer.clientId, 'flag-id')
    assert.deepEqual(layer.properties, {})
  })

  it("folds the rc file's properties too, so -X bootstrap.servers in a file is beaten by KCLI_BROKERS", () => {
    const fromFile = fileLayer({properties: {'bootstrap.servers': 'file:1', 'client.id': 'file-id'}}, rc)
    assert.deepEqual(fromFile.brokers, ['file:1'])
    assert.deepEqual(fromFile.properties, {})
    const settings = mergeLayers(flagLayer({}), envLayer({KCLI_BROKERS: 'env:1'}), fromFile)
    assert.deepEqual(settings.brokers, ['env:1'])
    assert.equal(settings.clientId, 'file-id')
    assert.deepEqual(settings.sources.clientId, fileSource)
    assert.equal('bootstrap.servers' in settings.properties, false)
  })

  it('keeps the rc file\'s "brokers" over its own properties.bootstrap.servers', () => {
    assert.deepEqual(fileLayer({brokers: 'top:1', properties: {'bootstrap.servers': 'prop:1'}}, rc).brokers, ['top:1'])
  })

  it('does not change the layer it was given', () => {
    const properties = {'client.id': 'x'}
    fileLayer({properties}, rc)
    assert.deepEqual(properties, {'client.id': 'x'})
  })

  // Reporting `--brokers` for a value the user typed as `-X bootstrap.servers` sends them looking for a flag they never
  // gave.
  it('names -X bootstrap.servers, not --brokers, as the source of brokers given that way', () => {
    const settings = mergeLayers(flagLayer({property: ['bootstrap.servers=a:1']}), envLayer({}))
    assert.deepEqual(settings.sources.brokers, {kind: 'flag', name: '-X bootstrap.servers'})
  })
})

describe('flagLayer', () => {
  it('splits --brokers on commas and trims the parts', () => {
    assert.deepEqual(flagLayer({brokers: ' a:1 , b:2,,'}).brokers, ['a:1', 'b:2'])
  })

  it('leaves out everything not given, so lower layers can fill it', () => {
    const layer = flagLayer({})
    assert.deepEqual(layer, {source: {kind: 'flag', name: 'flags'}})
  })

  it('refuses an invalid --timeout, naming the flag', () => {
    throwsUsage(() => flagLayer({timeout: 'soon'}), '--timeout', 'soon')
    throwsUsage(() => flagLayer({timeout: '0s'}), '--timeout')
  })
})

describe('timeout durations', () => {
  const cases: Array<[string | number, number]> = [
    ['10s', 10_000],
    ['500ms', 500],
    ['1m', 60_000],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    // The one rule for durations: a bare number is seconds, never milliseconds.
    ['10', 10_000],
    ['0.5', 500],
    [10, 10_000],
    [0.25, 250],
  ]
  for (const [given, ms] of cases) {
    it(`reads ${JSON.stringify(given)} as ${ms} ms from flag, environment and rc file`, () => {
      if (typeof given === 'string') {
        assert.equal(flagLayer({timeout: given}).timeoutMs, ms)
        assert.equal(envLayer({KCLI_TIMEOUT: given}).timeoutMs, ms)
      }
      assert.equal(fileLayer({timeout: given}, rc).timeoutMs, ms)
    })
  }

  it('rounds a fractional number of milliseconds', () => {
    assert.equal(fileLayer({timeout: 1.5006}, rc).timeoutMs, 1501)
    assert.equal(flagLayer({timeout: '1.5006'}).timeoutMs, 1501)
  })

  it('refuses nonsense, naming the flag and stating the rule', () => {
    for (const given of ['10x', '-1', '1e3', 's', '5 minutes', '0', '30d'])
      assert.throws(
        () => flagLayer({timeout: given}),
        (err: unknown) =>
          err instanceof KcliError &&
          err.exit === 2 &&
          err.message.startsWith(`--timeout: "${given}"`) &&
          /a number of seconds/.test(err.hint ?? ''),
        given,
      )
  })
})

describe('envLayer', () => {
  it('reads every KCLI_* setting and names the variables as sources', () => {
    const layer = envLayer({KCLI_BROKERS: 'a:1, b:2', KCLI_CLIENT_ID: 'svc', KCLI_TIMEOUT: '3s', KCLI_TOPIC: 'orders'})
    assert.deepEqual(layer.brokers, ['a:1', 'b:2'])
    assert.equal(layer.clientId, 'svc')
    assert.equal(layer.timeoutMs, 3000)
    assert.equal(layer.topic, 'orders')
    const settings = mergeLayers(flagLayer({}), layer)
    assert.deepEqual(
      [settings.sources.brokers, settings.sources.clientId, settings.sources.timeoutMs, settings.sources.topic].map(
        (s) => s?.name,
      ),
      ['KCLI_BROKERS', 'KCLI_CLIENT_ID', 'KCLI_TIMEOUT', 'KCLI_TOPIC'],
    )
  })

  it('treats empty variables as unset, as shells make it easy to export one empty', () => {
    assert.deepEqual(envLayer({KCLI_BROKERS: '', KCLI_CLIENT_ID: '', KCLI_TIMEOUT: '', KCLI_TOPIC: ''}), {
      source: {kind: 'env', name: 'environment'},
    })
  })

  it("ignores variables that are not kcli's", () => {
    assert.deepEqual(envLayer({BROKERS: 'x:1', KAFKA_BROKERS: 'y:1', PATH: '/bin'}), {
      source: {kind: 'env', name: 'environment'},
    })
  })

  it('refuses an invalid KCLI_TIMEOUT, naming the variable and the value', () => {
    throwsUsage(() => envLayer({KCLI_TIMEOUT: 'forever'}), 'KCLI_TIMEOUT', 'forever')
  })
})

describe('fileLayer', () => {
  it('reads every known key', () => {
    const layer = fileLayer(
      {
        brokers: ['a:1', 'b:2,c:3'],
        clientId: 'svc',
        timeout: '5s',
        topic: 'orders',
        properties: {'linger.ms': 20, 'enable.idempotence': true, acks: 'all'},
      },
      rc,
    )
    assert.deepEqual(layer, {
      source: fileSource,
      brokers: ['a:1', 'b:2', 'c:3'],
      clientId: 'svc',
      timeoutMs: 5000,
      topic: 'orders',
      properties: {'linger.ms': '20', 'enable.idempotence': 'true', acks: 'all'},
    })
  })

  it('accepts an empty file as having no settings', () => {
    assert.deepEqual(fileLayer(undefined, rc), {source: fileSource})
    assert.deepEqual(fileLayer(null, rc), {source: fileSource})
    assert.deepEqual(fileLayer({}, rc), {source: fileSource})
  })

  it('refuses content that is not an object, naming the file', () => {
    throwsUsage(() => fileLayer(['a:1'], rc), rc, 'array')
    throwsUsage(() => fileLayer('brokers=a:1', rc), rc, 'string')
  })

  // Each row: the rc content, and the key its error must name (besides the file).
  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown key', {bootstrapServers: 'a:1'}, '"bootstrapServers"'],
    ['brokers as a number', {brokers: 9092}, '"brokers"'],
    ['brokers as a list with a number', {brokers: ['a:1', 9092]}, '"brokers"'],
    ['brokers empty', {brokers: ' , '}, '"brokers"'],
    ['brokers an empty list', {brokers: []}, '"brokers"'],
    ['clientId as a number', {clientId: 7}, '"clientId"'],
    ['clientId empty', {clientId: ''}, '"clientId"'],
    ['topic as a list', {topic: ['a']}, '"topic"'],
    ['timeout as a boolean', {timeout: true}, '"timeout"'],
    ['timeout as text that is no duration', {timeout: 'ten seconds'}, '"timeout"'],
    ['timeout zero', {timeout: 0}, '"timeout"'],
    ['timeout negative', {timeout: -5}, '"timeout"'],
    ['properties as a list', {properties: ['linger.ms=5']}, '"properties"'],
    ['properties as text', {properties: 'linger.ms=5'}, '"properties"'],
    ['a property as an object', {properties: {'linger.ms': {value: 5}}}, '"properties.linger.ms"'],
    ['a property as null', {properties: {'sasl.username': null}}, '"properties.sasl.username"'],
  ]
  for (const [what, content, key] of invalid) {
    it(`refuses ${what}, naming the file and ${key}`, () => {
      throwsUsage(() => fileLayer(content, rc), rc, key)
    })
  }

  it('lists the known keys in the hint for an unknown one', () => {
    assert.throws(
      () => fileLayer({broker: 'a:1'}, rc),
      (err: KcliError) =>
        err.hint !== undefined &&
        ['brokers', 'clientId', 'timeout', 'topic', 'properties'].every((k) => err.hint!.includes(k)),
    )
  })

  it('reads the profile keys and the security keys, and lists them in the hint for an unknown one', () => {
    const layer = fileLayer({profile: 'prod', profiles: {prod: {brokers: 'p:1'}}, sasl: {username: 'ann'}}, rc)
    assert.equal(layer.profile, 'prod')
    assert.deepEqual(layer.security, {saslUsername: 'ann'})
    assert.equal(layer.brokers, undefined)
    assert.throws(
      () => fileLayer({broker: 'a:1'}, rc),
      (err: KcliError) =>
        ['profile', 'profiles', 'security.protocol', 'sasl.*', 'ssl.*', 'oauth.*'].every((k) => err.hint!.includes(k)),
    )
  })

  it("does not print a secret property's value when refusing it", () => {
    assert.throws(
      () => fileLayer({properties: {'sasl.password': ['hunter2-secret']}}, rc),
      (err: KcliError) => !err.message.includes('hunter2-secret') && !(err.hint ?? '').includes('hunter2-secret'),
    )
  })
})

describe('parsePropertyFlags', () => {
  it('splits at the first =, so values may contain =', () => {
    assert.deepEqual(parsePropertyFlags(['sasl.jaas.config=a=b c=d', 'linger.ms=5']), {
      'sasl.jaas.config': 'a=b c=d',
      'linger.ms': '5',
    })
  })

  it('keeps an empty value, which librdkafka reads as "unset"', () => {
    assert.deepEqual(parsePropertyFlags(['ssl.ca.location=']), {'ssl.ca.location': ''})
  })

  it('lets a later -X override an earlier one', () => {
    assert.deepEqual(parsePropertyFlags(['linger.ms=5', 'linger.ms=10']), {'linger.ms': '10'})
  })

  it('refuses a pair without =, or without a key, naming the flag and the pair', () => {
    throwsUsage(() => parsePropertyFlags(['linger.ms']), '-X', 'linger.ms', 'key=value')
    throwsUsage(() => parsePropertyFlags(['=5']), '-X', '=5')
  })

  it('names the flag it is given', () => {
    throwsUsage(() => parsePropertyFlags(['nope'], '--property'), '--property nope')
  })

  it('refuses a key made only of spaces', () => {
    throwsUsage(() => parsePropertyFlags([' =5']), '-X')
  })
})

describe('splitBrokers', () => {
  it('drops empty entries and whitespace', () => {
    assert.deepEqual(splitBrokers('a:1,, b:2 ,'), ['a:1', 'b:2'])
    assert.deepEqual(splitBrokers(''), [])
  })
})

describe('isSecretKey and maskSecret', () => {
  const secret = [
    'sasl.password',
    'ssl.key.password',
    'ssl.key.pem',
    'ssl.keystore.password',
    'sasl.oauthbearer.client.secret',
    'sasl.jaas.config',
    'sasl.oauthbearer.assertion.private.key.passphrase',
    'SASL.PASSWORD',
  ]
  const plain = [
    'linger.ms',
    'bootstrap.servers',
    'sasl.mechanism',
    'security.protocol',
    'ssl.ca.location',
    'ssl.certificate.pem',
  ]
  for (const key of secret) {
    it(`masks ${key}`, () => {
      assert.equal(isSecretKey(key), true)
      const masked = maskSecret(key, 'hunter2')
      assert.notEqual(masked, 'hunter2')
      assert.equal(masked.includes('hunter2'), false)
    })
  }
  for (const key of plain) {
    it(`shows ${key}`, () => {
      assert.equal(isSecretKey(key), false)
      assert.equal(maskSecret(key, 'value-1'), 'value-1')
    })
  }

  // librdkafka itself flags this property as sensitive (rdkafka_conf.c) and redacts it from its logs; it can carry a
  // client secret.
  it('masks sasl.oauthbearer.config', () => {
    assert.equal(isSecretKey('sasl.oauthbearer.config'), true)
  })

  it('does not reveal the length of a secret', () => {
    assert.equal(maskSecret('sasl.password', 'a'), maskSecret('sasl.password', 'a much longer password'))
  })
})

describe('loadNamed and resolveSettings with an explicit file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-settings-'))
  const write = (name: string, text: string) => {
    const file = path.join(dir, name)
    fs.writeFileSync(file, text)
    return file
  }

  it('reads YAML and resolves it under the environment and the flags', async () => {
    const file = write(
      'team.yaml',
      'brokers: [file-a:1, file-b:1]\nclientId: team\ntimeout: 2s\nproperties:\n  linger.ms: 5\n  acks: all\n',
    )
    const settings = await resolveSettings({
      flags: {config: 'team.yaml', property: ['acks=1']},
      env: {KCLI_CLIENT_ID: 'env-id'},
      cwd: dir,
    })
    assert.equal(settings.configFile, file)
    assert.deepEqual(settings.brokers, ['file-a:1', 'file-b:1'])
    assert.equal(settings.clientId, 'env-id')
    assert.equal(settings.timeoutMs, 2000)
    assert.deepEqual(settings.properties, {'linger.ms': '5', acks: '1'})
    assert.deepEqual(settings.sources.properties.acks, {kind: 'flag', name: '-X acks'})
  })

  it('takes the file from KCLI_CONFIG when --config is not given, and --config over it', async () => {
    const a = write('a.json', '{"clientId": "from-a"}')
    const b = write('b.json', '{"clientId": "from-b"}')
    assert.equal((await resolveSettings({flags: {}, env: {KCLI_CONFIG: a}, cwd: dir})).clientId, 'from-a')
    const both = await resolveSettings({flags: {config: b}, env: {KCLI_CONFIG: a}, cwd: dir})
    assert.equal(both.clientId, 'from-b')
    assert.equal(both.configFile, b)
  })

  it('refuses a --config file that does not exist, naming it', async () => {
    await rejectsUsage(loadNamed('missing.json', dir), 'missing.json', 'does not exist')
  })

  it('refuses a file that does not parse, naming it', async () => {
    const file = write('broken.json', '{"brokers": ')
    await rejectsUsage(loadNamed(file, dir), file)
  })

  it('says why a file does not parse, once', async () => {
    const json = write('broken2.json', '{"brokers": ')
    await assert.rejects(
      loadNamed(json, dir),
      (err: KcliError) => /cannot be parsed: \S/.test(err.message) && err.message.split(json).length === 2,
    )
    const yaml = write('broken.yaml', 'brokers: [a\n  x: : :\n')
    await assert.rejects(
      loadNamed(yaml, dir),
      (err: KcliError) => /cannot be parsed: \S/.test(err.message) && err.message.split(yaml).length === 2,
    )
  })

  it('refuses settings that leave no broker at all', async () => {
    await rejectsUsage(resolveSettings({flags: {brokers: ' , '}, env: {}, cwd: dir}), 'no brokers')
  })
})

describe('parseDuration', () => {
  const valid: Array<[string, number]> = [
    ['0', 0],
    ['250', 250_000],
    ['1.5', 1500],
    ['250ms', 250],
    ['500ms', 500],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1.5s', 1500],
    ['0.5ms', 1],
    [' 10 s ', 10_000],
  ]
  for (const [text, ms] of valid) {
    it(`reads ${JSON.stringify(text)} as ${ms} ms`, () => assert.equal(parseDuration(text), ms))
  }

  for (const text of ['', 's', 'ten', '10x', '10 sec', '-1s', '1e3', '1,5s', '1s500ms']) {
    it(`does not read ${JSON.stringify(text)}`, () => assert.equal(parseDuration(text), undefined))
  }
})

describe('formatDuration', () => {
  const cases: Array<[number, string]> = [
    [0, '0ms'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1500ms'],
    [10_000, '10s'],
    [120_000, '120s'],
  ]
  for (const [ms, text] of cases) {
    it(`writes ${ms} ms as ${text}, which parseDuration reads back`, () => {
      assert.equal(formatDuration(ms), text)
      assert.equal(parseDuration(text), ms)
    })
  }
})
