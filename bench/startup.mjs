// Start-up time of commands that do not use a schema registry, side by side for two builds of kcli (e.g. before and
// after a change), so that a new feature's code can be seen not to slow them down. Runs alternate between the builds;
// the medians of wall time (process start to exit) are printed. Nothing connects to Kafka.
//
//   node bench/startup.mjs --base /tmp/kcli-base --runs 15
//   (a build is a folder with bin/run.js and dist/; --head defaults to this checkout)
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`)
  return at === -1 ? fallback : args[at + 1]
}
const head = path.resolve(option('head', path.join(path.dirname(fileURLToPath(import.meta.url)), '..')))
const base = option('base', undefined)
const runs = Number(option('runs', '15'))
if (base === undefined) {
  console.error('usage: node bench/startup.mjs --base <kcli build> [--head <kcli build>] [--runs N]')
  process.exit(2)
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-startup-'))
const input = path.join(work, 'input.jsonl')
fs.writeFileSync(input, Array.from({length: 100}, (_, i) => `{"id":${i}}`).join('\n') + '\n')
fs.writeFileSync(path.join(work, 'rc.json'), '{}')
const env = {PATH: process.env.PATH, HOME: process.env.HOME, KCLI_CONFIG: path.join(work, 'rc.json'), NO_COLOR: '1'}

const commands = [
  {name: 'kcli --version', args: ['--version']},
  {name: 'kcli produce --dry-run (100 lines)', args: ['produce', '-t', 'bench', '--dry-run', '-q', input]},
  {name: 'kcli consume --help', args: ['consume', '--help']},
]

function once(root, cmd) {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'run.js'), ...cmd.args], {env, cwd: work})
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0) throw new Error(`${root}: ${cmd.name} exited ${result.status}: ${result.stderr}`)
  return ms
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`start-up, median of ${runs} runs each, alternating (load average ${os.loadavg()[0].toFixed(1)})`)
console.log(`  base: ${base}\n  head: ${head}`)
for (const cmd of commands) {
  once(base, cmd)
  once(head, cmd) // warm the file cache
  const times = {base: [], head: []}
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? ['base', 'head'] : ['head', 'base']
    for (const which of order) times[which].push(once(which === 'base' ? base : head, cmd))
  }
  const b = median(times.base)
  const h = median(times.head)
  console.log(
    `  ${cmd.name.padEnd(38)} base ${b.toFixed(0).padStart(5)} ms   head ${h.toFixed(0).padStart(5)} ms   (${((h / b - 1) * 100).toFixed(1)}%)`,
  )
}
fs.rmSync(work, {recursive: true, force: true})
