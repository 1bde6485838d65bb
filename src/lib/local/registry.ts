// The local schema registry of `kcli local start --schema-registry`: Apicurio Registry 2.6 (Java 17) from Maven
// Central, resolved once into kcli's cache, run bound to 127.0.0.1 with H2 file storage in the state dir (so schema
// ids survive restarts, as messages that carry them do) and BACKWARD compatibility, as Confluent's registry defaults.
import {spawn} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync, statSync, writeSync} from 'node:fs'
import {mkdir, readdir, rename, rm} from 'node:fs/promises'
import http from 'node:http'
import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {ExitCode, KcliError} from '../errors.js'
import {CommandError, lastLines, mavenErrors, run} from './kafka-dist.js'
import {accepts} from './ports.js'
import {isProcessOf, sendSignal} from './processes.js'

export const apicurioVersion = '2.6.13.Final'
/** The registry listens on the first client port + 500, beside the listeners' +100 ... +400. */
export const registryPortOffset = 500
export const registryHost = '127.0.0.1'
const runnerJar = `apicurio-registry-app-${apicurioVersion}-runner.jar`

/** What state.json records about the registry. */
export interface LocalRegistry {
  port: number
  pid: number | null
}

export interface RegistryStatus {
  /** The URL clients use: the Confluent-compatible API. */
  url: string
  port: number
  pid: number | null
  running: boolean
  logFile: string
}

export const registryFiles = {
  data: (stateDir: string) => join(stateDir, 'registry'),
  jdbcUrl: (stateDir: string) => `jdbc:h2:file:${join(stateDir, 'registry', 'registry')}`,
  log: (stateDir: string) => join(stateDir, 'logs', 'registry', 'registry.log'),
}

export function registryUrl(port: number): string {
  return `http://${registryHost}:${port}/apis/ccompat/v7`
}

/** `${XDG_CACHE_HOME:-~/.cache}/kcli/apicurio/<version>`, next to the Kafka jars. */
export function registryCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME
  const base = xdg !== undefined && xdg.trim() !== '' && isAbsolute(xdg) ? xdg : join(homedir(), '.cache')
  return join(base, 'kcli', 'apicurio', apicurioVersion)
}

/** The Java arguments of the registry; pure, so a unit test pins what it runs with. */
export function registryJvmArgs(stateDir: string, port: number, appDir: string): string[] {
  return [
    // 128 MB of heap and a small JIT keep it near 200 MB and quick to start on a busy laptop.
    '-Xmx128m',
    '-Xss512k',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:MaxMetaspaceSize=160m',
    '-XX:ReservedCodeCacheSize=48m',
    `-Dquarkus.http.host=${registryHost}`,
    `-Dquarkus.http.port=${port}`,
    // Off in this build; bound to loopback all the same, should a later build turn it on.
    `-Dquarkus.management.host=${registryHost}`,
    `-Dquarkus.datasource.jdbc.url=${registryFiles.jdbcUrl(stateDir)}`,
    '-Dquarkus.datasource.jdbc.initial-size=1',
    '-Dquarkus.datasource.jdbc.min-size=1',
    '-Dquarkus.datasource.jdbc.max-size=10',
    // Apicurio's default is NONE; Confluent's is BACKWARD, and tests should meet real compatibility errors.
    '-Dregistry.rules.global.compatibility=BACKWARD',
    '-Dquarkus.log.category."io.apicurio.common.apps.logging.audit".level=WARN',
    '-jar',
    join(appDir, runnerJar),
  ]
}

/** True when `pid` is this state dir's registry (its command line names the runner jar and this dir's database). */
export function isRegistryProcess(pid: number | null, stateDir: string): boolean {
  return isProcessOf(
    pid,
    (args) =>
      args.some((a) => a.endsWith(runnerJar)) &&
      args.includes(`-Dquarkus.datasource.jdbc.url=${registryFiles.jdbcUrl(stateDir)}`),
  )
}

export function registryStatus(stateDir: string, registry: LocalRegistry): RegistryStatus {
  const running = isRegistryProcess(registry.pid, stateDir)
  return {
    url: registryUrl(registry.port),
    port: registry.port,
    pid: running ? registry.pid : null,
    running,
    logFile: registryFiles.log(stateDir),
  }
}

/** The unpacked Apicurio app: from kcli's cache, else fetched once from Maven Central (a 142 MB tar.gz). */
export async function resolveRegistryApp(
  env: NodeJS.ProcessEnv,
  onProgress?: (message: string) => void,
): Promise<string> {
  const cacheDir = registryCacheDir(env)
  const appDir = join(cacheDir, 'app')
  if (existsSync(join(appDir, runnerJar))) return appDir
  onProgress?.(`resolving Apicurio Registry ${apicurioVersion} with Maven (first run only, 142 MB)…`)
  await mkdir(cacheDir, {recursive: true})
  // Downloaded and unpacked into private folders, renamed into place: a failed run never leaves a half app behind.
  const partial = join(cacheDir, `download.partial-${process.pid}`)
  const unpacked = join(cacheDir, `app.partial-${process.pid}`)
  try {
    await rm(partial, {recursive: true, force: true})
    await run(
      'mvn',
      [
        '-q',
        '-B',
        'dependency:copy',
        `-Dartifact=io.apicurio:apicurio-registry-app:${apicurioVersion}:tar.gz:all`,
        `-DoutputDirectory=${partial}`,
      ],
      {env, cwd: cacheDir},
    )
    const [archive] = (await readdir(partial)).filter((f) => f.endsWith('.tar.gz'))
    if (archive === undefined) throw new KcliError('Maven copied no tar.gz')
    await mkdir(unpacked, {recursive: true})
    await run('tar', ['xzf', join(partial, archive), '-C', unpacked], {env})
    if (!existsSync(join(unpacked, runnerJar))) throw new KcliError(`the archive holds no ${runnerJar}`)
    await rename(unpacked, appDir).catch(async (error) => {
      // Another kcli finished the same download first.
      if (!existsSync(join(appDir, runnerJar))) throw error
    })
    return appDir
  } catch (error) {
    const hint = 'Maven (mvn) must be on PATH and reach Maven Central; `tar` must be installed.'
    if (error instanceof CommandError && error.code === 'ENOENT')
      throw new KcliError(
        `${error.message.split(' ')[0]} is needed to fetch the schema registry, and it is not on PATH`,
        {
          exit: ExitCode.usage,
          hint,
        },
      )
    const detail = error instanceof CommandError ? mavenErrors(error.output) : (error as Error).message
    throw new KcliError(`could not fetch Apicurio Registry ${apicurioVersion}: ${detail}`, {hint})
  } finally {
    await rm(partial, {recursive: true, force: true})
    await rm(unpacked, {recursive: true, force: true})
  }
}

function httpStatus(url: string, method = 'GET', body?: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(url, {method, agent: false, headers: body ? {'Content-Type': 'application/json'} : {}})
    req.setTimeout(2000, () => req.destroy())
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', () => resolve(0))
    req.end(body)
  })
}

/**
 * A request made again until something answers it (0 is no answer: a refused connection, or none within httpStatus's
 * 2 s) or the deadline passes. A registry that has just said it is ready can take longer than that over its first
 * write on a busy machine: a CI run saw the PUT of its compatibility level time out.
 */
export async function answeredStatus(ask: () => Promise<number>, deadline: number): Promise<number> {
  for (;;) {
    const status = await ask()
    if (status !== 0 || Date.now() > deadline) return status
    await sleep(200)
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/** Why the registry's port cannot be used, or undefined. */
export async function registryPortProblem(port: number): Promise<string | undefined> {
  return (await accepts(port)) ? `port ${port} (schema registry) is already in use` : undefined
}

/**
 * Starts the registry detached, waits until it is ready (`/health/ready`), then stores BACKWARD as the global level
 * too, which Apicurio enforces from its startup setting but does not show in GET /config. Returns its pid.
 */
export async function launchRegistry(input: {
  stateDir: string
  port: number
  java: string
  appDir: string
  env: NodeJS.ProcessEnv
  waitMs: number
}): Promise<number> {
  const {stateDir, port} = input
  const log = registryFiles.log(stateDir)
  await mkdir(registryFiles.data(stateDir), {recursive: true})
  await mkdir(join(stateDir, 'logs', 'registry'), {recursive: true})
  const out = openSync(log, 'a')
  writeSync(out, `--- kcli local start, ${new Date().toISOString()} ---\n`)
  const logOffset = fileSize(log)
  const child = spawn(input.java, registryJvmArgs(stateDir, port, input.appDir), {
    cwd: registryFiles.data(stateDir),
    env: input.env,
    detached: true,
    stdio: ['ignore', out, out],
  })
  closeSync(out)
  let exit: string | undefined
  child.on('error', (error) => (exit = `could not be started: ${error.message}`))
  child.on('exit', (code, signal) => (exit = signal === null ? `exited with code ${code}` : `was killed by ${signal}`))
  child.unref()
  const pid = child.pid ?? null
  const failure = (what: string) => {
    const tail = lastLines(readFileSync(log).subarray(logOffset).toString('utf8'), 10)
    return new KcliError(
      `the schema registry ${what}; ${tail === '' ? `(${log} is empty)` : `last lines of ${log}:\n${tail}`}`,
      {hint: `Its log is ${log}.`},
    )
  }
  const deadline = Date.now() + input.waitMs
  for (;;) {
    if (exit !== undefined) throw failure(`${exit} before it was ready on port ${port}`)
    if ((await httpStatus(`http://${registryHost}:${port}/health/ready`)) === 200) break
    if (Date.now() > deadline) {
      await stopRegistry(stateDir, {port, pid})
      throw failure(`was not ready on port ${port} within ${Math.round(input.waitMs / 1000)}s`)
    }
    await sleep(200)
  }
  // However late it became ready, the first write gets some time of its own.
  const writeBy = Math.max(deadline, Date.now() + 10_000)
  const level = await answeredStatus(
    () => httpStatus(`${registryUrl(port)}/config`, 'PUT', '{"compatibility":"BACKWARD"}'),
    writeBy,
  )
  if (level !== 200) {
    const error = failure(
      level === 0
        ? 'did not answer when asked to set its compatibility level to BACKWARD'
        : `refused to set its compatibility level to BACKWARD (HTTP ${level})`,
    )
    // A start that fails leaves nothing running: the state file does not know this process yet, so no stop would.
    await stopRegistry(stateDir, {port, pid})
    throw error
  }
  if (pid === null) throw failure('has no process id')
  return pid
}

/** SIGTERM (Quarkus shuts down in about a second), then SIGKILL after 15 s; waits until the port is free. */
export async function stopRegistry(stateDir: string, registry: LocalRegistry): Promise<'stopped' | 'killed' | 'none'> {
  if (!isRegistryProcess(registry.pid, stateDir)) return 'none'
  sendSignal(registry.pid, 'SIGTERM')
  let deadline = Date.now() + 15_000
  while (isRegistryProcess(registry.pid, stateDir) && Date.now() < deadline) await sleep(100)
  const killed = isRegistryProcess(registry.pid, stateDir)
  if (killed) sendSignal(registry.pid, 'SIGKILL')
  deadline = Date.now() + 5000
  while (Date.now() < deadline && (isRegistryProcess(registry.pid, stateDir) || (await accepts(registry.port, 200))))
    await sleep(100)
  return killed ? 'killed' : 'stopped'
}

/** How to point kcli at the registry: one line for stderr (start) and status. */
export function registryHelp(registry: RegistryStatus): string {
  return `schema registry (Apicurio ${apicurioVersion}): --registry-url ${registry.url}`
}
