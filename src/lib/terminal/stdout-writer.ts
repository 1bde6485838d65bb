// Writes output in large chunks and knows exactly how much reached the pipe: a closed pipe (`| head`) ends the run
// quietly, and only lines that were fully written count as written.
import fs from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

const sleeper = new Int32Array(new SharedArrayBuffer(4))

/** Blocks the thread briefly; used only when a non-blocking pipe is full (EAGAIN). */
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms)
}

// A reader usually empties a full pipe within microseconds, so the first waits block briefly (fast); once the pipe
// stays full for longer, waits go through the event loop so signals (Ctrl-C) are still handled.
const blockingWaitLimitMs = 2
// Once abandoned, the line being written gets this long to complete before it is cut: a reader that never reads
// again must not keep kcli alive.
const finishLineMs = 2000

export class LineWriter {
  private chunks: Array<string | Buffer> = []
  private allText = true
  private closed = false

  /** `terminator` ends each line: a newline, or nothing when a format string brings its own. */
  constructor(
    private readonly fd: number,
    private readonly terminator = '\n',
  ) {}

  get isClosed(): boolean {
    return this.closed
  }

  /** Queues one line (without its newline) for the next flush. */
  push(line: string | Buffer): void {
    if (typeof line !== 'string') this.allText = false
    this.chunks.push(line)
  }

  get pending(): number {
    return this.chunks.length
  }

  /**
   * Writes the queued lines. Returns how many of them were written whole; fewer than queued when the reader went away
   * (the writer is then closed) or when `abandon()` turned true while the reader was not reading.
   */
  async flush(abandon: () => boolean = () => false): Promise<number> {
    const lines = this.chunks
    const allText = this.allText
    this.chunks = []
    this.allText = true
    if (lines.length === 0 || this.closed) return this.closed ? 0 : lines.length
    const data = allText
      ? Buffer.from(lines.join(this.terminator) + this.terminator, 'utf8')
      : joinLines(lines, this.terminator)
    let written = 0
    let waitMs = 0.05
    let blockedMs = 0
    // Where to stop once abandoned: the end of the line being written, so no line is cut in half if the reader reads.
    let stopAt = data.length
    let abandonedAt = 0
    while (written < stopAt) {
      try {
        written += fs.writeSync(this.fd, data, written, stopAt - written)
        waitMs = 0.05
        blockedMs = 0
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EAGAIN') {
          if (blockedMs < blockingWaitLimitMs) {
            pause(waitMs)
            blockedMs += waitMs
            waitMs = Math.min(waitMs * 2, 1)
          } else {
            await sleep(5)
            if (abandonedAt === 0 && abandon()) {
              abandonedAt = Date.now()
              stopAt = lineEndAfter(lines, written, Buffer.byteLength(this.terminator))
            } else if (abandonedAt > 0 && Date.now() - abandonedAt > finishLineMs) {
              break
            }
          }
          continue
        }
        if (code === 'EPIPE' || code === 'ECONNRESET') {
          this.closed = true
          return countWholeLines(lines, written, Buffer.byteLength(this.terminator))
        }
        throw error
      }
    }
    return written === data.length ? lines.length : countWholeLines(lines, written, Buffer.byteLength(this.terminator))
  }
}

/** The byte offset where the line that contains byte `at` ends (or `at` itself, at a line boundary). */
function lineEndAfter(lines: Array<string | Buffer>, at: number, terminatorLength: number): number {
  let end = 0
  for (const line of lines) {
    if (end >= at) return end
    end += (typeof line === 'string' ? Buffer.byteLength(line, 'utf8') : line.length) + terminatorLength
  }
  return end
}

function joinLines(lines: Array<string | Buffer>, terminator: string): Buffer {
  const end = Buffer.from(terminator)
  const parts: Buffer[] = []
  for (const line of lines) parts.push(typeof line === 'string' ? Buffer.from(line, 'utf8') : line, end)
  return Buffer.concat(parts)
}

// Only on the failure path: lines may contain newlines themselves, so count by length, not by newline.
function countWholeLines(lines: Array<string | Buffer>, written: number, terminatorLength: number): number {
  let end = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    end += (typeof line === 'string' ? Buffer.byteLength(line, 'utf8') : line.length) + terminatorLength
    if (end > written) return i
  }
  return lines.length
}
