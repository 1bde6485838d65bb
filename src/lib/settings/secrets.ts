// Secrets kept in files (src/lib/prompt.ts asks for them on a terminal) and the rule that a file holding one must be
// private to its owner.
import {readFileSync, statSync} from 'node:fs'

import {usageError} from '../errors.js'

/**
 * Refuses a file that holds a secret when group or others may access it, as ssh and libpq do. Files owned by
 * someone else (a mounted secret, root's file) are not checked: their owner chose their mode.
 */
export function checkPrivateFile(file: string, what: string, fix: string): void {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return
  let stat
  try {
    stat = statSync(file)
  } catch {
    return
  }
  if (stat.uid !== process.getuid()) return
  const mode = stat.mode & 0o777
  if ((mode & 0o077) === 0) return
  throw usageError(
    `${file} ${what}, but other users can read it (mode ${mode.toString(8).padStart(4, '0')})`,
    `Run chmod 600 ${file}${fix}`,
  )
}

/** Reads a secret from a file: the first line, without its line ending (as `echo pw > file` leaves one). */
export function readSecretFile(file: string, where: string): string {
  checkPrivateFile(file, 'holds a secret', '.')
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw usageError(`${where}: cannot read ${file} (${code === 'ENOENT' ? 'no such file' : (code ?? 'error')})`)
  }
  const value = text.split(/\r?\n/)[0]
  if (value === '') throw usageError(`${where}: ${file} is empty`)
  return value
}
