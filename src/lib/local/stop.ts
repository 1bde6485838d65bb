// `kcli local stop`: shut the local cluster's brokers down (SIGTERM, then SIGKILL after a timeout), keeping its data.
import {setTimeout as sleep} from 'node:timers/promises'

import {layoutPorts} from './broker-config.js'
import {accepts} from './ports.js'
import {sendSignal} from './processes.js'
import {stopRegistry} from './registry.js'
import {type LocalNode, isNodeRunning, liveNodes, readState, resolveStateDir, writeStopped} from './state-dir.js'

export const defaultStopSeconds = 30

export interface StopOptions {
  stateDir?: string
  /** How long all nodes together get to shut down before being killed. Default 30. */
  timeoutSeconds?: number
  env?: NodeJS.ProcessEnv
}

export interface StopResult {
  stateDir: string
  /** False when nothing was running (stale pids, if any, were cleared). */
  wasRunning: boolean
  /** Ids of the nodes that shut down on SIGTERM. */
  stopped: number[]
  /** Ids of the nodes that had to be killed after the timeout. */
  killed: number[]
  /** What happened to the schema registry: none when the cluster has none or it was not running. */
  registry: 'stopped' | 'killed' | 'none'
  elapsedMs: number
}

export async function stopLocalCluster(opts: StopOptions = {}): Promise<StopResult> {
  const began = Date.now()
  const stateDir = resolveStateDir(opts.stateDir, opts.env)
  const state = await readState(stateDir)
  if (state === undefined) return {stateDir, wasRunning: false, stopped: [], killed: [], registry: 'none', elapsedMs: 0}
  const alive = liveNodes(stateDir, state)
  // The registry keeps no state in Kafka: it goes first, and in parallel with the brokers.
  const [{stopped, killed}, registry] = await Promise.all([
    alive.length === 0
      ? {stopped: [], killed: []}
      : terminate(stateDir, alive, (opts.timeoutSeconds ?? defaultStopSeconds) * 1000),
    state.registry === undefined ? ('none' as const) : stopRegistry(stateDir, state.registry),
  ])
  if (state.nodes.some((n) => n.pid !== null) || state.registry?.pid != null) await writeStopped(stateDir, state)
  return {
    stateDir,
    wasRunning: alive.length > 0 || registry !== 'none',
    stopped,
    killed,
    registry,
    elapsedMs: Date.now() - began,
  }
}

/**
 * SIGTERM every node at once (a KRaft broker's controlled shutdown needs its controllers up), then SIGKILL stragglers.
 */
export async function terminate(
  stateDir: string,
  nodes: LocalNode[],
  timeoutMs: number,
): Promise<{stopped: number[]; killed: number[]}> {
  const isUp = (n: LocalNode) => isNodeRunning(stateDir, n)
  const targets = nodes.filter(isUp)
  for (const node of targets) sendSignal(node.pid, 'SIGTERM')
  const deadline = Date.now() + timeoutMs
  while (targets.some(isUp) && Date.now() < deadline) await sleep(100)
  const stragglers = targets.filter(isUp)
  for (const node of stragglers) sendSignal(node.pid, 'SIGKILL')
  // Wait for the kill to land, so the ports are free when this returns.
  const killDeadline = Date.now() + 5000
  while (stragglers.some(isUp) && Date.now() < killDeadline) await sleep(100)
  // A process can vanish from /proc a moment before the kernel has closed its sockets: make sure the
  // ports are free, so that a start right after this stop does not find them taken.
  const ports = layoutPorts(targets)
  const portDeadline = Date.now() + 5000
  while (Date.now() < portDeadline && (await Promise.all(ports.map((port) => accepts(port, 200)))).some(Boolean))
    await sleep(100)
  const killed = new Set(stragglers.map((n) => n.id))
  return {stopped: targets.filter((n) => !killed.has(n.id)).map((n) => n.id), killed: [...killed]}
}
