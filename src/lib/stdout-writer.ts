// Writes output in large synchronous chunks and knows exactly how much reached the reader: a closed pipe (`| head`)
// ends the run quietly, and only lines that were fully written count as written.
import fs from 'node:fs'

const sleeper = new Int32Array(new SharedArrayBuffer(4))

/** Blocks the thread briefly; used only when a non-blocking pipe is full (EAGAIN). */
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms)
}

export class OutputClosed extends Error {
  constructor() {
    super('output closed')
  }
}

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
   * Writes the queued lines. Returns how many of them were written whole; fewer than queued only when the reader
   * went away, after which the writer is closed.
   */
  flush(): number {
    const lines = this.chunks
    const allText = this.allText
    this.chunks = []
    this.allText = true
    if (lines.length === 0 || this.closed) return this.closed ? 0 : lines.length
    const data = allText ? Buffer.from(lines.join(this.terminator) + this.terminator, 'utf8') : joinLines(lines, this.terminator)
    let written = 0
    // A reader empties a full pipe within microseconds: wait short first, longer only if it stays full.
    let waitMs = 0.05
    while (written < data.length) {
      try {
        written += fs.writeSync(this.fd, data, written, data.length - written)
        waitMs = 0.05
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EAGAIN') {
          pause(waitMs)
          waitMs = Math.min(waitMs * 2, 2)
          continue
        }
        if (code === 'EPIPE' || code === 'ECONNRESET') {
          this.closed = true
          return countWholeLines(lines, written, Buffer.byteLength(this.terminator))
        }
        throw error
      }
    }
    return lines.length
  }
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
