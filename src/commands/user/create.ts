// `kcli user create`: a SCRAM user (or a new password with --update), with a password that is never printed.
import {Args, Flags} from '@oclif/core'

import {requireAdminCalls} from '../../lib/admin/available.js'
import {newUserPassword, userPasswordVariable} from '../../lib/admin/user-password.js'
import {type ScramMechanism, describeUsers, parseMechanism, upsertCredential} from '../../lib/admin/users.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {usageError} from '../../lib/errors.js'
import {info} from '../../lib/terminal/output.js'

export default class UserCreate extends KafkaCommand {
  static override summary = 'Create a SCRAM user for SASL logins, or change its password with --update.'
  static override description = `Creates the user's credential for one mechanism (--mechanism, SCRAM-SHA-512 by default; run again with the other to allow both), as kafka-configs --alter --add-config 'SCRAM-SHA-512=[password=...]' --entity-type users does. A user that already has a credential for the mechanism is refused unless --update is given, which changes its password.

The password comes from --password-file (its first line; the file must be private, mode 600), from ${userPasswordVariable}, or, on a terminal, from a prompt that asks twice and shows nothing. --password works too, with a warning: other users of this machine can read it in the process list. The password is never printed; the client library sends only a salted hash (--iterations rounds of it) to the cluster.

Needs the admin calls of kcli's patch to the client library: without them (KCLI_DATA_PATH=stock, a prebuilt binary) the command says so and exits 1. A new credential may take a moment to reach every broker.

With --json: {user, mechanism, iterations, updated}.

Exit codes: 0 created (or changed, with --update); 1 the cluster refused (the principal may not alter the cluster), or the client library lacks the admin calls; 2 the user exists already (without --update), no password (and no terminal to ask on), an unreadable or public password file, iterations Kafka refuses, or invalid usage; 3 cluster unreachable; 130 interrupted at the prompt.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> svc-billing',
    '<%= config.bin %> <%= command.id %> svc-billing --mechanism SCRAM-SHA-256 --password-file ./svc-billing.password',
    `${userPasswordVariable}=... <%= config.bin %> <%= command.id %> svc-billing --update`,
  ]

  static override args = {user: Args.string({required: true, description: 'User name'})}
  static override flags = {
    mechanism: Flags.string({char: 'm', description: 'SCRAM-SHA-256 or SCRAM-SHA-512 [default: SCRAM-SHA-512]'}),
    iterations: Flags.integer({description: 'Hash iterations, 4096 to 16384 [default: 8192]', min: 4096, max: 16384}),
    'password-file': Flags.string({description: 'Read the password from this file (first line, mode 600)'}),
    password: Flags.string({
      description: `The password (visible to other users in ps: prefer ${userPasswordVariable})`,
    }),
    update: Flags.boolean({description: 'Change the password of a user that has this mechanism already'}),
  }

  static override enableJsonFlag = true

  async run(): Promise<{user: string; mechanism: ScramMechanism; iterations: number; updated: boolean}> {
    const {args, flags} = await this.parse(UserCreate)
    await requireAdminCalls('user create', 'AlterUserScramCredentials')
    const mechanism = parseMechanism(flags.mechanism ?? 'SCRAM-SHA-512')
    const iterations = flags.iterations ?? 8192
    if (args.user.trim() === '') throw usageError('the user name must not be empty')
    const cluster = await this.cluster()
    const {users} = await describeUsers(cluster, [args.user])
    const exists = users.some((u) => u.credentials.some((c) => c.mechanism === mechanism))
    if (exists && !flags.update)
      throw usageError(
        `user ${args.user} has a ${mechanism} credential already`,
        'Pass --update to change its password.',
      )
    const password = await newUserPassword(flags, args.user)
    await upsertCredential(cluster, {user: args.user, mechanism, iterations, password})
    info(
      exists
        ? `Changed the ${mechanism} password of user ${args.user}.`
        : `Created user ${args.user} (${mechanism}, ${iterations} iterations).`,
    )
    return {user: args.user, mechanism, iterations, updated: exists}
  }
}
