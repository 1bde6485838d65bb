// One error type for everything kcli reports to a user, and the exit codes it documents.

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

  constructor(message: string, options: {exit?: number; hint?: string; cause?: unknown} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'KcliError'
    this.exit = options.exit ?? ExitCode.failure
    this.hint = options.hint
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

// librdkafka error codes kcli reacts to (rdkafka.h); the binding reports many transport problems as -1 with a text.
export const RdCode = {
  msgSizeTooLarge: 10,
  unknownTopicOrPart: 3,
  topicAuthorizationFailed: 29,
  groupAuthorizationFailed: 30,
  saslAuthenticationFailed: 58,
  transport: -195,
  allBrokersDown: -187,
  authentication: -169,
  timedOut: -185,
  msgTimedOut: -192,
  queueFull: -184,
  unknownTopic: -188,
  unknownPartition: -190,
  partitionEof: -191,
  ssl: -181,
  destroy: -197,
  invalidArgument: -186,
  assignPartitions: -175,
  revokePartitions: -174,
} as const

const unreachableCodes = new Set<number>([
  RdCode.transport,
  RdCode.allBrokersDown,
  RdCode.timedOut,
  RdCode.authentication,
  RdCode.ssl,
  RdCode.saslAuthenticationFailed,
])

/** True when an error means the cluster could not be reached or would not let us in. */
export function isUnreachable(err: unknown): boolean {
  if (!isLibrdkafkaError(err)) return false
  if (unreachableCodes.has(err.code)) return true
  return /broker transport failure|all broker connections are down|connection refused|timed out|authentication|ssl handshake/i.test(
    err.message,
  )
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
