// `kcli acl list`: the cluster's ACLs, all or those matching the flags.
import {requireAdminCalls} from '../../lib/admin/available.js'
import {aclFilterFlags} from '../../lib/admin/acl-flags.js'
import {type Acl, aclFilters, renderAcls} from '../../lib/admin/acl-spec.js'
import {describeAcls} from '../../lib/admin/acls.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'

export default class AclList extends KafkaCommand {
  static override summary = "List the cluster's ACLs, all or those matching principals, operations and resources."
  static override description = `Without flags, every ACL. Each flag narrows the list, as in kafka-acls --list and rpk acl list: --allow-principal and --deny-principal (with their --allow-host and --deny-host), --principal (either permission), --operation, and the resources --topic, --group, --transactional-id and --cluster; repeated flags match any of their values. Names match exactly (--resource-pattern-type any, the default); --resource-pattern-type match also lists the prefixed and * ACLs that apply to the names given, i.e. everything that decides access to them.

Prints PRINCIPAL HOST RESOURCE-TYPE RESOURCE-NAME PATTERN OPERATION PERMISSION.

Needs the admin calls of kcli's patch to the client library: without them (KCLI_DATA_PATH=stock, a prebuilt binary) the command says so and exits 1.

With --json: {acls: [{principal, host, resourceType, resourceName, patternType, operation, permission}]}.

Exit codes: 0 listed (also none); 1 the cluster refused (no authorizer, or the principal may not describe the cluster), or the client library lacks the admin calls; 2 invalid usage; 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --allow-principal User:svc',
    '<%= config.bin %> <%= command.id %> --topic orders --resource-pattern-type match --json',
  ]

  static override flags = aclFilterFlags
  static override enableJsonFlag = true

  async run(): Promise<{acls: Acl[]}> {
    const {flags} = await this.parse(AclList)
    await requireAdminCalls('acl list', 'DescribeAcls')
    const filters = aclFilters(flags, {forDelete: false})
    const acls = await describeAcls(await this.cluster(), filters)
    if (acls.length === 0) info('No ACLs.')
    else this.log(renderAcls(acls))
    return {acls}
  }
}
