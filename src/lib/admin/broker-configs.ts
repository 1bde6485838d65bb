// `kcli cluster config`: the configs of one broker, as the broker reports them with their sources.
import {usageError} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {chooseBroker} from './config-change-run.js'
import {type ConfigInfo, describeConfigs} from './configs.js'

/** What `--json` prints. Stable: fields are only ever added. */
export interface BrokerConfigResult {
  broker: number
  configs: ConfigInfo[]
}

/**
 * The configs of `broker` (default: the lowest id): the named ones at any source, else those that are not Kafka's
 * built-in default (all of them with `all`).
 */
export async function brokerConfigs(
  cluster: ClusterContext,
  options: {broker?: number; names: string[]; all: boolean},
): Promise<BrokerConfigResult> {
  const broker = await chooseBroker(cluster, options.broker)
  const configs = await describeConfigs(cluster, {type: 'broker', id: broker})
  if (options.names.length === 0)
    return {broker, configs: configs.filter((c) => options.all || c.source !== 'DEFAULT_CONFIG')}
  const unknown = options.names.filter((name) => !configs.some((c) => c.name === name))
  if (unknown.length > 0)
    throw usageError(
      `broker ${broker} has no config ${unknown.join(', ')}`,
      '`kcli cluster config --all` lists every config name.',
    )
  return {broker, configs: configs.filter((c) => options.names.includes(c.name))}
}
