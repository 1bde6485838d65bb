// The fault suite (`npm run test:faults`): starts a 3-node cluster through `kcli local start --brokers 3`, runs
// test/faults/*.test.ts against it (they kill, stop and restart its nodes), prints the figures every case recorded,
// and stops the cluster however the run ends.
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import {root} from '../helpers.js'
import {kcliSync, privateTmp, testBrokerJvm} from '../runner.js'
import {figuresTable} from './figures.js'

// A temporary folder of its own (inside the main suite's when test/run.ts starts it beside that one).
const removeTmp = privateTmp('fault suite')
testBrokerJvm()

const port = process.env.KCLI_FAULT_PORT ?? '19400'
const stateDir = path.join(root, '.test-state', 'faults')

const started = kcliSync(['local', 'start', '--brokers', '3', '--port', port, '--state-dir', stateDir, '--clean'])
if (started.status !== 0) {
  console.error(`fault suite: could not start the 3-node cluster (exit ${started.status})`)
  removeTmp()
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
removeTmp()
process.exit(code)
