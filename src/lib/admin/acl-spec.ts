// Pure rules of `kcli acl`: the principal/host/operation/resource model of kafka-acls and rpk, read from flags into the
// ACLs to create or the filters to list and delete by, checked as kafka-acls checks them, and printed.
import {usageError} from '../errors.js'
import {renderTable, terminalSafe} from '../terminal/output.js'

export const aclResourceTypes = ['topic', 'group', 'cluster', 'transactional-id'] as const
export const aclPatternTypes = ['literal', 'prefixed'] as const
export const aclOperations = [
  'all',
  'read',
  'write',
  'create',
  'delete',
  'alter',
  'describe',
  'cluster-action',
  'describe-configs',
  'alter-configs',
  'idempotent-write',
] as const
export const aclPermissions = ['allow', 'deny'] as const

export type AclResourceType = (typeof aclResourceTypes)[number]
export type AclPatternType = (typeof aclPatternTypes)[number]
export type AclOperation = (typeof aclOperations)[number]
export type AclPermission = (typeof aclPermissions)[number]

/** One ACL binding. Stable JSON: fields are only ever added. */
export interface Acl {
  /** `Type:name`, e.g. User:alice; User:* is every user. */
  principal: string
  /** A client address, or * for any. */
  host: string
  resourceType: AclResourceType
  /** The topic, group or transactional id (* for all, or a prefix); kafka-cluster for the cluster. */
  resourceName: string
  patternType: AclPatternType
  operation: AclOperation
  permission: AclPermission
}

/** Which ACLs to list or delete: `null` and `any` match anything; `match` also matches prefixed and * bindings. */
export interface AclFilter {
  principal: string | null
  host: string | null
  resourceType: AclResourceType | 'any'
  resourceName: string | null
  patternType: AclPatternType | 'any' | 'match'
  operation: AclOperation | 'any'
  permission: AclPermission | 'any'
}

export interface AclFlags {
  'allow-principal'?: string[]
  'deny-principal'?: string[]
  principal?: string[]
  'allow-host'?: string[]
  'deny-host'?: string[]
  operation?: string[]
  topic?: string[]
  group?: string[]
  'transactional-id'?: string[]
  cluster?: boolean
  'resource-pattern-type'?: string
}

/** Kafka's name of the cluster resource. */
export const clusterResourceName = 'kafka-cluster'

// As kafka-acls allows them (AclCommand's supported operations per resource type).
const operationsByResource: Record<AclResourceType, readonly AclOperation[]> = {
  topic: ['read', 'write', 'create', 'describe', 'delete', 'alter', 'describe-configs', 'alter-configs', 'all'],
  group: ['read', 'describe', 'delete', 'all'],
  cluster: [
    'create',
    'cluster-action',
    'describe-configs',
    'alter-configs',
    'idempotent-write',
    'alter',
    'describe',
    'all',
  ],
  'transactional-id': ['describe', 'write', 'all'],
}

const squash = (text: string) => text.toLowerCase().replace(/[-_\s]/g, '')

/** An operation as kafka-acls (Read, DescribeConfigs), rpk (describe_configs) or kcli (describe-configs) writes it. */
export function parseOperation(text: string): AclOperation {
  const found = aclOperations.find((op) => squash(op) === squash(text))
  if (!found) throw usageError(`--operation ${text}: not an ACL operation`, `Use one of ${aclOperations.join(', ')}.`)
  return found
}

function parsePrincipal(text: string, flag: string): string {
  const principal = text.trim()
  if (!/^[^:\s]+:.+$/.test(principal))
    throw usageError(
      `--${flag} ${text}: a principal is Type:name`,
      'For example: User:alice, or User:* for every user.',
    )
  return principal
}

interface Resource {
  resourceType: AclResourceType
  resourceName: string
}

function resourcesOf(flags: AclFlags): Resource[] {
  const named = (type: AclResourceType, names: string[] | undefined) =>
    (names ?? []).map((name): Resource => {
      if (name.trim() === '') throw usageError(`--${type}: a name must not be empty`)
      return {resourceType: type, resourceName: name}
    })
  return [
    ...named('topic', flags.topic),
    ...named('group', flags.group),
    ...named('transactional-id', flags['transactional-id']),
    ...(flags.cluster ? [{resourceType: 'cluster' as const, resourceName: clusterResourceName}] : []),
  ]
}

const unique = <T>(items: T[]) => [...new Set(items)]

/**
 * The ACLs `acl create` asks for: every principal (on each of its hosts, * by default) × operation × resource, as
 * kafka-acls builds them. Each operation must suit each resource type.
 */
export function aclsToCreate(flags: AclFlags): Acl[] {
  const patternType = flags['resource-pattern-type']?.toLowerCase() ?? 'literal'
  if (!(aclPatternTypes as readonly string[]).includes(patternType))
    throw usageError(`--resource-pattern-type ${flags['resource-pattern-type']}: ACLs are created literal or prefixed`)
  if (flags.principal?.length)
    throw usageError(
      '--principal only filters acl list and acl delete',
      'To create ACLs, say allow or deny: --allow-principal User:alice (or --deny-principal).',
    )
  const principals = [
    ...principalHosts(flags['allow-principal'], flags['allow-host'], 'allow'),
    ...principalHosts(flags['deny-principal'], flags['deny-host'], 'deny'),
  ]
  if (principals.length === 0)
    throw usageError('say whose ACL it is', 'Use --allow-principal User:alice or --deny-principal User:alice.')
  const operations = unique((flags.operation ?? []).map(parseOperation))
  if (operations.length === 0) throw usageError('say which operations', 'Use --operation read (repeatable).')
  const resources = resourcesOf(flags)
  if (resources.length === 0)
    throw usageError('say on which resources', 'Use --topic, --group, --transactional-id (repeatable) or --cluster.')
  for (const resource of resources)
    for (const operation of operations)
      if (!operationsByResource[resource.resourceType].includes(operation))
        throw usageError(
          `operation ${operation} does not apply to a ${resource.resourceType}`,
          `A ${resource.resourceType} takes ${operationsByResource[resource.resourceType].join(', ')}.`,
        )
  return principals.flatMap(({principal, host, permission}) =>
    operations.flatMap((operation) =>
      resources.map((resource): Acl => ({
        principal,
        host,
        ...resource,
        patternType: patternType as AclPatternType,
        operation,
        permission,
      })),
    ),
  )
}

function principalHosts(
  principals: string[] | undefined,
  hosts: string[] | undefined,
  permission: AclPermission,
): Array<{principal: string; host: string; permission: AclPermission}> {
  const flag = `${permission}-principal`
  if (hosts?.length && !principals?.length)
    throw usageError(`--${permission}-host needs --${flag}`, `The host is where ${flag} connects from.`)
  return unique((principals ?? []).map((p) => parsePrincipal(p, flag))).flatMap((principal) =>
    unique(hosts?.length ? hosts : ['*']).map((host) => ({principal, host, permission})),
  )
}

/**
 * The filters `acl list` and `acl delete` use: each given principal (with its permission and hosts) × operation ×
 * resource; what is not given matches anything. `delete` needs a principal or a resource.
 */
export function aclFilters(flags: AclFlags, options: {forDelete: boolean}): AclFilter[] {
  const patternText = flags['resource-pattern-type']?.toLowerCase() ?? 'any'
  const patternType = (['any', 'match', ...aclPatternTypes] as const).find((p) => p === patternText)
  if (!patternType)
    throw usageError(`--resource-pattern-type ${flags['resource-pattern-type']}: use any, match, literal or prefixed`)
  const who: Array<Pick<AclFilter, 'principal' | 'host' | 'permission'>> = []
  const add = (
    principals: string[] | undefined,
    flag: string,
    permission: AclFilter['permission'],
    hosts: string[],
  ) => {
    for (const principal of unique((principals ?? []).map((p) => parsePrincipal(p, flag))))
      for (const host of hosts.length > 0 ? unique(hosts) : [null]) who.push({principal, host, permission})
  }
  add(flags['allow-principal'], 'allow-principal', 'allow', flags['allow-host'] ?? [])
  add(flags['deny-principal'], 'deny-principal', 'deny', flags['deny-host'] ?? [])
  add(flags.principal, 'principal', 'any', [...(flags['allow-host'] ?? []), ...(flags['deny-host'] ?? [])])
  if (who.length === 0) {
    for (const host of unique(flags['allow-host'] ?? [])) who.push({principal: null, host, permission: 'allow'})
    for (const host of unique(flags['deny-host'] ?? [])) who.push({principal: null, host, permission: 'deny'})
  }
  const resources = resourcesOf(flags)
  if (options.forDelete && who.every((w) => w.principal === null) && resources.length === 0)
    throw usageError(
      'say which ACLs to delete: name a principal or a resource',
      'For example: --allow-principal User:alice, --topic orders, or both.',
    )
  if (who.length === 0) who.push({principal: null, host: null, permission: 'any'})
  const operations: AclFilter['operation'][] = flags.operation?.length
    ? unique(flags.operation.map(parseOperation))
    : ['any']
  const targets: Array<Pick<AclFilter, 'resourceType' | 'resourceName'>> =
    resources.length > 0 ? resources : [{resourceType: 'any', resourceName: null}]
  return who.flatMap((w) =>
    operations.flatMap((operation) => targets.map((target) => ({...w, ...target, patternType, operation}))),
  )
}

/** The identity of a binding, to drop duplicates found by several filters. */
export const aclKey = (acl: Acl) =>
  [acl.principal, acl.host, acl.resourceType, acl.resourceName, acl.patternType, acl.operation, acl.permission].join(
    '\u0000',
  )

/** ACLs without duplicates, sorted by resource, then principal, operation, permission and host. */
export function sortAcls(acls: Acl[]): Acl[] {
  const unique = new Map(acls.map((acl) => [aclKey(acl), acl]))
  const order = (acl: Acl) =>
    [acl.resourceType, acl.resourceName, acl.patternType, acl.principal, acl.operation, acl.permission, acl.host].join(
      '\u0000',
    )
  return [...unique.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
}

/** The same binding as a filter that matches it alone. */
export function exactFilter(acl: Acl): AclFilter {
  return {...acl}
}

// Below here: printing.

/** PRINCIPAL HOST RESOURCE-TYPE RESOURCE-NAME PATTERN OPERATION PERMISSION, as rpk lists them. */
export function renderAcls(acls: Acl[]): string {
  return renderTable([
    ['PRINCIPAL', 'HOST', 'RESOURCE-TYPE', 'RESOURCE-NAME', 'PATTERN', 'OPERATION', 'PERMISSION'],
    ...acls.map((a) => [
      terminalSafe(a.principal),
      terminalSafe(a.host),
      a.resourceType,
      terminalSafe(a.resourceName),
      a.patternType,
      a.operation,
      a.permission,
    ]),
  ])
}

export const aclCount = (n: number) => `${n} ACL${n === 1 ? '' : 's'}`
