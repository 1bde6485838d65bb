// The whole test suite: starts one Kafka broker and its schema registry through `kcli local start`, runs every test
// file against them with Node's test runner, and stops both however the run ends. The fault suite (test/faults/run.ts)
// runs beside it on a 3-node cluster of its own.
import {spawn, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import {root} from './helpers.js'
import {kcliSync, privateTmp, testBrokerJvm} from './runner.js'

const removeTmp = privateTmp('test suite')
testBrokerJvm()

const port = process.env.KCLI_TEST_PORT ?? '19092'
const stateDir = path.join(root, '.test-state', 'kafka')

function stopBroker(): void {
  kcliSync(['local', 'stop', '--state-dir', stateDir])
}

const started = kcliSync(['local', 'start', '--port', port, '--state-dir', stateDir, '--clean', '--schema-registry'])
if (started.status !== 0) {
  console.error(`test suite: could not start the test broker (exit ${started.status})`)
  removeTmp()
  process.exit(1)
}
const bootstrap = started.stdout.trim()

const status = JSON.parse(kcliSync(['local', 'status', '--state-dir', stateDir, '--json']).stdout) as {
  kafkaLibDir?: string | null
  registry?: {url: string} | null
}

// The fault suite spends most of its time waiting for nodes to stop and return, so beside the main suite it costs
// little wall time. It starts once the broker above has: on a new machine the first start fetches Kafka's jars, which
// two at once would fetch into the same cache. Its report goes to a file and is printed after the main one, so the two
// do not interleave.
const faultLog = path.join(root, '.test-state', 'faults.log')
fs.mkdirSync(path.dirname(faultLog), {recursive: true})
const faultOut = fs.openSync(faultLog, 'w')
const faults = spawn(process.execPath, ['--import', 'tsx', path.join('test', 'faults', 'run.ts')], {
  cwd: root,
  stdio: ['ignore', faultOut, faultOut],
})
const faultsDone = new Promise<number>((resolve) => {
  faults.on('error', () => resolve(1))
  faults.on('exit', (exitCode) => resolve(exitCode ?? 1))
})

async function finish(code: number): Promise<never> {
  const faultCode = await faultsDone
  console.log(`\n# the fault suite (test/faults), exit ${faultCode}\n${fs.readFileSync(faultLog, 'utf8')}`)
  removeTmp()
  process.exit(code === 0 ? faultCode : code)
}

process.on('SIGINT', () => {})
process.on('SIGTERM', () => {})

// test/lib mirrors src/lib folder for folder; test/faults runs under its own runner, started above. Node's runner
// takes the files in its own (alphabetical) order.
const files = ['lib', 'scripts', 'commands', 'examples'].flatMap((dir) =>
  fs.existsSync(path.join(root, 'test', dir))
    ? fs
        .readdirSync(path.join(root, 'test', dir), {recursive: true, encoding: 'utf8'})
        .filter((f) => f.endsWith('.test.ts'))
        .map((f) => path.join('test', dir, f))
    : [],
)

// Two files at a time: each test uses topics and groups of its own, and a file that starts brokers uses ports no
// other file does, so files do not see each other; most of a file's time is spent waiting on Kafka, not on the CPU.
// Three saved ~35 s more but ran up to ten JVMs at once on two cores: two leave more room for a slow moment.
let code = 1
try {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      KCLI_TEST_BROKERS: bootstrap,
      KCLI_TEST_STATE_DIR: stateDir,
      ...(status.kafkaLibDir ? {KCLI_TEST_KAFKA_LIB: status.kafkaLibDir} : {}),
      ...(status.registry ? {KCLI_TEST_REGISTRY_URL: status.registry.url} : {}),
    },
  })
  code = run.status ?? 1
} finally {
  stopBroker()
}
await finish(code)
