// Configs of topics and brokers through the DescribeConfigs and IncrementalAlterConfigs calls of kcli's patch
// (patches/admin.md): over every security protocol, with where each value comes from.
import type {ConfigEntry, ConfigResourceResult, DescribeConfigsResult} from '@confluentinc/kafka-javascript'

import {ExitCode, KcliError, describeKafkaError, failedTo, isAuthorizationError, isLibrdkafkaError} from '../errors.js'
import {loadKafka} from '../kafka/client.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {unknownTopicError} from '../kafka/topics.js'
import type {ConfigSetting} from '../kafka/topic-configs.js'

/** A topic, one broker (its id), or the cluster-wide broker default (`kafka-configs --entity-default`). */
export type ConfigResource = {type: 'topic'; name: string} | {type: 'broker'; id: number} | {type: 'cluster'}

/** One config as kcli reports it. Stable JSON: fields are only ever added. */
export interface ConfigInfo extends ConfigSetting {
  readOnly: boolean
  sensitive: boolean
}

export type ConfigOp = 'set' | 'delete' | 'append' | 'subtract'

/** One change: `value` is absent for `delete`. */
export interface ConfigChange {
  name: string
  op: ConfigOp
  value?: string
}

// Kafka's ConfigSource, by the number on the wire; DEFAULT_CONFIG is Kafka's built-in value.
const sourceNames = [
  'UNKNOWN',
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'CLIENT_METRICS_CONFIG',
  'GROUP_CONFIG',
]

/** Kafka's name of a ConfigSource number (DYNAMIC_TOPIC_CONFIG, DEFAULT_CONFIG, ...). */
export function configSourceName(source: number): string {
  return sourceNames[source] ?? `SOURCE_${source}`
}

export function resourceLabel(resource: ConfigResource): string {
  switch (resource.type) {
    case 'topic':
      return `topic "${resource.name}"`
    case 'broker':
      return `broker ${resource.id}`
    case 'cluster':
      return 'the cluster-wide broker default'
  }
}

async function libraryResource(resource: ConfigResource) {
  const {ResourceTypes} = await loadKafka()
  if (resource.type === 'topic') return {type: ResourceTypes.TOPIC, name: resource.name}
  // '' is the cluster-wide default of every broker (librdkafka fix 4.1 of patches/admin.md).
  return {type: ResourceTypes.BROKER, name: resource.type === 'broker' ? String(resource.id) : ''}
}

// Kafka's error codes for a config resource.
const invalidConfig = 40
const invalidRequest = 42
const policyViolation = 44
const unknownTopicOrPartition = 3

/** A per-resource error as one line: the user's mistakes (unknown names, bad values) exit 2. */
function resourceError(resource: ConfigResource, action: string, err: {code: number; message: string}): KcliError {
  if (err.code === unknownTopicOrPartition && resource.type === 'topic') return unknownTopicError(resource.name)
  if (err.code === invalidConfig || err.code === invalidRequest)
    return new KcliError(`${resourceLabel(resource)}: ${describeKafkaError(err)}`, {
      exit: ExitCode.usage,
      hint: `\`kcli ${resource.type === 'topic' ? `topic describe ${resource.name} --all-configs` : 'cluster config --all'}\` lists the configs and their values.`,
    })
  if (err.code === policyViolation)
    return new KcliError(
      `the cluster's policy refused the change to ${resourceLabel(resource)}: ${describeKafkaError(err)}`,
    )
  return failedTo(`${action} ${resourceLabel(resource)}`, err, {
    denied: `The principal needs the ${action.startsWith('change') ? 'AlterConfigs' : 'DescribeConfigs'} ACL on the ${resource.type === 'topic' ? 'topic' : 'cluster'}.`,
  })
}

function toConfigInfo(entry: ConfigEntry): ConfigInfo {
  return {
    name: entry.name,
    value: entry.isSensitive ? null : entry.value,
    source: configSourceName(entry.source),
    readOnly: entry.isReadOnly,
    sensitive: entry.isSensitive,
  }
}

const byName = (a: {name: string}, b: {name: string}) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/**
 * Every config of one resource, sorted by name, each with its source. A broker or the cluster-wide default: of the
 * cluster-wide default Kafka lists only what is set there.
 */
export async function describeConfigs(cluster: ClusterContext, resource: ConfigResource): Promise<ConfigInfo[]> {
  return (await describeManyConfigs(cluster, [resource]))[0]
}

/**
 * The configs of several resources in one request (librdkafka takes one broker resource per call, so at most one).
 * Results are in the order asked.
 */
export async function describeManyConfigs(
  cluster: ClusterContext,
  resources: ConfigResource[],
): Promise<ConfigInfo[][]> {
  if (resources.length === 0) return []
  const admin = await cluster.admin()
  const asked = await Promise.all(resources.map(libraryResource))
  let results: DescribeConfigsResult[]
  try {
    results = await cluster.call<DescribeConfigsResult[]>((done) =>
      admin.describeConfigs(asked, {timeout: cluster.timeoutMs}, done),
    )
  } catch (error) {
    throw failedTo(`describe the configs of ${resources.map(resourceLabel).join(', ')}`, error)
  }
  return resources.map((resource, i) => {
    const result = results.find((r) => r.type === asked[i].type && r.name === asked[i].name)
    if (!result) throw new KcliError(`the broker returned no configs of ${resourceLabel(resource)}`)
    if (result.error) throw resourceError(resource, 'describe the configs of', result.error)
    return result.configs.map(toConfigInfo).sort(byName)
  })
}

/**
 * Changes configs of one resource with IncrementalAlterConfigs: only what is named changes. With `validateOnly`, the
 * broker checks the change (names, values, rights) and changes nothing.
 */
export async function alterConfigs(
  cluster: ClusterContext,
  resource: ConfigResource,
  changes: ConfigChange[],
  options: {validateOnly: boolean},
): Promise<void> {
  const {AlterConfigOpTypes} = await loadKafka()
  const opType = {
    set: AlterConfigOpTypes.SET,
    delete: AlterConfigOpTypes.DELETE,
    append: AlterConfigOpTypes.APPEND,
    subtract: AlterConfigOpTypes.SUBTRACT,
  }
  const admin = await cluster.admin()
  const asked = {
    ...(await libraryResource(resource)),
    configs: changes.map((c) => ({name: c.name, op: opType[c.op], ...(c.op === 'delete' ? {} : {value: c.value})})),
  }
  let results: ConfigResourceResult[]
  try {
    results = await cluster.call<ConfigResourceResult[]>((done) =>
      admin.incrementalAlterConfigs([asked], {timeout: cluster.timeoutMs, validateOnly: options.validateOnly}, done),
    )
  } catch (error) {
    // librdkafka refuses some arguments itself (an unknown op type): the user's to fix.
    if (isLibrdkafkaError(error) && !isAuthorizationError(error) && error.code === -186)
      throw new KcliError(`${resourceLabel(resource)}: ${describeKafkaError(error)}`, {exit: ExitCode.usage})
    throw failedTo(`change the configs of ${resourceLabel(resource)}`, error)
  }
  const result = results.find((r) => r.type === asked.type && r.name === asked.name) ?? results[0]
  if (result?.error) throw resourceError(resource, 'change the configs of', result.error)
}

/**
 * Topic configs as `topic describe` reports them: the values that are not Kafka's built-in default (or all, with
 * `all`), sorted by name.
 */
export async function topicConfigSettings(
  cluster: ClusterContext,
  topics: string[],
  options: {all: boolean},
): Promise<Map<string, ConfigSetting[]>> {
  const described = await describeManyConfigs(
    cluster,
    topics.map((name) => ({type: 'topic', name})),
  )
  return new Map(
    topics.map((topic, i) => [
      topic,
      described[i]
        .filter((c) => options.all || c.source !== 'DEFAULT_CONFIG')
        .map(({name, value, source}) => ({name, value, source})),
    ]),
  )
}
