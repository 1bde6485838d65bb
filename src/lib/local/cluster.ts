// Starts, stops and reports a local Apache Kafka (KRaft) cluster for `kcli local`. Everything about one
// cluster lives in one state dir: state.json, config/, data/node-N and logs/node-N.
import {spawn} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync, statSync, writeSync} from 'node:fs'
import {chmod, mkdir, readFile, readdir, rename, rm, writeFile} from 'node:fs/promises'
import {createConnection, createServer} from 'node:net'
import {homedir} from 'node:os'
import {isAbsolute, join, resolve} from 'node:path'

import {ExitCode, KcliError, usageError} from '../errors.js'
import {
  ClusterSize,
  ListenerKind,
  ListenerSecurity,
  NodeLayout,
  bootstrapOf,
  brokerJvmArgs,
  classpathOf,
  clusterLayout,
  controllerPortOffset,
  defaultPort,
  saslPortOffset,
  layoutPorts,
  localHost,
  log4jProperties,
  newClusterId,
  sameLayout,
  saslUser,
  securedListeners,
  serverProperties,
  tlsPortOffset,
} from './broker-config.js'
import {credentialFiles, ensureCertificates, ensurePassword} from './credentials.js'
import {KafkaDist, lastLines, resolveKafkaDist, run, CommandError} from './kafka-dist.js'

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
}

export interface ClusterSecurity {
  sasl: boolean
  tls: boolean
}

/** One way into the cluster, with what a client needs to use it. */
export interface ListenerInfo {
  protocol: 'PLAINTEXT' | ListenerKind
  bootstrap: string
  /** SASL user and the file holding its password (SASL listeners). */
  saslUser?: string
  passwordFile?: string
  /** CA certificate to verify the brokers with (TLS listeners), and the client certificate and key (SSL: mTLS). */
  caFile?: string
  certFile?: string
  keyFile?: string
}

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
  /** Add a TLS listener with client certificates, and put the SASL listener on TLS. Defaults to the existing cluster's choice. */
  tls?: boolean
  /** How long to wait for every client port to accept connections. Default 90. */
  waitSeconds?: number
  env?: NodeJS.ProcessEnv
  /** Progress messages for a human (stderr), never data. */
  onProgress?: (message: string) => void
}

export interface StartResult {
  bootstrap: string
  stateDir: string
  kafkaVersion: string
  /** True when storage was formatted on this start (a new cluster). */
  formatted: boolean
  nodes: NodeStatus[]
  listeners: ListenerInfo[]
  elapsedMs: number
}

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
  elapsedMs: number
}

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
}

export const defaultWaitSeconds = 90
export const defaultStopSeconds = 30

/** `--state-dir` flag, else KCLI_STATE_DIR, else `${XDG_STATE_HOME:-~/.local/state}/kcli/local`. */
export function resolveStateDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return resolve(flag)
  if (env.KCLI_STATE_DIR) return resolve(env.KCLI_STATE_DIR)
  const xdg = env.XDG_STATE_HOME
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state')
  return join(base, 'kcli', 'local')
}

const paths = {
  state: (dir: string) => join(dir, 'state.json'),
  log4j: (dir: string) => join(dir, 'config', 'log4j2.properties'),
  config: (dir: string, id: number) => join(dir, 'config', `server-${id}.properties`),
  data: (dir: string, id: number) => join(dir, 'data', `node-${id}`),
  logs: (dir: string, id: number) => join(dir, 'logs', `node-${id}`),
  serverLog: (dir: string, id: number) => join(dir, 'logs', `node-${id}`, 'server.log'),
  stdout: (dir: string, id: number) => join(dir, 'logs', `node-${id}`, 'stdout.log'),
}

export async function readState(stateDir: string): Promise<ClusterState | undefined> {
  let text: string
  try {
    text = await readFile(paths.state(stateDir), 'utf8')
  } catch {
    return undefined
  }
  try {
    const state = JSON.parse(text) as ClusterState
    if (!Array.isArray(state.nodes) || typeof state.clusterId !== 'string') throw new Error('missing fields')
    return state
  } catch {
    throw usageError(`${paths.state(stateDir)} is not a kcli state file`, 'Pass --clean to start over, or point --state-dir elsewhere.')
  }
}

async function writeState(stateDir: string, state: ClusterState): Promise<void> {
  // Write-then-rename: a reader never sees half a file.
  const file = paths.state(stateDir)
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`)
  await rename(`${file}.tmp`, file)
}

/**
 * True when `pid` is this node's broker. A pid alone can be stale (the broker died and the number was reused),
 * so on Linux the command line must name kafka.Kafka and this node's config file.
 */
export function isBrokerProcess(pid: number | null, configFile: string): boolean {
  if (pid === null) return false
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (!existsSync('/proc/self/stat')) return true
  try {
    // A zombie still answers kill(pid, 0) until its parent reaps it, and some init processes reap lazily
    // (seconds, here): it has exited all the same.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 1).trim())) return false
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return args.includes('kafka.Kafka') && args.includes(configFile)
  } catch {
    return false
  }
}

function liveNodes(stateDir: string, state: ClusterState): LocalNode[] {
  return state.nodes.filter((n) => isBrokerProcess(n.pid, paths.config(stateDir, n.id)))
}

function nodeStatus(stateDir: string, node: LocalNode): NodeStatus {
  const running = isBrokerProcess(node.pid, paths.config(stateDir, node.id))
  return {id: node.id, port: node.port, controllerPort: node.controllerPort, pid: running ? node.pid : null, running, logFile: paths.serverLog(stateDir, node.id)}
}

export async function localClusterStatus(opts: {stateDir?: string; env?: NodeJS.ProcessEnv} = {}): Promise<ClusterStatus> {
  const stateDir = resolveStateDir(opts.stateDir, opts.env)
  const state = await readState(stateDir)
  if (state === undefined) {
    return {running: false, state: 'absent', stateDir, bootstrap: null, kafkaVersion: null, kafkaLibDir: null, startedAt: null, nodes: [], listeners: []}
  }
  const nodes = state.nodes.map((n) => nodeStatus(stateDir, n))
  const up = nodes.filter((n) => n.running).length
  const summary = up === 0 ? 'stopped' : up === nodes.length ? 'running' : 'partial'
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
  }
}

/** The PLAINTEXT listener and the secured ones, with the files a client needs for each. */
export function listenersOf(stateDir: string, state: Pick<ClusterState, 'nodes' | 'bootstrap' | 'security'>): ListenerInfo[] {
  const security = state.security ?? {sasl: false, tls: false}
  const files = credentialFiles(stateDir)
  const listeners: ListenerInfo[] = [{protocol: 'PLAINTEXT', bootstrap: state.bootstrap}]
  const perNode = state.nodes.map((n) => securedListeners(n, security))
  for (const [i, first] of (perNode[0] ?? []).entries()) {
    const info: ListenerInfo = {protocol: first.name, bootstrap: perNode.map((l) => `${localHost}:${l[i].port}`).join(',')}
    if (first.name.startsWith('SASL')) Object.assign(info, {saslUser, passwordFile: files.password})
    if (first.name.endsWith('SSL')) info.caFile = files.ca
    if (first.name === 'SSL') Object.assign(info, {certFile: files.clientCert, keyFile: files.clientKey})
    listeners.push(info)
  }
  return listeners
}

/** How to connect to each secured listener, as kcli flags; the password itself stays in its file. */
export function listenerHelp(listeners: ListenerInfo[]): string[] {
  return listeners
    .filter((l) => l.protocol !== 'PLAINTEXT')
    .map((l) => {
      const flags = [`--brokers ${l.bootstrap}`, `--security-protocol ${l.protocol}`]
      if (l.saslUser) flags.push(`--sasl-mechanism SCRAM-SHA-512 --sasl-username ${l.saslUser} --sasl-password-file ${l.passwordFile}`)
      if (l.caFile) flags.push(`--ssl-ca ${l.caFile}`)
      if (l.certFile) flags.push(`--ssl-cert ${l.certFile} --ssl-key ${l.keyFile}`)
      return `${l.protocol} listener: ${flags.join(' ')}`
    })
}

function stateDirArg(opts: {stateDir?: string}, stateDir: string): string {
  return opts.stateDir === undefined ? '' : ` --state-dir ${stateDir}`
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

const lockName = '.start.lock'

/** Two starts on one state dir would both format and spawn, and the loser would orphan the winner's brokers. */
async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  await mkdir(stateDir, {recursive: true})
  const file = join(stateDir, lockName)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), {flag: 'wx'})
      return () => rm(file, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10)
      if (holder > 0 && holder !== process.pid && pidExists(holder)) {
        throw new KcliError(`another kcli local start (pid ${holder}) is using ${stateDir}`, {hint: 'Wait for it to finish.'})
      }
      // Left behind by a start that was killed: take it over.
      await rm(file, {force: true})
    }
  }
  throw new KcliError(`could not lock ${stateDir}`)
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// What `kcli local start` puts in a state dir. --clean deletes the dir's contents only when it holds nothing
// else, so a mistyped --state-dir (a home or project folder) can never be wiped.
const stateDirEntries = new Set(['state.json', 'state.json.tmp', 'config', 'data', 'logs', 'security', lockName])

async function checkCleanable(stateDir: string): Promise<void> {
  const foreign = (await readdir(stateDir)).filter((entry) => !stateDirEntries.has(entry))
  if (foreign.length > 0) {
    throw usageError(`refusing to --clean ${stateDir}: it holds ${foreign.slice(0, 3).join(', ')}, which kcli did not create`, 'Point --state-dir at a folder used only by kcli local.')
  }
}

async function cleanStateDir(stateDir: string): Promise<void> {
  for (const entry of await readdir(stateDir)) if (entry !== lockName) await rm(join(stateDir, entry), {recursive: true, force: true})
}

async function startLocked(stateDir: string, env: NodeJS.ProcessEnv, opts: StartOptions): Promise<StartResult> {
  const began = Date.now()
  const progress = opts.onProgress ?? (() => {})
  let state = await readState(stateDir).catch((error) => {
    if (opts.clean) return undefined
    throw error
  })
  if (state !== undefined) {
    const alive = liveNodes(stateDir, state)
    if (alive.length > 0) {
      throw new KcliError(`a local cluster is already running at ${state.bootstrap} (state dir ${stateDir})`, {
        hint: `Use it as it is, or stop it first with kcli local stop${stateDirArg(opts, stateDir)}.`,
      })
    }
  }
  if (opts.clean) {
    await checkCleanable(stateDir)
    // Deleted only once everything else checks out: a refused start never costs the old data.
    state = undefined
  } else if (state === undefined && existsSync(join(stateDir, 'data'))) {
    throw usageError(`${stateDir} holds Kafka data but no state.json`, 'Pass --clean to delete it and start over.')
  }

  const brokers = opts.brokers ?? (state?.nodes.length as ClusterSize | undefined) ?? 1
  const port = opts.port ?? state?.nodes[0]?.port ?? defaultPort
  if (brokers !== 1 && brokers !== 3) throw usageError(`--brokers must be 1 or 3, not ${brokers}`)
  const security: ClusterSecurity = {sasl: opts.sasl ?? state?.security?.sasl ?? false, tls: opts.tls ?? state?.security?.tls ?? false}
  const highest = port + (security.tls ? tlsPortOffset : security.sasl ? saslPortOffset : controllerPortOffset) + brokers - 1
  if (!Number.isInteger(port) || port < 1 || highest > 65535) {
    const offset = highest - port - brokers + 1
    throw usageError(`--port ${port} is too high: the ${offset === controllerPortOffset ? 'controller' : 'secured listeners\''} ports would reach ${highest}`, `Controller ports are the client ports + ${controllerPortOffset}${offset === controllerPortOffset ? '' : `, secured listeners' + ${saslPortOffset} and + ${tlsPortOffset}`}; choose a port up to ${65535 - offset - brokers + 1}.`)
  }
  const layout = clusterLayout(port, brokers)
  if (state !== undefined && !sameLayout(state.nodes, layout)) {
    const was = `${state.nodes.length}-broker cluster on port ${state.nodes[0]?.port}`
    throw usageError(`${stateDir} holds a ${was}; it cannot restart as a ${brokers}-broker cluster on port ${port}`, 'Leave out --port and --brokers to restart it as it was, or pass --clean to delete its data and start over.')
  }

  const formattedBefore = state !== undefined && !opts.clean && layout.some((n) => existsSync(join(paths.data(stateDir, n.id), 'meta.properties')))
  if (security.sasl && formattedBefore && !state?.security?.sasl) {
    throw usageError(`${stateDir} holds a cluster made without --sasl; its SASL users can only be added when a new cluster is made`, 'Pass --clean to delete its data and start over with --sasl.')
  }

  // Cheap checks first: a taken port should fail before any Java or Maven work.
  await checkPortsFree(layout, security)
  const {dist, java} = await resolveKafkaDist({kafkaHome: opts.kafkaHome, kafkaVersion: opts.kafkaVersion, env, onProgress: progress})

  if (opts.clean) await cleanStateDir(stateDir)
  for (const node of layout) {
    await mkdir(paths.data(stateDir, node.id), {recursive: true})
    await mkdir(paths.logs(stateDir, node.id), {recursive: true})
  }
  await mkdir(join(stateDir, 'config'), {recursive: true})
  await writeFile(paths.log4j(stateDir), log4jProperties())
  const listenerSecurity = await prepareSecurity(stateDir, security, progress)
  for (const node of layout) {
    // With SASL the file holds the PLAIN user's password: readable by its owner only.
    const file = paths.config(stateDir, node.id)
    await writeFile(file, serverProperties(node, layout, paths.data(stateDir, node.id), listenerSecurity), {mode: 0o600})
    await chmod(file, 0o600)
  }

  const current: ClusterState = {
    kafkaVersion: dist.version,
    kafkaSource: dist.source,
    kafkaLibDir: dist.libDir,
    java: java.command,
    clusterId: state?.clusterId ?? newClusterId(),
    bootstrap: bootstrapOf(layout),
    startedAt: null,
    nodes: layout.map((n) => ({...n, pid: null})),
    security,
  }
  // Saved before formatting, so that a node formatted now and one formatted after a crash share the cluster id.
  await writeState(stateDir, current)

  const unformatted = layout.filter((n) => !existsSync(join(paths.data(stateDir, n.id), 'meta.properties')))
  if (unformatted.length > 0) {
    progress(`formatting storage for ${unformatted.length === 1 ? 'node' : 'nodes'} ${unformatted.map((n) => n.id).join(', ')}`)
    await Promise.all(unformatted.map((n) => formatStorage(stateDir, n, current, env, listenerSecurity)))
  }

  progress(`starting ${plural(layout.length, 'broker')} (Kafka ${dist.version}) on ${current.bootstrap}`)
  const started = await launchNodes(stateDir, current, env)
  current.startedAt = new Date().toISOString()
  await writeState(stateDir, current)

  try {
    await waitUntilReady(stateDir, started, (opts.waitSeconds ?? defaultWaitSeconds) * 1000)
  } catch (error) {
    progress('stopping the brokers that were started')
    await terminate(stateDir, current.nodes, 10_000)
    for (const node of current.nodes) node.pid = null
    current.startedAt = null
    await writeState(stateDir, current)
    throw error
  }

  const elapsedMs = Date.now() - began
  progress(`started ${plural(layout.length, 'broker')} in ${(elapsedMs / 1000).toFixed(1)}s`)
  return {
    bootstrap: current.bootstrap,
    stateDir,
    kafkaVersion: dist.version,
    formatted: unformatted.length > 0,
    nodes: current.nodes.map((n) => nodeStatus(stateDir, n)),
    listeners: listenersOf(stateDir, current),
    elapsedMs,
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/** Makes (once) the password and certificates the secured listeners need. */
async function prepareSecurity(stateDir: string, security: ClusterSecurity, progress: (message: string) => void): Promise<ListenerSecurity> {
  const files = credentialFiles(stateDir)
  const result: ListenerSecurity = {}
  if (security.sasl) result.sasl = {password: await ensurePassword(files)}
  if (security.tls) {
    if (!existsSync(files.brokerKeystore)) progress(`making a CA and certificates in ${files.dir}`)
    await ensureCertificates(files)
    result.tls = {keystore: files.brokerKeystore, truststore: files.ca}
  }
  return result
}

async function formatStorage(stateDir: string, node: NodeLayout, state: ClusterState, env: NodeJS.ProcessEnv, security: ListenerSecurity): Promise<void> {
  // SCRAM credentials live in the cluster metadata, so a new cluster gets them in its first records.
  const scram = security.sasl
    ? ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => ['--add-scram', `${m}=[name=${saslUser},password=${security.sasl!.password}]`])
    : []
  const args = [
    `-Dlog4j2.configurationFile=${paths.log4j(stateDir)}`,
    `-Dkafka.logs.dir=${paths.logs(stateDir, node.id)}`,
    '-cp',
    classpathOf(state.kafkaLibDir),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    state.clusterId,
    '-c',
    paths.config(stateDir, node.id),
    ...scram,
  ]
  try {
    await run(state.java, args, {env, cwd: stateDir})
  } catch (error) {
    const output = error instanceof CommandError ? lastLines(error.output, 10) : (error as Error).message
    throw new KcliError(`formatting the storage of node ${node.id} failed:\n${output}`, {hint: `Logs are in ${paths.logs(stateDir, node.id)}.`})
  }
}

interface Launched {
  node: LocalNode
  exit?: string
  serverLogOffset: number
  stdoutOffset: number
}

function fileSize(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

async function launchNodes(stateDir: string, state: ClusterState, env: NodeJS.ProcessEnv): Promise<Launched[]> {
  const launched: Launched[] = []
  for (const node of state.nodes) {
    const stdoutFile = paths.stdout(stateDir, node.id)
    const entry: Launched = {node, serverLogOffset: fileSize(paths.serverLog(stateDir, node.id)), stdoutOffset: fileSize(stdoutFile)}
    const out = openSync(stdoutFile, 'a')
    writeSync(out, `--- kcli local start, ${new Date().toISOString()} ---\n`)
    entry.stdoutOffset = fileSize(stdoutFile)
    const jvmArgs = brokerJvmArgs(state.nodes.length, {
      libDir: state.kafkaLibDir,
      log4jFile: paths.log4j(stateDir),
      logsDir: paths.logs(stateDir, node.id),
      configFile: paths.config(stateDir, node.id),
    })
    // Detached and unref'd: the broker outlives this command and is not hit by the terminal's Ctrl-C.
    const child = spawn(state.java, jvmArgs, {cwd: stateDir, env, detached: true, stdio: ['ignore', out, out]})
    closeSync(out)
    child.on('error', (error) => {
      entry.exit = `could not be started: ${error.message}`
    })
    child.on('exit', (code, signal) => {
      entry.exit = signal === null ? `exited with code ${code}` : `was killed by ${signal}`
    })
    child.unref()
    node.pid = child.pid ?? null
    launched.push(entry)
  }
  return launched
}

/** Kafka opens a broker's client port only once the broker is ready, so an accepted connection means "up". */
async function waitUntilReady(stateDir: string, launched: Launched[], waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs
  const pending = new Set(launched)
  let interrupted = false
  const onInterrupt = () => {
    interrupted = true
  }
  process.once('SIGINT', onInterrupt)
  try {
    while (pending.size > 0) {
      for (const entry of pending) {
        if (entry.exit !== undefined) throw nodeFailure(stateDir, entry, `${entry.exit} before accepting connections on port ${entry.node.port}`)
        if (await accepts(entry.node.port)) pending.delete(entry)
      }
      if (pending.size === 0) break
      if (interrupted) throw new KcliError('interrupted while waiting for the brokers to start', {exit: ExitCode.interrupted})
      if (Date.now() > deadline) {
        const [first] = pending
        throw nodeFailure(stateDir, first, `did not accept connections on port ${first.node.port} within ${Math.round(waitMs / 1000)}s`, ' Raise --wait if this machine is just slow.')
      }
      await sleep(250)
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt)
  }
}

function nodeFailure(stateDir: string, entry: Launched, what: string, extraHint = ''): KcliError {
  const serverLog = paths.serverLog(stateDir, entry.node.id)
  const stdoutFile = paths.stdout(stateDir, entry.node.id)
  // The JVM's own failures (bad options, no main class, out of memory at start) reach only stdout;
  // Kafka's, only server.log. Show whichever this run wrote to, server.log first.
  let file = serverLog
  let tail = lastLines(readFrom(serverLog, entry.serverLogOffset), 10)
  if (tail === '') {
    file = stdoutFile
    tail = lastLines(readFrom(stdoutFile, entry.stdoutOffset), 10)
  }
  const shown = tail === '' ? `(${file} is empty)` : `last lines of ${file}:\n${tail}`
  return new KcliError(`broker node ${entry.node.id} ${what}; ${shown}`, {hint: `Logs are in ${paths.logs(stateDir, entry.node.id)}.${extraHint}`})
}

function readFrom(file: string, offset: number): string {
  try {
    return readFileSync(file).subarray(offset).toString('utf8')
  } catch {
    return ''
  }
}

export async function stopLocalCluster(opts: StopOptions = {}): Promise<StopResult> {
  const began = Date.now()
  const stateDir = resolveStateDir(opts.stateDir, opts.env)
  const state = await readState(stateDir)
  if (state === undefined) return {stateDir, wasRunning: false, stopped: [], killed: [], elapsedMs: 0}
  const alive = liveNodes(stateDir, state)
  const {stopped, killed} = alive.length === 0 ? {stopped: [], killed: []} : await terminate(stateDir, alive, (opts.timeoutSeconds ?? defaultStopSeconds) * 1000)
  if (state.nodes.some((n) => n.pid !== null)) {
    for (const node of state.nodes) node.pid = null
    state.startedAt = null
    await writeState(stateDir, state)
  }
  return {stateDir, wasRunning: alive.length > 0, stopped, killed, elapsedMs: Date.now() - began}
}

/** SIGTERM every node at once (a KRaft broker's controlled shutdown needs its controllers up), then SIGKILL stragglers. */
async function terminate(stateDir: string, nodes: LocalNode[], timeoutMs: number): Promise<{stopped: number[]; killed: number[]}> {
  const isUp = (n: LocalNode) => isBrokerProcess(n.pid, paths.config(stateDir, n.id))
  const targets = nodes.filter(isUp)
  for (const node of targets) signal(node.pid, 'SIGTERM')
  const deadline = Date.now() + timeoutMs
  while (targets.some(isUp) && Date.now() < deadline) await sleep(100)
  const stragglers = targets.filter(isUp)
  for (const node of stragglers) signal(node.pid, 'SIGKILL')
  // Wait for the kill to land, so the ports are free when this returns.
  const killDeadline = Date.now() + 5000
  while (stragglers.some(isUp) && Date.now() < killDeadline) await sleep(100)
  // A process can vanish from /proc a moment before the kernel has closed its sockets: make sure the
  // ports are free, so that a start right after this stop does not find them taken.
  const ports = layoutPorts(targets)
  const portDeadline = Date.now() + 5000
  while (Date.now() < portDeadline && (await Promise.all(ports.map((port) => accepts(port, 200)))).some(Boolean)) await sleep(100)
  const killed = new Set(stragglers.map((n) => n.id))
  return {stopped: targets.filter((n) => !killed.has(n.id)).map((n) => n.id), killed: [...killed]}
}

function signal(pid: number | null, name: NodeJS.Signals): void {
  if (pid === null) return
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}

async function checkPortsFree(nodes: NodeLayout[], security: ClusterSecurity): Promise<void> {
  const uses = [
    ...nodes.map((n) => ({port: n.port, use: nodes.length === 1 ? '' : ` (client port of node ${n.id})`})),
    ...nodes.map((n) => ({port: n.controllerPort, use: ` (controller port of node ${n.id})`})),
    ...nodes.flatMap((n) => securedListeners(n, security).map((l) => ({port: l.port, use: ` (${l.name} port of node ${n.id})`}))),
  ]
  for (const {port, use} of uses) {
    const problem = await portProblem(port)
    if (problem !== undefined) {
      throw new KcliError(`${problem}${use}`, {hint: `Choose other ports with --port (client ports count up from it; controller ports are ${controllerPortOffset} higher).`})
    }
  }
}

/** Why Kafka could not listen on localhost:port, or undefined when it could. */
async function portProblem(port: number): Promise<string | undefined> {
  // Something listening on any address answers a connect; binding catches the rest (and privileged ports).
  if (await accepts(port)) return `port ${port} is already in use`
  return new Promise((done) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) => {
      done(error.code === 'EADDRINUSE' ? `port ${port} is already in use` : `cannot listen on port ${port}: ${error.code ?? error.message}`)
    })
    server.listen({port, host: localHost, exclusive: true}, () => server.close(() => done(undefined)))
  })
}

function accepts(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({port, host: localHost})
    const finish = (ok: boolean) => {
      socket.destroy()
      done(ok)
    }
    socket.setTimeout(timeoutMs, () => finish(false))
    socket.once('connect', () => finish(true))
    socket.once('error', () => finish(false))
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms))
}
