// Security settings end to end, against one real broker started with `kcli local start --sasl --tls` on its own ports
// (client 29420, controller 29520, SASL_SSL 29620, SSL with client certificates 29720) and state dir.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {type RunResult, kcli, lines, trustRcFile, uniqueName} from '../helpers.js'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-security-test-'))
const stateDir = path.join(root, 'broker')
const port = 29420
const plain = `localhost:${port}`
const saslSsl = `localhost:${port + 200}`
const mtls = `localhost:${port + 300}`
const security = path.join(stateDir, 'security')
const files = {
  password: path.join(security, 'kcli.password'),
  ca: path.join(security, 'ca.pem'),
  cert: path.join(security, 'client.pem'),
  key: path.join(security, 'client.key'),
}
let password = ''

interface Sandbox {
  home: string
  cwd: string
  xdg: string
  write(relativePath: string, content: string | object, mode?: number): string
  run(args: string[], options?: {env?: Record<string, string | undefined>; input?: string}): Promise<RunResult>
}

let sandboxes = 0
/** A HOME, a project folder to run in and a user config folder of its own, so no rc file from elsewhere is read. */
function sandbox(): Sandbox {
  const base = path.join(root, `sb${++sandboxes}`)
  const home = path.join(base, 'home')
  const cwd = path.join(home, 'project')
  const xdg = path.join(base, 'xdg')
  const data = path.join(base, 'data')
  fs.mkdirSync(cwd, {recursive: true})
  fs.mkdirSync(xdg, {recursive: true})
  return {
    home,
    cwd,
    xdg,
    write(relativePath, content, mode) {
      const file = path.resolve(cwd, relativePath)
      fs.mkdirSync(path.dirname(file), {recursive: true})
      fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
      if (mode !== undefined) fs.chmodSync(file, mode)
      // A project rc file is used once trusted (test/commands/config.test.ts shows what happens before).
      if (path.basename(file).startsWith('.kclirc')) trustRcFile(file, data)
      return file
    },
    run: (args, options = {}) =>
      kcli(args, {
        cwd,
        input: options.input,
        env: {HOME: home, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: data, KCLI_BROKERS: undefined, ...options.env},
        timeoutMs: 60_000,
      }),
  }
}

const scram = (mechanism = 'SCRAM-SHA-512') => [
  '-b',
  saslSsl,
  '--sasl-mechanism',
  mechanism,
  '--sasl-username',
  'kcli',
  '--ssl-ca',
  files.ca,
]
const withCert = [
  '-b',
  mtls,
  '--security-protocol',
  'SSL',
  '--ssl-ca',
  files.ca,
  '--ssl-cert',
  files.cert,
  '--ssl-key',
  files.key,
]

/** Fails if a secret shows anywhere in what a run printed. */
function assertNoSecret(result: RunResult, ...secrets: string[]): void {
  for (const secret of secrets) {
    assert.equal(result.out.includes(secret), false, `secret on stdout: ${result.out}`)
    assert.equal(result.stderr.includes(secret), false, `secret on stderr: ${result.stderr}`)
  }
}

function kcliErrors(result: RunResult): string[] {
  return lines(result.stderr).filter((l) => l.startsWith('kcli:'))
}

/** Creates a topic through the PLAINTEXT listener, outside any sandbox, so no rc file's security settings apply. */
async function createTopic(prefix: string): Promise<string> {
  const topic = uniqueName(prefix)
  const created = await kcli(['topic', 'create', topic, '-b', plain])
  assert.equal(created.code, 0, created.stderr)
  return topic
}

before(async () => {
  const started = await kcli(
    ['local', 'start', '--sasl', '--tls', '--port', String(port), '--state-dir', stateDir, '--clean'],
    {
      env: {KAFKA_HOME: undefined, KCLI_STATE_DIR: undefined},
      timeoutMs: 300_000,
    },
  )
  assert.equal(started.code, 0, started.stderr)
  assert.equal(started.out, `${plain}\n`)
  // stderr tells how to use each secured listener, naming the password file, never the password.
  assert.match(
    started.stderr,
    new RegExp(`SASL_SSL listener: --brokers ${saslSsl} .*--sasl-password-file ${files.password}`),
  )
  assert.match(
    started.stderr,
    new RegExp(`SSL listener: --brokers ${mtls} .*--ssl-cert ${files.cert} --ssl-key ${files.key}`),
  )
  password = fs.readFileSync(files.password, 'utf8').trim()
  assert.ok(password.length >= 16)
  assertNoSecret(started, password)
  for (const file of Object.values(files)) assert.equal(fs.statSync(file).mode & 0o077, 0, `${file} is private`)
})

after(async () => {
  await kcli(['local', 'stop', '--state-dir', stateDir, '--timeout', '15'])
  fs.rmSync(root, {recursive: true, force: true})
})

describe('SASL/SCRAM over TLS', () => {
  it('produces, consumes with a group and describes the group with the right credentials', async () => {
    const sb = sandbox()
    const topic = await createTopic('sec-scram')
    const group = uniqueName('sec-group')
    const auth = [...scram(), '--sasl-password-file', files.password]
    const produced = await sb.run(['produce', '-t', topic, ...auth], {input: '{"n":1}\n{"n":2}\n'})
    assert.equal(produced.code, 0, produced.stderr)
    const consumed = await sb.run(['consume', '-t', topic, '-g', group, '--from-beginning', '-e', ...auth])
    assert.equal(consumed.code, 0, consumed.stderr)
    assert.deepEqual(
      lines(consumed.out).map((l) => JSON.parse(l).value),
      [{n: 1}, {n: 2}],
    )
    const described = await sb.run(['group', 'describe', group, '--json', ...auth])
    assert.equal(described.code, 0, described.stderr)
    assert.match(described.out, new RegExp(topic))
    for (const result of [produced, consumed, described]) assertNoSecret(result, password)
  })

  it('takes the password from KCLI_SASL_PASSWORD, with SCRAM-SHA-256 and PLAIN too', async () => {
    const sb = sandbox()
    const topic = await createTopic('sec-env')
    for (const mechanism of ['SCRAM-SHA-256', 'PLAIN']) {
      const result = await sb.run(['produce', '-t', topic, ...scram(mechanism)], {
        input: '{"n":1}\n',
        env: {KCLI_SASL_PASSWORD: password},
      })
      assert.equal(result.code, 0, `${mechanism}: ${result.stderr}`)
      assertNoSecret(result, password)
    }
  })

  it("prints librdkafka's debug log with -X debug on stderr, never the password", async () => {
    const sb = sandbox()
    const topic = await createTopic('sec-debug')
    const result = await sb.run(['produce', '-t', topic, ...scram('PLAIN'), '-X', 'debug=all,conf'], {
      input: '{"n":1}\n',
      env: {KCLI_SASL_PASSWORD: password},
    })
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.out, '')
    // As librdkafka's own logger writes them: %level|time|facility|client| message.
    assert.match(result.stderr, /^%7\|\d+\.\d{3}\|SASL\|producer\| .*PLAIN/m)
    assert.match(result.stderr, /^%7\|\d+\.\d{3}\|CONF\|producer\| .*sasl\.mechanisms = PLAIN$/m)
    assertNoSecret(result, password)
    // Without -X debug, none of it.
    const quiet = await sb.run(['produce', '-t', topic, ...scram('PLAIN')], {
      input: '{"n":2}\n',
      env: {KCLI_SASL_PASSWORD: password},
    })
    assert.equal(quiet.code, 0, quiet.stderr)
    assert.doesNotMatch(quiet.stderr, /^%\d\|/m)
  })

  it('fails a wrong password with exit 3 at once, not after the timeout, naming broker and mechanism but no secret', async () => {
    const sb = sandbox()
    const wrong = 'wrong-Pa55-q8Zt'
    const began = Date.now()
    const result = await sb.run(['produce', '-t', 'any', ...scram('SCRAM-SHA-256'), '--timeout', '30s'], {
      input: '{"n":1}\n',
      env: {KCLI_SASL_PASSWORD: wrong},
    })
    const elapsed = Date.now() - began
    assert.equal(result.code, 3, result.stderr)
    // librdkafka would retry until the timeout; kcli ends on the first refusal (process start and one connect).
    assert.ok(elapsed < 6000, `took ${elapsed} ms`)
    const errors = kcliErrors(result)
    assert.equal(errors.length, 1, result.stderr)
    assert.ok(errors[0].includes(saslSsl) && errors[0].includes('SCRAM-SHA-256'), errors[0])
    assert.match(errors[0], /refused the user name or password/)
    assert.match(result.stderr, /hint: .*password/)
    assertNoSecret(result, wrong, password)
  })

  it('refuses to go on without a password when there is no terminal to ask on', async () => {
    const result = await sandbox().run(['produce', '-t', 'any', ...scram()], {input: ''})
    assert.equal(result.code, 2)
    assert.match(kcliErrors(result)[0], /no sasl\.password given, and no terminal/)
    assert.match(result.stderr, /KCLI_SASL_PASSWORD/)
  })

  it('fails against a CA that did not sign the broker with exit 3, naming the broker and SASL_SSL', async () => {
    const sb = sandbox()
    const otherCa = path.join(sb.cwd, 'other-ca.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(sb.cwd, 'other-ca.key'),
        '-out',
        otherCa,
        '-days',
        '1',
        '-subj',
        '/CN=other',
      ],
      {stdio: 'ignore'},
    )
    const began = Date.now()
    const args = [
      '-b',
      saslSsl,
      '--sasl-mechanism',
      'SCRAM-SHA-512',
      '--sasl-username',
      'kcli',
      '--sasl-password-file',
      files.password,
      '--ssl-ca',
      otherCa,
      '--timeout',
      '30s',
    ]
    const result = await sb.run(['produce', '-t', 'any', ...args], {input: '{"n":1}\n'})
    assert.equal(result.code, 3, result.stderr)
    assert.ok(Date.now() - began < 6000, 'ends at the failed handshake, not after the timeout')
    const errors = kcliErrors(result)
    assert.equal(errors.length, 1, result.stderr)
    assert.ok(errors[0].includes(saslSsl) && errors[0].includes('SASL_SSL'), errors[0])
    assert.match(result.stderr, /hint: .*CA/)
    assertNoSecret(result, password)

    // Turning verification off makes the same CA pass, and always says so.
    const unverified = await sb.run(['produce', '-t', await createTopic('sec-noverify'), ...args, '--no-ssl-verify'], {
      input: '{"n":1}\n',
    })
    assert.equal(unverified.code, 0, unverified.stderr)
    assert.match(unverified.stderr, /warning: TLS certificate verification is off/)
  })
})

describe('mTLS', () => {
  it('consumes with a client certificate, and fails without one', async () => {
    const sb = sandbox()
    const topic = await createTopic('sec-mtls')
    const produced = await sb.run(['produce', '-t', topic, ...withCert], {input: '{"n":1}\n'})
    assert.equal(produced.code, 0, produced.stderr)
    const consumed = await sb.run(['consume', '-t', topic, '--from-beginning', '-e', ...withCert])
    assert.equal(consumed.code, 0, consumed.stderr)
    assert.equal(lines(consumed.out).length, 1)

    const began = Date.now()
    const anonymous = await sb.run(['consume', '-t', topic, '-e', '-b', mtls, '--ssl-ca', files.ca, '--timeout', '30s'])
    assert.equal(anonymous.code, 3, anonymous.stderr)
    assert.ok(Date.now() - began < 6000, 'ends when the broker refuses the handshake')
    assert.match(kcliErrors(anonymous)[0], new RegExp(`${mtls}.* using SSL`))
    assert.match(anonymous.stderr, /client certificate/)
  })

  it('reads an encrypted key with its password from a file', async () => {
    const sb = sandbox()
    const keyPassword = 'key-pw-Hq72x'
    const passFile = sb.write('key.pass', `${keyPassword}\n`, 0o600)
    const encrypted = path.join(sb.cwd, 'client-enc.key')
    execFileSync(
      'openssl',
      ['pkcs8', '-topk8', '-in', files.key, '-out', encrypted, '-passout', `pass:${keyPassword}`, '-v2', 'aes-256-cbc'],
      {stdio: 'ignore'},
    )
    const args = ['-b', mtls, '--ssl-ca', files.ca, '--ssl-cert', files.cert, '--ssl-key', encrypted]
    const result = await sb.run(
      ['produce', '-t', await createTopic('sec-enc'), ...args, '--ssl-key-password-file', passFile],
      {input: '{"n":1}\n'},
    )
    assert.equal(result.code, 0, result.stderr)
    assertNoSecret(result, keyPassword)

    const noPassword = await sb.run(['produce', '-t', 'any', ...args], {input: ''})
    assert.equal(noPassword.code, 2)
    assert.match(kcliErrors(noPassword)[0], /no ssl\.keyPassword given/)
  })
})

describe('secrets in rc files', () => {
  const profileRc = (secretLine: string) =>
    `profile: secure\nprofiles:\n  secure:\n    brokers: ${saslSsl}\n    sasl:\n      mechanism: SCRAM-SHA-512\n      username: kcli\n${secretLine}    ssl:\n      ca: ${files.ca}\n  plain:\n    brokers: ${plain}\n`

  it('refuses an rc file with a password that others can read, saying how to fix it', async () => {
    const sb = sandbox()
    const rc = sb.write('.kclirc.yaml', profileRc(`      password: ${password}\n`), 0o644)
    for (const args of [
      ['config', 'show'],
      ['produce', '-t', 'any'],
    ]) {
      const result = await sb.run(args, {input: ''})
      assert.equal(result.code, 2, result.stderr)
      const errors = kcliErrors(result)
      assert.equal(errors.length, 1, result.stderr)
      assert.ok(errors[0].includes(rc) && errors[0].includes('profiles.secure.sasl.password'), errors[0])
      assert.ok(result.stderr.includes(`chmod 600 ${rc}`), result.stderr)
      assertNoSecret(result, password)
    }

    fs.chmodSync(rc, 0o600)
    const topic = await createTopic('sec-rc')
    const produced = await sb.run(['produce', '-t', topic], {input: '{"n":1}\n'})
    assert.equal(produced.code, 0, produced.stderr)
    assertNoSecret(produced, password)
  })

  it('masks secrets in config show, in the table and under --json, and names the file of a password file', async () => {
    const sb = sandbox()
    const rc = sb.write('.kclirc.yaml', profileRc(`      passwordFile: ${files.password}\n`))
    const flagSecret = 'flag-secret-Wm39'
    for (const json of [false, true]) {
      const result = await sb.run(['config', 'show', '--oauth-client-secret', flagSecret, ...(json ? ['--json'] : [])])
      assert.equal(result.code, 0, result.stderr)
      assertNoSecret(result, password, flagSecret)
      assert.match(result.stderr, /--oauth-client-secret on the command line can be seen by other users/)
      if (json) {
        const report = JSON.parse(result.out) as {
          profile: string
          settings: Array<{key: string; value: string; source: {name: string; profile?: string}}>
        }
        const row = (key: string) => report.settings.find((s) => s.key === key)
        assert.equal(report.profile, 'secure')
        assert.deepEqual(row('sasl.password'), {
          key: 'sasl.password',
          value: `******** (from ${files.password})`,
          source: {kind: 'file', name: rc, profile: 'secure'},
        })
        assert.equal(row('oauth.clientSecret')?.value, '********')
        assert.equal(row('security.protocol')?.value, 'SASL_SSL')
      } else {
        assert.match(result.out, /^sasl\.password\s+\*{8} \(from .*kcli\.password\)\s+.*\(profile secure\)$/m)
        assert.match(result.out, /^oauth\.clientSecret\s+\*{8}\s+--oauth-client-secret$/m)
      }
    }
  })

  it('chooses profiles with --profile, KCLI_PROFILE and kcli config use, flags first', async () => {
    const sb = sandbox()
    const user = path.join(sb.xdg, 'kcli', 'config.yaml')
    fs.mkdirSync(path.dirname(user))
    fs.writeFileSync(user, `# my clusters\n${profileRc(`      passwordFile: ${files.password}\n`)}`)
    const topic = await createTopic('sec-profile')

    const viaDefault = await sb.run(['produce', '-t', topic], {input: '{"n":1}\n'})
    assert.equal(viaDefault.code, 0, viaDefault.stderr)

    const used = await sb.run(['config', 'use', 'plain'])
    assert.equal(used.code, 0, used.stderr)
    assert.match(fs.readFileSync(user, 'utf8'), /^# my clusters\nprofile: plain\n/)
    const listed = JSON.parse((await sb.run(['config', 'profiles', '--json'])).out) as {
      current: string
      profiles: Array<{name: string; current: boolean}>
    }
    assert.equal(listed.current, 'plain')

    const shown = async (args: string[], env: Record<string, string> = {}) => {
      const result = await sb.run(['config', 'show', '--json', ...args], {env})
      assert.equal(result.code, 0, result.stderr)
      return JSON.parse(result.out) as {profile: string; settings: Array<{key: string; value: string}>}
    }
    assert.equal((await shown([])).profile, 'plain')
    assert.equal((await shown([], {KCLI_PROFILE: 'secure'})).profile, 'secure')
    assert.equal((await shown(['--profile', 'plain'], {KCLI_PROFILE: 'secure'})).profile, 'plain')
    const viaEnv = await sb.run(['consume', '-t', topic, '--from-beginning', '-e'], {env: {KCLI_PROFILE: 'secure'}})
    assert.equal(viaEnv.code, 0, viaEnv.stderr)
    assert.equal(lines(viaEnv.out).length, 1)

    const unknown = await sb.run(['config', 'show', '--profile', 'nope'])
    assert.equal(unknown.code, 2)
    assert.match(kcliErrors(unknown)[0], /no profile "nope"/)
    assert.match(unknown.stderr, /plain, secure|secure, plain/)
  })

  it('adds a profile with config add, private to the user when it holds a password', async () => {
    const sb = sandbox()
    const added = await sb.run(['config', 'add', 'secure', ...scram(), '--sasl-password', password])
    assert.equal(added.code, 0, added.stderr)
    assertNoSecret(added, password)
    const user = path.join(sb.xdg, 'kcli', 'config.yaml')
    assert.equal(fs.statSync(user).mode & 0o777, 0o600)
    const topic = await createTopic('sec-add')
    const produced = await sb.run(['produce', '-t', topic], {input: '{"n":1}\n'})
    assert.equal(produced.code, 0, produced.stderr)
    const again = await sb.run(['config', 'add', 'secure', '-b', plain])
    assert.equal(again.code, 2)
  })
})

describe('properties that run programs', () => {
  it('never runs them from an untrusted project rc file; takes them from a trusted one or a named one', async () => {
    const sb = sandbox()
    const ran = path.join(root, uniqueName('ran'))
    const rc = path.join(sb.cwd, '.kclirc.yaml')
    fs.writeFileSync(
      rc,
      `brokers: ${plain}\nsasl:\n  mechanism: PLAIN\nproperties:\n  sasl.kerberos.kinit.cmd: "touch ${ran}"\n`,
    )
    const produce = await sb.run(['produce', '-t', 'any', '--timeout', '2s'], {input: '{"n":1}\n'})
    assert.notEqual(produce.code, 0)
    assert.match(produce.stderr, /ignoring .*\.kclirc\.yaml: rc files found in a project are used only once trusted/)
    assert.equal(fs.existsSync(ran), false)
    const shown = await sb.run(['config', 'show', '--config', rc])
    assert.equal(shown.code, 0, shown.stderr)
    assert.match(shown.out, /^properties\.sasl\.kerberos\.kinit\.cmd\s+touch/m)
  })

  it('takes them from flags', async () => {
    const result = await sandbox().run(['config', 'show', '-X', 'plugin.library.paths=/nowhere/plugin.so'])
    assert.equal(result.code, 0, result.stderr)
  })
})
