// `kcli local start`: start the local cluster of a state dir, making it first when there is none. The request is
// checked against what the dir holds before anything is written, and brokers that fail to come up are stopped.
import {existsSync} from 'node:fs'
import {chmod, mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {KcliError, usageError} from '../errors.js'
import {
  type ClusterSize,
  type ListenerSecurity,
  type NodeLayout,
  bootstrapOf,
  clusterLayout,
  controllerPortOffset,
  defaultPort,
  limitedUser,
  log4jProperties,
  newClusterId,
  oauthPortOffset,
  saslPortOffset,
  sameLayout,
  serverProperties,
  tlsPortOffset,
} from './broker-config.js'
import {credentialFiles, ensureCertificates, ensurePassword} from './credentials.js'
import {findJava, resolveKafkaDist} from './kafka-dist.js'
import {formatStorage, launchNodes, waitUntilReady} from './launch.js'
import {type ListenerInfo, listenersOf} from './listeners.js'
import {checkPortsFree} from './ports.js'
import {
  type ClusterSecurity,
  type ClusterState,
  type LocalNode,
  isFormatted,
  liveNodes,
  readState,
  resolveStateDir,
  stateFiles,
  writeState,
  writeStopped,
} from './state-dir.js'
import {checkCleanable, cleanStateDir, lockStateDir} from './state-dir-guards.js'
import {type NodeStatus, nodeStatus} from './status.js'
import {terminate} from './stop.js'
import {
  type LocalRegistry,
  type RegistryStatus,
  isRegistryProcess,
  launchRegistry,
  registryPortOffset,
  registryPortProblem,
  registryStatus,
  resolveRegistryApp,
  stopRegistry,
} from './registry.js'

export const defaultWaitSeconds = 90

export interface StartOptions {
  stateDir?: string
  /** Client port of node 1; the others follow it. Defaults to the existing cluster's, else 9092. */
  port?: number
  /** Defaults to the existing cluster's size, else 1. */
  brokers?: ClusterSize
  kafkaHome?: string
  kafkaVersion?: string
  /** Delete the state dir (data included) before starting. */
  clean?: boolean
  /** Add a SASL listener (PLAIN, SCRAM). Defaults to the existing cluster's choice. */
  sasl?: boolean
  /**
   * Add a TLS listener with client certificates, and put the SASL and OAUTHBEARER listeners on TLS. Defaults to the
   * existing cluster's choice.
   */
  tls?: boolean
  /**
   * Add an OAUTHBEARER listener that accepts unsecured JWTs (on TLS with `tls`). Defaults to the existing cluster's
   * choice.
   */
  oauth?: boolean
  /**
   * Turn on the authorizer: `kcli` a super user, `kcli-limited` with no ACLs. Needs `sasl`. Defaults to the existing
   * cluster's choice.
   */
  acl?: boolean
  /** Also run a schema registry (Apicurio). Defaults to the existing cluster's choice. */
  schemaRegistry?: boolean
  /** The registry's port. Defaults to the existing cluster's, else the first client port + 500. */
  registryPort?: number
  /** How long to wait for every client port to accept connections. Default 90. */
  waitSeconds?: number
  env?: NodeJS.ProcessEnv
  /** Progress messages for a human (stderr), never data. */
  onProgress?: (message: string) => void
}

export interface StartResult {
  bootstrap: string
  /** The whole cluster was running already: nothing was started. */
  alreadyRunning: boolean
  stateDir: string
  kafkaVersion: string
  /** True when storage was formatted on this start (a new cluster). */
  formatted: boolean
  nodes: NodeStatus[]
  listeners: ListenerInfo[]
  /** The schema registry, when the cluster has one. */
  registry?: RegistryStatus
  elapsedMs: number
}

export async function startLocalCluster(opts: StartOptions = {}): Promise<StartResult> {
  const env = opts.env ?? process.env
  const stateDir = resolveStateDir(opts.stateDir, env)
  const unlock = await lockStateDir(stateDir)
  try {
    return await startLocked(stateDir, env, opts)
  } finally {
    await unlock()
  }
}

async function startLocked(stateDir: string, env: NodeJS.ProcessEnv, opts: StartOptions): Promise<StartResult> {
  const began = Date.now()
  const progress = opts.onProgress ?? (() => {})
  const {state, live} = await previousState(stateDir, opts)
  const {layout, security} = plannedLayout(stateDir, opts, state)
  const registry = plannedRegistry(opts, state, layout)
  const registryUp = (r: LocalRegistry | undefined) => r !== undefined && isRegistryProcess(r.pid, stateDir)
  const registryChanges =
    registry === undefined
      ? state?.registry !== undefined
      : !registryUp(registry) || registry.port !== state?.registry?.port
  if (state !== undefined && live.length === layout.length) {
    if (!registryChanges) {
      progress(`the local cluster is already running at ${state.bootstrap}`)
      return startResult(stateDir, state, {alreadyRunning: true, formatted: false, elapsedMs: Date.now() - began})
    }
    // Kafka runs as asked: only the registry is started or stopped.
    await syncRegistry(stateDir, state, registry, env, opts)
    return startResult(stateDir, state, {alreadyRunning: false, formatted: false, elapsedMs: Date.now() - began})
  }
  // Nodes that still run keep running: only the others are started (a cluster with a node down is repaired).
  const down = layout.filter((n) => !live.some((l) => l.id === n.id))

  // Cheap checks first: a taken port should fail before any Java or Maven work.
  await checkPortsFree(down, security)
  const registryPortTaken =
    registry !== undefined && !registryUp(registry) ? await registryPortProblem(registry.port) : undefined
  if (registryPortTaken !== undefined)
    throw new KcliError(registryPortTaken, {hint: 'Choose another port for it with --registry-port.'})
  const {dist, java} = await resolveKafkaDist({
    kafkaHome: opts.kafkaHome,
    kafkaVersion: opts.kafkaVersion,
    env,
    onProgress: progress,
  })

  if (opts.clean) await cleanStateDir(stateDir)
  const listenerSecurity = await prepareStateDir(stateDir, layout, security, progress)

  const current: ClusterState = {
    kafkaVersion: dist.version,
    kafkaSource: dist.source,
    kafkaLibDir: dist.libDir,
    java: java.command,
    clusterId: state?.clusterId ?? newClusterId(),
    bootstrap: bootstrapOf(layout),
    startedAt: live.length > 0 ? (state?.startedAt ?? null) : null,
    nodes: layout.map((n) => ({...n, pid: live.find((l) => l.id === n.id)?.pid ?? null})),
    security,
    ...(state?.registry === undefined ? {} : {registry: state.registry}),
  }
  if (
    live.length > 0 &&
    state !== undefined &&
    (state.kafkaVersion !== dist.version || state.kafkaLibDir !== dist.libDir)
  ) {
    throw usageError(
      `the running nodes of ${stateDir} run Kafka ${state.kafkaVersion}; a node cannot join them with Kafka ${dist.version}`,
      'Leave out --kafka-version and --kafka-home, or stop the cluster first.',
    )
  }
  // Saved before formatting, so that a node formatted now and one formatted after a crash share the cluster id.
  await writeState(stateDir, current)

  const unformatted = down.filter((n) => !isFormatted(stateDir, n.id))
  if (unformatted.length > 0) {
    progress(
      `formatting storage for ${unformatted.length === 1 ? 'node' : 'nodes'} ${unformatted.map((n) => n.id).join(', ')}`,
    )
    await Promise.all(unformatted.map((n) => formatStorage(stateDir, n, current, env, listenerSecurity)))
  }

  if (live.length > 0)
    progress(
      `restarting ${down.length === 1 ? 'node' : 'nodes'} ${down.map((n) => n.id).join(', ')} of the cluster at ${current.bootstrap} (the others run)`,
    )
  else progress(`starting ${plural(layout.length, 'broker')} (Kafka ${dist.version}) on ${current.bootstrap}`)
  const started = await launchNodes(
    stateDir,
    current,
    env,
    down.map((n) => n.id),
  )
  current.startedAt ??= new Date().toISOString()
  await writeState(stateDir, current)

  try {
    await waitUntilReady(stateDir, started, (opts.waitSeconds ?? defaultWaitSeconds) * 1000)
  } catch (error) {
    progress('stopping the brokers that were started')
    await terminate(
      stateDir,
      started.map((l) => l.node),
      10_000,
    )
    if (live.length === 0) await writeStopped(stateDir, current)
    throw error
  }

  progress(`started ${plural(down.length, 'broker')} in ${((Date.now() - began) / 1000).toFixed(1)}s`)
  if (registryChanges) await syncRegistry(stateDir, current, registry, env, opts)
  const elapsedMs = Date.now() - began
  return startResult(stateDir, current, {alreadyRunning: false, formatted: unformatted.length > 0, elapsedMs})
}

function startResult(
  stateDir: string,
  state: ClusterState,
  facts: {alreadyRunning: boolean; formatted: boolean; elapsedMs: number},
): StartResult {
  return {
    bootstrap: state.bootstrap,
    stateDir,
    kafkaVersion: state.kafkaVersion,
    nodes: state.nodes.map((n) => nodeStatus(stateDir, n)),
    listeners: listenersOf(stateDir, state),
    ...(state.registry === undefined ? {} : {registry: registryStatus(stateDir, state.registry)}),
    ...facts,
  }
}

/** The registry asked for (or kept from the cluster as it was), or undefined for none. */
function plannedRegistry(
  opts: StartOptions,
  state: ClusterState | undefined,
  layout: NodeLayout[],
): LocalRegistry | undefined {
  if (!(opts.schemaRegistry ?? (state?.registry !== undefined || opts.registryPort !== undefined))) {
    if (opts.registryPort !== undefined)
      throw usageError('--registry-port needs a schema registry', 'Leave out --no-schema-registry.')
    return undefined
  }
  const port = opts.registryPort ?? state?.registry?.port ?? layout[0].port + registryPortOffset
  if (port > 65535) throw usageError(`the schema registry's port would be ${port}`, 'Choose one with --registry-port.')
  return {port, pid: state?.registry?.port === port ? state.registry.pid : null}
}

/** Starts, moves or stops the registry so that it runs as `wanted` says, and records it in state.json. */
async function syncRegistry(
  stateDir: string,
  state: ClusterState,
  wanted: LocalRegistry | undefined,
  env: NodeJS.ProcessEnv,
  opts: StartOptions,
): Promise<void> {
  const progress = opts.onProgress ?? (() => {})
  const running = state.registry
  if (running !== undefined && (wanted === undefined || running.port !== wanted.port)) {
    if ((await stopRegistry(stateDir, running)) !== 'none') progress('stopped the schema registry')
  }
  if (wanted === undefined) {
    delete state.registry
    await writeState(stateDir, state)
    return
  }
  if (isRegistryProcess(wanted.pid, stateDir)) return
  const taken = await registryPortProblem(wanted.port)
  if (taken !== undefined) throw new KcliError(taken, {hint: 'Choose another port for it with --registry-port.'})
  const java = await findJava(env, 17)
  const appDir = await resolveRegistryApp(env, progress)
  const began = Date.now()
  progress(`starting the schema registry (Apicurio Registry) on port ${wanted.port}`)
  state.registry = {port: wanted.port, pid: null}
  await writeState(stateDir, state)
  state.registry.pid = await launchRegistry({
    stateDir,
    port: wanted.port,
    java: java.command,
    appDir,
    env,
    waitMs: (opts.waitSeconds ?? defaultWaitSeconds) * 1000,
  })
  await writeState(stateDir, state)
  progress(`started the schema registry in ${((Date.now() - began) / 1000).toFixed(1)}s`)
}

/** The cluster this start continues (and which of its nodes run), or none for a new one; refuses an unsafe --clean. */
async function previousState(stateDir: string, opts: StartOptions): Promise<{state?: ClusterState; live: LocalNode[]}> {
  const state = await readState(stateDir).catch((error) => {
    if (opts.clean) return undefined
    throw error
  })
  const live = state === undefined ? [] : liveNodes(stateDir, state)
  if (opts.clean && live.length > 0) {
    throw new KcliError(
      `the local cluster at ${state?.bootstrap} is running; --clean would delete its data under it (state dir ${stateDir})`,
      {
        hint: `Stop it first with kcli local stop${opts.stateDir === undefined ? '' : ` --state-dir ${stateDir}`}.`,
      },
    )
  }
  if (opts.clean) {
    await checkCleanable(stateDir)
    // Deleted only once everything else checks out (startLocked): a refused start never costs the old data.
    return {live: []}
  }
  if (state === undefined && existsSync(join(stateDir, 'data'))) {
    throw usageError(`${stateDir} holds Kafka data but no state.json`, 'Pass --clean to delete it and start over.')
  }
  return {state, live}
}

/**
 * The nodes and listeners asked for, each left out to be as the existing cluster has it; checked against that cluster.
 */
function plannedLayout(
  stateDir: string,
  opts: StartOptions,
  state: ClusterState | undefined,
): {layout: NodeLayout[]; security: ClusterSecurity} {
  const brokers = opts.brokers ?? (state?.nodes.length as ClusterSize | undefined) ?? 1
  const port = opts.port ?? state?.nodes[0]?.port ?? defaultPort
  if (brokers !== 1 && brokers !== 3) throw usageError(`--brokers must be 1 or 3, not ${brokers}`)
  const security: ClusterSecurity = {
    sasl: opts.sasl ?? state?.security?.sasl ?? false,
    tls: opts.tls ?? state?.security?.tls ?? false,
    oauth: opts.oauth ?? state?.security?.oauth ?? false,
    acl: opts.acl ?? state?.security?.acl ?? false,
  }
  if (security.acl && !security.sasl)
    throw usageError('--acl needs --sasl: its users sign in over the SASL listener', 'Add --sasl.')
  const offset = security.oauth
    ? oauthPortOffset
    : security.tls
      ? tlsPortOffset
      : security.sasl
        ? saslPortOffset
        : controllerPortOffset
  const highest = port + offset + brokers - 1
  if (!Number.isInteger(port) || port < 1 || highest > 65535) {
    throw usageError(
      `--port ${port} is too high: the ${offset === controllerPortOffset ? 'controller' : "secured listeners'"} ports would reach ${highest}`,
      `Controller ports are the client ports + ${controllerPortOffset}${offset === controllerPortOffset ? '' : `, secured listeners' + ${saslPortOffset}, + ${tlsPortOffset} and + ${oauthPortOffset}`}; choose a port up to ${65535 - offset - brokers + 1}.`,
    )
  }
  const layout = clusterLayout(port, brokers)
  if (state === undefined) return {layout, security}
  if (!sameLayout(state.nodes, layout)) {
    const was = `${state.nodes.length}-broker cluster on port ${state.nodes[0]?.port}`
    throw usageError(
      `${stateDir} holds a ${was}; it cannot restart as a ${brokers}-broker cluster on port ${port}`,
      'Leave out --port and --brokers to restart it as it was, or pass --clean to delete its data and start over.',
    )
  }
  if (security.sasl && !state.security?.sasl && layout.some((n) => isFormatted(stateDir, n.id))) {
    throw usageError(
      `${stateDir} holds a cluster made without --sasl; its SASL users can only be added when a new cluster is made`,
      'Pass --clean to delete its data and start over with --sasl.',
    )
  }
  if (security.acl && !state.security?.acl && layout.some((n) => isFormatted(stateDir, n.id))) {
    throw usageError(
      `${stateDir} holds a cluster made without --acl; its user ${limitedUser} can only be added when a new cluster is made`,
      'Pass --clean to delete its data and start over with --acl.',
    )
  }
  return {layout, security}
}

/**
 * Lays out the state dir for these nodes: their folders, the log4j config, credentials and each node's
 * server.properties.
 */
async function prepareStateDir(
  stateDir: string,
  layout: NodeLayout[],
  security: ClusterSecurity,
  progress: (message: string) => void,
): Promise<ListenerSecurity> {
  for (const node of layout) {
    await mkdir(stateFiles.data(stateDir, node.id), {recursive: true})
    await mkdir(stateFiles.logs(stateDir, node.id), {recursive: true})
  }
  await mkdir(join(stateDir, 'config'), {recursive: true})
  await writeFile(stateFiles.log4j(stateDir), log4jProperties())
  const listenerSecurity = await prepareSecurity(stateDir, security, progress)
  for (const node of layout) {
    // With SASL the file holds the PLAIN user's password: readable by its owner only.
    const file = stateFiles.config(stateDir, node.id)
    await writeFile(file, serverProperties(node, layout, stateFiles.data(stateDir, node.id), listenerSecurity), {
      mode: 0o600,
    })
    await chmod(file, 0o600)
  }
  return listenerSecurity
}

/**
 * Makes (once) the password and certificates the secured listeners need; the OAUTHBEARER listener has no secret of its
 * own.
 */
async function prepareSecurity(
  stateDir: string,
  security: ClusterSecurity,
  progress: (message: string) => void,
): Promise<ListenerSecurity> {
  const files = credentialFiles(stateDir)
  const result: ListenerSecurity = {}
  if (security.sasl) result.sasl = {password: await ensurePassword(files)}
  if (security.acl) result.acl = {limitedPassword: await ensurePassword(files, files.limitedPassword)}
  if (security.oauth) result.oauth = true
  if (security.tls) {
    if (!existsSync(files.brokerKeystore)) progress(`making a CA and certificates in ${files.dir}`)
    await ensureCertificates(files)
    result.tls = {keystore: files.brokerKeystore, truststore: files.ca}
  }
  return result
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}
