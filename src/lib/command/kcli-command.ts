// The base of every kcli command: turns any failure into one line on stderr and a documented exit code.
import {Command, Errors} from '@oclif/core'

import {type ErrorReport, errorReport} from '../errors.js'
import {isTerminal} from '../terminal/descriptors.js'
import {terminalSafe} from '../terminal/output.js'

export function printError(report: ErrorReport): void {
  if (report.silent) return
  // Messages quote input (a bad line, a file name): never let it drive the terminal.
  let text = `kcli: ${terminalSafe(report.message)}\n`
  if (report.hint) text += `  hint: ${terminalSafe(report.hint)}\n`
  process.stderr.write(text)
}

/** What `--json` prints on failure (schemas/error.schema.json). */
export function errorJson(report: ErrorReport): {
  error: {code: string; message: string; hint: string | null; exit: number}
} {
  return {error: {code: report.code, message: report.message, hint: report.hint ?? null, exit: report.exit}}
}

export abstract class KcliCommand extends Command {
  /**
   * oclif reads a missing argument from piped stdin; kcli never does. stdin is produce's data, or the input of the
   * caller's `while read` loop: `echo x | kcli group describe` must not take x for a group, nor eat the loop's lines.
   */
  override async init(): Promise<void> {
    for (const arg of Object.values(this.ctor.args ?? {})) arg.ignoreStdin = true
    await super.init()
  }

  // --json output is data: exact on a pipe; on a terminal, control characters from names and messages are escaped
  // (\u009b is still valid JSON for the same string, but cannot reach the terminal as a control sequence).
  override logJson(json: unknown): void {
    const text = JSON.stringify(json, null, 2)
    process.stdout.write(`${isTerminal(1) ? terminalSafe(text) : text}\n`)
  }

  protected override async catch(err: Error & {exitCode?: number}): Promise<void> {
    // this.exit() raises ExitError on purpose: let oclif handle it.
    if (err instanceof Errors.ExitError) throw err
    const report = errorReport(err)
    // --json means JSON on stdout, also on failure; stderr still tells a person.
    if (this.jsonEnabled() && !report.silent) this.logJson(errorJson(report))
    printError(report)
    if (process.env.KCLI_DEBUG && err.stack) process.stderr.write(`${err.stack}\n`)
    process.exitCode = report.exit
  }
}
