// One `kcli produce` run from start to end: connect, check the topic, send, settle, report. Returns the exit code.
import fs from 'node:fs'

import {ExitCode, KcliError, describeKafkaError, usageError} from '../errors.js'
import {type ClientProperties, closeClient, connectProducer} from '../kafka/client.js'
import {dataPath} from '../kafka/fast-path.js'
import {ClusterContext} from '../kafka/cluster.js'
import {existingPartitions, topicPartitions} from '../kafka/topics.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {isTerminal} from '../terminal/descriptors.js'
import {errColours, info} from '../terminal/output.js'
import {rate, seconds} from '../terminal/numbers.js'
import {startProgress} from '../terminal/progress.js'
import {watchInterrupts} from '../terminal/signals.js'
import {
  type DeliveryOutcome,
  ProduceStats,
  nativeCounts,
  nativeOutcome,
  reportedOutcome,
  settleDeliveries,
  tooLargeReason,
  total,
  watchDeliveries,
} from './delivery.js'
import {checkSources, readLineBatches} from './line-reader.js'
import {
  DryRunSink,
  InFlightLines,
  type ProduceOptions,
  invalidList,
  lineName,
  produceLines,
  sinkOptions,
  writeDeadLetter,
} from './loop.js'
import {clientBatchBytes, sizeLimit} from './size-limit.js'
import type {SinkOptions} from './sinks.js'
import {OffsetPrinter} from './offset-printer.js'
import {BatchSink, StockSink} from './sinks.js'
import {type TxOutcome, finishTransaction, txCall} from './transaction.js'

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

function whereOf(stats: ProduceStats): string {
  return stats.firstInvalid ? lineName(stats.firstInvalid) : ''
}

/** Every invalid line (up to invalidListLimit, then a count), one a line, for stderr. */
function listInvalid(stats: ProduceStats, write: (text: string) => void): void {
  for (const line of invalidList(stats.invalidLines, stats.invalid)) write(line)
}

function summaryLine(
  stats: ProduceStats,
  outcome: DeliveryOutcome,
  topic: string,
  elapsedMs: number,
  acked: boolean,
): string {
  const c = errColours()
  const failed = total(outcome.failed)
  const unknown = total(outcome.unknown)
  // With acks=0 nothing is acknowledged: the broker was sent the messages, and nobody knows more.
  const parts = [acked ? `${outcome.delivered} delivered` : `${outcome.delivered} sent (not acknowledged, acks=0)`]
  if (failed > 0) parts.push(c.red(`${failed} failed`))
  if (stats.invalid > 0) parts.push(c.yellow(`${stats.invalid} invalid`))
  if (stats.skipped > 0) parts.push(`${stats.skipped} blank skipped`)
  if (unknown > 0) parts.push(c.red(`${unknown} not confirmed`))
  // Over less than a second, a rate measures start-up and connecting, not throughput.
  const speed = elapsedMs >= 1000 ? ` (${rate(outcome.delivered, elapsedMs)} msg/s)` : ''
  return `${parts.join(', ')} to ${topic} in ${seconds(elapsedMs)}${speed}`
}

function checkPartitionFlag(partition: number | undefined, topic: string, partitions: number[]): void {
  if (partition === undefined || partitions.includes(partition)) return
  throw usageError(`--partition ${partition}: topic ${topic} has partitions ${partitions[0]}-${partitions.at(-1)}`)
}

/**
 * `kcli produce orders`, where orders is a topic and no file: the hint for the error, "did you mean -t orders?". Asks
 * the cluster briefly; says nothing when it cannot tell.
 */
export async function topicNotFileHint(settings: ResolvedSettings, name: string): Promise<string | undefined> {
  if (name === '-' || fs.existsSync(name) || !/^[A-Za-z0-9._-]{1,249}$/.test(name)) return undefined
  const cluster = new ClusterContext({...settings, timeoutMs: Math.min(settings.timeoutMs, 3000)})
  try {
    await topicPartitions(cluster, name)
    return `Did you mean -t ${name}? A topic of that name exists; arguments are files to read.`
  } catch {
    return undefined
  } finally {
    await cluster.close()
  }
}

/** A missing file that is the name of a topic gets the hint that says so. */
async function checkSourcesNamingTopics(settings: ResolvedSettings, sources: string[]): Promise<void> {
  try {
    checkSources(sources)
  } catch (error) {
    const missing = sources.find((s) => s !== '-' && !fs.existsSync(s))
    const hint = error instanceof KcliError && missing ? await topicNotFileHint(settings, missing) : undefined
    if (hint) throw new KcliError((error as KcliError).message, {exit: ExitCode.usage, hint})
    throw error
  }
}

/** On a terminal, stdin waits for typing: say what it reads and how to end. */
function sayWhenReadingTerminal(options: ProduceRunOptions): void {
  if (!options.sources.includes('-') || !isTerminal(0)) return
  const what =
    options.input.mode === 'json'
      ? 'JSON lines (one value per line)'
      : options.input.mode === 'envelope'
        ? 'envelope lines (as consume prints them)'
        : 'lines'
  info(`reading ${what} from the terminal: Ctrl-D sends, Ctrl-C cancels`)
}

async function dryRun(options: ProduceRunOptions): Promise<number> {
  const stats = new ProduceStats()
  const where = {source: 'stdin'}
  // A dry run reads the whole input whatever --on-invalid says, so that one run names every line to fix.
  const run: ProduceOptions = {...options, onInvalid: 'skip', partitionCount: Number.MAX_SAFE_INTEGER}
  const sink = new DryRunSink(undefined as never, sinkOptions(run, stats, where), stats, {stopped: false})
  sayWhenReadingTerminal(options)
  await produceLines(sink, readLineBatches(options.sources), run, stats, {stopped: false}, where)
  const valid = stats.read - stats.invalid - stats.skipped
  info(`${valid} valid, ${stats.invalid} invalid, ${stats.skipped} blank skipped (dry run: nothing sent)`)
  const failing = stats.invalid > 0 && options.onInvalid === 'fail'
  // Under fail, the error names the first line: a list of one would say it twice.
  if (stats.invalid > (failing ? 1 : 0)) listInvalid(stats, (line) => process.stderr.write(`${line}\n`))
  if (failing) throw usageError(`${whereOf(stats)}: ${stats.firstInvalid?.reason}`)
  return stats.invalid > 0 ? ExitCode.usage : ExitCode.ok
}

/** The outcome of an aborted (or uncertain) transaction: it decides for every message, whatever reports said. */
function transactionOutcome(tx: TxOutcome, outcome: DeliveryOutcome, stats: ProduceStats): DeliveryOutcome {
  if (tx.committed) return outcome
  const failed = new Map(outcome.failed)
  const rest = stats.accepted - total(failed)
  if (tx.uncertain)
    return {
      delivered: 0,
      failed,
      unknown: new Map(rest > 0 ? [['in a transaction whose outcome is unknown', rest]] : []),
    }
  if (rest > 0) failed.set(tx.reason, (failed.get(tx.reason) ?? 0) + rest)
  return {delivered: 0, failed, unknown: new Map()}
}

export async function runProduce(cluster: ClusterContext, options: ProduceRunOptions): Promise<number> {
  const {settings} = cluster
  if (options.dryRun) {
    checkSources(options.sources)
    return dryRun(options)
  }
  await checkSourcesNamingTopics(settings, options.sources)
  const stats = new ProduceStats()
  const control = {stopped: false}
  const started = Date.now()
  const path = await dataPath()
  // --print-offsets and --dead-letter need a delivery report per message with its line: one produce() call per message.
  const perMessage = options.printOffsets || options.deadLetterFile !== undefined
  const batch = path.batchProduce && !perMessage

  const properties: ClientProperties = {
    ...options.producerProperties,
    ...(options.transactionalId ? {'transactional.id': options.transactionalId} : {}),
    dr_cb: true,
    'delivery.report.only.error': !perMessage,
  }
  let {client: producer, metadata} = await connectProducer(settings, properties, options.topic)
  cluster.track(producer)
  // The connect's metadata describes the topic. The stock librdkafka (a prebuilt binary, which KCLI_DATA_PATH=stock
  // stands in for) asks for an idempotent producer's id only when a metadata answer comes in after the broker it
  // learned is up, else 500 ms later (kcli's patch asks once that broker is up: patches/README.md): there a request of
  // its own for the partitions makes that answer. (The producer remade below for a smaller batch.size gets none.)
  const partitions = path.batchProduce
    ? existingPartitions(metadata, options.topic)
    : await topicPartitions(ClusterContext.over(settings, {client: producer}), options.topic)
  checkPartitionFlag(options.partition, options.topic, partitions)
  const limit = await sizeLimit(producer, metadata.brokers, settings, options.topic, properties)
  if (limit.topicBytes < clientBatchBytes(properties, settings)) {
    // A batch larger than the topic takes is refused whole, small messages with it: cap batches at its limit (a
    // producer's batch size is fixed when it is made).
    await closeClient(producer, settings.timeoutMs)
    ;({client: producer, metadata} = await connectProducer(
      settings,
      {...properties, 'batch.size': limit.topicBytes},
      options.topic,
    ))
    cluster.track(producer)
  }
  producer.setPollInterval(100)
  // Where kcli's patch is built, librdkafka's outcomes are counted natively: exact whatever reached JS.
  const countsNatively = path.batchProduce && nativeCounts(producer) !== undefined

  let deadLetterFd = options.deadLetterFile ? openDeadLetter(options.deadLetterFile) : undefined
  const offsets = options.printOffsets
    ? new OffsetPrinter(options.topic, options.transactionalId !== undefined)
    : undefined
  const where = {source: 'stdin'}
  // With a dead-letter file, a message that fails is written there with its line, as an invalid line is.
  const inFlight = deadLetterFd === undefined ? undefined : new InFlightLines(where)
  // Reports arrive in an event handler, where a throw would crash the process: a failed write ends the run after.
  let deadLetterFailure: unknown
  const undelivered = (
    entry: {source: string; line: number; input: Buffer} | undefined,
    reason: string,
    prefix = 'not delivered',
  ) => {
    if (entry === undefined || deadLetterFd === undefined || deadLetterFailure !== undefined) return
    try {
      const invalid = {source: entry.source, line: entry.line, reason: `${prefix}: ${reason}`}
      writeDeadLetter(deadLetterFd, invalid, entry.input)
    } catch (error) {
      deadLetterFailure = error
    }
  }
  const runOptions: ProduceOptions = {
    ...options,
    partitionCount: partitions.length,
    deadLetterFd,
    onDelivered: offsets ? (report) => offsets.add(report) : undefined,
    sizeLimit: limit,
    inFlight,
  }
  const unwatch = watchDeliveries(producer, stats, {
    countFailures: !countsNatively,
    withStatus: path.batchProduce,
    onDelivered: runOptions.onDelivered,
    lineOf: inFlight ? (opaque) => inFlight.take(opaque)?.line : undefined,
    onFailed: inFlight
      ? (opaque, reason, mayBeStored) =>
          undelivered(inFlight.take(opaque), reason, mayBeStored ? 'not confirmed' : undefined)
      : undefined,
  })
  const sinkSettings: SinkOptions = {
    ...sinkOptions(runOptions, stats, where),
    onRefused: inFlight ? (_line, _input, reason, opaque) => undelivered(inFlight.take(opaque), reason) : undefined,
  }
  const sink = batch
    ? new BatchSink(producer, sinkSettings, stats, control)
    : new StockSink(producer, sinkSettings, stats, control)

  let signalStop: () => void = () => {}
  const stopped = new Promise<void>((resolve) => (signalStop = resolve))
  const interrupts = watchInterrupts(
    () => {
      control.stopped = true
      signalStop()
    },
    () => {
      const counts = countsNatively ? nativeCounts(producer) : undefined
      const unknown = counts ? counts.inFlight : stats.accepted - stats.failed - stats.confirmed
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

  // An error while reading or sending still ends with what was delivered settled and counted, then it is reported.
  let runError: unknown
  let tx: TxOutcome | undefined
  let outcome: DeliveryOutcome
  try {
    if (options.transactionalId) {
      await txCall(producer, 'init', settings.timeoutMs)
      await txCall(producer, 'begin', settings.timeoutMs)
    }
    try {
      sayWhenReadingTerminal(options)
      await produceLines(sink, readLineBatches(options.sources, stopped), runOptions, stats, control, where)
    } catch (error) {
      runError = error
    }
    // message.timeout.ms bounds each message, so a normal flush ends; after an interrupt the user wants out quickly.
    const limit = interrupts.interrupted ? settleLimitMs : messageTimeoutMs(settings, options) + settleLimitMs
    const settled = await settleDeliveries(producer, limit, stats, perMessage)
    // A line whose message has no report by now may or may not have arrived: the file keeps it, saying so.
    for (const entry of inFlight?.takeAll() ?? [])
      undelivered(entry, 'no delivery report before kcli stopped waiting (it may have arrived)', 'not confirmed')
    const counts = countsNatively ? nativeCounts(producer) : undefined
    outcome = counts ? nativeOutcome(counts, stats) : reportedOutcome(stats, settled, perMessage)
    if (options.transactionalId) {
      const clean =
        total(outcome.failed) === 0 &&
        total(outcome.unknown) === 0 &&
        runError === undefined &&
        !interrupts.interrupted &&
        !(stats.invalid > 0 && options.onInvalid === 'fail')
      // From here the transaction's outcome decides for every message, whatever late reports an abort brings.
      unwatch()
      tx = await finishTransaction(producer, clean, settings.timeoutMs)
      outcome = transactionOutcome(tx, outcome, stats)
    }
    await offsets?.finish(tx === undefined || tx.committed)
  } finally {
    progress.stop()
    interrupts.dispose()
    if (deadLetterFd !== undefined) fs.closeSync(deadLetterFd)
    // A report that comes after this has nowhere to go.
    deadLetterFd = undefined
  }
  runError ??= deadLetterFailure

  const failed = total(outcome.failed)
  const unknown = total(outcome.unknown)
  const stoppedAtInvalid = stats.invalid > 0 && options.onInvalid === 'fail'
  // -q silences a summary of a run that went well; one that did not always says what was delivered and what was not.
  const mustReport =
    failed > 0 ||
    unknown > 0 ||
    stoppedAtInvalid ||
    runError !== undefined ||
    tx?.error !== undefined ||
    interrupts.interrupted
  const summary = summaryLine(
    stats,
    outcome,
    options.topic,
    Date.now() - started,
    String(options.producerProperties.acks) !== '0',
  )
  if (mustReport) process.stderr.write(`${summary}\n`)
  else info(summary)
  for (const [reason, count] of outcome.failed)
    process.stderr.write(`  ${count} message${count === 1 ? '' : 's'} ${reason}\n`)
  for (const [reason, count] of outcome.unknown)
    process.stderr.write(`  ${count} message${count === 1 ? '' : 's'} ${reason}\n`)
  const tooLarge = outcome.failed.has(tooLargeReason)
  if (tooLarge && limit.unknownBecause !== undefined)
    process.stderr.write(
      `  (lines were checked against ${limit.topicSource}; --batch-size below the topic's limit keeps small messages out of a batch the broker refuses)\n`,
    )
  // Only the broker can judge a compressed message's size; each refusal makes an idempotent producer reset the
  // partition's sequence, and messages waiting meanwhile can time out (README: "Message size"). Not said of a
  // transaction: one refusal aborts it whole, and it cannot do without idempotence.
  const idempotent = properties['enable.idempotence'] === true && options.transactionalId === undefined
  if (tooLarge && limit.compressed && idempotent)
    process.stderr.write(
      '  (each compressed message the broker refuses makes the idempotent producer reset the partition, and messages waiting meanwhile can time out: --no-idempotence avoids that, though a retry may then store a message twice)\n',
    )
  // Skipped or dead-lettered lines, each with its number (under fail, the error names the one line).
  if (stats.invalid > 0 && !stoppedAtInvalid)
    listInvalid(stats, (line) => (mustReport ? process.stderr.write(`${line}\n`) : info(line)))

  if (runError !== undefined) throw runError
  if (stoppedAtInvalid)
    throw usageError(`${whereOf(stats)}: ${stats.firstInvalid?.reason}`, deliveredBeforeHint(outcome.delivered))
  if (tx?.error !== undefined) {
    const state = tx.uncertain ? 'its outcome is unknown' : 'nothing of it was committed'
    throw new KcliError(
      `transaction ${options.transactionalId} could not be completed, ${state}: ${describeKafkaError(tx.error)}`,
    )
  }
  if (interrupts.interrupted) return ExitCode.interrupted
  if (failed > 0 || unknown > 0) return ExitCode.failure
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
