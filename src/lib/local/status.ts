// `kcli local status`: whether each node of the local cluster runs, judged by its recorded pid being its broker.
import {type ListenerInfo, listenersOf} from './listeners.js'
import {type LocalNode, isNodeRunning, readState, resolveStateDir, stateFiles} from './state-dir.js'
import {type RegistryStatus, registryStatus} from './registry.js'

export interface NodeStatus {
  id: number
  port: number
  controllerPort: number
  /** Null when the node is not running. */
  pid: number | null
  running: boolean
  logFile: string
}

export interface ClusterStatus {
  /** True only when every node runs. */
  running: boolean
  state: 'running' | 'partial' | 'stopped' | 'absent'
  stateDir: string
  bootstrap: string | null
  kafkaVersion: string | null
  kafkaLibDir: string | null
  startedAt: string | null
  nodes: NodeStatus[]
  listeners: ListenerInfo[]
  /** The schema registry (`--schema-registry`), or null when the cluster has none. */
  registry: RegistryStatus | null
}

export function nodeStatus(stateDir: string, node: LocalNode): NodeStatus {
  const running = isNodeRunning(stateDir, node)
  return {
    id: node.id,
    port: node.port,
    controllerPort: node.controllerPort,
    pid: running ? node.pid : null,
    running,
    logFile: stateFiles.serverLog(stateDir, node.id),
  }
}

export async function localClusterStatus(
  opts: {stateDir?: string; env?: NodeJS.ProcessEnv} = {},
): Promise<ClusterStatus> {
  const stateDir = resolveStateDir(opts.stateDir, opts.env)
  const state = await readState(stateDir)
  if (state === undefined) {
    return {
      running: false,
      state: 'absent',
      stateDir,
      bootstrap: null,
      kafkaVersion: null,
      kafkaLibDir: null,
      startedAt: null,
      nodes: [],
      listeners: [],
      registry: null,
    }
  }
  const nodes = state.nodes.map((n) => nodeStatus(stateDir, n))
  const registry = state.registry === undefined ? null : registryStatus(stateDir, state.registry)
  // The registry counts as one more part of the cluster: running means all of it runs.
  const parts = [...nodes.map((n) => n.running), ...(registry === null ? [] : [registry.running])]
  const up = parts.filter(Boolean).length
  const summary = up === 0 ? 'stopped' : up === parts.length ? 'running' : 'partial'
  return {
    running: summary === 'running',
    state: summary,
    stateDir,
    bootstrap: state.bootstrap,
    kafkaVersion: state.kafkaVersion,
    kafkaLibDir: state.kafkaLibDir,
    startedAt: up > 0 ? state.startedAt : null,
    nodes,
    listeners: listenersOf(stateDir, state),
    registry,
  }
}
