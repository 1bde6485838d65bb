// `kcli user delete`: delete SCRAM users' credentials, after showing them and a confirmation.
import {Args, Flags} from '@oclif/core'

import {requireAdminCalls} from '../../lib/admin/available.js'
import {
  type ScramUser,
  deleteCredential,
  describeUsers,
  parseMechanism,
  renderUsers,
  unknownUsersError,
} from '../../lib/admin/users.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {KcliError, usageError} from '../../lib/errors.js'
import {info} from '../../lib/terminal/output.js'
import {confirm, requireConfirmable} from '../../lib/terminal/prompt.js'

export default class UserDelete extends KafkaCommand {
  static override summary = "Delete SCRAM users (all their credentials, or one mechanism's), after showing them."
  static override description = `Deletes every SCRAM credential of each user named, or only the --mechanism one; the user can then no longer log in with it (new logins are refused at once, open connections stay until they reconnect). Every user must exist: if one has no SCRAM credentials (or not that mechanism), nothing is deleted. kcli lists the credentials first and asks on a terminal; --yes deletes without asking and is required when stdin or stderr is not a terminal. ACLs naming the user are kept (kcli acl delete --principal User:<name> removes them).

Needs the admin calls of kcli's patch to the client library: without them (KCLI_DATA_PATH=stock, a prebuilt binary) the command says so and exits 1.

With --json: {users: [{user, credentials: [{mechanism, iterations}]}]}: the credentials deleted.

Exit codes: 0 deleted; 1 the cluster refused (the principal may not alter the cluster), the question was answered no, or the client library lacks the admin calls; 2 a user without SCRAM credentials (or without that mechanism), invalid usage, or no --yes without a terminal; 3 cluster unreachable; 130 interrupted at the question.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> svc-old',
    '<%= config.bin %> <%= command.id %> svc-a svc-b --yes',
    '<%= config.bin %> <%= command.id %> svc-billing --mechanism SCRAM-SHA-256 --yes --json',
  ]

  static override strict = false
  static override args = {user: Args.string({required: true, description: 'User name (several allowed)'})}
  static override flags = {
    mechanism: Flags.string({char: 'm', description: 'Only this mechanism: SCRAM-SHA-256 or SCRAM-SHA-512'}),
    yes: Flags.boolean({char: 'y', description: 'Delete without asking'}),
  }

  static override enableJsonFlag = true

  async run(): Promise<{users: ScramUser[]}> {
    const {argv, flags} = await this.parse(UserDelete)
    await requireAdminCalls('user delete', 'AlterUserScramCredentials')
    const mechanism = flags.mechanism === undefined ? undefined : parseMechanism(flags.mechanism)
    if (!flags.yes) requireConfirmable()
    const cluster = await this.cluster()
    const {users, missing} = await describeUsers(cluster, argv as string[])
    if (missing.length > 0) throw unknownUsersError(missing)
    const doomed = users.map((u) => ({
      user: u.user,
      credentials: u.credentials.filter((c) => mechanism === undefined || c.mechanism === mechanism),
    }))
    const without = doomed.filter((u) => u.credentials.length === 0).map((u) => u.user)
    if (without.length > 0)
      throw usageError(`user ${without.join(', ')} has no ${mechanism} credential: nothing deleted`)
    this.log(renderUsers(doomed))
    const count = doomed.reduce((n, u) => n + u.credentials.length, 0)
    const question = `Delete ${count === 1 ? 'this credential' : `these ${count} credentials`}?`
    if (!flags.yes && !(await confirm(question))) throw new KcliError('not confirmed: nothing deleted')
    // One at a time: Kafka refuses two changes of one user in one request.
    for (const u of doomed)
      for (const c of u.credentials) await deleteCredential(cluster, {user: u.user, mechanism: c.mechanism})
    info(`Deleted ${count} credential${count === 1 ? '' : 's'} of ${doomed.map((u) => u.user).join(', ')}.`)
    return {users: doomed}
  }
}
