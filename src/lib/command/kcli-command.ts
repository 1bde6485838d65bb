// The base of every kcli command: turns any failure into one line on stderr and a documented exit code.
import {Command, Errors} from '@oclif/core'

import {ExitCode, KcliError, describeKafkaError, isLibrdkafkaError} from '../errors.js'
import {terminalSafe} from '../terminal/output.js'

export interface ErrorReport {
  message: string
  exit: number
  hint?: string
}

/** Maps anything thrown inside a command to what the user sees. */
export function toErrorReport(err: unknown): ErrorReport {
  if (err instanceof KcliError) return {message: err.message, exit: err.exit, hint: err.hint}
  if (err instanceof Errors.CLIError) {
    // oclif's own parse errors (unknown flag, missing argument): usage errors, exit 2.
    // oclif spreads one error over several lines ("The following error occurred:", the detail, a help pointer).
    const text = err.message
      .split('\n')
      .map((line) => line.trim())
      .filter(
        (line) => line.length > 0 && !/^See more help with/.test(line) && line !== 'The following error occurred:',
      )
      .join(' ')
      .replace(/\s+/g, ' ')
      .replace(/ Note: .*$/, '')
    return {message: text || 'invalid usage', exit: err.oclif?.exit ?? ExitCode.usage, hint: 'See --help for usage.'}
  }
  if (isLibrdkafkaError(err)) return {message: describeKafkaError(err), exit: ExitCode.failure}
  if (err instanceof Error) return {message: err.message, exit: ExitCode.failure}
  return {message: String(err), exit: ExitCode.failure}
}

export function printError(report: ErrorReport): void {
  // Messages quote input (a bad line, a file name): never let it drive the terminal.
  let text = `kcli: ${terminalSafe(report.message)}\n`
  if (report.hint) text += `  hint: ${terminalSafe(report.hint)}\n`
  process.stderr.write(text)
}

export abstract class KcliCommand extends Command {
  // --json output is data: exact on a pipe; on a terminal, control characters from names and messages are escaped
  // (\u009b is still valid JSON for the same string, but cannot reach the terminal as a control sequence).
  override logJson(json: unknown): void {
    const text = JSON.stringify(json, null, 2)
    process.stdout.write(`${process.stdout.isTTY ? terminalSafe(text) : text}\n`)
  }

  protected override async catch(err: Error & {exitCode?: number}): Promise<void> {
    // this.exit() raises ExitError on purpose: let oclif handle it.
    if (err instanceof Errors.ExitError) throw err
    const report = toErrorReport(err)
    printError(report)
    if (process.env.KCLI_DEBUG && err.stack) process.stderr.write(`${err.stack}\n`)
    process.exitCode = report.exit
  }
}
