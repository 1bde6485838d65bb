// kcli's own stdin and stdout, asked and used through their file descriptors. Node builds process.stdin and
// process.stdout when first asked for them, loading its stream modules, net for a pipe or socket and tty for a
// terminal (~2-5 ms of a start); a one-shot command that only reads or writes bytes need not pay for that.
import fs from 'node:fs'

import {lazyBuiltin} from '../builtins.js'

let devNullRdev: number | undefined
function isDevNull(stat: fs.Stats): boolean {
  try {
    devNullRdev ??= fs.statSync('/dev/null').rdev
  } catch {
    devNullRdev = -1 // no /dev/null
  }
  return stat.isCharacterDevice() && stat.rdev === devNullRdev
}

/**
 * Whether `fd` (0 stdin, 1 stdout, 2 stderr) is a terminal. Only a character device can be one, and only there is
 * node:tty (which loads the stream modules) asked; /dev/null, where scripts send what they do not want, is none.
 */
export function isTerminal(fd: number): boolean {
  try {
    const stat = fs.fstatSync(fd)
    return stat.isCharacterDevice() && !isDevNull(stat) && lazyBuiltin.tty().isatty(fd)
  } catch {
    return false // closed
  }
}

/**
 * stdin (0) or stdout (1) as a descriptor that never waits, to read from or write to. kcli's reader retries a read
 * that would wait, and its writer gives up on a reader that stopped reading (src/lib/terminal/stdout-writer.ts): a
 * blocking read or write would hold a thread of libuv's pool, or the main thread, through Ctrl-C and beyond. Node
 * makes the descriptor non-blocking as it builds process.stdin or process.stdout; a pipe is opened again through
 * /proc instead, non-blocking (a pipe has no offset to lose, and the original keeps its flags for whoever shares it).
 * A file, /dev/null or another character device that is not a terminal never waits. Anything else (a terminal, a
 * socket, a pipe that cannot be opened again) gets Node's stream built, as before. A descriptor other than `fd` was
 * opened here (the process's exit closes it).
 */
export function nonBlockingDescriptor(fd: 0 | 1): number {
  let stat: fs.Stats
  try {
    stat = fs.fstatSync(fd)
  } catch {
    return fd // closed: reading or writing says so
  }
  // A character device that is no terminal (/dev/null, /dev/full) does not make a write wait.
  if (stat.isFile() || (stat.isCharacterDevice() && !isTerminal(fd))) return fd
  if (stat.isFIFO()) {
    try {
      const mode = fd === 0 ? fs.constants.O_RDONLY : fs.constants.O_WRONLY
      return fs.openSync(`/proc/self/fd/${fd}`, mode | fs.constants.O_NONBLOCK)
    } catch {
      // cannot be opened again (no /proc, another user's pipe, no reader left): Node's stream below
    }
  }
  void (fd === 0 ? process.stdin : process.stdout)
  return fd
}
