// `kcli config show` and rc files end to end: the real CLI in throwaway directories, and precedence proven on the real
// broker.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {after, describe, it} from 'node:test'

import {ClusterContext} from '../../src/lib/kafka/cluster.js'
import {watermarks} from '../../src/lib/kafka/offsets.js'
import {resolveSettings} from '../../src/lib/settings/resolve.js'
import {type RunResult, brokers, createTopic, kcli, lines, trustRcFile, uniqueName} from '../helpers.js'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-config-test-'))
after(() => fs.rmSync(root, {recursive: true, force: true}))

interface Sandbox {
  /** HOME of the run: the rc search stops here, so nothing above the sandbox can leak in. */
  home: string
  /** home/project: where project rc files go. */
  project: string
  /** home/project/sub: the directory kcli runs in. */
  cwd: string
  /** XDG_CONFIG_HOME of the run; the user config file goes in xdg/kcli/. */
  xdg: string
  /** XDG_DATA_HOME of the run: where trust in project rc files is kept. */
  data: string
  /** Writes a file; a project rc file (.kclirc*, package.json) is trusted unless `trust` is false. */
  write(relativePath: string, content: string | object, trust?: boolean): string
  run(args: string[], env?: Record<string, string | undefined>): Promise<RunResult>
}

let sandboxes = 0
function sandbox(): Sandbox {
  const base = path.join(root, String(++sandboxes))
  const home = path.join(base, 'home')
  const project = path.join(home, 'project')
  const cwd = path.join(project, 'sub')
  const xdg = path.join(base, 'xdg')
  const data = path.join(base, 'data')
  fs.mkdirSync(cwd, {recursive: true})
  fs.mkdirSync(xdg, {recursive: true})
  return {
    home,
    project,
    cwd,
    xdg,
    data,
    write(relativePath, content, trust = true) {
      const file = path.resolve(cwd, relativePath)
      fs.mkdirSync(path.dirname(file), {recursive: true})
      fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
      if (trust && /^(\.kclirc.*|package\.json)$/.test(path.basename(file))) trustRcFile(file, data)
      return file
    },
    // The helper exports the suite's broker as KCLI_BROKERS; these tests want to see the rc file's brokers unless they
    // say so.
    run: (args, env = {}) =>
      kcli(args, {cwd, env: {HOME: home, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: data, KCLI_BROKERS: undefined, ...env}}),
  }
}

interface Row {
  value: string
  source: {kind: string; name: string}
}
interface Shown {
  configFile: string | null
  rows: Map<string, Row>
}

/** Runs `config show --json` and indexes its settings by key. */
async function show(sb: Sandbox, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<Shown> {
  const result = await sb.run(['config', 'show', '--json', ...args], env)
  assert.equal(result.code, 0, `config show failed: ${result.stderr}`)
  const report = JSON.parse(result.out) as {configFile: string | null; settings: Array<{key: string} & Row>}
  return {configFile: report.configFile, rows: new Map(report.settings.map(({key, ...row}) => [key, row]))}
}

function row(shown: Shown, key: string): Row {
  const found = shown.rows.get(key)
  assert.ok(found, `no "${key}" in ${JSON.stringify([...shown.rows.keys()])}`)
  return found
}

/** The error lines a user reads: stderr without hints. */
function errorLines(result: RunResult): string[] {
  return lines(result.stderr).filter((l) => !l.startsWith('  hint:'))
}

describe('config show', () => {
  it('shows the defaults and says no rc file was found', async () => {
    const sb = sandbox()
    const shown = await show(sb)
    assert.equal(shown.configFile, null)
    assert.deepEqual([...shown.rows.keys()], ['brokers', 'clientId', 'timeout'])
    assert.deepEqual(row(shown, 'brokers'), {value: 'localhost:9092', source: {kind: 'default', name: 'default'}})
    assert.deepEqual(row(shown, 'clientId'), {value: 'kcli', source: {kind: 'default', name: 'default'}})
    assert.deepEqual(row(shown, 'timeout'), {value: '10s', source: {kind: 'default', name: 'default'}})

    const human = await sb.run(['config', 'show'])
    assert.equal(human.code, 0)
    assert.equal(human.stderr, '')
    const out = lines(human.out)
    assert.match(out[0], /^KEY\s+VALUE\s+SOURCE$/)
    assert.match(out.find((l) => l.startsWith('brokers')) ?? '', /^brokers\s+localhost:9092\s+default$/)
    assert.equal(out.at(-1), 'rc file: none found')
  })

  it('does not connect: an unreachable broker is shown at once, with exit 0', async () => {
    const sb = sandbox()
    const started = Date.now()
    const result = await sb.run(['config', 'show', '-b', 'localhost:1', '--timeout', '30s'])
    assert.equal(result.code, 0, result.stderr)
    assert.ok(Date.now() - started < 10_000)
    assert.match(result.out, /^brokers\s+localhost:1\s+--brokers$/m)
  })

  it('lists the connection flags in its help', async () => {
    const result = await kcli(['config', 'show', '--help'])
    assert.equal(result.code, 0)
    for (const flag of ['--brokers', '--client-id', '--config', '--timeout', '--property', '--json'])
      assert.ok(result.out.includes(flag), flag)
  })
})

describe('rc file discovery', () => {
  it('finds .kclirc.json in the current directory', async () => {
    const sb = sandbox()
    const file = sb.write('.kclirc.json', {brokers: 'cwd:1'})
    const shown = await show(sb)
    assert.equal(shown.configFile, file)
    assert.deepEqual(row(shown, 'brokers'), {value: 'cwd:1', source: {kind: 'file', name: file}})
  })

  it('finds .kclirc.yaml in a parent directory', async () => {
    const sb = sandbox()
    const file = sb.write('../.kclirc.yaml', 'brokers:\n  - parent-a:1\n  - parent-b:1\nclientId: from-yaml\n')
    const shown = await show(sb)
    assert.equal(shown.configFile, file)
    assert.equal(row(shown, 'brokers').value, 'parent-a:1,parent-b:1')
    assert.deepEqual(row(shown, 'clientId'), {value: 'from-yaml', source: {kind: 'file', name: file}})
  })

  it('prefers the nearest file to one further up', async () => {
    const sb = sandbox()
    sb.write('../.kclirc.yaml', 'brokers: parent:1\n')
    const near = sb.write('.kclirc', 'brokers: near:1\n')
    const shown = await show(sb)
    assert.equal(shown.configFile, near)
    assert.equal(row(shown, 'brokers').value, 'near:1')
  })

  it('reads the "kcli" key of package.json, and skips a package.json without one', async () => {
    const sb = sandbox()
    sb.write('package.json', {name: 'app', version: '1.0.0'})
    const pkg = sb.write('../package.json', {name: 'workspace', kcli: {brokers: 'pkg:1', topic: 'orders'}})
    const shown = await show(sb)
    assert.equal(shown.configFile, pkg)
    assert.equal(row(shown, 'brokers').value, 'pkg:1')
    assert.deepEqual(row(shown, 'topic'), {value: 'orders', source: {kind: 'file', name: pkg}})
  })

  it('does not look above the home directory', async () => {
    const sb = sandbox()
    sb.write('../../../.kclirc.json', {brokers: 'above-home:1'})
    const shown = await show(sb)
    assert.equal(shown.configFile, null)
    assert.equal(row(shown, 'brokers').value, 'localhost:9092')
  })

  it('falls back to the user config file in $XDG_CONFIG_HOME/kcli, below any project file', async () => {
    const sb = sandbox()
    const user = path.join(sb.xdg, 'kcli', 'config.json')
    fs.mkdirSync(path.dirname(user))
    fs.writeFileSync(user, JSON.stringify({brokers: 'user:1', clientId: 'me'}))
    const alone = await show(sb)
    assert.equal(alone.configFile, user)
    assert.deepEqual(row(alone, 'brokers'), {value: 'user:1', source: {kind: 'file', name: user}})

    // The project file replaces the user file as a whole; the two are not merged.
    const project = sb.write('.kclirc.json', {brokers: 'project:1'})
    const both = await show(sb)
    assert.equal(both.configFile, project)
    assert.equal(row(both, 'brokers').value, 'project:1')
    assert.deepEqual(row(both, 'clientId').source, {kind: 'default', name: 'default'})
  })

  it('reads --config <file>, relative to the current directory, instead of searching', async () => {
    const sb = sandbox()
    sb.write('.kclirc.json', {brokers: 'searched:1'})
    const chosen = sb.write('envs/staging.yml', 'brokers: staging:1\n')
    const shown = await show(sb, ['--config', 'envs/staging.yml'])
    assert.equal(shown.configFile, chosen)
    assert.deepEqual(row(shown, 'brokers'), {value: 'staging:1', source: {kind: 'file', name: chosen}})

    const human = await sb.run(['config', 'show', '--config', 'envs/staging.yml'])
    assert.equal(lines(human.out).at(-1), `rc file: ${chosen} (from --config)`)
  })

  it('reads KCLI_CONFIG instead of searching, and --config over KCLI_CONFIG', async () => {
    const sb = sandbox()
    sb.write('.kclirc.json', {brokers: 'searched:1'})
    const fromEnv = sb.write('env.json', {brokers: 'env-file:1'})
    const fromFlag = sb.write('flag.json', {brokers: 'flag-file:1'})

    const viaEnv = await show(sb, [], {KCLI_CONFIG: fromEnv})
    assert.equal(viaEnv.configFile, fromEnv)
    assert.equal(row(viaEnv, 'brokers').value, 'env-file:1')

    const viaBoth = await show(sb, ['--config', fromFlag], {KCLI_CONFIG: fromEnv})
    assert.equal(viaBoth.configFile, fromFlag)
    assert.equal(row(viaBoth, 'brokers').value, 'flag-file:1')
  })

  it('refuses a --config file that does not exist, with exit 2', async () => {
    const sb = sandbox()
    const result = await sb.run(['config', 'show', '--config', 'nope.json'])
    assert.equal(result.code, 2)
    assert.equal(result.out, '')
    assert.deepEqual(errorLines(result), ['kcli: config file nope.json does not exist'])
  })
})

describe('precedence, end to end', () => {
  it('takes each setting from flag over environment over rc file over default', async () => {
    const sb = sandbox()
    const file = sb.write('.kclirc.json', {
      brokers: 'file:1',
      clientId: 'file-id',
      timeout: '3s',
      topic: 'file-topic',
      properties: {'linger.ms': 5, 'compression.type': 'lz4'},
    })
    const shown = await show(sb, ['--brokers', 'flag:1', '-X', 'linger.ms=50'], {
      KCLI_BROKERS: 'env:1',
      KCLI_CLIENT_ID: 'env-id',
    })
    assert.deepEqual(row(shown, 'brokers'), {value: 'flag:1', source: {kind: 'flag', name: '--brokers'}})
    assert.deepEqual(row(shown, 'clientId'), {value: 'env-id', source: {kind: 'env', name: 'KCLI_CLIENT_ID'}})
    assert.deepEqual(row(shown, 'timeout'), {value: '3s', source: {kind: 'file', name: file}})
    assert.deepEqual(row(shown, 'topic'), {value: 'file-topic', source: {kind: 'file', name: file}})
    assert.deepEqual(row(shown, 'properties.linger.ms'), {value: '50', source: {kind: 'flag', name: '-X linger.ms'}})
    assert.deepEqual(row(shown, 'properties.compression.type'), {value: 'lz4', source: {kind: 'file', name: file}})

    const envOverFile = await show(sb, [], {KCLI_BROKERS: 'env:1', KCLI_TIMEOUT: '500ms'})
    assert.deepEqual(row(envOverFile, 'brokers'), {value: 'env:1', source: {kind: 'env', name: 'KCLI_BROKERS'}})
    assert.deepEqual(row(envOverFile, 'timeout'), {value: '500ms', source: {kind: 'env', name: 'KCLI_TIMEOUT'}})
  })

  it('shows the same sources in the table', async () => {
    const sb = sandbox()
    const file = sb.write('.kclirc.json', {brokers: 'file:1', clientId: 'file-id'})
    const result = await sb.run(['config', 'show', '-X', 'acks=1'], {KCLI_CLIENT_ID: 'env-id'})
    assert.equal(result.code, 0, result.stderr)
    const out = lines(result.out)
    assert.ok(
      out.some((l) => /^brokers\s+file:1\s+/.test(l) && l.endsWith(file)),
      result.out,
    )
    assert.ok(
      out.some((l) => /^clientId\s+env-id\s+KCLI_CLIENT_ID$/.test(l)),
      result.out,
    )
    assert.ok(
      out.some((l) => /^properties\.acks\s+1\s+-X acks$/.test(l)),
      result.out,
    )
    assert.equal(out.at(-1), `rc file: ${file} (from search, trusted)`)
  })

  it('refuses an invalid KCLI_TIMEOUT with exit 2, naming the variable', async () => {
    const sb = sandbox()
    const result = await sb.run(['config', 'show'], {KCLI_TIMEOUT: 'later'})
    assert.equal(result.code, 2)
    assert.equal(errorLines(result).length, 1)
    assert.match(result.stderr, /^kcli: KCLI_TIMEOUT: "later" is not a duration$/m)
    assert.match(result.stderr, /hint: A duration is a number of seconds, or a number with a unit/)
  })

  it('warns when a bare number reads as a long wait in seconds, as milliseconds once did', async () => {
    const sb = sandbox()
    const slip = await sb.run(['config', 'show'], {KCLI_TIMEOUT: '5000'})
    assert.equal(slip.code, 0, slip.stderr)
    assert.match(
      slip.stderr,
      /^warning: KCLI_TIMEOUT: 5000 is 5000 seconds \(83 minutes\); for milliseconds write 5000ms$/m,
    )
    for (const fine of ['30', '5000ms', '2h']) {
      const quiet = await sb.run(['config', 'show'], {KCLI_TIMEOUT: fine})
      assert.equal(quiet.code, 0, quiet.stderr)
      assert.doesNotMatch(quiet.stderr, /warning/)
    }
  })
})

describe('invalid rc files', () => {
  for (const [name, text] of [
    ['.kclirc.json', '{"brokers": "a:1",'],
    ['.kclirc.yaml', 'brokers: [a:1\n  clientId: : x\n'],
  ] as const) {
    it(`exits 2 with one line naming ${name} when it does not parse`, async () => {
      const sb = sandbox()
      const file = sb.write(name, text)
      const result = await sb.run(['config', 'show'])
      assert.equal(result.code, 2)
      assert.equal(result.out, '')
      const errors = errorLines(result)
      assert.equal(errors.length, 1, result.stderr)
      assert.ok(errors[0].startsWith(`kcli: ${file}: `), errors[0])
    })
  }

  it('fails every Kafka command the same way, before connecting', async () => {
    const sb = sandbox()
    const file = sb.write('.kclirc.json', '{')
    const result = await sb.run(['produce', '-t', 'anything'], {KCLI_BROKERS: brokers})
    assert.equal(result.code, 2)
    assert.equal(errorLines(result).length, 1, result.stderr)
    assert.ok(result.stderr.includes(file))
  })

  it('exits 2 naming the file and an unknown key', async () => {
    const sb = sandbox()
    const file = sb.write('.kclirc.json', {brokers: 'a:1', bootstrapServers: 'b:1'})
    const result = await sb.run(['config', 'show'])
    assert.equal(result.code, 2)
    assert.equal(result.out, '')
    assert.deepEqual(errorLines(result), [`kcli: ${file}: unknown key "bootstrapServers"`])
  })

  it('exits 2 naming the file and a key of the wrong type', async () => {
    const sb = sandbox()
    const file = sb.write('../.kclirc.yml', 'timeout: true\n')
    const result = await sb.run(['config', 'show'])
    assert.equal(result.code, 2)
    const errors = errorLines(result)
    assert.equal(errors.length, 1, result.stderr)
    assert.ok(errors[0].startsWith(`kcli: ${file}: "timeout"`), errors[0])
  })

  it('exits 2 naming the file and the property of the wrong type', async () => {
    const sb = sandbox()
    const file = sb.write('.kclirc.json', {properties: {'linger.ms': [5]}})
    const result = await sb.run(['config', 'show'])
    assert.equal(result.code, 2)
    assert.ok(result.stderr.includes(`${file}: "properties.linger.ms"`), result.stderr)
  })
})

describe('secrets', () => {
  const fromFlag = 'flag-secret-7Qx9'
  const fromFile = 'file-secret-K2m4'
  const inJaas = 'jaas-secret-Zp31'

  for (const json of [false, true]) {
    it(`never prints a secret from -X or the rc file${json ? ' under --json' : ''}`, async () => {
      const sb = sandbox()
      const rc = sb.write(
        '.kclirc.yaml',
        `properties:\n  ssl.key.password: ${fromFile}\n  sasl.jaas.config: "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"u\\" password=\\"${inJaas}\\";"\n  sasl.username: alice\n`,
      )
      // An rc file holding a secret must be private to its owner, or kcli refuses it (test/commands/security.test.ts).
      fs.chmodSync(rc, 0o600)
      const args = [
        'config',
        'show',
        '-X',
        `sasl.password=${fromFlag}`,
        '-X',
        'sasl.mechanism=PLAIN',
        ...(json ? ['--json'] : []),
      ]
      const result = await sb.run(args)
      assert.equal(result.code, 0, result.stderr)
      for (const secret of [fromFlag, fromFile, inJaas]) {
        assert.equal(result.out.includes(secret), false, `${secret} in stdout`)
        assert.equal(result.stderr.includes(secret), false, `${secret} in stderr`)
      }
      if (json) {
        const report = JSON.parse(result.out) as {settings: Array<{key: string; value: string}>}
        const value = (key: string) => report.settings.find((s) => s.key === key)?.value
        assert.equal(value('properties.sasl.password'), '********')
        assert.equal(value('properties.ssl.key.password'), '********')
        assert.equal(value('properties.sasl.jaas.config'), '********')
        assert.equal(value('properties.sasl.mechanism'), 'PLAIN')
      } else {
        assert.match(result.out, /^properties\.sasl\.password\s+\*{8}\s+-X sasl\.password$/m)
        assert.match(result.out, /^properties\.sasl\.mechanism\s+PLAIN\s+-X sasl\.mechanism$/m)
      }
    })
  }
})

describe('precedence against the broker', () => {
  it('lets KCLI_BROKERS override an rc file that points at a dead port', async () => {
    const sb = sandbox()
    sb.write('.kclirc.json', {brokers: 'localhost:1', timeout: '2s'})
    const topic = await createTopic(uniqueName('config-precedence'))
    const result = await kcli(['produce', '-t', topic, '-q'], {
      cwd: sb.cwd,
      env: {HOME: sb.home, XDG_CONFIG_HOME: sb.xdg, XDG_DATA_HOME: sb.data, KCLI_BROKERS: brokers},
      input: '{"n":1}\n{"n":2}\n',
    })
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')

    const {default: Kafka} = (await import('@confluentinc/kafka-javascript')) as unknown as {
      default: typeof import('@confluentinc/kafka-javascript')
    }
    const admin = Kafka.AdminClient.create({'bootstrap.servers': brokers, log_level: 3} as never)
    try {
      const cluster = ClusterContext.over(await resolveSettings({flags: {brokers}, env: {}, cwd: sb.cwd}), {admin})
      const marks = await watermarks(cluster, [{topic, partition: 0}])
      assert.deepEqual([...marks.values()], [{low: 0, high: 2}])
    } finally {
      admin.disconnect()
    }
  })

  it('uses the rc file alone: exit 3 within its timeout, one line naming localhost:1', async () => {
    const sb = sandbox()
    sb.write('.kclirc.json', {brokers: 'localhost:1', timeout: '2s'})
    const started = Date.now()
    const result = await sb.run(['produce', '-t', uniqueName('never-created')])
    const elapsed = Date.now() - started
    assert.equal(result.code, 3, result.stderr)
    // The default timeout is 10s; finishing well before it shows the rc file's 2s was used.
    assert.ok(elapsed < 8000, `took ${elapsed} ms`)
    const errors = lines(result.stderr).filter((l) => l.startsWith('kcli:'))
    assert.equal(errors.length, 1, result.stderr)
    assert.match(errors[0], /localhost:1\b/)
    assert.match(errors[0], /\b2s\b/)
    assert.equal(/^\s+at /m.test(result.stderr), false, 'no stack trace')
  })
})

describe('project rc files and trust', () => {
  it('ignores an untrusted project file in one line, uses it once trusted, and ignores it again once it changes', async () => {
    const sb = sandbox()
    const file = sb.write('../.kclirc.yaml', 'brokers: project:1\nclientId: project\n', false)
    const ignored = await sb.run(['config', 'show'])
    assert.equal(ignored.code, 0, ignored.stderr)
    assert.deepEqual(lines(ignored.stderr), [
      `warning: ignoring ${file}: rc files found in a project are used only once trusted; read it, then run \`kcli config trust\``,
    ])
    assert.match(ignored.out, /^brokers\s+localhost:9092\s+default$/m)
    assert.ok(lines(ignored.out).includes(`ignored: ${file} (not trusted: kcli config trust)`), ignored.out)

    const trusted = await sb.run(['config', 'trust'])
    assert.equal(trusted.code, 0, trusted.stderr)
    assert.match(
      trusted.stderr,
      new RegExp(`^trusted ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(sha256 [0-9a-f]{12}…\\)$`, 'm'),
    )
    assert.match(trusted.stderr, /^it sets brokers, clientId$/m)
    const used = await show(sb)
    assert.equal(used.configFile, file)
    assert.equal(row(used, 'brokers').value, 'project:1')
    const listed = await sb.run(['config', 'trust', '--list', '--json'])
    assert.deepEqual(
      JSON.parse(listed.out).map((r: {file: string; state: string}) => [r.file, r.state]),
      [[file, 'trusted']],
    )

    fs.appendFileSync(file, 'topic: added-later\n')
    const changed = await sb.run(['config', 'show', '--json'])
    assert.equal(changed.code, 0)
    assert.match(changed.stderr, /ignoring .*: it changed since you trusted it/)
    assert.deepEqual(JSON.parse(changed.out).ignoredFiles, [{file, reason: 'changed'}])
    assert.equal(JSON.parse(changed.out).configFile, null)

    const untrust = await sb.run(['config', 'untrust'])
    assert.equal(untrust.code, 0)
    assert.match(untrust.stderr, /is no longer trusted/)
  })

  it("never sends the user's secret to a token endpoint an untrusted project file names", async () => {
    const sb = sandbox()
    const requests: string[] = []
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? '')
      res.writeHead(500).end()
    })
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve))
    const port = (server.address() as {port: number}).port
    try {
      const secretFile = path.join(sb.home, 'prod.secret')
      fs.writeFileSync(secretFile, 'users-secret-Hq7\n', {mode: 0o600})
      sb.write(
        '.kclirc.yaml',
        `brokers: localhost:${port}\nsasl:\n  mechanism: OAUTHBEARER\noauth:\n  tokenUrl: http://localhost:${port}/token\n  clientId: me\n  clientSecretFile: ~/prod.secret\nproperties:\n  sasl.oauthbearer.token.endpoint.url: http://localhost:${port}/token2\n`,
        false,
      )
      // With the file ignored, the secret in the environment has no endpoint at all: a usage error, not a request.
      const withEnv = await sb.run(['topic', 'list', '--timeout', '2s'], {KCLI_OAUTH_CLIENT_SECRET: 'env-secret-Zw1'})
      assert.equal(withEnv.code, 2, withEnv.stderr)
      assert.match(withEnv.stderr, /ignoring .*\.kclirc\.yaml/)
      const plain = await sb.run(['topic', 'list', '--timeout', '2s'])
      assert.equal(plain.code, 3, plain.stderr)
      assert.match(plain.stderr, /cannot reach Kafka at localhost:9092/)
      assert.deepEqual(requests, [], 'nothing reached the server the file chose')
      for (const secret of ['users-secret-Hq7', 'env-secret-Zw1'])
        assert.equal(withEnv.stderr.includes(secret) || plain.stderr.includes(secret), false)
    } finally {
      server.close()
    }
  })

  it('never runs a JavaScript rc file, or cosmiconfig meta config, found by searching', async () => {
    const sb = sandbox()
    const marker = path.join(sb.home, 'ran')
    const code = `import fs from 'node:fs'; fs.writeFileSync(${JSON.stringify(marker)}, 'x'); export default {brokers: 'evil:1'}`
    const js = sb.write('kcli.config.mjs', code)
    sb.write('.config/config.mjs', code)
    sb.write('.config/config.yaml', 'cosmiconfig:\n  searchPlaces: [evil.mjs]\n')
    sb.write('evil.mjs', code)
    for (const args of [
      ['config', 'show'],
      ['produce', '-t', 'x', '--dry-run'],
      ['topic', 'list', '--timeout', '1s'],
    ]) {
      const result = await sb.run(args)
      assert.ok(result.stderr.includes(`ignoring ${js}: JavaScript rc files run code`), result.stderr)
    }
    assert.equal(fs.existsSync(marker), false, 'no code from the project ran')
    const named = await sb.run(['config', 'show', '--config', js])
    assert.equal(named.code, 0, named.stderr)
    assert.equal(fs.existsSync(marker), true, 'a JavaScript file the user names does run')
  })

  it('skips a package.json that does not parse, in one line, and goes on', async () => {
    const sb = sandbox()
    const pkg = sb.write('package.json', '{"name": "broken",', false)
    const result = await sb.run(['config', 'show'])
    assert.equal(result.code, 0, result.stderr)
    const warnings = lines(result.stderr)
    assert.equal(warnings.length, 1, result.stderr)
    assert.ok(warnings[0].startsWith(`warning: ignoring ${pkg}: not valid JSON (`), warnings[0])
  })
})
