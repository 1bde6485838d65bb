// The ACL model of `kcli acl`: flags into ACLs and filters, kafka-acls' checks, and the table.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  type Acl,
  aclFilters,
  aclsToCreate,
  exactFilter,
  parseOperation,
  renderAcls,
  sortAcls,
} from '../../../src/lib/admin/acl-spec.js'

const read = (resourceType: Acl['resourceType'], resourceName: string, extra: Partial<Acl> = {}): Acl => ({
  principal: 'User:svc',
  host: '*',
  resourceType,
  resourceName,
  patternType: 'literal',
  operation: 'read',
  permission: 'allow',
  ...extra,
})

describe('acl create', () => {
  it('makes every principal × operation × resource, as kafka-acls --add does', () => {
    assert.deepEqual(
      aclsToCreate({'allow-principal': ['User:svc'], operation: ['read'], topic: ['orders'], group: ['billing']}),
      [read('topic', 'orders'), read('group', 'billing')],
    )
    const acls = aclsToCreate({
      'allow-principal': ['User:a'],
      'allow-host': ['10.0.0.1', '10.0.0.2'],
      'deny-principal': ['User:b'],
      operation: ['Write', 'DESCRIBE', 'describe_configs'],
      topic: ['events-'],
      'resource-pattern-type': 'PREFIXED',
    })
    assert.equal(acls.length, 9)
    assert.deepEqual(
      acls.filter((a) => a.permission === 'deny').map((a) => [a.principal, a.host, a.operation, a.patternType]),
      [
        ['User:b', '*', 'write', 'prefixed'],
        ['User:b', '*', 'describe', 'prefixed'],
        ['User:b', '*', 'describe-configs', 'prefixed'],
      ],
    )
    assert.deepEqual(aclsToCreate({'allow-principal': ['User:svc'], operation: ['all'], cluster: true}), [
      {...read('cluster', 'kafka-cluster'), operation: 'all'},
    ])
  })

  it('refuses what kafka-acls refuses, before anything is sent', () => {
    const refuses = (flags: Parameters<typeof aclsToCreate>[0], message: RegExp) =>
      assert.throws(
        () => aclsToCreate(flags),
        (err: Error & {exit?: number}) => message.test(err.message) && err.exit === 2,
      )
    const base = {'allow-principal': ['User:svc'], operation: ['read'], topic: ['orders']}
    refuses({...base, 'allow-principal': ['svc']}, /a principal is Type:name/)
    refuses({...base, 'allow-principal': []}, /say whose ACL it is/)
    refuses({...base, operation: []}, /say which operations/)
    refuses({...base, topic: []}, /say on which resources/)
    refuses({...base, operation: ['fly']}, /--operation fly: not an ACL operation/)
    refuses({...base, topic: [], group: ['g'], operation: ['write']}, /operation write does not apply to a group/)
    refuses({...base, topic: [], cluster: true}, /operation read does not apply to a cluster/)
    refuses({...base, 'resource-pattern-type': 'match'}, /created literal or prefixed/)
    refuses({...base, principal: ['User:x']}, /--principal only filters/)
    refuses({...base, 'deny-host': ['h']}, /--deny-host needs --deny-principal/)
    refuses({...base, topic: [' ']}, /a name must not be empty/)
  })

  it('reads operations as kafka-acls, rpk and kcli write them', () => {
    for (const text of ['IdempotentWrite', 'idempotent_write', 'idempotent-write', 'IDEMPOTENT_WRITE'])
      assert.equal(parseOperation(text), 'idempotent-write')
  })
})

describe('acl list and delete filters', () => {
  it('match anything that is not given', () => {
    assert.deepEqual(aclFilters({}, {forDelete: false}), [
      {
        principal: null,
        host: null,
        permission: 'any',
        resourceType: 'any',
        resourceName: null,
        patternType: 'any',
        operation: 'any',
      },
    ])
  })

  it('cross principals (with their permission and hosts), operations and resources', () => {
    const filters = aclFilters(
      {
        'allow-principal': ['User:a'],
        principal: ['User:b'],
        'allow-host': ['h1'],
        operation: ['read', 'write'],
        topic: ['t'],
        'resource-pattern-type': 'match',
      },
      {forDelete: true},
    )
    assert.deepEqual(
      filters.map((f) => [
        f.principal,
        f.host,
        f.permission,
        f.operation,
        f.resourceType,
        f.resourceName,
        f.patternType,
      ]),
      [
        ['User:a', 'h1', 'allow', 'read', 'topic', 't', 'match'],
        ['User:a', 'h1', 'allow', 'write', 'topic', 't', 'match'],
        ['User:b', 'h1', 'any', 'read', 'topic', 't', 'match'],
        ['User:b', 'h1', 'any', 'write', 'topic', 't', 'match'],
      ],
    )
  })

  it('delete needs a principal or a resource', () => {
    assert.throws(() => aclFilters({operation: ['read']}, {forDelete: true}), /name a principal or a resource/)
    assert.throws(() => aclFilters({'allow-host': ['h']}, {forDelete: true}), /name a principal or a resource/)
    assert.equal(aclFilters({group: ['g']}, {forDelete: true}).length, 1)
    assert.throws(() => aclFilters({'resource-pattern-type': 'exact'}, {forDelete: false}), /use any, match/)
  })

  it('an ACL as a filter matches it alone', () => {
    const acl = read('topic', 'orders', {host: '10.0.0.1'})
    assert.deepEqual(exactFilter(acl), acl)
  })
})

describe('printing ACLs', () => {
  it('drops duplicates, sorts by resource then principal, and lines them up', () => {
    const acls = sortAcls([
      read('topic', 'orders'),
      read('group', 'billing', {principal: 'User:b'}),
      read('topic', 'orders'),
      read('group', 'billing', {principal: 'User:a'}),
    ])
    assert.deepEqual(
      acls.map((a) => `${a.resourceType}:${a.principal}`),
      ['group:User:a', 'group:User:b', 'topic:User:svc'],
    )
    assert.deepEqual(renderAcls(acls.slice(2)).split('\n'), [
      'PRINCIPAL  HOST  RESOURCE-TYPE  RESOURCE-NAME  PATTERN  OPERATION  PERMISSION',
      'User:svc   *     topic          orders         literal  read       allow',
    ])
    assert.match(renderAcls([read('topic', 'a\u001b[2Jb')]), /a\\u001b\[2Jb/)
  })
})
