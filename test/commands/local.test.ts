// `kcli local start|stop|status` against real JVMs: each test owns a state dir and ports in 29000-29999,
// away from the suite's shared broker (19092). Every JVM start is reused for as many checks as possible.
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createConnection, createServer, Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {RunResult, kcli as runKcli, lines} from '../helpers.js'

// Starting may resolve the Kafka jars with Maven on a first run, which is slow.
const startTimeoutMs = 300_000

function kcli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<RunResult> {
  // A developer's KAFKA_HOME or KCLI_STATE_DIR must not leak into these runs.
  return runKcli(args, {env: {KAFKA_HOME: undefined, KCLI_STATE_DIR: undefined, ...env}, timeoutMs})
}

function newStateDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `kcli-local-${name}-`))
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({port, host: 'localhost'})
    socket.setTimeout(2000, () => {
      socket.destroy()
      done(false)
    })
    socket.once('connect', () => {
      socket.destroy()
      done(true)
    })
    socket.once('error', () => done(false))
  })
}

/** A zombie (exited, waiting for a lazy init to reap it) counts as gone. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 1).trim())
  } catch {
    return !existsSync('/proc/self/stat')
  }
}

/** A user-facing failure: one `kcli:` line (plus an optional hint), never a stack trace. */
function assertOneLineError(result: RunResult, pattern: RegExp): void {
  const errLines = lines(result.stderr)
  assert.match(errLines[0] ?? '', /^kcli: /, result.stderr)
  assert.match(errLines[0], pattern)
  assert.ok(
    errLines.slice(1).every((line) => line.startsWith('  hint: ')),
    result.stderr,
  )
  assert.equal(result.out, '')
}

async function stopQuietly(stateDir: string): Promise<void> {
  await kcli(['local', 'stop', '--state-dir', stateDir, '--timeout', '15'])
  rmSync(stateDir, {recursive: true, force: true})
}

describe('kcli local with three brokers', () => {
  const stateDir = newStateDir('three')
  const ports = [29100, 29101, 29102]
  after(() => stopQuietly(stateDir))

  it('starts them, reports them, and stops them within the bound', async () => {
    const start = await kcli(
      ['local', 'start', '--brokers', '3', '--port', '29100', '--state-dir', stateDir],
      {},
      startTimeoutMs,
    )
    assert.equal(start.code, 0, start.stderr)
    assert.equal(start.out, 'localhost:29100,localhost:29101,localhost:29102\n')
    assert.match(start.stderr, /started 3 brokers in [\d.]+s/)

    const status = await kcli(['local', 'status', '--state-dir', stateDir, '--json'])
    assert.equal(status.code, 0, status.stderr)
    const report = JSON.parse(status.out)
    assert.equal(report.running, true)
    assert.equal(report.kafkaVersion, '4.3.1')
    assert.equal(report.bootstrap, 'localhost:29100,localhost:29101,localhost:29102')
    assert.deepEqual(
      report.nodes.map((n: {id: number; port: number; controllerPort: number; running: boolean}) => [
        n.id,
        n.port,
        n.controllerPort,
        n.running,
      ]),
      [
        [1, 29100, 29200, true],
        [2, 29101, 29201, true],
        [3, 29102, 29202, true],
      ],
    )
    const pids: number[] = report.nodes.map((n: {pid: number}) => n.pid)
    assert.ok(pids.every((pid) => Number.isInteger(pid) && pidAlive(pid)))
    for (const port of ports) assert.equal(await accepts(port), true, `port ${port} accepts connections`)

    const text = await kcli(['local', 'status', '--state-dir', stateDir])
    assert.equal(text.code, 0)
    assert.match(text.out, /^running {2}localhost:29100,localhost:29101,localhost:29102$/m)

    const began = Date.now()
    const stop = await kcli(['local', 'stop', '--state-dir', stateDir, '--timeout', '30'])
    assert.equal(stop.code, 0, stop.stderr)
    assert.ok(Date.now() - began < 35_000, 'stop keeps to its bound')
    assert.match(stop.stderr, /stopped 3 brokers/)
    assert.doesNotMatch(stop.stderr, /killed/)
    assert.equal(stop.out, '')
    assert.ok(
      pids.every((pid) => !pidAlive(pid)),
      'every JVM is gone',
    )
    for (const port of ports) assert.equal(await accepts(port), false, `port ${port} is closed`)

    const stopped = await kcli(['local', 'status', '--state-dir', stateDir, '--json'])
    assert.equal(stopped.code, 1)
    const final = JSON.parse(stopped.out)
    assert.equal(final.running, false)
    assert.equal(final.state, 'stopped')
    assert.ok(final.nodes.every((n: {running: boolean; pid: number | null}) => !n.running && n.pid === null))
  })
})

describe('kcli local with one broker', () => {
  const stateDir = newStateDir('one')
  after(() => stopQuietly(stateDir))

  it('answers a second start with the running address, keeps its data across a restart, and stops', async () => {
    const start = await kcli(['local', 'start', '--port', '29300', '--state-dir', stateDir], {}, startTimeoutMs)
    assert.equal(start.code, 0, start.stderr)
    assert.equal(start.out, 'localhost:29300\n')
    assert.match(start.stderr, /formatting storage/)
    const pid = JSON.parse((await kcli(['local', 'status', '--state-dir', stateDir, '--json'])).out).nodes[0].pid

    // So that `export KCLI_BROKERS=$(kcli local start)` works twice.
    const again = await kcli(['local', 'start', '--state-dir', stateDir])
    assert.equal(again.code, 0, again.stderr)
    assert.equal(again.out, 'localhost:29300\n')
    assert.match(again.stderr, /already running at localhost:29300/)
    assert.equal(
      JSON.parse((await kcli(['local', 'status', '--state-dir', stateDir, '--json'])).out).nodes[0].pid,
      pid,
      'nothing was restarted',
    )
    const clean = await kcli(['local', 'start', '--clean', '--state-dir', stateDir])
    assert.equal(clean.code, 1, '--clean never wipes a running cluster')
    assertOneLineError(clean, /is running; --clean would delete its data/)

    assert.equal((await kcli(['local', 'stop', '--state-dir', stateDir])).code, 0)
    const noop = await kcli(['local', 'stop', '--state-dir', stateDir])
    assert.equal(noop.code, 0)
    assert.match(noop.stderr, /no local cluster is running/)

    const otherLayout = await kcli(['local', 'start', '--brokers', '3', '--state-dir', stateDir])
    assert.equal(otherLayout.code, 2)
    assertOneLineError(otherLayout, /holds a 1-broker cluster on port 29300/)

    // Without --port the restart reuses the cluster's layout, and its formatted storage.
    const restart = await kcli(['local', 'start', '--state-dir', stateDir], {}, startTimeoutMs)
    assert.equal(restart.code, 0, restart.stderr)
    assert.equal(restart.out, 'localhost:29300\n')
    assert.doesNotMatch(restart.stderr, /formatting storage/)
    assert.equal((await kcli(['local', 'status', '--state-dir', stateDir])).code, 0)
    assert.equal((await kcli(['local', 'stop', '--state-dir', stateDir])).code, 0)
  })

  it('reports a broker that dies on start with the end of its log, and leaves nothing running', async () => {
    // Kafka refuses to start when the node id stored with the data differs from its config.
    const meta = join(stateDir, 'data', 'node-1', 'meta.properties')
    writeFileSync(meta, readFileSync(meta, 'utf8').replace(/^node\.id=1$/m, 'node.id=7'))
    const result = await kcli(['local', 'start', '--state-dir', stateDir], {}, startTimeoutMs)
    assert.equal(result.code, 1)
    assert.equal(result.out, '')
    assert.match(
      result.stderr,
      /^kcli: broker node 1 exited with code 1 before accepting connections on port 29300; last lines of .*server\.log:$/m,
    )
    assert.match(result.stderr, /Stored node id 7 doesn't match/)
    const status = await kcli(['local', 'status', '--state-dir', stateDir, '--json'])
    assert.equal(status.code, 1)
    assert.equal(JSON.parse(status.out).state, 'stopped')
  })

  it('names KAFKA_OPTS when the JVM it was given refuses to start', async () => {
    const result = await kcli(
      // --clean forgets the layout: the port again, or it would take Kafka's default 9092.
      ['local', 'start', '--state-dir', stateDir, '--clean', '--port', '29300'],
      {KAFKA_OPTS: '-XX:+NoSuchKcliTestFlag'},
      startTimeoutMs,
    )
    assert.equal(result.code, 1)
    assert.equal(result.out, '')
    assert.match(result.stderr, /^kcli: broker node 1 exited with code 1 before accepting connections on port 29300;/m)
    assert.match(result.stderr, /Unrecognized VM option 'NoSuchKcliTestFlag'/)
    assert.match(result.stderr, /^ {2}hint: .* Its JVM also took KAFKA_OPTS from the environment\.$/m)
  })
})

describe('kcli local start refusals that need no JVM', () => {
  const servers: Server[] = []
  const stateDir = newStateDir('refusals')
  const listen = (port: number) =>
    new Promise<void>((done, fail) => {
      const server = createServer()
      servers.push(server)
      server.once('error', fail)
      server.listen(port, () => done())
    })
  before(async () => {
    await listen(29500)
    await listen(29650)
  })
  after(async () => {
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))))
    rmSync(stateDir, {recursive: true, force: true})
  })

  it('names a client port that is taken', async () => {
    const result = await kcli(['local', 'start', '--port', '29500', '--state-dir', stateDir])
    assert.equal(result.code, 1)
    assertOneLineError(result, /^kcli: port 29500 is already in use$/)
  })

  it('names a controller port that is taken', async () => {
    const result = await kcli(['local', 'start', '--port', '29550', '--state-dir', stateDir])
    assert.equal(result.code, 1)
    assertOneLineError(result, /port 29650 is already in use \(controller port of node 1\)/)
  })

  it('rejects a KAFKA_HOME without libs/', async () => {
    const home = join(stateDir, 'not-kafka')
    mkdirSync(home, {recursive: true})
    const result = await kcli(['local', 'start', '--port', '29700', '--state-dir', join(stateDir, 'kh')], {
      KAFKA_HOME: home,
    })
    assert.equal(result.code, 2)
    assertOneLineError(result, /not-kafka is not a Kafka installation: it has no libs\/ folder/)
  })

  it('rejects a --kafka-home whose libs/ holds no broker jar', async () => {
    const home = join(stateDir, 'empty-libs')
    mkdirSync(join(home, 'libs'), {recursive: true})
    writeFileSync(join(home, 'libs', 'kafka-clients-4.3.1.jar'), '')
    const result = await kcli([
      'local',
      'start',
      '--port',
      '29700',
      '--kafka-home',
      home,
      '--state-dir',
      join(stateDir, 'kh'),
    ])
    assert.equal(result.code, 2)
    assertOneLineError(result, /holds no Kafka broker jar/)
  })

  it('rejects a cluster size other than 1 or 3', async () => {
    const result = await kcli(['local', 'start', '--brokers', '2', '--state-dir', stateDir])
    assert.equal(result.code, 2)
    assertOneLineError(result, /--brokers/)
  })

  it('never cleans a folder that holds files kcli did not create', async () => {
    const folder = join(stateDir, 'precious')
    mkdirSync(folder, {recursive: true})
    writeFileSync(join(folder, 'notes.txt'), 'keep me')
    const result = await kcli(['local', 'start', '--clean', '--port', '29700', '--state-dir', folder])
    assert.equal(result.code, 2)
    assertOneLineError(result, /refusing to --clean .*precious: it holds notes\.txt/)
    assert.equal(readFileSync(join(folder, 'notes.txt'), 'utf8'), 'keep me')
  })

  it('reports a state dir that never held a cluster as not running', async () => {
    const result = await kcli(['local', 'status', '--state-dir', join(stateDir, 'never'), '--json'])
    assert.equal(result.code, 1)
    assert.equal(JSON.parse(result.out).state, 'absent')
  })
})
