// Whether a recorded pid is still a local cluster's broker, and signalling it. A pid on its own proves little:
// the broker may have died and the number been reused.
import {existsSync, readFileSync} from 'node:fs'

/** True when a process with this pid exists, whether or not this user may signal it. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * True when `pid` is this node's broker. A pid alone can be stale (the broker died and the number was reused),
 * so on Linux the command line must name kafka.Kafka and this node's config file.
 */
export function isBrokerProcess(pid: number | null, configFile: string): boolean {
  return isProcessOf(pid, (args) => args.includes('kafka.Kafka') && args.includes(configFile))
}

/**
 * True when `pid` runs and its command line passes `matches` (checked on Linux, where /proc tells; elsewhere a live
 * pid is believed).
 */
export function isProcessOf(pid: number | null, matches: (args: string[]) => boolean): boolean {
  if (pid === null || !pidExists(pid)) return false
  if (!existsSync('/proc/self/stat')) return true
  try {
    // A zombie still answers kill(pid, 0) until its parent reaps it, and some init processes reap lazily
    // (seconds, here): it has exited all the same.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 1).trim())) return false
    return matches(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'))
  } catch {
    return false
  }
}

export function sendSignal(pid: number | null, name: NodeJS.Signals): void {
  if (pid === null) return
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}
