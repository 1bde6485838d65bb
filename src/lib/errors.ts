// One error type for everything kcli reports to a user, the exit codes it documents, and the one function that decides
// what any error means to a user: KcliError, librdkafka's codes and lowercase texts, Node's system errors, oclif's
// parse errors.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  interrupted: 130,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export class KcliError extends Error {
  readonly exit: number
  readonly hint?: string
  /** A stable name for scripts (`--json` errors), e.g. UNKNOWN_TOPIC; by default the exit code's (codeOfExit). */
  readonly code: string

  constructor(message: string, options: {exit?: number; hint?: string; cause?: unknown; code?: string} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'KcliError'
    this.exit = options.exit ?? ExitCode.failure
    this.hint = options.hint
    this.code = options.code ?? codeOfExit(this.exit)
  }
}

/** The code of an error that has no more specific one: what its exit code means. */
export function codeOfExit(exit: number): string {
  switch (exit) {
    case ExitCode.ok:
      return 'OK'
    case ExitCode.usage:
      return 'USAGE'
    case ExitCode.unreachable:
      return 'UNREACHABLE'
    case ExitCode.interrupted:
      return 'INTERRUPTED'
    default:
      return 'FAILURE'
  }
}

export function usageError(message: string, hint?: string): KcliError {
  return new KcliError(message, {exit: ExitCode.usage, hint})
}

/** The shape of errors raised by @confluentinc/kafka-javascript's callback API. */
export interface LibrdkafkaError {
  message: string
  code: number
  isFatal?: boolean
  isRetriable?: boolean
}

export function isLibrdkafkaError(err: unknown): err is LibrdkafkaError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as LibrdkafkaError).code === 'number' &&
    typeof (err as LibrdkafkaError).message === 'string'
  )
}

// librdkafka error codes kcli reacts to (rdkafka.h): negative ones are the client's own, positive ones Kafka's.
export const RdCode = {
  unknownTopicOrPart: 3,
  notLeaderOrFollower: 6,
  requestTimedOut: 7,
  msgSizeTooLarge: 10,
  coordinatorLoadInProgress: 14,
  coordinatorNotAvailable: 15,
  notCoordinator: 16,
  topicAuthorizationFailed: 29,
  groupAuthorizationFailed: 30,
  clusterAuthorizationFailed: 31,
  kafkaStorageError: 56,
  saslAuthenticationFailed: 58,
  transport: -195,
  resolve: -193,
  msgTimedOut: -192,
  partitionEof: -191,
  unknownPartition: -190,
  unknownTopic: -188,
  allBrokersDown: -187,
  invalidArgument: -186,
  timedOut: -185,
  queueFull: -184,
  ssl: -181,
  waitCoordinator: -180,
  assignPartitions: -175,
  revokePartitions: -174,
  authentication: -169,
  destroy: -197,
} as const

/** What an error means to a user: the exit code, one line, and what to do about it. */
export interface ErrorReport {
  message: string
  exit: number
  /** A stable name for scripts: kcli's own (UNKNOWN_TOPIC, USAGE, ...), librdkafka's (ERR_...) or Node's (ENOENT). */
  code: string
  hint?: string
  /** Nothing to print: the exit code says it all (a reader that closed the pipe). */
  silent?: boolean
}

const unreachableHint =
  'Is the broker running? Start a local one with `kcli local start`, or point kcli at yours with --brokers (`kcli config show` shows the settings in use).'

// By code first: the code is exact where the text is not (librdkafka's "Message timed out" is a delivery failure).
const kafkaExitByCode = new Map<number, number>([
  [RdCode.transport, ExitCode.unreachable],
  [RdCode.resolve, ExitCode.unreachable],
  [RdCode.allBrokersDown, ExitCode.unreachable],
  [RdCode.timedOut, ExitCode.unreachable],
  [RdCode.requestTimedOut, ExitCode.unreachable],
  [RdCode.ssl, ExitCode.unreachable],
  [RdCode.authentication, ExitCode.unreachable],
  [RdCode.saslAuthenticationFailed, ExitCode.unreachable],
  [RdCode.waitCoordinator, ExitCode.unreachable],
  [RdCode.coordinatorLoadInProgress, ExitCode.unreachable],
  [RdCode.coordinatorNotAvailable, ExitCode.unreachable],
  [RdCode.notCoordinator, ExitCode.unreachable],
  [RdCode.invalidArgument, ExitCode.usage],
  [RdCode.unknownTopicOrPart, ExitCode.usage],
  [RdCode.unknownTopic, ExitCode.usage],
  [RdCode.unknownPartition, ExitCode.usage],
  [RdCode.msgTimedOut, ExitCode.failure],
  [RdCode.msgSizeTooLarge, ExitCode.failure],
  [RdCode.topicAuthorizationFailed, ExitCode.failure],
  [RdCode.groupAuthorizationFailed, ExitCode.failure],
  [RdCode.clusterAuthorizationFailed, ExitCode.failure],
])

// The binding reports many transport and configuration problems as code -1 with a lowercase text, and librdkafka
// refuses a bad combination of properties only when connecting.
const unreachableText =
  /broker transport failure|all broker connections are down|connection refused|timed out|authentication|ssl handshake|failed to resolve/i
const configurationText =
  /configuration property|must be set|invalid value|is not supported|requires|mutually exclusive/i
const kafkaExitByText: Array<[RegExp, number]> = [
  [unreachableText, ExitCode.unreachable],
  [configurationText, ExitCode.usage],
]

const authorizationCodes = new Set<number>([
  RdCode.topicAuthorizationFailed,
  RdCode.groupAuthorizationFailed,
  RdCode.clusterAuthorizationFailed,
])

/** librdkafka's name for a code kcli knows (RdCode), as ERR_UNKNOWN_TOPIC_OR_PART; else ERR_<number>. */
function kafkaCodeName(code: number): string {
  if (code === RdCode.waitCoordinator) return 'ERR__WAIT_COORD'
  if (code === RdCode.invalidArgument) return 'ERR__INVALID_ARG'
  const name = Object.entries(RdCode).find(([, value]) => value === code)?.[0]
  if (name === undefined) return `ERR_${code < 0 ? `_${-code}` : code}`
  return `ERR_${code < 0 ? '_' : ''}${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`
}

/** The exit code a librdkafka error stands for. */
function kafkaExit(err: LibrdkafkaError): number {
  const byCode = kafkaExitByCode.get(err.code)
  if (byCode !== undefined) return byCode
  return kafkaExitByText.find(([pattern]) => pattern.test(err.message))?.[1] ?? ExitCode.failure
}

/** True when an error means the cluster could not be reached or would not let us in. */
export function isUnreachable(err: unknown): boolean {
  return isLibrdkafkaError(err) && kafkaExit(err) === ExitCode.unreachable
}

/** True when librdkafka refused the client's properties (-X, the rc file's `properties`). */
export function isConfigurationError(err: unknown): boolean {
  if (!isLibrdkafkaError(err)) return false
  return (
    err.code === RdCode.invalidArgument ||
    (kafkaExit(err) !== ExitCode.unreachable && configurationText.test(err.message))
  )
}

export function isAuthorizationError(err: unknown): boolean {
  return isLibrdkafkaError(err) && authorizationCodes.has(err.code)
}

/** A short, human text for a librdkafka error: its message without the noise the binding adds. */
export function describeKafkaError(err: unknown): string {
  if (isLibrdkafkaError(err)) {
    const text = err.message.replace(/^Local: /, '').trim()
    return text.length > 0 ? text.charAt(0).toLowerCase() + text.slice(1) : `error code ${err.code}`
  }
  if (err instanceof Error) return err.message
  return String(err)
}

/** Node's system errors (fs, net, streams): a string code such as ENOENT. */
interface SystemError extends Error {
  code: string
  path?: string
  address?: string
  port?: number
}

function isSystemError(err: unknown): err is SystemError {
  return (
    err instanceof Error &&
    typeof (err as SystemError).code === 'string' &&
    /^E[A-Z_]+$/.test((err as SystemError).code)
  )
}

// A path the user gave that cannot be used is theirs to fix (2); a host that does not answer is unreachable (3).
const systemExit: Record<string, number> = {
  ENOENT: ExitCode.usage,
  ENOTDIR: ExitCode.usage,
  EISDIR: ExitCode.usage,
  EACCES: ExitCode.usage,
  EPERM: ExitCode.usage,
  ENAMETOOLONG: ExitCode.usage,
  ELOOP: ExitCode.usage,
  ECONNREFUSED: ExitCode.unreachable,
  ECONNRESET: ExitCode.unreachable,
  ETIMEDOUT: ExitCode.unreachable,
  EHOSTUNREACH: ExitCode.unreachable,
  ENETUNREACH: ExitCode.unreachable,
  ENOTFOUND: ExitCode.unreachable,
  EAI_AGAIN: ExitCode.unreachable,
  ABORT_ERR: ExitCode.interrupted,
}

function systemReport(err: SystemError): ErrorReport {
  // The reader of stdout went away (`| head`): a normal end, as for consume.
  if (err.code === 'EPIPE') return {message: '', exit: ExitCode.ok, code: err.code, silent: true}
  // Node writes "ENOENT: no such file or directory, open '/x'"; keep the reason and name the path once.
  const reason = /^E[A-Z_]+: ([^,]+)/.exec(err.message)?.[1] ?? err.message
  const where = err.path ?? (err.address === undefined ? undefined : `${err.address}${err.port ? `:${err.port}` : ''}`)
  const exit = systemExit[err.code] ?? ExitCode.failure
  return {
    message: where === undefined ? reason : `${where}: ${reason}`,
    exit,
    code: err.code,
    hint: exit === ExitCode.unreachable ? 'Check the address, and that the server there is running.' : undefined,
  }
}

/** oclif's own errors carry their exit code; its parse errors (unknown flag, missing argument) are usage errors. */
function isOclifError(err: unknown): err is Error & {oclif: {exit?: number}} {
  return err instanceof Error && typeof (err as {oclif?: unknown}).oclif === 'object'
}

function oclifReport(err: Error & {oclif: {exit?: number}}): ErrorReport {
  // oclif spreads one error over several lines ("The following error occurred:", the detail, a help pointer).
  const text = err.message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^See more help with/.test(line) && line !== 'The following error occurred:')
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/ Note: .*$/, '')
  const exit = err.oclif.exit ?? ExitCode.usage
  return {message: text || 'invalid usage', exit, code: codeOfExit(exit), hint: 'See --help for usage.'}
}

/** Maps anything thrown to what the user sees: the one place where an error becomes an exit code. */
export function errorReport(err: unknown): ErrorReport {
  if (err instanceof KcliError) return {message: err.message, exit: err.exit, code: err.code, hint: err.hint}
  if (isOclifError(err)) return oclifReport(err)
  if (isLibrdkafkaError(err)) {
    const exit = kafkaExit(err)
    return {
      message: describeKafkaError(err),
      exit,
      code: kafkaCodeName(err.code),
      hint: exit === ExitCode.unreachable ? unreachableHint : undefined,
    }
  }
  if (isSystemError(err)) return systemReport(err)
  if (err instanceof Error) {
    if (err.name === 'AbortError') return {message: 'interrupted', exit: ExitCode.interrupted, code: 'INTERRUPTED'}
    return {message: err.message, exit: ExitCode.failure, code: 'FAILURE'}
  }
  return {message: String(err), exit: ExitCode.failure, code: 'FAILURE'}
}

/**
 * A failed call to the cluster as one line: `cannot <action>: <reason>`, or `not allowed to <action>` when an ACL
 * refused it, with the exit code of `errorReport`. A KcliError passes through unchanged.
 */
export function failedTo(
  action: string,
  err: unknown,
  hints: {unreachable?: string; denied?: string; other?: string} = {},
): KcliError {
  if (err instanceof KcliError) return err
  if (isAuthorizationError(err))
    return new KcliError(`not allowed to ${action}`, {
      exit: ExitCode.failure,
      code: 'NOT_ALLOWED',
      hint: hints.denied ?? 'The principal needs the matching ACL.',
      cause: err,
    })
  const report = errorReport(err)
  const hint = report.exit === ExitCode.unreachable ? (hints.unreachable ?? report.hint) : hints.other
  return new KcliError(`cannot ${action}: ${report.message}`, {exit: report.exit, hint, cause: err, code: report.code})
}
