// The fault suite (`npm run test:faults`): starts a 3-node cluster through `kcli local start --brokers 3`, runs
// test/faults/*.test.ts against it (they kill, stop and restart its nodes), prints the figures every case recorded,
// and stops the cluster however the run ends.
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import {bin, root} from '../helpers.js'
import {figuresTable} from './figures.js'

// As in test/run.ts (which starts this suite beside the main one): brokers with C1 only, for less CPU.
process.env.KAFKA_OPTS = '-XX:TieredStopAtLevel=1'
delete process.env.KAFKA_HEAP_OPTS

const port = process.env.KCLI_FAULT_PORT ?? '19400'
const stateDir = path.join(root, '.test-state', 'faults')

function kcliSync(args: string[]): {status: number | null; stdout: string} {
  const result = spawnSync(process.execPath, [bin, ...args], {stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8'})
  return {status: result.status, stdout: result.stdout}
}

const started = kcliSync(['local', 'start', '--brokers', '3', '--port', port, '--state-dir', stateDir, '--clean'])
if (started.status !== 0) {
  console.error(`fault suite: could not start the 3-node cluster (exit ${started.status})`)
  process.exit(1)
}
const bootstrap = started.stdout.trim()
const figures = path.join(root, '.test-state', 'fault-figures.jsonl')
fs.rmSync(figures, {force: true})
process.on('SIGINT', () => {})
process.on('SIGTERM', () => {})

const files = fs
  .readdirSync(path.join(root, 'test', 'faults'))
  .filter((f) => f.endsWith('.test.ts'))
  .sort()
  .map((f) => path.join('test', 'faults', f))

let code = 1
try {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: {...process.env, KCLI_TEST_BROKERS: bootstrap, KCLI_FAULT_STATE_DIR: stateDir, KCLI_FAULT_FIGURES: figures},
  })
  code = run.status ?? 1
  if (fs.existsSync(figures)) console.log(`\n${figuresTable(fs.readFileSync(figures, 'utf8'))}`)
} finally {
  kcliSync(['local', 'stop', '--state-dir', stateDir])
}
process.exit(code)
