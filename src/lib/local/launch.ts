// Running Kafka's JVMs for a local cluster: formatting a node's storage, spawning the brokers detached, and
// waiting until each accepts connections, with the tail of its log when it does not.
import {spawn} from 'node:child_process'
import {closeSync, openSync, readFileSync, statSync, writeSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

import {ExitCode, KcliError} from '../errors.js'
import {
  type ListenerSecurity,
  type NodeLayout,
  brokerJvmArgs,
  classpathOf,
  jvmEnvGiven,
  limitedUser,
  saslUser,
} from './broker-config.js'
import {CommandError, lastLines, run} from './kafka-dist.js'
import {accepts} from './ports.js'
import {type ClusterState, type LocalNode, stateFiles} from './state-dir.js'

export async function formatStorage(
  stateDir: string,
  node: NodeLayout,
  state: ClusterState,
  env: NodeJS.ProcessEnv,
  security: ListenerSecurity,
): Promise<void> {
  // SCRAM credentials live in the cluster metadata, so a new cluster gets them in its first records.
  const users: Array<[string, string]> = []
  if (security.sasl) users.push([saslUser, security.sasl.password])
  if (security.acl) users.push([limitedUser, security.acl.limitedPassword])
  const scram = users.flatMap(([name, password]) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => ['--add-scram', `${m}=[name=${name},password=${password}]`]),
  )
  const args = [
    `-Dlog4j2.configurationFile=${stateFiles.log4j(stateDir)}`,
    `-Dkafka.logs.dir=${stateFiles.logs(stateDir, node.id)}`,
    '-cp',
    classpathOf(state.kafkaLibDir),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    state.clusterId,
    '-c',
    stateFiles.config(stateDir, node.id),
    ...scram,
  ]
  try {
    await run(state.java, args, {env, cwd: stateDir})
  } catch (error) {
    const output = error instanceof CommandError ? lastLines(error.output, 10) : (error as Error).message
    throw new KcliError(`formatting the storage of node ${node.id} failed:\n${output}`, {
      hint: `Logs are in ${stateFiles.logs(stateDir, node.id)}.`,
    })
  }
}

/** A node spawned by this start; the offsets mark where this run's output begins in its log files. */
interface Launched {
  node: LocalNode
  exit?: string
  /** The JVM option variables of the environment it started with, for a failure to name. */
  jvmEnv: string[]
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

/** Spawns the broker of every node (or of the nodes `only` names) and records its pid in `state`. */
export async function launchNodes(
  stateDir: string,
  state: ClusterState,
  env: NodeJS.ProcessEnv,
  only?: number[],
): Promise<Launched[]> {
  const launched: Launched[] = []
  for (const node of state.nodes) {
    if (only !== undefined && !only.includes(node.id)) continue
    const stdoutFile = stateFiles.stdout(stateDir, node.id)
    const entry: Launched = {
      node,
      jvmEnv: jvmEnvGiven(env),
      serverLogOffset: fileSize(stateFiles.serverLog(stateDir, node.id)),
      stdoutOffset: fileSize(stdoutFile),
    }
    const out = openSync(stdoutFile, 'a')
    writeSync(out, `--- kcli local start, ${new Date().toISOString()} ---\n`)
    entry.stdoutOffset = fileSize(stdoutFile)
    const jvmArgs = brokerJvmArgs(
      state.nodes.length,
      {
        libDir: state.kafkaLibDir,
        log4jFile: stateFiles.log4j(stateDir),
        logsDir: stateFiles.logs(stateDir, node.id),
        configFile: stateFiles.config(stateDir, node.id),
      },
      env,
    )
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
export async function waitUntilReady(stateDir: string, launched: Launched[], waitMs: number): Promise<void> {
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
        if (entry.exit !== undefined)
          throw nodeFailure(
            stateDir,
            entry,
            `${entry.exit} before accepting connections on port ${entry.node.port}`,
            entry.jvmEnv.length > 0 ? ` Its JVM also took ${entry.jvmEnv.join(' and ')} from the environment.` : '',
          )
        if (await accepts(entry.node.port)) pending.delete(entry)
      }
      if (pending.size === 0) break
      if (interrupted)
        throw new KcliError('interrupted while waiting for the brokers to start', {exit: ExitCode.interrupted})
      if (Date.now() > deadline) {
        const [first] = pending
        throw nodeFailure(
          stateDir,
          first,
          `did not accept connections on port ${first.node.port} within ${Math.round(waitMs / 1000)}s`,
          ' Raise --wait if this machine is just slow.',
        )
      }
      await sleep(250)
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt)
  }
}

function nodeFailure(stateDir: string, entry: Launched, what: string, extraHint = ''): KcliError {
  const serverLog = stateFiles.serverLog(stateDir, entry.node.id)
  const stdoutFile = stateFiles.stdout(stateDir, entry.node.id)
  // The JVM's own failures (bad options, no main class, out of memory at start) reach only stdout;
  // Kafka's, only server.log. Show whichever this run wrote to, server.log first.
  let file = serverLog
  let tail = lastLines(readFrom(serverLog, entry.serverLogOffset), 10)
  if (tail === '') {
    file = stdoutFile
    tail = lastLines(readFrom(stdoutFile, entry.stdoutOffset), 10)
  }
  const shown = tail === '' ? `(${file} is empty)` : `last lines of ${file}:\n${tail}`
  return new KcliError(`broker node ${entry.node.id} ${what}; ${shown}`, {
    hint: `Logs are in ${stateFiles.logs(stateDir, entry.node.id)}.${extraHint}`,
  })
}

function readFrom(file: string, offset: number): string {
  try {
    return readFileSync(file).subarray(offset).toString('utf8')
  } catch {
    return ''
  }
}
