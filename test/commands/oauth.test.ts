// OAUTHBEARER end to end: librdkafka's OIDC client credentials against a real broker started with `kcli local start
// --oauth` (client 29070, controller 29170, OAUTHBEARER 29470) and a token endpoint of this file's own on 127.0.0.1,
// which hands out unsigned JWTs (all the broker's default validator accepts) to one client id and secret.
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import {type Server, createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {type RunResult, kcli as runKcli, lines, uniqueName} from '../helpers.js'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-oauth-test-'))
const stateDir = path.join(root, 'broker')
const port = 29070
const plain = `localhost:${port}`
const oauthListener = `localhost:${port + 400}`
const clientId = 'kcli-test-app'
const secret = `cs-${randomBytes(12).toString('hex')}`
const secretFile = path.join(root, 'client.secret')

/** What the token endpoint was asked, for the tests to check. */
interface TokenRequest {
  clientId: string
  secret: string
  grantType: string | null
  scope: string | null
  granted: boolean
}
const requests: TokenRequest[] = []
let server: Server
let tokenUrl = ''

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** An OAuth token endpoint: client credentials by HTTP Basic auth, as librdkafka sends them; an unsigned JWT back. */
function startTokenEndpoint(): Promise<void> {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''
      const decoded = Buffer.from(basic, 'base64').toString()
      const colon = decoded.indexOf(':')
      const form = new URLSearchParams(body)
      const request: TokenRequest = {
        clientId: decoded.slice(0, colon),
        secret: decoded.slice(colon + 1),
        grantType: form.get('grant_type'),
        scope: form.get('scope'),
        granted: false,
      }
      request.granted =
        req.method === 'POST' &&
        request.clientId === clientId &&
        request.secret === secret &&
        request.grantType === 'client_credentials'
      requests.push(request)
      res.setHeader('content-type', 'application/json')
      if (!request.granted) {
        res.writeHead(401).end(JSON.stringify({error: 'invalid_client'}))
        return
      }
      const now = Math.floor(Date.now() / 1000)
      const claims = {
        sub: clientId,
        iat: now,
        exp: now + 3600,
        ...(request.scope === null ? {} : {scope: request.scope}),
      }
      res.writeHead(200).end(
        JSON.stringify({
          access_token: `${b64url({alg: 'none'})}.${b64url(claims)}.`,
          token_type: 'bearer',
          expires_in: 3600,
        }),
      )
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`
      resolve()
    }),
  )
}

function kcli(
  args: string[],
  options: {env?: Record<string, string | undefined>; input?: string; timeoutMs?: number} = {},
): Promise<RunResult> {
  // No suite broker, no state dir or Kafka install of the developer's, and a folder of our own with no rc file in it.
  return runKcli(args, {
    cwd: root,
    input: options.input,
    env: {KCLI_BROKERS: undefined, KAFKA_HOME: undefined, KCLI_STATE_DIR: undefined, ...options.env},
    timeoutMs: options.timeoutMs,
  })
}

const oauth = () => ['-b', oauthListener, '--oauth-token-url', tokenUrl, '--oauth-client-id', clientId]

function assertNoSecret(result: RunResult, ...secrets: string[]): void {
  for (const value of secrets) {
    assert.equal(result.out.includes(value), false, `secret on stdout: ${result.out}`)
    assert.equal(result.stderr.includes(value), false, `secret on stderr: ${result.stderr}`)
  }
}

function kcliErrors(result: RunResult): string[] {
  return lines(result.stderr).filter((l) => l.startsWith('kcli:'))
}

before(async () => {
  fs.writeFileSync(secretFile, `${secret}\n`, {mode: 0o600})
  await startTokenEndpoint()
  const started = await kcli(
    ['local', 'start', '--oauth', '--port', String(port), '--state-dir', stateDir, '--clean'],
    {timeoutMs: 300_000},
  )
  assert.equal(started.code, 0, started.stderr)
  assert.equal(started.out, `${plain}\n`)
  assert.match(
    started.stderr,
    new RegExp(
      `^OAUTHBEARER listener: --brokers ${oauthListener} --security-protocol SASL_PLAINTEXT --sasl-mechanism OAUTHBEARER --oauth-token-url `,
      'm',
    ),
  )
})

after(async () => {
  await kcli(['local', 'stop', '--state-dir', stateDir, '--timeout', '15'])
  server?.close()
  fs.rmSync(root, {recursive: true, force: true})
})

describe('OAUTHBEARER with OIDC client credentials', () => {
  it('produces and consumes with a group through the OAUTHBEARER listener, with the scope as given', async () => {
    const topic = uniqueName('oauth')
    const created = await kcli(['topic', 'create', topic, '-b', plain])
    assert.equal(created.code, 0, created.stderr)
    const scope = 'kafka.read kafka+write'
    const before = requests.length

    const produced = await kcli(['produce', '-t', topic, ...oauth(), '--oauth-scope', scope], {
      input: '{"n":1}\n{"n":2}\n',
      env: {KCLI_OAUTH_CLIENT_SECRET: secret},
    })
    assert.equal(produced.code, 0, produced.stderr)
    const consumed = await kcli([
      'consume',
      '-t',
      topic,
      '-g',
      uniqueName('oauth-group'),
      '--from-beginning',
      '-e',
      ...oauth(),
      '--oauth-client-secret-file',
      secretFile,
    ])
    assert.equal(consumed.code, 0, consumed.stderr)
    assert.deepEqual(
      lines(consumed.out).map((l) => JSON.parse(l).value),
      [{n: 1}, {n: 2}],
    )
    for (const result of [produced, consumed]) assertNoSecret(result, secret)

    // Each client fetched its token from the endpoint with the right credentials; the scope arrived unchanged.
    const asked = requests.slice(before)
    assert.ok(asked.length >= 2 && asked.every((r) => r.granted), JSON.stringify(asked))
    assert.ok(
      asked.some((r) => r.scope === scope),
      JSON.stringify(asked.map((r) => r.scope)),
    )
  })

  it('fails a wrong client secret with exit 3 at once (not after the timeout), in one line, showing no secret', async () => {
    const wrong = `wrong-${randomBytes(6).toString('hex')}`
    const before = requests.length
    const began = Date.now()
    const result = await kcli(
      ['produce', '-t', 'any', ...oauth(), '--oauth-client-secret', wrong, '--timeout', '30s'],
      {
        input: '{"n":1}\n',
      },
    )
    const elapsed = Date.now() - began
    assert.equal(result.code, 3, result.stderr)
    assert.ok(elapsed < 6000, `took ${elapsed} ms`)
    const errors = kcliErrors(result)
    assert.equal(errors.length, 1, result.stderr)
    assert.ok(errors[0].includes(oauthListener) && errors[0].includes('OAUTHBEARER'), errors[0])
    assert.match(errors[0], /refused the client credentials \(HTTP 401\)/)
    assert.equal(result.out, '')
    assertNoSecret(result, wrong, secret)
    // The endpoint refused that secret: the failure is the credentials', not a broker that was down.
    assert.ok(requests.slice(before).some((r) => r.secret === wrong && !r.granted))
  })

  // kcli's patch has librdkafka load libcurl for its first token request instead of with the library.
  it('names libcurl where it cannot be loaded, with exit 3 at once, asking the endpoint nothing', async () => {
    const noCurl = fs.mkdtempSync(path.join(root, 'no-curl-'))
    // Found first on LD_LIBRARY_PATH, a file of that name that is no library stands for a machine without libcurl.
    fs.writeFileSync(path.join(noCurl, 'libcurl.so.4'), 'not a library\n')
    const before = requests.length
    const began = Date.now()
    const result = await kcli(
      ['produce', '-t', 'any', ...oauth(), '--oauth-client-secret-file', secretFile, '--timeout', '30s'],
      {input: '{"n":1}\n', env: {LD_LIBRARY_PATH: noCurl}},
    )
    const elapsed = Date.now() - began
    assert.equal(result.code, 3, result.stderr)
    // Half of --timeout: ends at the failed token request, not at the timeout, with room for a loaded machine.
    assert.ok(elapsed < 15_000, `took ${elapsed} ms`)
    const errors = kcliErrors(result)
    assert.equal(errors.length, 1, result.stderr)
    assert.match(errors[0], /libcurl, which OAuth token requests need, could not be loaded \(.*libcurl\.so\.4: /)
    assert.equal(result.out, '')
    assertNoSecret(result, secret)
    assert.equal(requests.length, before)
  })
})

describe('OAuth settings without a broker', () => {
  it('masks the client secret in config show, from a variable and from a file', async () => {
    const fromEnv = await kcli(['config', 'show', ...oauth()], {env: {KCLI_OAUTH_CLIENT_SECRET: secret}})
    assert.equal(fromEnv.code, 0, fromEnv.stderr)
    assert.match(fromEnv.out, /^oauth\.clientSecret\s+\*{8}\s+KCLI_OAUTH_CLIENT_SECRET$/m)
    assert.match(fromEnv.out, new RegExp(`^oauth\\.tokenUrl\\s+${tokenUrl.replaceAll('.', '\\.')}\\s`, 'm'))
    assert.match(fromEnv.out, /^sasl\.mechanism\s+OAUTHBEARER\s/m)

    const fromFile = await kcli(['config', 'show', '--json', ...oauth(), '--oauth-client-secret-file', secretFile])
    assert.equal(fromFile.code, 0, fromFile.stderr)
    const report = JSON.parse(fromFile.out) as {settings: Array<{key: string; value: string}>}
    assert.equal(report.settings.find((s) => s.key === 'oauth.clientSecret')?.value, `******** (from ${secretFile})`)
    for (const result of [fromEnv, fromFile]) assertNoSecret(result, secret)
  })

  it('refuses client credentials without a token endpoint, or without a secret and a terminal, before connecting', async () => {
    const noEndpoint = await kcli(['produce', '-t', 'any', '-b', oauthListener, '--oauth-client-id', clientId], {
      input: '',
      env: {KCLI_OAUTH_CLIENT_SECRET: secret},
    })
    assert.equal(noEndpoint.code, 2, noEndpoint.stderr)
    assert.match(kcliErrors(noEndpoint)[0] ?? '', /OAUTHBEARER client credentials need oauth\.tokenUrl/)

    const noSecret = await kcli(['produce', '-t', 'any', ...oauth()], {input: ''})
    assert.equal(noSecret.code, 2, noSecret.stderr)
    assert.match(kcliErrors(noSecret)[0] ?? '', /no oauth\.clientSecret given, and no terminal/)
    assert.match(noSecret.stderr, /KCLI_OAUTH_CLIENT_SECRET/)
  })
})
