// --print-offsets: one {"line","topic","partition","offset"} line on stdout per delivered message.
import {nonBlockingDescriptor} from '../terminal/descriptors.js'
import {warn} from '../terminal/output.js'
import {LineWriter} from '../terminal/stdout-writer.js'

/**
 * Prints --print-offsets lines through the one stdout writer, in order. Within a transaction the lines are held until
 * the commit, since an aborted message has no offset a reader will ever see. When the reader goes away the run goes on
 * (delivering is the job), and printing stops.
 */
export class OffsetPrinter {
  private readonly writer = new LineWriter(nonBlockingDescriptor(1))
  private readonly topicJson: string
  /** line, partition, offset triples waiting for the commit. */
  private held: number[] = []
  private writing: Promise<void> = Promise.resolve()
  private scheduled = false
  private stopped = false

  constructor(
    topic: string,
    private readonly hold: boolean,
  ) {
    this.topicJson = JSON.stringify(topic)
  }

  add(report: {line: number; partition: number; offset: number}): void {
    if (this.stopped) return
    if (this.hold) {
      this.held.push(report.line, report.partition, report.offset)
      return
    }
    this.push(report.line, report.partition, report.offset)
    // Reports arrive in bursts: one write per burst, not per message.
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => {
        this.scheduled = false
        void this.flush()
      })
    }
  }

  /**
   * Prints the held lines (after a commit, or with no transaction) or drops them (after an abort); waits until written.
   */
  async finish(print: boolean): Promise<void> {
    if (print) for (let i = 0; i < this.held.length; i += 3) this.push(this.held[i], this.held[i + 1], this.held[i + 2])
    this.held = []
    await this.flush()
  }

  private push(line: number, partition: number, offset: number): void {
    if (!this.stopped)
      this.writer.push(`{"line":${line},"topic":${this.topicJson},"partition":${partition},"offset":${offset}}`)
  }

  // Chained so that writes never interleave, whether the writer's flush is synchronous or not.
  private flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (this.stopped) return
      let why = 'the reader of stdout went away'
      try {
        await this.writer.flush()
      } catch (error) {
        why = `stdout cannot be written (${(error as Error).message})`
        this.stopped = true
      }
      if (this.writer.isClosed) this.stopped = true
      if (this.stopped) warn(`${why}: offsets are no longer printed; messages are still being delivered`)
    })
    return this.writing
  }
}
