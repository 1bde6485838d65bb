// `topic alter-config` and `cluster alter-config` against the cluster: the current values, the plan checked by the
// broker (validate-only) before anyone is asked, and the change itself.
import {Flags} from '@oclif/core'

import {KcliError, usageError} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {info} from '../terminal/output.js'
import {confirm} from '../terminal/prompt.js'
import {type ConfigChangeRow, ownSource, planConfigChanges, renderConfigPlan} from './config-changes.js'
import {
  type ConfigChange,
  type ConfigInfo,
  type ConfigResource,
  alterConfigs,
  describeConfigs,
  resourceLabel,
} from './configs.js'

/**
 * What `--json` prints. Stable: fields are only ever added.
 * - `resource`: {type: topic, name} | {type: broker, name: the broker id} | {type: cluster, name: null}.
 * - `dryRun`: --dry-run was given; `applied`: the broker took the change.
 */
export interface ConfigChangeResult {
  resource: {type: ConfigResource['type']; name: string | null}
  dryRun: boolean
  applied: boolean
  changes: ConfigChangeRow[]
}

/** The ids of the cluster's brokers, sorted. */
export async function brokerIds(cluster: ClusterContext): Promise<number[]> {
  return (await cluster.metadata()).brokers.map((b) => b.id).sort((a, b) => a - b)
}

/** `--broker N`, checked against the cluster (librdkafka waits out the timeout on an absent one); else the first. */
export async function chooseBroker(cluster: ClusterContext, wanted?: number): Promise<number> {
  const ids = await brokerIds(cluster)
  if (wanted === undefined) return ids[0]
  if (!ids.includes(wanted)) throw usageError(`broker ${wanted} is not in the cluster (its brokers: ${ids.join(', ')})`)
  return wanted
}

/**
 * The values a change starts from. Of the cluster-wide default Kafka lists only what is set there: the rest is shown as
 * the first broker sees it.
 */
async function currentConfigs(cluster: ClusterContext, resource: ConfigResource): Promise<ConfigInfo[]> {
  if (resource.type !== 'cluster') return describeConfigs(cluster, resource)
  // One after the other: admin calls share four libuv threads (patches/admin.md).
  const setHere = await describeConfigs(cluster, resource)
  const effective = await describeConfigs(cluster, {type: 'broker', id: await chooseBroker(cluster)})
  const names = new Set(setHere.map((c) => c.name))
  return [...setHere, ...effective.filter((c) => !names.has(c.name))]
}

function jsonResource(resource: ConfigResource): ConfigChangeResult['resource'] {
  switch (resource.type) {
    case 'topic':
      return {type: 'topic', name: resource.name}
    case 'broker':
      return {type: 'broker', name: String(resource.id)}
    case 'cluster':
      return {type: 'cluster', name: null}
  }
}

const configCount = (n: number) => `${n} config${n === 1 ? '' : 's'}`

/**
 * Prints the plan (through `log`), has the broker validate it, then asks (unless `yes`) and applies it; `dryRun`
 * stops after the validation. The alter result is trusted: a describe right after it can still show the old values.
 */
export async function changeConfigs(
  cluster: ClusterContext,
  resource: ConfigResource,
  changes: ConfigChange[],
  options: {yes?: boolean; dryRun?: boolean; log: (text: string) => void},
): Promise<ConfigChangeResult> {
  const rows = planConfigChanges(changes, await currentConfigs(cluster, resource), ownSource[resource.type])
  await alterConfigs(cluster, resource, changes, {validateOnly: true})
  const result: ConfigChangeResult = {
    resource: jsonResource(resource),
    dryRun: options.dryRun === true,
    applied: false,
    changes: rows,
  }
  options.log(renderConfigPlan(rows))
  const what = `${configCount(changes.length)} of ${resourceLabel(resource)}`
  if (options.dryRun) {
    info(`Dry run: the broker accepted the change of ${what}; nothing changed.`)
    return result
  }
  if (!options.yes && !(await confirm(`Change ${what}?`))) throw new KcliError('not confirmed: nothing changed')
  await alterConfigs(cluster, resource, changes, {validateOnly: false})
  info(`Changed ${what}.`)
  return {...result, applied: true}
}

/** The flags both alter-config commands take. */
export const configChangeFlags = {
  set: Flags.string({
    char: 's',
    description: 'Set a config: name=value (repeatable)',
    multiple: true,
    multipleNonGreedy: true,
  }),
  delete: Flags.string({
    char: 'd',
    description: 'Delete a config set here, so that it inherits the default again (repeatable)',
    multiple: true,
    multipleNonGreedy: true,
  }),
  append: Flags.string({
    description: 'Add an item to a list config: name=item, e.g. cleanup.policy=compact (repeatable)',
    multiple: true,
    multipleNonGreedy: true,
  }),
  subtract: Flags.string({
    description: 'Remove an item from a list config: name=item (repeatable)',
    multiple: true,
    multipleNonGreedy: true,
  }),
  yes: Flags.boolean({char: 'y', description: 'Change without asking'}),
  'dry-run': Flags.boolean({description: 'Show the change and have the broker validate it; change nothing'}),
}
