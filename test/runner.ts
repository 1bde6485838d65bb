// What the two suite runners (test/run.ts, test/faults/run.ts) set up alike: a temporary folder of their own, the
// brokers' JVM settings, and kcli run to completion.
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {bin} from './helpers.js'

/**
 * Points TMPDIR at a new folder for every temporary file of the run (the tests' own, kcli's, a child suite's), so the
 * machine's /tmp does not fill up with test rc files, passwords and data files, run after run. Returns its remover:
 * call it last, and never at the cost of the report (a process that outlived its test may still be writing in there).
 */
export function privateTmp(suite: string): () => void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-tests-'))
  process.env.TMPDIR = tmp
  return () => {
    try {
      fs.rmSync(tmp, {recursive: true, force: true, maxRetries: 3})
    } catch (error) {
      console.error(`${suite}: could not remove ${tmp}: ${(error as Error).message}`)
    }
  }
}

/**
 * Every broker of a run (the suites' own and the ones test files start) compiles with C1 only: ~40% less CPU to start
 * and run a lightly loaded broker, on a machine of two cores where many of them run at once. The developer's own JVM
 * settings for Kafka (an agent on a fixed port, a small heap) would clash between clusters that run at once.
 */
export function testBrokerJvm(): void {
  process.env.KAFKA_OPTS = '-XX:TieredStopAtLevel=1'
  delete process.env.KAFKA_HEAP_OPTS
}

export function kcliSync(args: string[]): {status: number | null; stdout: string} {
  const result = spawnSync(process.execPath, [bin, ...args], {stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8'})
  return {status: result.status, stdout: result.stdout}
}
