// ACLs on the cluster through the CreateAcls, DescribeAcls and DeleteAcls calls of kcli's patch (patches/admin.md),
// kept one after the other, with Kafka's refusals as one line each.
import type {AclBindingResult, CreateAclResult, DeleteAclsResult} from '@confluentinc/kafka-javascript'

import {ExitCode, KcliError, describeKafkaError, failedTo, isLibrdkafkaError} from '../errors.js'
import {loadKafka} from '../kafka/client.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {
  type Acl,
  type AclFilter,
  aclOperations,
  aclCount,
  clusterResourceName,
  exactFilter,
  sortAcls,
} from './acl-spec.js'

type Kafka = Awaited<ReturnType<typeof loadKafka>>

// kcli's names <-> librdkafka's enum values (patches/admin.md: BROKER is Kafka's CLUSTER resource for ACLs).
function codes(kafka: Kafka) {
  const {ResourceTypes, ResourcePatternTypes, AclPermissionTypes, AclOperationTypes} = kafka
  return {
    resourceType: {
      any: ResourceTypes.ANY,
      topic: ResourceTypes.TOPIC,
      group: ResourceTypes.GROUP,
      cluster: ResourceTypes.BROKER,
      'transactional-id': ResourceTypes.TRANSACTIONAL_ID,
    },
    patternType: {
      any: ResourcePatternTypes.ANY,
      match: ResourcePatternTypes.MATCH,
      literal: ResourcePatternTypes.LITERAL,
      prefixed: ResourcePatternTypes.PREFIXED,
    },
    permission: {any: AclPermissionTypes.ANY, allow: AclPermissionTypes.ALLOW, deny: AclPermissionTypes.DENY},
    operation: Object.fromEntries([
      ['any', AclOperationTypes.ANY],
      ...aclOperations.map((op) => [
        op,
        AclOperationTypes[op.toUpperCase().replace(/-/g, '_') as keyof typeof AclOperationTypes],
      ]),
    ]) as Record<AclFilter['operation'], number>,
  }
}

function nameOf<T extends string>(table: Record<T, number>, value: number, what: string): T {
  const found = (Object.keys(table) as T[]).find((key) => table[key] === value && key !== 'any')
  if (found === undefined) throw new KcliError(`the broker returned an ACL with an unknown ${what} (${value})`)
  return found
}

function toLibrary(kafka: Kafka, filter: AclFilter) {
  const c = codes(kafka)
  return {
    resourceType: c.resourceType[filter.resourceType],
    resourceName: filter.resourceName,
    resourcePatternType: c.patternType[filter.patternType],
    principal: filter.principal,
    host: filter.host,
    operation: c.operation[filter.operation],
    permissionType: c.permission[filter.permission],
  }
}

function fromLibrary(kafka: Kafka, binding: AclBindingResult): Acl {
  const c = codes(kafka)
  const resourceType = nameOf(c.resourceType, binding.resourceType, 'resource type') as Acl['resourceType']
  return {
    principal: binding.principal ?? '',
    host: binding.host ?? '*',
    resourceType,
    resourceName: binding.resourceName ?? (resourceType === 'cluster' ? clusterResourceName : ''),
    patternType: nameOf(c.patternType, binding.resourcePatternType, 'pattern type') as Acl['patternType'],
    operation: nameOf(c.operation, binding.operation, 'operation') as Acl['operation'],
    permission: nameOf(c.permission, binding.permissionType, 'permission') as Acl['permission'],
  }
}

// Kafka's error codes for ACL requests.
const securityDisabled = 54
const invalidRequest = 42

/** A refused ACL request as one line; `action` is e.g. `list ACLs`. */
function aclError(action: string, err: unknown): KcliError {
  if (isLibrdkafkaError(err) && err.code === securityDisabled)
    return new KcliError(`cannot ${action}: the cluster has no authorizer, so it keeps no ACLs`, {
      hint: 'Kafka checks ACLs only where the brokers set authorizer.class.name (kcli local start --sasl --acl).',
    })
  if (isLibrdkafkaError(err) && (err.code === invalidRequest || err.code === -186))
    return new KcliError(`cannot ${action}: ${describeKafkaError(err)}`, {exit: ExitCode.usage})
  return failedTo(action, err, {
    denied: `The principal needs ${action.startsWith('list') ? 'DESCRIBE' : 'ALTER'} on the cluster (kafka-cluster).`,
  })
}

/** One ACL request on the admin client, bounded by the timeout; a refusal becomes one line naming `action`. */
async function aclRequest<T>(
  cluster: ClusterContext,
  action: string,
  request: (admin: Awaited<ReturnType<ClusterContext['admin']>>, done: (err: unknown, value?: T) => void) => void,
): Promise<T> {
  const admin = await cluster.admin()
  try {
    return await cluster.call<T>((done) => request(admin, done))
  } catch (error) {
    throw aclError(action, error)
  }
}

/** Every ACL that matches one of the filters, without duplicates, sorted; one request per filter. */
export async function describeAcls(cluster: ClusterContext, filters: AclFilter[]): Promise<Acl[]> {
  const kafka = await loadKafka()
  const found: Acl[] = []
  for (const filter of filters) {
    const bindings = await aclRequest<AclBindingResult[]>(cluster, 'list ACLs', (admin, done) =>
      admin.describeAcls(toLibrary(kafka, filter), {timeout: cluster.timeoutMs}, done),
    )
    found.push(...bindings.map((b) => fromLibrary(kafka, b)))
  }
  return sortAcls(found)
}

/** Creates the ACLs in one request; Kafka keeps an ACL that exists already as it is. Fails at the first refused. */
export async function createAcls(cluster: ClusterContext, acls: Acl[]): Promise<void> {
  const kafka = await loadKafka()
  const action = `create ${aclCount(acls.length)}`
  const results = await aclRequest<CreateAclResult[]>(cluster, action, (admin, done) =>
    admin.createAcls(
      acls.map((acl) => toLibrary(kafka, acl) as Parameters<typeof admin.createAcls>[0][number]),
      {timeout: cluster.timeoutMs},
      done,
    ),
  )
  const failed = results.filter((r) => r.error)
  if (failed.length > 0) {
    const created = results.length - failed.length
    const err = aclError(action, failed[0].error)
    throw new KcliError(created > 0 ? `${err.message} (${aclCount(created)} of them were created)` : err.message, {
      exit: err.exit,
      hint: err.hint,
    })
  }
}

/** Deletes exactly these ACLs (each as a filter that matches it alone); returns what the broker deleted. */
export async function deleteAcls(cluster: ClusterContext, acls: Acl[]): Promise<Acl[]> {
  if (acls.length === 0) return []
  const kafka = await loadKafka()
  const action = `delete ${aclCount(acls.length)}`
  const results = await aclRequest<DeleteAclsResult[]>(cluster, action, (admin, done) =>
    admin.deleteAcls(
      acls.map((acl) => toLibrary(kafka, exactFilter(acl))),
      {timeout: cluster.timeoutMs},
      done,
    ),
  )
  const deleted: Acl[] = []
  for (const result of results) {
    if (result.error) throw aclError(action, result.error)
    for (const binding of result.matchingAcls) {
      if (binding.error) throw aclError(action, binding.error)
      deleted.push(fromLibrary(kafka, binding))
    }
  }
  return sortAcls(deleted)
}
