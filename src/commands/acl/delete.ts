// `kcli acl delete`: delete the ACLs matching the flags, after showing them and a confirmation.
import {Flags} from '@oclif/core'

import {requireAdminCalls} from '../../lib/admin/available.js'
import {aclFilterFlags} from '../../lib/admin/acl-flags.js'
import {type Acl, aclCount, aclFilters, renderAcls} from '../../lib/admin/acl-spec.js'
import {deleteAcls, describeAcls} from '../../lib/admin/acls.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {KcliError} from '../../lib/errors.js'
import {info} from '../../lib/terminal/output.js'
import {confirm, requireConfirmable} from '../../lib/terminal/prompt.js'

export default class AclDelete extends KafkaCommand {
  static override summary = 'Delete the ACLs that match principals, operations and resources, after showing them.'
  static override description = `The flags select ACLs as for kcli acl list (what is not given matches anything), but at least a principal or a resource must be given. kcli lists the matching ACLs first, then asks on a terminal; --yes deletes without asking and is required when stdin or stderr is not a terminal. Exactly the ACLs shown are deleted. --dry-run lists them and deletes nothing.

Needs the admin calls of kcli's patch to the client library: without them (KCLI_DATA_PATH=stock, a prebuilt binary) the command says so and exits 1.

With --json: {acls: [...], dryRun, applied}: the ACLs deleted (with --dry-run, or when the question is declined, those that match).

Exit codes: 0 deleted, none matched, or a dry run; 1 the cluster refused (no authorizer, or the principal may not alter the cluster), the question was answered no, or the client library lacks the admin calls; 2 invalid usage, or no --yes without a terminal; 3 cluster unreachable; 130 interrupted at the question.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --allow-principal User:svc --topic orders',
    '<%= config.bin %> <%= command.id %> --principal User:old-service --yes',
    '<%= config.bin %> <%= command.id %> --group billing --operation read --dry-run --json',
  ]

  static override flags = {
    ...aclFilterFlags,
    yes: Flags.boolean({char: 'y', description: 'Delete without asking'}),
    'dry-run': Flags.boolean({description: 'List the matching ACLs; delete nothing'}),
  }

  static override enableJsonFlag = true

  async run(): Promise<{acls: Acl[]; dryRun: boolean; applied: boolean}> {
    const {flags} = await this.parse(AclDelete)
    await requireAdminCalls('acl delete', 'DeleteAcls')
    const filters = aclFilters(flags, {forDelete: true})
    const dryRun = flags['dry-run'] === true
    if (!flags.yes && !dryRun) requireConfirmable()
    const cluster = await this.cluster()
    const matches = await describeAcls(cluster, filters)
    if (matches.length === 0) {
      info('No ACLs match: nothing to delete.')
      return {acls: [], dryRun, applied: false}
    }
    this.log(renderAcls(matches))
    if (dryRun) {
      info(`Dry run: ${aclCount(matches.length)} match; nothing deleted.`)
      return {acls: matches, dryRun, applied: false}
    }
    if (!flags.yes && !(await confirm(`Delete ${aclCount(matches.length)}?`)))
      throw new KcliError('not confirmed: nothing deleted')
    const deleted = await deleteAcls(cluster, matches)
    info(`Deleted ${aclCount(deleted.length)}.`)
    return {acls: deleted, dryRun, applied: true}
  }
}
