// oclif's command module guards process.stdout against EPIPE (a reader such as `head` that goes away) as it loads.
// Asking Node for process.stdout makes it build the stream, with Node's stream modules (~2 ms of every start), also in
// runs that never use it: produce writes nothing there, consume writes through fd 1 itself. The bundle has oclif's
// guard go through whenStdout (scripts/defer.mjs), which attaches it when something first asks for process.stdout, and
// handle a failed write with stdoutFailed.
import fs from 'node:fs'

import {ExitCode, errorReport} from '../errors.js'
import {terminalSafe} from './output.js'

type Attach = (stdout: NodeJS.WriteStream) => void

let asked = false
const waiting: Attach[] = []

/** Calls `attach` with process.stdout once something asks for it (at once if something has). */
export function whenStdout(attach: Attach): void {
  if (asked) return attach(process.stdout)
  waiting.push(attach)
  if (waiting.length > 1) return
  const own = Object.getOwnPropertyDescriptor(process, 'stdout')
  if (own?.get === undefined || !own.configurable) return settle(process.stdout)
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: own.enumerable,
    get() {
      Object.defineProperty(process, 'stdout', own)
      const stdout = own.get!.call(process) as NodeJS.WriteStream
      settle(stdout)
      return stdout
    },
  })
}

function settle(stdout: NodeJS.WriteStream): void {
  asked = true
  for (const attach of waiting.splice(0)) attach(stdout)
}

/** Whether process.stdout may hold output (oclif's flush waits for it to drain; a stream never built holds none). */
export function stdoutUsed(): boolean {
  return asked || waiting.length === 0
}

let failed = false

/**
 * A write to process.stdout failed. A reader that went away (EPIPE: `| head`) ends nothing, as in oclif's guard. Any
 * other failure (a full disk, /dev/full) ends the run with one line on stderr and exit 1 (or the code the run already
 * set), where oclif's guard threw it as an uncaught exception, stack and all.
 */
export function stdoutFailed(err: NodeJS.ErrnoException): void {
  if (err?.code === 'EPIPE' || failed) return
  failed = true
  fs.writeSync(2, `kcli: cannot write to stdout: ${terminalSafe(errorReport(err).message)}\n`)
  process.exit(Number(process.exitCode) || ExitCode.failure)
}
