// `kcli acl create`: grant or deny principals operations on resources.
import {Flags} from '@oclif/core'

import {requireAdminCalls} from '../../lib/admin/available.js'
import {aclCreateFlags} from '../../lib/admin/acl-flags.js'
import {type Acl, aclCount, aclsToCreate, renderAcls} from '../../lib/admin/acl-spec.js'
import {createAcls} from '../../lib/admin/acls.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'

export default class AclCreate extends KafkaCommand {
  static override summary = 'Create ACLs: allow or deny principals operations on topics, groups, the cluster.'
  static override description = `Every principal (on each of its hosts, * by default) gets every operation on every resource, as kafka-acls --add and rpk acl create build them: --allow-principal User:svc --operation read --topic orders --group billing makes two ACLs, read on the topic and read on the group, which is what a consumer in group billing needs. Operations must suit the resource (kafka-acls' rules: a group takes read, describe, delete, all). --resource-pattern-type prefixed makes the names prefixes (--topic orders- covers orders-eu, orders-us); * as a name means all.

Prints the ACLs created (an ACL that exists already is kept as it is). --dry-run prints what would be created and changes nothing.

Needs the admin calls of kcli's patch to the client library: without them (KCLI_DATA_PATH=stock, a prebuilt binary) the command says so and exits 1.

With --json: {acls: [{principal, host, resourceType, resourceName, patternType, operation, permission}], dryRun, applied}.

Exit codes: 0 created (or printed, with --dry-run); 1 the cluster refused (no authorizer, or the principal may not alter the cluster), or the client library lacks the admin calls; 2 invalid usage (no principal, operation or resource; a principal not written Type:name; an operation a resource does not take); 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --allow-principal User:svc --operation read --topic orders --group billing',
    '<%= config.bin %> <%= command.id %> --allow-principal User:etl --operation write --operation describe --topic events- --resource-pattern-type prefixed',
    '<%= config.bin %> <%= command.id %> --deny-principal User:guest --deny-host 10.0.0.7 --operation all --topic payments --dry-run',
  ]

  static override flags = {
    ...aclCreateFlags,
    'dry-run': Flags.boolean({description: 'Print the ACLs that would be created; create nothing'}),
  }

  static override enableJsonFlag = true

  async run(): Promise<{acls: Acl[]; dryRun: boolean; applied: boolean}> {
    const {flags} = await this.parse(AclCreate)
    await requireAdminCalls('acl create', 'CreateAcls')
    const acls = aclsToCreate(flags)
    const dryRun = flags['dry-run'] === true
    if (!dryRun) await createAcls(await this.cluster(), acls)
    this.log(renderAcls(acls))
    info(
      dryRun
        ? `Dry run: ${aclCount(acls.length)} would be created; nothing changed.`
        : `Created ${aclCount(acls.length)}.`,
    )
    return {acls, dryRun, applied: !dryRun}
  }
}
