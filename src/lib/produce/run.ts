// One `kcli produce` run from start to end: connect, check the topic, send, settle, report. Returns the exit code.
import type {Producer} from '@confluentinc/kafka-javascript'
import fs from 'node:fs'

import {ExitCode, KcliError, describeKafkaError, isLibrdkafkaError, usageError} from '../errors.js'
import {type ClientProperties, connectProducer} from '../kafka/client.js'
import {topicPartitions} from '../kafka/topics.js'
import {checkSources, readLineBatches} from './line-reader.js'
import {errColours, info, warn} from '../terminal/output.js'
import {type ProduceOptions, ProduceStats, produceLines, settleDeliveries, watchDeliveries} from './loop.js'
import {rate, seconds, startProgress} from '../terminal/progress.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {watchInterrupts} from '../terminal/signals.js'
import {LineWriter} from '../terminal/stdout-writer.js'

export interface ProduceRunOptions extends Omit<ProduceOptions, 'partitionCount' | 'deadLetterFd' | 'onDelivered'> {
  sources: string[]
  producerProperties: ClientProperties
  transactionalId?: string
  deadLetterFile?: string
  printOffsets: boolean
  dryRun: boolean
  quiet: boolean
}

const settleLimitMs = 10_000

function txCall(producer: Producer, call: 'init' | 'begin' | 'commit' | 'abort', timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err: unknown) => (err ? reject(err) : resolve())
    if (call === 'init') producer.initTransactions(timeoutMs, done)
    else if (call === 'begin') producer.beginTransaction(done)
    else if (call === 'commit') producer.commitTransaction(timeoutMs, done)
    else producer.abortTransaction(timeoutMs, done)
  })
}

interface TxOutcome {
  committed: boolean
  /** Why the commit or the abort failed. */
  error?: unknown
  /** Neither committed nor aborted for sure: a commit that timed out may still complete on the broker. */
  uncertain: boolean
  /** The reason the messages count as failed when not committed. */
  reason: string
}

/**
 * Commits (when asked) or aborts; a failed commit is followed by an abort, and a failed abort is reported, not thrown.
 */
async function finishTransaction(producer: Producer, commit: boolean, timeoutMs: number): Promise<TxOutcome> {
  let commitError: unknown
  if (commit) {
    try {
      await txCall(producer, 'commit', timeoutMs)
      return {committed: true, uncertain: false, reason: ''}
    } catch (error) {
      commitError = error
    }
  }
  try {
    await txCall(producer, 'abort', timeoutMs)
    return {
      committed: false,
      error: commitError,
      uncertain: false,
      reason: `rolled back: the transaction was aborted${commitError ? ' after its commit failed' : ''}`,
    }
  } catch (abortError) {
    const error = commitError ?? abortError
    const uncertain = isLibrdkafkaError(commitError) && commitError.isRetriable === true && !commitError.isFatal
    // A fenced or expired transaction is aborted by the broker (or already was); it is never committed.
    return {
      committed: false,
      error,
      uncertain,
      reason: `not committed: the transaction could not be completed (${describeKafkaError(error)})`,
    }
  }
}

/**
 * Prints --print-offsets lines through the one stdout writer, in order. Within a transaction the lines are held until
 * the commit, since an aborted message has no offset a reader will ever see. When the reader goes away the run goes on
 * (delivering is the job), and printing stops.
 */
class OffsetPrinter {
  private readonly writer = new LineWriter(1)
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

function where(stats: ProduceStats): string {
  const invalid = stats.firstInvalid
  if (!invalid) return ''
  return invalid.source === 'stdin' ? `line ${invalid.line}` : `${invalid.source} line ${invalid.line}`
}

function summaryLine(
  stats: ProduceStats,
  topic: string,
  elapsedMs: number,
  delivered: number,
  unknown: number,
  acked: boolean,
): string {
  const c = errColours()
  // With acks=0 nothing is acknowledged: the broker was sent the messages, and nobody knows more.
  const parts = [acked ? `${delivered} delivered` : `${delivered} sent (not acknowledged, acks=0)`]
  if (stats.failed > 0) parts.push(c.red(`${stats.failed} failed`))
  if (stats.invalid > 0) parts.push(c.yellow(`${stats.invalid} invalid`))
  if (stats.skipped > 0) parts.push(`${stats.skipped} blank skipped`)
  if (unknown > 0) parts.push(c.red(`${unknown} not confirmed`))
  return `${parts.join(', ')} to ${topic} in ${seconds(elapsedMs)} (${rate(delivered, elapsedMs)} msg/s)`
}

function checkPartitionFlag(partition: number | undefined, topic: string, partitions: number[]): void {
  if (partition === undefined || partitions.includes(partition)) return
  throw usageError(`--partition ${partition}: topic ${topic} has partitions ${partitions[0]}-${partitions.at(-1)}`)
}

export async function runProduce(
  settings: ResolvedSettings,
  options: ProduceRunOptions,
  track: (p: Producer) => void,
): Promise<number> {
  checkSources(options.sources)
  const stats = new ProduceStats()
  const control = {stopped: false}
  const started = Date.now()

  if (options.dryRun) {
    await produceLines(
      dryRunProducer(),
      readLineBatches(options.sources),
      {...options, partitionCount: Number.MAX_SAFE_INTEGER},
      stats,
      control,
    )
    info(
      `${stats.read - stats.invalid - stats.skipped} valid, ${stats.invalid} invalid, ${stats.skipped} blank skipped (dry run: nothing sent)`,
    )
    if (stats.invalid > 0 && options.onInvalid === 'fail')
      throw usageError(`${where(stats)}: ${stats.firstInvalid?.reason}`)
    return stats.invalid > 0 ? ExitCode.usage : ExitCode.ok
  }

  const {client: producer} = await connectProducer(settings, {
    ...options.producerProperties,
    ...(options.transactionalId ? {'transactional.id': options.transactionalId} : {}),
    dr_cb: true,
    'delivery.report.only.error': !options.printOffsets,
  })
  track(producer)
  producer.setPollInterval(100)
  const partitions = await topicPartitions(producer, settings, options.topic)
  checkPartitionFlag(options.partition, options.topic, partitions)

  const deadLetterFd = options.deadLetterFile ? openDeadLetter(options.deadLetterFile) : undefined
  const offsets = options.printOffsets
    ? new OffsetPrinter(options.topic, options.transactionalId !== undefined)
    : undefined
  const engineOptions: ProduceOptions = {
    ...options,
    partitionCount: partitions.length,
    deadLetterFd,
    onDelivered: offsets ? (report) => offsets.add(report) : undefined,
  }
  const unwatch = watchDeliveries(producer, engineOptions, stats)

  let signalStop: () => void = () => {}
  const stopped = new Promise<void>((resolve) => (signalStop = resolve))
  const interrupts = watchInterrupts(
    () => {
      control.stopped = true
      signalStop()
    },
    () => {
      const unknown = stats.accepted - stats.failed - stats.confirmed
      process.stderr.write(
        `kcli: interrupted again: exiting now; up to ${unknown} accepted messages are in an unknown state\n`,
      )
      process.exit(ExitCode.interrupted)
    },
  )
  const progress = await startProgress(
    () => `producing to ${options.topic}: ${stats.accepted} sent (${rate(stats.accepted, Date.now() - started)} msg/s)`,
    options,
  )

  let settled = false
  // An error while reading or sending still ends with what was delivered settled and counted, then it is reported.
  let runError: unknown
  let tx: TxOutcome | undefined
  try {
    if (options.transactionalId) {
      await txCall(producer, 'init', settings.timeoutMs)
      await txCall(producer, 'begin', settings.timeoutMs)
    }
    try {
      await produceLines(producer, readLineBatches(options.sources, stopped), engineOptions, stats, control)
    } catch (error) {
      runError = error
    }
    // message.timeout.ms bounds each message, so a normal flush ends; after an interrupt the user wants out quickly.
    const limit = interrupts.interrupted ? settleLimitMs : messageTimeoutMs(settings, options) + settleLimitMs
    settled = await settleDeliveries(producer, limit, stats, options.printOffsets)
    if (options.transactionalId) {
      const clean =
        settled &&
        runError === undefined &&
        stats.failed === 0 &&
        !interrupts.interrupted &&
        !(stats.invalid > 0 && options.onInvalid === 'fail')
      // From here the transaction's outcome decides for every message, whatever late reports an abort brings.
      unwatch()
      tx = await finishTransaction(producer, clean, settings.timeoutMs)
      if (!tx.committed && !tx.uncertain) stats.fail(tx.reason, stats.accepted - stats.failed)
    }
    await offsets?.finish(tx === undefined || tx.committed)
  } finally {
    progress.stop()
    interrupts.dispose()
    if (deadLetterFd !== undefined) fs.closeSync(deadLetterFd)
  }

  const elapsed = Date.now() - started
  let delivered: number
  let unknown: number
  if (tx) {
    delivered = tx.committed ? stats.accepted - stats.failed : 0
    unknown = tx.uncertain ? stats.accepted - stats.failed : 0
  } else {
    // With every report in JS, delivered is what was acknowledged. With failure reports only, what did not fail was
    // delivered once the flush succeeded and every failure report arrived (settleDeliveries waits for them).
    delivered = options.printOffsets ? stats.confirmed : settled ? stats.accepted - stats.failed : 0
    unknown = stats.accepted - stats.failed - delivered
  }
  const stoppedAtInvalid = stats.invalid > 0 && options.onInvalid === 'fail'
  // -q silences a summary of a run that went well; one that did not always says what was delivered and what was not.
  const mustReport =
    stats.failed > 0 ||
    unknown > 0 ||
    stoppedAtInvalid ||
    runError !== undefined ||
    tx?.error !== undefined ||
    interrupts.interrupted
  const summary = summaryLine(
    stats,
    options.topic,
    elapsed,
    delivered,
    unknown,
    String(options.producerProperties.acks) !== '0',
  )
  if (mustReport) process.stderr.write(`${summary}\n`)
  else info(summary)
  for (const [reason, count] of stats.failures)
    process.stderr.write(`  ${count} message${count === 1 ? '' : 's'} ${reason}\n`)

  if (runError !== undefined) throw runError
  if (stoppedAtInvalid)
    throw usageError(`${where(stats)}: ${stats.firstInvalid?.reason}`, deliveredBeforeHint(delivered))
  if (tx?.error !== undefined) {
    const state = tx.uncertain ? 'its outcome is unknown' : 'nothing of it was committed'
    throw new KcliError(
      `transaction ${options.transactionalId} could not be completed, ${state}: ${describeKafkaError(tx.error)}`,
    )
  }
  if (interrupts.interrupted) return ExitCode.interrupted
  if (stats.failed > 0 || unknown > 0) return ExitCode.failure
  return ExitCode.ok
}

function deliveredBeforeHint(delivered: number): string | undefined {
  if (delivered === 0) return undefined
  const what = delivered === 1 ? 'The message before it was' : `The ${delivered} messages before it were`
  return `${what} delivered: sending the same input again sends ${delivered === 1 ? 'it' : 'them'} twice.`
}

function messageTimeoutMs(settings: ResolvedSettings, options: ProduceRunOptions): number {
  return Number(
    settings.properties['message.timeout.ms'] ?? options.producerProperties['message.timeout.ms'] ?? 300_000,
  )
}

function openDeadLetter(file: string): number {
  try {
    return fs.openSync(file, 'a')
  } catch {
    throw usageError(`--dead-letter ${file}: cannot be opened for writing`)
  }
}

/** Stands in for the producer under --dry-run: validation runs, nothing is sent. */
function dryRunProducer(): Producer {
  return {produce: () => undefined, poll: () => undefined} as unknown as Producer
}
