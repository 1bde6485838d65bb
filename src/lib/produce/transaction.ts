// --transactional-id: the whole run is one transaction, committed at the end and aborted on any error or interrupt.
import type {Producer} from '@confluentinc/kafka-javascript'

import {describeKafkaError, isLibrdkafkaError} from '../errors.js'

export function txCall(
  producer: Producer,
  call: 'init' | 'begin' | 'commit' | 'abort',
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err: unknown) => (err ? reject(err) : resolve())
    if (call === 'init') producer.initTransactions(timeoutMs, done)
    else if (call === 'begin') producer.beginTransaction(done)
    else if (call === 'commit') producer.commitTransaction(timeoutMs, done)
    else producer.abortTransaction(timeoutMs, done)
  })
}

export interface TxOutcome {
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
export async function finishTransaction(producer: Producer, commit: boolean, timeoutMs: number): Promise<TxOutcome> {
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
