// SCRAM users through the DescribeUserScramCredentials and AlterUserScramCredentials calls of kcli's patch
// (patches/admin.md): who has which mechanism, and credentials made and deleted. Passwords go in, never out.
import type {
  AlterUserScramCredentialsResult,
  UserScramCredentialAlteration,
  UserScramCredentialsDescription,
} from '@confluentinc/kafka-javascript'

import {ExitCode, KcliError, describeKafkaError, failedTo, usageError} from '../errors.js'
import {loadKafka} from '../kafka/client.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {renderTable, terminalSafe} from '../terminal/output.js'

export const scramMechanisms = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const
export type ScramMechanism = (typeof scramMechanisms)[number]

/** One credential. Stable JSON: fields are only ever added. */
export interface ScramCredential {
  mechanism: ScramMechanism
  iterations: number
}

/** A user and its credentials. Stable JSON: fields are only ever added. */
export interface ScramUser {
  user: string
  credentials: ScramCredential[]
}

export function parseMechanism(text: string): ScramMechanism {
  const found = scramMechanisms.find((m) => m === text.trim().toUpperCase())
  if (!found) throw usageError(`--mechanism ${text}: use ${scramMechanisms.join(' or ')}`)
  return found
}

// Kafka's error codes for SCRAM credentials.
const resourceNotFound = 91
const unacceptableCredential = 93

function userError(action: string, err: {code: number; message: string}): KcliError {
  if (err.code === unacceptableCredential)
    return new KcliError(`cannot ${action}: ${describeKafkaError(err)}`, {exit: ExitCode.usage})
  return failedTo(action, err, {denied: 'The principal needs ALTER (DESCRIBE to list) on the cluster.'})
}

async function mechanismCodes(): Promise<Record<ScramMechanism, number>> {
  const {ScramMechanisms} = await loadKafka()
  return {'SCRAM-SHA-256': ScramMechanisms.SCRAM_SHA_256, 'SCRAM-SHA-512': ScramMechanisms.SCRAM_SHA_512}
}

/**
 * The users with SCRAM credentials, sorted; with `users`, just those (one without credentials is `missing`, not an
 * error: the caller decides).
 */
export async function describeUsers(
  cluster: ClusterContext,
  users: string[] = [],
): Promise<{users: ScramUser[]; missing: string[]}> {
  const codes = await mechanismCodes()
  const admin = await cluster.admin()
  const asked = [...new Set(users)]
  let results: UserScramCredentialsDescription[]
  try {
    results = await cluster.call<UserScramCredentialsDescription[]>((done) =>
      admin.describeUserScramCredentials(asked.length > 0 ? asked : null, {timeout: cluster.timeoutMs}, done),
    )
  } catch (error) {
    throw userError('list SCRAM users', error as {code: number; message: string})
  }
  const found: ScramUser[] = []
  const missing: string[] = []
  for (const result of results) {
    if (result.error?.code === resourceNotFound) missing.push(result.user)
    else if (result.error) throw userError(`describe user ${result.user}`, result.error)
    else
      found.push({
        user: result.user,
        // Kafka knows these two mechanisms only; a newer one would be left out rather than misnamed.
        credentials: scramMechanisms.flatMap((mechanism) =>
          result.credentials
            .filter((c) => c.mechanism === codes[mechanism])
            .map((c) => ({mechanism, iterations: c.iterations})),
        ),
      })
  }
  found.sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))
  return {users: found, missing}
}

/** One alteration per request: Kafka refuses two of the same user in one (DUPLICATE_RESOURCE). */
async function alterCredential(
  cluster: ClusterContext,
  alteration: UserScramCredentialAlteration,
  action: string,
): Promise<void> {
  const admin = await cluster.admin()
  let results: AlterUserScramCredentialsResult[]
  try {
    results = await cluster.call<AlterUserScramCredentialsResult[]>((done) =>
      admin.alterUserScramCredentials([alteration], {timeout: cluster.timeoutMs}, done),
    )
  } catch (error) {
    throw userError(action, error as {code: number; message: string})
  }
  const error = results.find((r) => r.user === alteration.user)?.error ?? results[0]?.error
  if (error) throw userError(action, error)
}

/** Sets a user's password for one mechanism (creating the credential, or replacing it). */
export async function upsertCredential(
  cluster: ClusterContext,
  options: {user: string; mechanism: ScramMechanism; iterations: number; password: string},
): Promise<void> {
  const mechanism = (await mechanismCodes())[options.mechanism]
  await alterCredential(
    cluster,
    {op: 'upsert', user: options.user, mechanism, iterations: options.iterations, password: options.password},
    `set the ${options.mechanism} credential of user ${options.user}`,
  )
}

export async function deleteCredential(
  cluster: ClusterContext,
  options: {user: string; mechanism: ScramMechanism},
): Promise<void> {
  const mechanism = (await mechanismCodes())[options.mechanism]
  await alterCredential(
    cluster,
    {op: 'delete', user: options.user, mechanism},
    `delete the ${options.mechanism} credential of user ${options.user}`,
  )
}

/** The error for users named that have no SCRAM credentials. */
export function unknownUsersError(users: string[]): KcliError {
  return usageError(
    `${users.length === 1 ? 'user' : 'users'} ${users.join(', ')} ${users.length === 1 ? 'has' : 'have'} no SCRAM credentials`,
    '`kcli user list` lists the users that have some.',
  )
}

// Below here: printing.

/** USER MECHANISM ITERATIONS, one row per credential. */
export function renderUsers(users: ScramUser[]): string {
  return renderTable([
    ['USER', 'MECHANISM', 'ITERATIONS'],
    ...users.flatMap((u) => u.credentials.map((c) => [terminalSafe(u.user), c.mechanism, String(c.iterations)])),
  ])
}
