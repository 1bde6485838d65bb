// `kcli user list`: the SCRAM users of the cluster and their mechanisms.
import {Args} from '@oclif/core'

import {requireAdminCalls} from '../../lib/admin/available.js'
import {type ScramUser, describeUsers, renderUsers, unknownUsersError} from '../../lib/admin/users.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'

export default class UserList extends KafkaCommand {
  static override summary = 'List the SCRAM users of the cluster, with their mechanisms and iterations.'
  static override description = `Prints USER MECHANISM ITERATIONS, one row per credential (a user may have both SCRAM-SHA-256 and SCRAM-SHA-512), as kafka-configs --describe --entity-type users does. Names given as arguments list just those users; one without SCRAM credentials is an error. Passwords are never stored by Kafka, only their salted hashes, so none can be shown.

Needs the admin calls of kcli's patch to the client library: without them (KCLI_DATA_PATH=stock, a prebuilt binary) the command says so and exits 1.

With --json: {users: [{user, credentials: [{mechanism, iterations}]}]}.

Exit codes: 0 listed (also none); 1 the cluster refused (the principal may not describe the cluster), or the client library lacks the admin calls; 2 a named user has no SCRAM credentials, or invalid usage; 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> alice svc-billing',
    `<%= config.bin %> <%= command.id %> --json | jq -r '.users[].user'`,
  ]

  static override strict = false
  static override args = {user: Args.string({description: 'Only these users (several allowed)'})}
  static override enableJsonFlag = true

  async run(): Promise<{users: ScramUser[]}> {
    const {argv} = await this.parse(UserList)
    await requireAdminCalls('user list', 'DescribeUserScramCredentials')
    const {users, missing} = await describeUsers(await this.cluster(), argv as string[])
    if (missing.length > 0) throw unknownUsersError(missing)
    if (users.length === 0) info('No SCRAM users.')
    else this.log(renderUsers(users))
    return {users}
  }
}
