// Security settings without a broker: reading them from flags, variables and rc files, precedence and inference,
// the librdkafka properties they become, warnings, missing secrets, private-file and unsafe-property rules.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, describe, it} from 'node:test'

import {KcliError} from '../../../src/lib/errors.js'
import {checkSecurity, missingSecrets, securityContext, settingsWarnings} from '../../../src/lib/settings/checks.js'
import {fileLayer, rcLayers, secretInLayers} from '../../../src/lib/settings/rc-file.js'
import {checkPrivateFile, readSecretFile} from '../../../src/lib/settings/secrets.js'
import {securityKeys, securityProperties} from '../../../src/lib/settings/security.js'
import {isSecretKey} from '../../../src/lib/settings/layers.js'
import {envLayer, flagLayer, mergeLayers, resolveSettings} from '../../../src/lib/settings/resolve.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-security-unit-'))
after(() => fs.rmSync(dir, {recursive: true, force: true}))
const rc = path.join(dir, 'project', '.kclirc.yaml')

function write(name: string, text: string, mode = 0o600): string {
  const file = path.join(dir, name)
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, text)
  fs.chmodSync(file, mode)
  return file
}

function usageFailure(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof KcliError, String(err))
    assert.equal(err.exit, 2)
    for (const part of parts)
      assert.ok(`${err.message} ${err.hint ?? ''}`.includes(part), `"${err.message}" should mention ${part}`)
    return true
  })
}

describe('one name per setting', () => {
  it('gives every security setting a flag, a KCLI_ variable and an rc key that agree', () => {
    for (const info of securityKeys) {
      assert.equal(
        info.flag,
        info.name.replace(/\./g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
        info.key,
      )
      assert.equal(info.env, `KCLI_${info.flag.toUpperCase().replace(/-/g, '_')}`, info.key)
    }
  })

  it('masks the secret ones, and not the token endpoint address', () => {
    for (const info of securityKeys) assert.equal(isSecretKey(info.name), info.type === 'secret', info.name)
    assert.equal(isSecretKey('sasl.oauthbearer.token.endpoint.url'), false)
    assert.equal(isSecretKey('sasl.oauthbearer.client.secret'), true)
  })
})

describe('reading security settings', () => {
  it('reads flags, naming each flag as the source, with mechanisms in any case', () => {
    const settings = mergeLayers(
      flagLayer({
        'sasl-mechanism': 'scram-sha-256',
        'sasl-username': 'ann',
        'sasl-password-file': '/run/pw',
        'ssl-verify': false,
      }),
    )
    assert.equal(settings.security.saslMechanism, 'SCRAM-SHA-256')
    assert.equal(settings.security.saslUsername, 'ann')
    assert.equal(settings.security.saslPassword, undefined)
    assert.deepEqual(settings.secretFiles, {saslPassword: '/run/pw'})
    assert.equal(settings.security.sslVerify, false)
    assert.deepEqual(settings.sources.security?.saslPassword, {kind: 'flag', name: '--sasl-password-file'})
    assert.deepEqual(settings.sources.security?.saslMechanism, {kind: 'flag', name: '--sasl-mechanism'})
  })

  it('reads variables, and booleans as true/false/1/0', () => {
    const layer = envLayer({
      KCLI_SECURITY_PROTOCOL: 'sasl_ssl',
      KCLI_SASL_PASSWORD: 'pw',
      KCLI_SSL_VERIFY_HOSTNAME: '0',
    })
    const settings = mergeLayers(layer)
    assert.equal(settings.security.securityProtocol, 'SASL_SSL')
    assert.equal(settings.security.saslPassword, 'pw')
    assert.equal(settings.security.sslVerifyHostname, false)
    assert.deepEqual(settings.sources.security?.saslPassword, {kind: 'env', name: 'KCLI_SASL_PASSWORD'})
  })

  it('refuses a value outside the choices, naming where it came from and the choices', () => {
    usageFailure(() => flagLayer({'security-protocol': 'TLS'}), '--security-protocol', 'SASL_SSL')
    usageFailure(() => envLayer({KCLI_SASL_MECHANISM: 'GSSAPI'}), 'KCLI_SASL_MECHANISM', 'SCRAM-SHA-512')
    usageFailure(() => envLayer({KCLI_SSL_VERIFY: 'maybe'}), 'KCLI_SSL_VERIFY')
  })

  it('refuses a secret given both as a value and as a file', () => {
    usageFailure(
      () => flagLayer({'sasl-password': 'a', 'sasl-password-file': '/b'}),
      '--sasl-password',
      '--sasl-password-file',
    )
    usageFailure(() => fileLayer({sasl: {password: 'a', passwordFile: '/b'}}, rc), rc, 'sasl.password')
  })

  it('reads nested and dotted rc keys alike, with paths relative to the rc file and ~ as home', () => {
    const nested = fileLayer(
      {
        security: {protocol: 'SSL'},
        ssl: {ca: 'certs/ca.pem', cert: '~/me.pem', verify: 'false'},
        sasl: {passwordFile: 'pw'},
      },
      rc,
    )
    const dotted = fileLayer(
      {
        'security.protocol': 'SSL',
        'ssl.ca': 'certs/ca.pem',
        'ssl.cert': '~/me.pem',
        'ssl.verify': false,
        'sasl.passwordFile': 'pw',
      },
      rc,
    )
    assert.deepEqual(nested, dotted)
    assert.deepEqual(nested.security, {
      securityProtocol: 'SSL',
      sslCa: path.join(dir, 'project', 'certs', 'ca.pem'),
      sslCert: path.join(os.homedir(), 'me.pem'),
      sslVerify: false,
      saslPassword: {file: path.join(dir, 'project', 'pw')},
    })
  })

  it('names the file and the full key of a bad value, never the value of a secret', () => {
    usageFailure(() => fileLayer({sasl: {mechanism: 'NOPE'}}, rc), rc, '"sasl.mechanism"')
    usageFailure(() => fileLayer({sasl: 'alice'}, rc), rc, '"sasl"')
    usageFailure(() => fileLayer({ssl: {certificate: 'x'}}, rc), rc, 'unknown key "ssl.certificate"')
    assert.throws(
      () => fileLayer({sasl: {password: ['hunter2-x']}}, rc),
      (err: KcliError) => !err.message.includes('hunter2-x'),
    )
  })
})

describe('precedence and inference', () => {
  it('takes each security setting from flags over variables over the profile over the rc file', () => {
    const {top, profiles} = rcLayers(
      {sasl: {username: 'top', mechanism: 'PLAIN'}, profiles: {prod: {sasl: {username: 'prof'}}}},
      rc,
    )
    const settings = mergeLayers(
      flagLayer({}),
      envLayer({KCLI_SASL_MECHANISM: 'SCRAM-SHA-512'}),
      profiles.get('prod')!,
      top,
    )
    assert.equal(settings.security.saslUsername, 'prof')
    assert.deepEqual(settings.sources.security?.saslUsername, {kind: 'file', name: rc, profile: 'prod'})
    assert.equal(settings.security.saslMechanism, 'SCRAM-SHA-512')
    const withFlag = mergeLayers(flagLayer({'sasl-username': 'flag'}), profiles.get('prod')!, top)
    assert.equal(withFlag.security.saslUsername, 'flag')
  })

  it('lets a first-class flag beat the same librdkafka property from the rc file, and -X beat a first-class rc key', () => {
    const file = fileLayer(
      {sasl: {username: 'file-user'}, properties: {'sasl.username': 'file-prop', 'security.protocol': 'SSL'}},
      rc,
    )
    const settings = mergeLayers(flagLayer({'sasl-username': 'flag-user', 'security-protocol': 'SASL_SSL'}), file)
    assert.equal(settings.properties['sasl.username'], undefined)
    assert.equal(settings.properties['security.protocol'], undefined)
    assert.equal(securityProperties(settings.security)['sasl.username'], 'flag-user')

    const viaX = mergeLayers(flagLayer({property: ['sasl.username=x-user']}), file)
    assert.equal(viaX.properties['sasl.username'], 'x-user')
  })

  // Each row: what is given, and the protocol and mechanism kcli infers.
  const inferred: Array<[Record<string, string | boolean>, string | undefined, string | undefined]> = [
    [{'sasl-username': 'a', 'sasl-mechanism': 'PLAIN'}, 'SASL_PLAINTEXT', 'PLAIN'],
    [{'sasl-username': 'a', 'sasl-mechanism': 'PLAIN', 'ssl-ca': '/ca'}, 'SASL_SSL', 'PLAIN'],
    [{'ssl-ca': '/ca'}, 'SSL', undefined],
    [{'ssl-verify': false}, 'SSL', undefined],
    [{'oauth-token-url': 'https://idp/token', 'oauth-client-id': 'c', 'ssl-ca': '/ca'}, 'SASL_SSL', 'OAUTHBEARER'],
    [{}, undefined, undefined],
  ]
  for (const [flags, protocol, mechanism] of inferred) {
    it(`infers ${protocol ?? 'nothing'} / ${mechanism ?? 'no mechanism'} from ${Object.keys(flags).join(', ') || 'nothing'}`, () => {
      const settings = mergeLayers(flagLayer(flags))
      assert.equal(settings.security.securityProtocol, protocol)
      assert.equal(settings.security.saslMechanism, mechanism)
      if (protocol) assert.equal(settings.sources.security?.securityProtocol?.kind, 'default')
    })
  }

  it('infers nothing over a protocol given as a property', () => {
    const settings = mergeLayers(
      flagLayer({'sasl-username': 'a', 'sasl-mechanism': 'PLAIN', property: ['security.protocol=SASL_SSL']}),
    )
    assert.equal(settings.security.securityProtocol, undefined)
  })
})

describe('securityProperties', () => {
  it("maps every setting to librdkafka's property", () => {
    assert.deepEqual(
      securityProperties({
        securityProtocol: 'SASL_SSL',
        saslMechanism: 'SCRAM-SHA-512',
        saslUsername: 'ann',
        saslPassword: 'pw',
        sslCa: '/ca.pem',
        sslCert: '/me.pem',
        sslKey: '/me.key',
        sslKeyPassword: 'kpw',
        sslVerify: false,
        sslVerifyHostname: false,
      }),
      {
        'security.protocol': 'SASL_SSL',
        'sasl.mechanisms': 'SCRAM-SHA-512',
        'sasl.username': 'ann',
        'sasl.password': 'pw',
        'ssl.ca.location': '/ca.pem',
        'ssl.certificate.location': '/me.pem',
        'ssl.key.location': '/me.key',
        'ssl.key.password': 'kpw',
        'enable.ssl.certificate.verification': false,
        'ssl.endpoint.identification.algorithm': 'none',
      },
    )
  })

  it('asks for OIDC client credentials for OAUTHBEARER', () => {
    assert.deepEqual(
      securityProperties({
        saslMechanism: 'OAUTHBEARER',
        oauthTokenUrl: 'https://idp/t',
        oauthClientId: 'c',
        oauthClientSecret: 's',
        oauthScope: 'kafka',
      }),
      {
        'sasl.mechanisms': 'OAUTHBEARER',
        'sasl.oauthbearer.method': 'oidc',
        'sasl.oauthbearer.token.endpoint.url': 'https://idp/t',
        'sasl.oauthbearer.client.id': 'c',
        'sasl.oauthbearer.client.secret': 's',
        'sasl.oauthbearer.scope': 'kafka',
      },
    )
  })

  it('form-encodes the scope, which librdkafka puts into the token request unencoded', () => {
    const props = securityProperties({
      oauthTokenUrl: 'https://idp/t',
      oauthClientId: 'c',
      oauthScope: 'kafka.read kafka+write a&b=c',
    })
    assert.equal(props['sasl.oauthbearer.scope'], 'kafka.read%20kafka%2Bwrite%20a%26b%3Dc')
    assert.equal(
      new URLSearchParams(`grant_type=client_credentials&scope=${props['sasl.oauthbearer.scope']}`).get('scope'),
      'kafka.read kafka+write a&b=c',
    )
  })

  it('sets nothing when nothing is given', () => {
    assert.deepEqual(securityProperties({}), {})
  })
})

describe('warnings and checks', () => {
  it('warns when verification is off, and about secrets typed as flags, never showing them', () => {
    const settings = mergeLayers(
      flagLayer({
        'ssl-verify': false,
        'sasl-password': 'hunter2-w',
        property: ['sasl.oauthbearer.client.secret=s3cr3t-w'],
      }),
    )
    const warnings = settingsWarnings(settings)
    assert.ok(warnings.some((w) => w.includes('certificate verification is off')))
    assert.ok(
      warnings.some((w) => w.includes('--sasl-password, -X sasl.oauthbearer.client.secret on the command line')),
    )
    assert.ok(warnings.every((w) => !w.includes('hunter2-w') && !w.includes('s3cr3t-w')))
  })

  it('warns about hostname checks off, and about PLAIN without TLS', () => {
    assert.ok(
      settingsWarnings(mergeLayers(flagLayer({'ssl-verify-hostname': false}))).some((w) =>
        w.includes('hostname verification is off'),
      ),
    )
    const plain = mergeLayers(flagLayer({'sasl-mechanism': 'PLAIN', 'sasl-username': 'a'}))
    assert.ok(settingsWarnings(plain).some((w) => w.includes('unencrypted')))
    assert.deepEqual(settingsWarnings(mergeLayers(envLayer({KCLI_SASL_PASSWORD: 'x'}))), [])
  })

  it('asks for a missing SASL password, OAuth client secret, or the password of an encrypted key', () => {
    const key = write('enc.key', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n')
    const settings = mergeLayers(
      flagLayer({'sasl-mechanism': 'SCRAM-SHA-256', 'sasl-username': 'ann', 'ssl-key': key, 'ssl-cert': key}),
    )
    assert.deepEqual(
      missingSecrets(settings).map((m) => m.key),
      ['saslPassword', 'sslKeyPassword'],
    )
    assert.match(missingSecrets(settings)[0].question, /ann \(SASL SCRAM-SHA-256\)/)
    assert.deepEqual(
      missingSecrets(
        mergeLayers(flagLayer({'sasl-mechanism': 'PLAIN', 'sasl-username': 'a', property: ['sasl.password=x']})),
      ),
      [],
    )
    const oauth = mergeLayers(flagLayer({'oauth-token-url': 'https://idp/t', 'oauth-client-id': 'c'}))
    assert.deepEqual(
      missingSecrets(oauth).map((m) => m.key),
      ['oauthClientSecret'],
    )
  })

  it('checks what librdkafka would report late: missing files, a lone cert or key, a user without mechanism', () => {
    const name = (key: string) => `--${key}`
    usageFailure(() => checkSecurity({sslCa: path.join(dir, 'missing.pem')}, {}, name), 'missing.pem', 'does not exist')
    const pem = write('me.pem', 'x')
    usageFailure(() => checkSecurity({sslCert: pem}, {}, name), 'without its key')
    usageFailure(
      () => checkSecurity({saslUsername: 'a'}, {}, name),
      'a SASL user name was given without a SASL mechanism',
    )
    // Only a password, or only a SASL protocol: librdkafka would fall back to Kerberos and talk about kinit.
    usageFailure(
      () => checkSecurity({saslPassword: 'p'}, {}, name),
      'a SASL password was given without a SASL mechanism',
    )
    usageFailure(
      () => checkSecurity({securityProtocol: 'SASL_SSL'}, {}, name),
      'security protocol SASL_SSL was given without a SASL mechanism',
    )
    // Kerberos users keep librdkafka's default mechanism (GSSAPI).
    checkSecurity({securityProtocol: 'SASL_SSL'}, {'sasl.kerberos.service.name': 'kafka'}, name)
    usageFailure(() => checkSecurity({saslMechanism: 'SCRAM-SHA-256'}, {}, name), 'needs a user name')
    checkSecurity({saslMechanism: 'PLAIN'}, {'sasl.username': 'a'}, name)
  })

  it('wants a token endpoint and a client id for OAuth client credentials, and leaves the secret to the prompt', () => {
    const name = (key: string) => `--${key}`
    usageFailure(
      () => checkSecurity({saslMechanism: 'OAUTHBEARER', oauthClientId: 'c', oauthClientSecret: 's'}, {}, name),
      'oauth.tokenUrl',
      '--oauth-token-url',
    )
    usageFailure(
      () => checkSecurity({saslMechanism: 'OAUTHBEARER', oauthTokenUrl: 'https://idp/t'}, {}, name),
      'oauth.clientId',
      'KCLI_OAUTH_CLIENT_ID',
    )
    checkSecurity({saslMechanism: 'OAUTHBEARER', oauthTokenUrl: 'https://idp/t', oauthClientId: 'c'}, {}, name)
    checkSecurity(
      {saslMechanism: 'OAUTHBEARER', oauthClientId: 'c'},
      {'sasl.oauthbearer.token.endpoint.url': 'https://idp/t'},
      name,
    )
    // OAUTHBEARER with a token callback of its own (-X properties only) is not kcli's to check.
    checkSecurity({saslMechanism: 'OAUTHBEARER'}, {}, name)
  })

  it('describes a failed secured connection by protocol, mechanism and user', () => {
    const settings = mergeLayers(
      flagLayer({
        'sasl-mechanism': 'SCRAM-SHA-512',
        'sasl-username': 'ann',
        'sasl-password': 'pw-q',
        'ssl-ca': '/ca.pem',
      }),
    )
    const context = securityContext(settings)!
    assert.equal(context.what, 'SASL_SSL with SCRAM-SHA-512 as user ann')
    assert.match(context.hint, /password/)
    assert.match(context.hint, /\/ca\.pem/)
    assert.equal(`${context.what}${context.hint}`.includes('pw-q'), false)
    assert.equal(securityContext(mergeLayers(flagLayer({}))), undefined)
  })
})

describe('secret files and private rc files', () => {
  it('reads the first line of a secret file', () => {
    assert.equal(readSecretFile(write('pw', 'hunter2\nignored\n'), '--sasl-password-file'), 'hunter2')
    usageFailure(() => readSecretFile(write('empty', '\n'), '--sasl-password-file'), 'is empty')
    usageFailure(
      () => readSecretFile(path.join(dir, 'nope'), '--sasl-password-file'),
      '--sasl-password-file',
      'no such file',
    )
  })

  it('refuses a secret file or rc file that group or others can read, with the chmod that fixes it', () => {
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      const file = write(`open-${mode.toString(8)}`, 'pw\n', mode)
      usageFailure(() => readSecretFile(file, 'x'), file, `chmod 600 ${file}`)
    }
    checkPrivateFile(write('closed', 'pw', 0o600), 'holds a secret', '.')
    checkPrivateFile(write('readonly', 'pw', 0o400), 'holds a secret', '.')
  })

  it('finds the first secret written in an rc file, in a profile or a property, not a file reference', () => {
    const layers = (content: object) => {
      const {top, profiles} = rcLayers(content, rc)
      return [top, ...profiles.values()]
    }
    assert.equal(secretInLayers(layers({sasl: {passwordFile: 'x'}, profiles: {a: {brokers: 'a:1'}}})), undefined)
    assert.equal(secretInLayers(layers({profiles: {prod: {sasl: {password: 'x'}}}})), 'profiles.prod.sasl.password')
    assert.equal(secretInLayers(layers({properties: {'ssl.key.password': 'x'}})), 'properties.ssl.key.password')
  })

  it('refuses, through resolveSettings, an rc file with a secret that others can read; and accepts it at mode 600', async () => {
    const file = write('team/rc.json', JSON.stringify({brokers: 'a:1', oauth: {clientSecret: 'cs-77'}}), 0o644)
    await assert.rejects(
      resolveSettings({flags: {config: file}, env: {}, cwd: dir}),
      (err: KcliError) =>
        err.exit === 2 && err.message.includes('oauth.clientSecret') && !err.message.includes('cs-77'),
    )
    fs.chmodSync(file, 0o600)
    assert.equal(
      (await resolveSettings({flags: {config: file}, env: {}, cwd: dir})).security.oauthClientSecret,
      'cs-77',
    )
  })

  it('reads a password file named by the rc file, relative to it', async () => {
    write('team2/pw', 'from-file\n')
    const file = write('team2/rc.yaml', 'sasl:\n  mechanism: PLAIN\n  username: ann\n  passwordFile: pw\n', 0o644)
    const settings = await resolveSettings({flags: {config: file}, env: {}, cwd: '/'})
    assert.equal(settings.security.saslPassword, 'from-file')
    assert.equal(settings.secretFiles.saslPassword, path.join(dir, 'team2', 'pw'))
  })
})
