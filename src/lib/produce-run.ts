// One `kcli produce` run from start to end: connect, check the topic, send, settle, report. Returns the exit code.
import type {Producer} from '@confluentinc/kafka-javascript'
import fs from 'node:fs'

import {ExitCode, KcliError, describeKafkaError, usageError} from './errors.js'
import {type ClientProperties, connectProducer} from './kafka/client.js'
import {topicPartitions} from './kafka/topics.js'
import {readLineBatches} from './line-reader.js'
import {errColours, info} from './output.js'
import {type ProduceOptions, ProduceStats, produceLines, settleDeliveries, watchDeliveries} from './produce.js'
import {rate, seconds, startProgress} from './progress.js'
import type {ResolvedSettings} from './settings.js'
import {watchInterrupts} from './signals.js'

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

function where(stats: ProduceStats): string {
  const invalid = stats.firstInvalid
  if (!invalid) return ''
  return invalid.source === 'stdin' ? `line ${invalid.line}` : `${invalid.source} line ${invalid.line}`
}

function summaryLine(stats: ProduceStats, topic: string, elapsedMs: number, delivered: number, unknown: number): string {
  const c = errColours()
  const parts = [`${delivered} delivered`]
  if (stats.failed > 0) parts.push(c.red(`${stats.failed} failed`))
  if (stats.invalid > 0) parts.push(c.yellow(`${stats.invalid} invalid`))
  if (stats.skipped > 0) parts.push(`${stats.skipped} blank skipped`)
  if (unknown > 0) parts.push(c.red(`${unknown} not confirmed`))
  return `${parts.join(', ')} to ${topic} in ${seconds(elapsedMs)} (${rate(delivered, elapsedMs)} msg/s)`
}

export async function runProduce(settings: ResolvedSettings, options: ProduceRunOptions, track: (p: Producer) => void): Promise<number> {
  const stats = new ProduceStats()
  const control = {stopped: false}
  const started = Date.now()

  if (options.dryRun) {
    await produceLines(dryRunProducer(), readLineBatches(options.sources), {...options, partitionCount: Number.MAX_SAFE_INTEGER}, stats, control)
    info(`${stats.read - stats.invalid - stats.skipped} valid, ${stats.invalid} invalid, ${stats.skipped} blank skipped (dry run: nothing sent)`)
    if (stats.invalid > 0 && options.onInvalid === 'fail') throw usageError(`${where(stats)}: ${stats.firstInvalid?.reason}`)
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

  const deadLetterFd = options.deadLetterFile ? openDeadLetter(options.deadLetterFile) : undefined
  const engineOptions: ProduceOptions = {
    ...options,
    partitionCount: partitions.length,
    deadLetterFd,
    onDelivered: options.printOffsets ? (r) => fs.writeSync(1, `{"line":${r.line},"topic":${JSON.stringify(r.topic)},"partition":${r.partition},"offset":${r.offset}}\n`) : undefined,
  }
  watchDeliveries(producer, engineOptions, stats)

  let signalStop: () => void = () => {}
  const stopped = new Promise<void>((resolve) => (signalStop = resolve))
  const interrupts = watchInterrupts(
    () => {
      control.stopped = true
      signalStop()
    },
    () => {
      const unknown = stats.accepted - stats.failed - stats.confirmed
      process.stderr.write(`kcli: interrupted again: exiting now; up to ${unknown} accepted messages are in an unknown state\n`)
      process.exit(ExitCode.interrupted)
    },
  )
  const progress = await startProgress(() => `producing to ${options.topic}: ${stats.accepted} sent (${rate(stats.accepted, Date.now() - started)} msg/s)`, options)

  let settled = false
  let txError: unknown
  try {
    if (options.transactionalId) {
      await txCall(producer, 'init', settings.timeoutMs)
      await txCall(producer, 'begin', settings.timeoutMs)
    }
    await produceLines(producer, readLineBatches(options.sources, stopped), engineOptions, stats, control)
    // message.timeout.ms bounds each message, so a normal flush ends; after an interrupt the user wants out quickly.
    const limit = interrupts.interrupted ? settleLimitMs : messageTimeoutMs(settings, options) + settleLimitMs
    settled = await settleDeliveries(producer, limit)
    if (options.transactionalId) {
      const clean = settled && stats.failed === 0 && !interrupts.interrupted && !(stats.invalid > 0 && options.onInvalid === 'fail')
      try {
        await txCall(producer, clean ? 'commit' : 'abort', settings.timeoutMs)
        if (!clean) stats.fail('rolled back: the transaction was aborted', stats.accepted - stats.failed)
      } catch (error) {
        txError = error
      }
    }
  } finally {
    progress.stop()
    interrupts.dispose()
    if (deadLetterFd !== undefined) fs.closeSync(deadLetterFd)
  }

  const elapsed = Date.now() - started
  // With error-only reports, what did not fail was delivered once flush succeeded.
  const delivered = settled ? stats.accepted - stats.failed : options.printOffsets ? stats.confirmed : 0
  const unknown = settled ? 0 : stats.accepted - stats.failed - delivered
  if (!options.quiet || stats.failed > 0 || unknown > 0) info(summaryLine(stats, options.topic, elapsed, options.transactionalId && stats.failed > 0 ? 0 : delivered, unknown))
  for (const [reason, count] of stats.failures) process.stderr.write(`  ${count} message${count === 1 ? '' : 's'} ${reason}\n`)

  if (txError) throw new KcliError(`transaction ${options.transactionalId} could not be completed: ${describeKafkaError(txError)}`)
  if (interrupts.interrupted) return ExitCode.interrupted
  if (stats.invalid > 0 && options.onInvalid === 'fail') throw usageError(`${where(stats)}: ${stats.firstInvalid?.reason}`)
  if (stats.failed > 0 || unknown > 0) return ExitCode.failure
  return ExitCode.ok
}

function messageTimeoutMs(settings: ResolvedSettings, options: ProduceRunOptions): number {
  return Number(settings.properties['message.timeout.ms'] ?? options.producerProperties['message.timeout.ms'] ?? 300_000)
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
