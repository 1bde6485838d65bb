// `kcli local start --schema-registry` against real JVMs: its own broker on port 22300 (controller 22400) and schema
// registry on 22800 (client port + 500), in a state dir of its own, away from the suite's broker and registry.
import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import {createConnection} from 'node:net'
import {networkInterfaces, tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {type RunResult, kcli as runKcli} from '../helpers.js'

const port = 22300
const registryPort = port + 500
const url = `http://127.0.0.1:${registryPort}/apis/ccompat/v7`
const stateDir = mkdtempSync(join(tmpdir(), 'kcli-local-registry-'))

function kcli(args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runKcli(args, {env: {KAFKA_HOME: undefined, KCLI_STATE_DIR: stateDir, ...env}, timeoutMs: 300_000})
}

function get(path: string): Promise<{status: number; body: string}> {
  return new Promise((resolve) => {
    http
      .get(`http://127.0.0.1:${registryPort}${path}`, (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
      })
      .on('error', () => resolve({status: 0, body: ''}))
  })
}

function accepts(host: string, target: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({port: target, host})
    socket.setTimeout(2000, () => done(false))
    socket.once('connect', () => {
      socket.destroy()
      done(true)
    })
    socket.once('error', () => done(false))
  })
}

interface Status {
  running: boolean
  state: string
  registry: {url: string; port: number; pid: number | null; running: boolean} | null
}

async function status(): Promise<Status> {
  return JSON.parse((await kcli(['local', 'status', '--json'])).out) as Status
}

describe('local start --schema-registry', () => {
  after(async () => {
    await kcli(['local', 'stop'])
  })

  it('runs Apicurio on 127.0.0.1 beside the broker, BACKWARD, and prints its URL on stderr only', async () => {
    const started = await kcli(['local', 'start', '--port', String(port), '--clean', '--schema-registry'])
    assert.equal(started.code, 0, started.stderr)
    assert.equal(started.out, `localhost:${port}\n`, 'stdout stays the bootstrap address alone')
    assert.match(
      started.stderr,
      new RegExp(`schema registry \\(Apicurio [^)]+\\): --registry-url ${url.replace(/\./g, '\\.')}`),
    )
    assert.equal((await get('/health/ready')).status, 200)
    assert.deepEqual(JSON.parse((await get('/apis/ccompat/v7/config')).body), {compatibilityLevel: 'BACKWARD'})
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    if (external) assert.equal(await accepts(external.address, registryPort), false, 'not reachable from outside')
    const s = await status()
    assert.equal(s.running, true)
    assert.deepEqual(
      {...s.registry, pid: typeof s.registry?.pid},
      {
        url,
        port: registryPort,
        pid: 'number',
        running: true,
        logFile: join(stateDir, 'logs', 'registry', 'registry.log'),
      },
    )
    const text = await kcli(['local', 'status'])
    assert.match(text.out, new RegExp(`registry ${url.replace(/\./g, '\\.')} {2}pid \\d+`))
  })

  it('keeps schema ids across a stop and a plain restart (H2 storage in the state dir)', async () => {
    const schema = join(mkdtempSync(join(tmpdir(), 'kcli-keep-')), 'keep.avsc')
    writeFileSync(schema, '{"type":"record","name":"K","fields":[]}')
    const first = await kcli(['schema', 'register', 'keep-value', schema, '--json'], {KCLI_REGISTRY_URL: url})
    assert.equal(first.code, 0, first.stderr)
    const id = (JSON.parse(first.out) as {id: number}).id

    const stopped = await kcli(['local', 'stop'])
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.match(stopped.stderr, /stopped the schema registry/)
    const down = await status()
    assert.equal(down.state, 'stopped')
    assert.equal(down.registry?.running, false)
    assert.equal(await accepts('127.0.0.1', registryPort), false)

    const again = await kcli(['local', 'start'])
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stderr, /--registry-url/, 'the registry comes back with the cluster')
    const kept = await kcli(['schema', 'get', 'keep-value', '--json'], {KCLI_REGISTRY_URL: url})
    assert.equal((JSON.parse(kept.out) as {id: number}).id, id)
  })

  it('reports a cluster whose registry is down as partly running, and --no-schema-registry removes it', async () => {
    const s = await status()
    process.kill(s.registry!.pid!, 'SIGKILL')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const partial = await kcli(['local', 'status'])
    assert.equal(partial.code, 1)
    assert.match(partial.out, /^partly running/)
    const repaired = await kcli(['local', 'start'])
    assert.equal(repaired.code, 0, repaired.stderr)
    assert.equal((await status()).registry?.running, true)
    const without = await kcli(['local', 'start', '--no-schema-registry'])
    assert.equal(without.code, 0, without.stderr)
    assert.match(without.stderr, /stopped the schema registry/)
    assert.equal((await status()).registry, null)
    assert.equal(await accepts('127.0.0.1', registryPort), false)
  })
})
