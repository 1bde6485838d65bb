import assert from 'node:assert/strict'
import {type IncomingMessage, type ServerResponse, createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'

import fs from 'node:fs'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'

import {credentialFiles, ensureCertificates} from '../../../src/lib/local/credentials.js'
import {RegistryClient, RegistryError, redactUrl} from '../../../src/lib/registry/registry-client.js'

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void
let handler: Handler = (_q, _b, res) => res.end()
const seen: {method: string; url: string; headers: IncomingMessage['headers']; body: string}[] = []
const server = createServer((req, res) => {
  let body = ''
  req.on('data', (c: Buffer) => (body += c.toString()))
  req.on('end', () => {
    seen.push({method: req.method!, url: req.url!, headers: req.headers, body})
    handler(req, body, res)
  })
})
let base = ''

function json(res: ServerResponse, status: number, value: unknown, type = 'application/json'): void {
  res.writeHead(status, {'Content-Type': type})
  res.end(JSON.stringify(value))
}

async function rejects(p: Promise<unknown>, kind: string, re: RegExp): Promise<RegistryError> {
  try {
    await p
  } catch (err) {
    assert.ok(err instanceof RegistryError, String(err))
    assert.equal(err.kind, kind, err.message)
    assert.match(err.message, re)
    assert.doesNotMatch(err.message, /\n/)
    return err
  }
  assert.fail('expected a RegistryError')
}

describe('registry client', () => {
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => server.close())

  it('sends the Confluent content type and parses answers', async () => {
    handler = (req, _b, res) => json(res, 200, req.url === '/subjects/a%2Fb/versions' ? {id: 7} : {})
    const c = new RegistryClient({url: base + '/'})
    assert.equal(await c.register('a/b', {schema: '"string"'}), 7)
    const last = seen.at(-1)!
    assert.equal(last.headers['content-type'], 'application/vnd.schemaregistry.v1+json')
    assert.deepEqual(JSON.parse(last.body), {schema: '"string"'})
    await c.register('a/b', {
      schema: 'syntax="proto3";',
      schemaType: 'PROTOBUF',
      references: [{name: 'x.proto', subject: 'x', version: 1}],
    })
    assert.deepEqual(JSON.parse(seen.at(-1)!.body), {
      schema: 'syntax="proto3";',
      schemaType: 'PROTOBUF',
      references: [{name: 'x.proto', subject: 'x', version: 1}],
    })
  })

  it('caches schemas by id and successful registrations', async () => {
    let calls = 0
    handler = (_q, _b, res) => {
      calls++
      json(res, 200, {schema: 'syntax="proto3";', schemaType: 'PROTOBUF', references: []})
    }
    const c = new RegistryClient({url: base})
    const [a, b] = await Promise.all([c.getSchemaById(5), c.getSchemaById(5)])
    assert.equal(a, b)
    await c.getSchemaById(5)
    assert.equal(calls, 1)
    assert.deepEqual(a, {id: 5, schema: 'syntax="proto3";', schemaType: 'PROTOBUF', references: []})
  })

  it('treats a missing schemaType as AVRO and fills lookup answers from the request', async () => {
    handler = (req, _b, res) =>
      json(
        res,
        200,
        req.url!.startsWith('/schemas')
          ? {schema: '"int"'}
          : {subject: 's', version: 1, id: 3, schema: '{}', references: []},
      )
    const c = new RegistryClient({url: base})
    assert.equal((await c.getSchemaById(1)).schemaType, 'AVRO')
    assert.equal((await c.lookup('s', {schema: '{}', schemaType: 'JSON'})).schemaType, 'JSON')
  })

  it('maps HTTP errors to kinds with one-line messages', async () => {
    const c = new RegistryClient({url: base})
    handler = (_q, _b, res) =>
      json(res, 404, {error_code: 40401, message: "No artifact with ID 'nope' in group 'null' was found."})
    await rejects(
      c.listVersions('nope'),
      'not-found',
      /^schema registry GET http:\/\/127\.0\.0\.1:\d+\/subjects\/nope\/versions: 404 subject not found: No artifact/,
    )
    handler = (_q, _b, res) => json(res, 404, {error_code: 40403, message: 'Schema not found'})
    await rejects(c.getSchemaById(99), 'not-found', /404 schema not found/)
    handler = (_q, _b, res) =>
      json(res, 404, {error_code: 0, message: 'RESTEASY003210: Could not find resource for full path'})
    await rejects(c.listSubjects(), 'not-found', /404 no such endpoint: RESTEASY/).then((e) =>
      assert.match(e.hint ?? '', /ends with \/apis\/ccompat\/v7/),
    )
    handler = (_q, _b, res) =>
      json(res, 409, {
        error_code: 409,
        message:
          'io.apicurio.registry.rules.RuleViolationException: Incompatible artifact: s [AVRO], num of incompatible diffs: {1}\nCauses: x',
      })
    await rejects(
      c.register('s', {schema: '"long"'}),
      'incompatible',
      /409 incompatible schema: Incompatible artifact: s \[AVRO\], num of incompatible diffs: \{1\} Causes: x$/,
    )
    handler = (_q, _b, res) => json(res, 409, {error_code: 40405, message: 'Subject :s must be soft deleted first'})
    await rejects(c.deleteSubject('s', {permanent: true}), 'invalid', /409 subject is not soft-deleted/)
    handler = (_q, _b, res) => json(res, 422, {error_code: 42201, message: 'Invalid schema'})
    await rejects(c.register('s2', {schema: '{'}), 'invalid', /422 invalid schema: Invalid schema/)
    handler = (_q, _b, res) => {
      res.writeHead(400, {'Content-Type': 'application/json'})
      res.end('Not able to deserialize data provided.')
    }
    await rejects(c.setCompatibility('BOGUS'), 'invalid', /400 Bad Request: Not able to deserialize data provided\.$/)
    handler = (_q, _b, res) => json(res, 500, {error_code: 50001, message: 'boom'})
    await rejects(c.listSubjects(), 'server', /500 Internal Server Error: boom/)
    handler = (_q, _b, res) => {
      res.writeHead(200, {'Content-Type': 'text/html'})
      res.end('<html>\n<body>hello</body></html>')
    }
    await rejects(
      c.listSubjects(),
      'protocol',
      /200 answer is not JSON \(<html> <body>hello<\/body><\/html>\): is this URL a Schema Registry API\?/,
    )
  })

  it('sends credentials but never prints them', async () => {
    handler = (_q, _b, res) => json(res, 401, {error_code: 40101, message: 'Unauthorized'})
    const c = new RegistryClient({url: base.replace('http://', 'http://alice:s3cr3t@') + '/ctx?x=1'})
    const err = await rejects(c.listSubjects(), 'unauthorized', /401 authentication required or rejected/)
    assert.equal(seen.at(-1)!.headers.authorization, 'Basic ' + Buffer.from('alice:s3cr3t').toString('base64'))
    assert.doesNotMatch(err.message + err.url + c.url, /alice|s3cr3t/)
    const t = new RegistryClient({url: base, auth: {bearerToken: 'tok-123'}})
    handler = (_q, _b, res) => json(res, 403, {error_code: 40301, message: 'forbidden'})
    const e2 = await rejects(t.listSubjects(), 'forbidden', /403 not allowed with these credentials/)
    assert.equal(seen.at(-1)!.headers.authorization, 'Bearer tok-123')
    assert.doesNotMatch(e2.message, /tok-123/)
    assert.equal(redactUrl('https://u:p@h:1/a?token=z#f'), 'https://h:1/a')
  })

  it('reports connection refused and timeouts as unreachable', async () => {
    const dead = createServer()
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r))
    const port = (dead.address() as AddressInfo).port
    await new Promise<void>((r) => dead.close(() => r()))
    await rejects(
      new RegistryClient({url: `http://127.0.0.1:${port}`}).listSubjects(),
      'unreachable',
      /^cannot reach the schema registry: GET http:\/\/127\.0\.0\.1:\d+\/subjects: connection refused$/,
    )
    handler = () => {
      /* never answers */
    }
    const t0 = Date.now()
    await rejects(
      new RegistryClient({url: base, timeoutMs: 200}).listSubjects(),
      'unreachable',
      /no answer within 200 ms/,
    )
    assert.ok(Date.now() - t0 < 2000)
  })

  it('normalizes compatibility answers (Confluent messages, Apicurio reason)', async () => {
    const c = new RegistryClient({url: base})
    handler = (_q, _b, res) =>
      json(res, 200, {is_compatible: false, messages: ['READER_FIELD_MISSING_DEFAULT_VALUE x']})
    assert.deepEqual(await c.checkCompatibility('s', {schema: '{}'}), {
      compatible: false,
      messages: ['READER_FIELD_MISSING_DEFAULT_VALUE x'],
    })
    assert.match(seen.at(-1)!.url, /\/compatibility\/subjects\/s\/versions\/latest\?verbose=true$/)
    handler = (_q, _b, res) => json(res, 200, {is_compatible: false, reason: 'Incompatible artifact: s'})
    assert.deepEqual(await c.checkCompatibility('s', {schema: '{}'}), {
      compatible: false,
      messages: ['Incompatible artifact: s'],
    })
    handler = (_q, _b, res) => json(res, 200, {is_compatible: true, reason: null})
    assert.deepEqual(await c.checkCompatibility('s', {schema: '{}'}, 3), {compatible: true, messages: []})
  })

  it('resolves references transitively, dependencies first', async () => {
    const versions: Record<string, unknown> = {
      '/subjects/a/versions/1': {
        subject: 'a',
        version: 1,
        id: 1,
        schema: 'A',
        schemaType: 'PROTOBUF',
        references: [{name: 'b.proto', subject: 'b', version: 2}],
      },
      '/subjects/b/versions/2': {subject: 'b', version: 2, id: 2, schema: 'B', schemaType: 'PROTOBUF', references: []},
      '/subjects/c/versions/1': {
        subject: 'c',
        version: 1,
        id: 3,
        schema: 'C',
        schemaType: 'PROTOBUF',
        references: [{name: 'b.proto', subject: 'b', version: 2}],
      },
    }
    handler = (req, _b, res) => json(res, 200, versions[req.url!])
    const c = new RegistryClient({url: base})
    const r = await c.resolveReferences([
      {name: 'a.proto', subject: 'a', version: 1},
      {name: 'c.proto', subject: 'c', version: 1},
    ])
    assert.deepEqual(
      r.map((x) => `${x.name}=${x.schema}`),
      ['b.proto=B', 'a.proto=A', 'c.proto=C'],
    )
  })

  it('verifies an https registry with the CA it is given, and fails on TLS without it (exit 3)', async () => {
    const files = credentialFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-registry-tls-')))
    await ensureCertificates(files)
    const pem = fs.readFileSync(files.brokerKeystore, 'utf8')
    const secure = https.createServer({key: pem, cert: pem}, (_req, res) => json(res, 200, ['s']))
    await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r))
    const url = `https://localhost:${(secure.address() as AddressInfo).port}`
    try {
      const trusted = new RegistryClient({url, ca: fs.readFileSync(files.ca, 'utf8')})
      assert.deepEqual(await trusted.listSubjects(), ['s'])
      const err = await rejects(new RegistryClient({url}).listSubjects(), 'unreachable', /TLS error|certificate/)
      assert.equal(err.exit, 3)
    } finally {
      secure.close()
    }
  })

  it('rejects bad URLs early', () => {
    assert.throws(() => new RegistryClient({url: 'localhost:8081'}), /must start with http:\/\/ or https:\/\//)
    assert.throws(() => new RegistryClient({url: 'http://'}), /is not a valid URL/)
  })
})
