// Asking a person before something that cannot be undone: a yes/no question on the terminal, and a usage error
// (pass --yes) where nobody can answer it.
import {ExitCode, KcliError, usageError} from '../errors.js'
import {isTerminal} from './descriptors.js'

/** A person can answer: both the question (stderr) and the answer (stdin) go through a terminal. */
export function canPrompt(): boolean {
  return isTerminal(0) && isTerminal(2)
}

/** Fails early, before any work, when a confirmation will be needed and cannot be asked for. */
export function requireConfirmable(yesFlag = '--yes'): void {
  if (!canPrompt())
    throw usageError(
      'confirmation needed, but stdin or stderr is not a terminal',
      `Pass ${yesFlag} to go ahead without asking.`,
    )
}

/**
 * Asks `question [y/N]` on stderr and reads the answer from stdin. Resolves true only for y or yes; Enter, anything
 * else
 * and end of input are a no. Ctrl-C is an interruption (exit 130).
 */
export async function confirm(question: string, yesFlag = '--yes'): Promise<boolean> {
  requireConfirmable(yesFlag)
  // Imported here: only a confirmation needs readline, and every command that might ask loads this module.
  const readline = await import('node:readline')
  const rl = readline.createInterface({input: process.stdin, output: process.stderr, terminal: true})
  try {
    return await new Promise<boolean>((resolve, reject) => {
      rl.on('SIGINT', () => {
        process.stderr.write('\n')
        reject(new KcliError('interrupted', {exit: ExitCode.interrupted}))
      })
      rl.on('close', () => resolve(false))
      rl.question(`${question} [y/N] `, (answer) => resolve(/^\s*y(es)?\s*$/i.test(answer)))
    })
  } finally {
    rl.close()
    // Without this, the terminal stdin keeps Node alive after the command has finished.
    process.stdin.pause()
  }
}

/**
 * Asks for a secret (a password) on stderr and reads it from the terminal without echoing it. Ctrl-C is an
 * interruption (exit 130); end of input ends the answer.
 */
export async function promptSecret(question: string): Promise<string> {
  if (!canPrompt()) throw usageError('a secret is needed, but stdin or stderr is not a terminal to ask for it on')
  const stdin = process.stdin
  process.stderr.write(question)
  const wasRaw = stdin.isRaw
  stdin.setRawMode(true)
  stdin.setEncoding('utf8')
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = ''
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(() => resolve(value))
          if (ch === '\u0003') return finish(() => reject(new KcliError('interrupted', {exit: ExitCode.interrupted})))
          if (ch === '\u007F' || ch === '\b') value = value.slice(0, -1)
          else if (ch >= ' ') value += ch
        }
      }
      const finish = (settle: () => void) => {
        stdin.removeListener('data', onData)
        settle()
      }
      stdin.on('data', onData)
      stdin.resume()
    })
  } finally {
    stdin.setRawMode(wasRaw)
    stdin.pause()
    process.stderr.write('\n')
  }
}
