// The flags of `kcli acl list | create | delete`: kafka-acls' and rpk's names, so their users need nothing new.
import {Flags} from '@oclif/core'

const repeatable = {multiple: true, multipleNonGreedy: true} as const

const principalFlags = {
  'allow-principal': Flags.string({
    helpGroup: 'PRINCIPAL',
    description: 'Principal allowed, as Type:name, e.g. User:svc (repeatable)',
    ...repeatable,
  }),
  'deny-principal': Flags.string({
    helpGroup: 'PRINCIPAL',
    description: 'Principal denied, as Type:name (repeatable)',
    ...repeatable,
  }),
  'allow-host': Flags.string({
    helpGroup: 'PRINCIPAL',
    description: 'Host the allowed principals connect from (repeatable) [default: * for create]',
    ...repeatable,
  }),
  'deny-host': Flags.string({
    helpGroup: 'PRINCIPAL',
    description: 'Host the denied principals connect from (repeatable) [default: * for create]',
    ...repeatable,
  }),
}

const whatFlags = {
  operation: Flags.string({
    char: 'o',
    helpGroup: 'OPERATION',
    description:
      'Operation: all, read, write, create, delete, alter, describe, cluster-action, describe-configs, alter-configs, idempotent-write (repeatable)',
    ...repeatable,
  }),
  topic: Flags.string({char: 't', helpGroup: 'RESOURCE', description: 'Topic name (repeatable)', ...repeatable}),
  group: Flags.string({char: 'g', helpGroup: 'RESOURCE', description: 'Consumer group id (repeatable)', ...repeatable}),
  'transactional-id': Flags.string({
    helpGroup: 'RESOURCE',
    description: 'Transactional id (repeatable)',
    ...repeatable,
  }),
  cluster: Flags.boolean({helpGroup: 'RESOURCE', description: 'The cluster itself (kafka-cluster)'}),
}

/** `acl create`: whom, what, on which resources; literal or prefixed names. */
export const aclCreateFlags = {
  ...principalFlags,
  ...whatFlags,
  'resource-pattern-type': Flags.string({
    helpGroup: 'RESOURCE',
    description: 'literal: the names as given; prefixed: every name that starts with them [default: literal]',
    options: ['literal', 'prefixed'],
  }),
}

/** `acl list` and `acl delete`: the same flags as filters (what is not given matches anything), and --principal. */
export const aclFilterFlags = {
  ...principalFlags,
  principal: Flags.string({
    helpGroup: 'PRINCIPAL',
    description: 'Principal with either permission, as Type:name (repeatable)',
    ...repeatable,
  }),
  ...whatFlags,
  'resource-pattern-type': Flags.string({
    helpGroup: 'RESOURCE',
    description:
      'any: bindings with exactly these names, literal or prefixed; match: also the prefixed and * bindings that apply to them; literal; prefixed [default: any]',
    options: ['any', 'match', 'literal', 'prefixed'],
  }),
}
