// Configs, ACLs and SCRAM users against one real broker with SASL over TLS and Kafka's authorizer
// (`kcli local start --sasl --tls --acl`) on its own ports (client/PLAINTEXT 24640, controller 24740, SASL_SSL 24840,
// TLS 24940) and state dir: `kcli` is a super user, `kcli-limited` has no ACLs until a test grants some. Access is
// checked the way a user would: with that user's own kcli.
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {assertOneLine, eventually, kcliJson} from '../admin-helpers.js'
import {type RunOptions, type RunResult, kcli, lines, uniqueName} from '../helpers.js'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-admin-secure-test-'))
const stateDir = path.join(root, 'broker')
const port = 24640
const plaintext = ['-b', `localhost:${port}`]
const security = path.join(stateDir, 'security')
const passwordFile = (user: string) => path.join(security, `${user}.password`)
/** The SASL_SSL listener as `user`, with a password file and a mechanism. */
const as = (user: string, file = passwordFile(user), mechanism = 'SCRAM-SHA-512') => [
  '-b',
  `localhost:${port + 200}`,
  '--security-protocol',
  'SASL_SSL',
  '--sasl-mechanism',
  mechanism,
  '--sasl-username',
  user,
  '--sasl-password-file',
  file,
  '--ssl-ca',
  path.join(security, 'ca.pem'),
]
const secrets: string[] = []

/** Runs kcli and checks that no password it knows of was printed. */
async function run(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await kcli(args, options)
  for (const secret of secrets)
    assert.ok(!result.out.includes(secret) && !result.stderr.includes(secret), `a password was printed: ${args}`)
  return result
}

async function ok(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(args, options)
  assert.equal(result.code, 0, `kcli ${args.join(' ')}: ${result.stderr}`)
  return result
}

/** A private file holding a new random password. */
function newPasswordFile(name: string): {file: string; password: string} {
  const password = `pw-${randomBytes(12).toString('hex')}`
  const file = path.join(root, `${name}.password`)
  fs.writeFileSync(file, `${password}\n`, {mode: 0o600})
  secrets.push(password)
  return {file, password}
}

before(async () => {
  const started = await kcli(
    ['local', 'start', '--sasl', '--tls', '--acl', '--port', String(port), '--state-dir', stateDir, '--clean'],
    {env: {KAFKA_HOME: undefined, KCLI_STATE_DIR: undefined}, timeoutMs: 300_000},
  )
  assert.equal(started.code, 0, started.stderr)
  secrets.push(...['kcli', 'kcli-limited'].map((u) => fs.readFileSync(passwordFile(u), 'utf8').trim()))
})

after(async () => {
  await kcli(['local', 'stop', '--state-dir', stateDir, '--timeout', '15'])
  fs.rmSync(root, {recursive: true, force: true})
})

type Configs = {topics: Array<{configs: Array<{name: string; value: string | null; source: string}> | null}>}

describe('topic configs over SASL_SSL and PLAINTEXT', () => {
  const setOnTopic = async (connection: string[], name: string) => {
    const [doc] = await kcliJson<Configs>('topic-describe.schema.json', ['topic', 'describe', topic, ...connection])
    return doc.topics[0].configs?.find((c) => c.name === name && c.source === 'DYNAMIC_TOPIC_CONFIG')?.value
  }
  const topic = uniqueName('secure-configs')

  it('a change made over one protocol reads back over both', async () => {
    await ok(['topic', 'create', topic, '-c', 'retention.ms=3600000', ...as('kcli')])
    const [changed] = await kcliJson<{applied: boolean}>('topic-alter-config.schema.json', [
      'topic',
      'alter-config',
      topic,
      '--set',
      'retention.ms=86400000',
      '--yes',
      ...as('kcli'),
    ])
    assert.equal(changed.applied, true)
    for (const connection of [as('kcli'), plaintext])
      await eventually(
        'retention.ms',
        () => setOnTopic(connection, 'retention.ms'),
        (v) => v === '86400000',
      )

    await ok(['topic', 'alter-config', topic, '--set', 'segment.ms=7200000', '--yes', ...plaintext])
    for (const connection of [as('kcli'), plaintext])
      await eventually(
        'segment.ms',
        () => setOnTopic(connection, 'segment.ms'),
        (v) => v === '7200000',
      )
  })

  it('the stock client library reads them over PLAINTEXT only, and says why not over SASL_SSL', async () => {
    const stock = {env: {KCLI_DATA_PATH: 'stock'}}
    const [secured] = await kcliJson<Configs & {configsUnavailable: string | null}>(
      'topic-describe.schema.json',
      ['topic', 'describe', topic, ...as('kcli')],
      stock,
    )
    assert.equal(secured.topics[0].configs, null)
    assert.match(secured.configsUnavailable ?? '', /cannot be read over SASL_SSL: .*KCLI_DATA_PATH=stock/)
    const [plain] = await kcliJson<Configs>(
      'topic-describe.schema.json',
      ['topic', 'describe', topic, ...plaintext],
      stock,
    )
    assert.ok(plain.topics[0].configs?.some((c) => c.name === 'retention.ms' && c.value === '86400000'))
  })
})

type Acls = {acls: Array<Record<string, string>>; dryRun?: boolean; applied?: boolean}

describe('ACLs', () => {
  const topic = uniqueName('secure-acl')
  const group = uniqueName('secure-acl-g')
  const limited = ['--allow-principal', 'User:kcli-limited']
  /** kcli-limited reads the topic from the beginning as group `group`. */
  const readAsLimited = () =>
    run(['consume', '-t', topic, '-g', group, '--from-beginning', '-e', ...as('kcli-limited')])

  it('a granted ACL lets a user without rights read; its deletion takes that away again', async () => {
    await ok(['topic', 'create', topic, ...as('kcli')])
    await ok(['produce', '-t', topic, '-q', ...as('kcli')], {input: '{"n":1}\n{"n":2}\n'})
    assertOneLine(await readAsLimited(), 2, new RegExp(`"${topic}"`))

    const grant = [
      'acl',
      'create',
      ...limited,
      '--operation',
      'read',
      '--topic',
      topic,
      '--group',
      group,
      ...as('kcli'),
    ]
    const [dry] = await kcliJson<Acls>('acl-create.schema.json', [...grant, '--dry-run'])
    assert.equal(dry.applied, false)
    const [listedBefore] = await kcliJson<Acls>('acl-list.schema.json', ['acl', 'list', ...limited, ...as('kcli')])
    assert.deepEqual(listedBefore.acls, [], 'a dry run creates nothing')

    const [created, createRun] = await kcliJson<Acls>('acl-create.schema.json', grant)
    const expected = [
      {resourceType: 'group', resourceName: group},
      {resourceType: 'topic', resourceName: topic},
    ].map((r) => ({
      principal: 'User:kcli-limited',
      host: '*',
      ...r,
      patternType: 'literal',
      operation: 'read',
      permission: 'allow',
    }))
    assert.deepEqual(
      [...created.acls].sort((a, b) => a.resourceType.localeCompare(b.resourceType)),
      expected,
    )
    assert.match(createRun.stderr, /Created 2 ACLs/)
    const table = await ok(['acl', 'create', ...limited, '--operation', 'read', '--topic', topic, ...as('kcli')])
    assert.match(table.out, /^PRINCIPAL +HOST +RESOURCE-TYPE +RESOURCE-NAME +PATTERN +OPERATION +PERMISSION$/m)
    assert.match(table.out, new RegExp(`^User:kcli-limited +\\* +topic +${topic} +literal +read +allow$`, 'm'))

    const [listed] = await kcliJson<Acls>('acl-list.schema.json', ['acl', 'list', ...limited, ...as('kcli')])
    assert.deepEqual(listed.acls, expected)
    const [matching] = await kcliJson<Acls>('acl-list.schema.json', [
      'acl',
      'list',
      '--topic',
      topic,
      '--resource-pattern-type',
      'match',
      ...as('kcli'),
    ])
    assert.deepEqual(matching.acls, [expected[1]])

    const read = await eventually('kcli-limited reading', readAsLimited, (r) => r.code === 0)
    assert.equal(lines(read.out).length, 2)

    // Deleting shows the matches first, and needs --yes where nobody can be asked.
    assertOneLine(
      await run(['acl', 'delete', ...limited, ...as('kcli')]),
      2,
      /confirmation needed, but stdin or stderr is not a terminal/,
    )
    const [dryDelete] = await kcliJson<Acls>('acl-delete.schema.json', [
      'acl',
      'delete',
      ...limited,
      '--dry-run',
      ...as('kcli'),
    ])
    assert.deepEqual(dryDelete.acls, expected)
    assert.equal(dryDelete.applied, false)
    const [deleted] = await kcliJson<Acls>('acl-delete.schema.json', [
      'acl',
      'delete',
      ...limited,
      '--yes',
      ...as('kcli'),
    ])
    assert.deepEqual(deleted.acls, expected)
    assert.equal(deleted.applied, true)
    const [after] = await kcliJson<Acls>('acl-list.schema.json', ['acl', 'list', ...limited, ...as('kcli')])
    assert.deepEqual(after.acls, [])

    const refused = await eventually('kcli-limited refused again', readAsLimited, (r) => r.code !== 0)
    assertOneLine(refused, 2, new RegExp(`"${topic}"`))
  })

  it('refuses bad ACLs before sending them, and a user without cluster rights with one line', async () => {
    assertOneLine(
      await run([
        'acl',
        'create',
        '--allow-principal',
        'kcli-limited',
        '--operation',
        'read',
        '--topic',
        topic,
        ...as('kcli'),
      ]),
      2,
      /a principal is Type:name/,
    )
    assertOneLine(
      await run(['acl', 'create', ...limited, '--operation', 'write', '--group', group, ...as('kcli')]),
      2,
      /operation write does not apply to a group/,
    )
    assertOneLine(
      await run(['acl', 'delete', '--operation', 'read', '--yes', ...as('kcli')]),
      2,
      /name a principal or a resource/,
    )
    assertOneLine(await run(['acl', 'list', ...as('kcli-limited')]), 1, /^kcli: not allowed to list ACLs$/)
    assertOneLine(
      await run(['acl', 'create', ...limited, '--operation', 'read', '--topic', topic, ...as('kcli-limited')]),
      1,
      /^kcli: not allowed to create 1 ACL$/,
    )
    assertOneLine(await run(['user', 'list', ...as('kcli-limited')]), 1, /^kcli: not allowed to list SCRAM users$/)
  })
})

type Users = {users: Array<{user: string; credentials: Array<{mechanism: string; iterations: number}>}>}

describe('SCRAM users', () => {
  const user = uniqueName('svc')
  /** `topic list` as the user: exit 0 once it can log in, 3 when refused. */
  const login = (file: string, mechanism = 'SCRAM-SHA-512') =>
    run(['topic', 'list', '--timeout', '5s', ...as(user, file, mechanism)])

  it('a user created can log in; deleted, it is refused', async () => {
    const sha512 = newPasswordFile('sha512')
    const [created] = await kcliJson<{updated: boolean}>('user-create.schema.json', [
      'user',
      'create',
      user,
      '--password-file',
      sha512.file,
      ...as('kcli'),
    ])
    assert.deepEqual(created, {user, mechanism: 'SCRAM-SHA-512', iterations: 8192, updated: false})
    await eventually(
      'a login with SCRAM-SHA-512',
      () => login(sha512.file),
      (r) => r.code === 0,
    )
    assertOneLine(
      await run(['user', 'create', user, '--password-file', sha512.file, ...as('kcli')]),
      2,
      new RegExp(`user ${user} has a SCRAM-SHA-512 credential already`),
    )

    // SCRAM-SHA-256 as well, its password from the variable.
    const sha256 = newPasswordFile('sha256')
    await ok(['user', 'create', user, '--mechanism', 'scram-sha-256', ...as('kcli')], {
      env: {KCLI_USER_PASSWORD: sha256.password},
    })
    await eventually(
      'a login with SCRAM-SHA-256',
      () => login(sha256.file, 'SCRAM-SHA-256'),
      (r) => r.code === 0,
    )
    const [listed] = await kcliJson<Users>('user-list.schema.json', ['user', 'list', user, ...as('kcli')])
    assert.deepEqual(listed.users, [
      {
        user,
        credentials: [
          {mechanism: 'SCRAM-SHA-256', iterations: 8192},
          {mechanism: 'SCRAM-SHA-512', iterations: 8192},
        ],
      },
    ])

    // A new password with --update, typed as a flag: it works, with a warning, and the old one is refused.
    const changed = newPasswordFile('changed')
    const updated = await ok(['user', 'create', user, '--update', '--password', changed.password, ...as('kcli')])
    assert.match(updated.stderr, /warning: --password on the command line can be seen by other users/)
    await eventually(
      'a login with the new password',
      () => login(changed.file),
      (r) => r.code === 0,
    )
    assertOneLine(await login(sha512.file), 3, /refused the user name or password/)

    assertOneLine(
      await run(['user', 'delete', user, ...as('kcli')]),
      2,
      /confirmation needed, but stdin or stderr is not a terminal/,
    )
    const [deleted] = await kcliJson<Users>('user-delete.schema.json', ['user', 'delete', user, '--yes', ...as('kcli')])
    assert.deepEqual(deleted.users, listed.users)
    await eventually(
      'the login refused',
      () => login(changed.file),
      (r) => r.code === 3,
    )
    assertOneLine(await login(sha256.file, 'SCRAM-SHA-256'), 3, /refused the user name or password/)
    assertOneLine(
      await run(['user', 'list', user, ...as('kcli')]),
      2,
      new RegExp(`user ${user} has no SCRAM credentials`),
    )
  })

  it('refuses a readable password file, a missing password, and two sources of one', async () => {
    const {file} = newPasswordFile('public')
    fs.chmodSync(file, 0o644)
    assertOneLine(
      await run(['user', 'create', user, '--password-file', file, ...as('kcli')]),
      2,
      /but other users can read it/,
    )
    assertOneLine(await run(['user', 'create', user, ...as('kcli')]), 2, /no password for user .*no terminal to ask/)
    assertOneLine(
      await run(['user', 'create', user, '--password', 'x', ...as('kcli')], {env: {KCLI_USER_PASSWORD: 'y'}}),
      2,
      /KCLI_USER_PASSWORD and --password were both given/,
    )
  })
})
