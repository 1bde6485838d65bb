// The state dir of a local cluster: where its files live (state.json, config/, data/node-N, logs/node-N), and
// state.json itself, the record of the cluster's layout, its Kafka and its brokers' pids.
import {existsSync} from 'node:fs'
import {readFile, rename, writeFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {isAbsolute, join, resolve} from 'node:path'

import {usageError} from '../errors.js'
import type {NodeLayout} from './broker-config.js'
import type {KafkaDist} from './kafka-dist.js'
import {isBrokerProcess} from './processes.js'
import type {LocalRegistry} from './registry.js'

export interface LocalNode extends NodeLayout {
  pid: number | null
}

/** What state.json holds. */
export interface ClusterState {
  kafkaVersion: string
  kafkaSource: KafkaDist['source']
  kafkaLibDir: string
  java: string
  clusterId: string
  bootstrap: string
  startedAt: string | null
  nodes: LocalNode[]
  /** Secured listeners; absent in state files written before they existed. */
  security?: ClusterSecurity
  /** The schema registry (`--schema-registry`); absent when the cluster has none. */
  registry?: LocalRegistry
}

export interface ClusterSecurity {
  sasl: boolean
  tls: boolean
  /** The OAUTHBEARER listener; absent in state files written before it existed. */
  oauth?: boolean
  /**
   * The authorizer with super user `kcli` and user `kcli-limited` (no ACLs); absent in state files written before it
   * existed.
   */
  acl?: boolean
}

/** `--state-dir` flag, else KCLI_STATE_DIR, else `${XDG_STATE_HOME:-~/.local/state}/kcli/local`. */
export function resolveStateDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return resolve(flag)
  if (env.KCLI_STATE_DIR) return resolve(env.KCLI_STATE_DIR)
  const xdg = env.XDG_STATE_HOME
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state')
  return join(base, 'kcli', 'local')
}

export const stateFiles = {
  state: (dir: string) => join(dir, 'state.json'),
  log4j: (dir: string) => join(dir, 'config', 'log4j2.properties'),
  config: (dir: string, id: number) => join(dir, 'config', `server-${id}.properties`),
  data: (dir: string, id: number) => join(dir, 'data', `node-${id}`),
  logs: (dir: string, id: number) => join(dir, 'logs', `node-${id}`),
  serverLog: (dir: string, id: number) => join(dir, 'logs', `node-${id}`, 'server.log'),
  stdout: (dir: string, id: number) => join(dir, 'logs', `node-${id}`, 'stdout.log'),
}

/** True once Kafka's storage tool has formatted the node's data dir. */
export function isFormatted(stateDir: string, id: number): boolean {
  return existsSync(join(stateFiles.data(stateDir, id), 'meta.properties'))
}

export async function readState(stateDir: string): Promise<ClusterState | undefined> {
  let text: string
  try {
    text = await readFile(stateFiles.state(stateDir), 'utf8')
  } catch {
    return undefined
  }
  try {
    const state = JSON.parse(text) as ClusterState
    if (!Array.isArray(state.nodes) || typeof state.clusterId !== 'string') throw new Error('missing fields')
    return state
  } catch {
    throw usageError(
      `${stateFiles.state(stateDir)} is not a kcli state file`,
      'Pass --clean to start over, or point --state-dir elsewhere.',
    )
  }
}

export async function writeState(stateDir: string, state: ClusterState): Promise<void> {
  // Write-then-rename: a reader never sees half a file.
  const file = stateFiles.state(stateDir)
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`)
  await rename(`${file}.tmp`, file)
}

/** Records that no node runs, after a stop or a start that failed. */
export async function writeStopped(stateDir: string, state: ClusterState): Promise<void> {
  for (const node of state.nodes) node.pid = null
  if (state.registry !== undefined) state.registry.pid = null
  state.startedAt = null
  await writeState(stateDir, state)
}

export function isNodeRunning(stateDir: string, node: LocalNode): boolean {
  return isBrokerProcess(node.pid, stateFiles.config(stateDir, node.id))
}

export function liveNodes(stateDir: string, state: ClusterState): LocalNode[] {
  return state.nodes.filter((n) => isNodeRunning(stateDir, n))
}
