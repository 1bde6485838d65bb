// The whole test suite: starts one Kafka broker and its schema registry through `kcli local start`, runs every test
// file against them with Node's test runner, and stops both however the run ends.
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import {bin, root} from './helpers.js'

const port = process.env.KCLI_TEST_PORT ?? '19092'
const stateDir = path.join(root, '.test-state', 'kafka')

function kcliSync(args: string[]): {status: number | null; stdout: string} {
  const result = spawnSync(process.execPath, [bin, ...args], {stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8'})
  return {status: result.status, stdout: result.stdout}
}

function stopBroker(): void {
  kcliSync(['local', 'stop', '--state-dir', stateDir])
}

const started = kcliSync(['local', 'start', '--port', port, '--state-dir', stateDir, '--clean', '--schema-registry'])
if (started.status !== 0) {
  console.error(`test suite: could not start the test broker (exit ${started.status})`)
  process.exit(1)
}
const bootstrap = started.stdout.trim()

const status = JSON.parse(kcliSync(['local', 'status', '--state-dir', stateDir, '--json']).stdout) as {
  kafkaLibDir?: string | null
  registry?: {url: string} | null
}
process.on('SIGINT', () => {})
process.on('SIGTERM', () => {})

// test/lib mirrors src/lib folder for folder; test/faults has a runner of its own (npm run test:faults).
const files = ['lib', 'scripts', 'commands', 'examples'].flatMap((dir) =>
  fs.existsSync(path.join(root, 'test', dir))
    ? fs
        .readdirSync(path.join(root, 'test', dir), {recursive: true, encoding: 'utf8'})
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => path.join('test', dir, f))
    : [],
)

let code = 1
try {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
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
process.exit(code)
