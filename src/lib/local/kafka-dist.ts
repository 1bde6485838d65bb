// Where the Kafka jars and the JVM for `kcli local` come from: an existing install (--kafka-home / KAFKA_HOME)
// or Maven Central, resolved once per version into kcli's cache; plus the Java and Maven prerequisite checks.
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, readdir, rename, rm, rmdir, stat, writeFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {isAbsolute, join, resolve} from 'node:path'

import {ExitCode, KcliError, usageError} from '../errors.js'

export const defaultKafkaVersion = '4.3.1'

export interface KafkaDist {
  /** A folder of jars for `java -cp '<libDir>/*'`. */
  libDir: string
  version: string
  source: 'kafka-home' | 'maven'
}

export interface JavaRuntime {
  command: string
  major: number
}

export interface DistOptions {
  kafkaHome?: string
  kafkaVersion?: string
  env?: NodeJS.ProcessEnv
  onProgress?: (message: string) => void
}

/** Finds (or downloads) the jars and checks that a suitable Java can run them. */
export async function resolveKafkaDist(opts: DistOptions): Promise<{dist: KafkaDist; java: JavaRuntime}> {
  const env = opts.env ?? process.env
  // An explicit --kafka-version means "from Maven", so it beats a KAFKA_HOME that happens to be set.
  const kafkaHome = opts.kafkaHome ?? (opts.kafkaVersion === undefined ? nonEmpty(env.KAFKA_HOME) : undefined)
  if (kafkaHome !== undefined) {
    const dist = await kafkaHomeDist(kafkaHome)
    return {dist, java: await findJava(env, requiredJavaMajor(dist.version))}
  }
  const version = opts.kafkaVersion ?? defaultKafkaVersion
  checkVersion(version)
  const java = await findJava(env, requiredJavaMajor(version))
  return {dist: await mavenDist(version, env, opts.onProgress), java}
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}

/** An existing Kafka install: its libs/ folder, with the version read from the broker jar's name. */
export async function kafkaHomeDist(kafkaHome: string): Promise<KafkaDist> {
  const home = resolve(kafkaHome)
  const libDir = join(home, 'libs')
  let names: string[]
  try {
    names = await readdir(libDir)
  } catch {
    throw usageError(
      `${home} is not a Kafka installation: it has no libs/ folder`,
      'Point --kafka-home or KAFKA_HOME at an unpacked Kafka release, or unset KAFKA_HOME to fetch Kafka with Maven.',
    )
  }
  const version = names
    .map((name) => /^kafka_2\.1[0-9]-(.+)\.jar$/.exec(name)?.[1])
    .find((v) => v !== undefined && !/-(sources|javadoc|test)/.test(v))
  if (version === undefined)
    throw usageError(
      `${libDir} holds no Kafka broker jar (kafka_2.13-<version>.jar)`,
      'Point --kafka-home or KAFKA_HOME at an unpacked Kafka release.',
    )
  return {libDir, version, source: 'kafka-home'}
}

function checkVersion(version: string): void {
  if (!/^\d+\.\d+\.\d+([.-][A-Za-z0-9.-]+)?$/.test(version))
    throw usageError(`--kafka-version ${version} is not a Kafka version`, 'Use a release number such as 4.3.1.')
}

/** Kafka 4 brokers need Java 17; 3.x still ran on Java 11. */
export function requiredJavaMajor(kafkaVersion: string): number {
  return Number.parseInt(kafkaVersion, 10) >= 4 ? 17 : 11
}

/** The Java major version from `java -version` output: `"17.0.15"` gives 17, `"1.8.0_392"` gives 8. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput)
  if (!match) return undefined
  const first = Number(match[1])
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first
}

export async function findJava(env: NodeJS.ProcessEnv, minMajor: number): Promise<JavaRuntime> {
  const javaHome = nonEmpty(env.JAVA_HOME)
  const command = javaHome === undefined ? 'java' : join(javaHome, 'bin', 'java')
  const install = `Install a JDK ${minMajor} or later (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one.`
  if (javaHome !== undefined && !existsSync(command))
    throw new KcliError(`JAVA_HOME is ${javaHome} but it has no bin/java`, {exit: ExitCode.usage, hint: install})
  let output: string
  try {
    const result = await run(command, ['-version'], {env})
    output = result.stdout + result.stderr
  } catch (error) {
    if (isNotFound(error))
      throw new KcliError(`Java ${minMajor} or later is needed to run Kafka, and no java was found on PATH`, {
        exit: ExitCode.usage,
        hint: install,
      })
    throw new KcliError(`could not run ${command} -version: ${(error as Error).message}`, {
      exit: ExitCode.usage,
      hint: install,
    })
  }
  const major = parseJavaMajor(output)
  if (major === undefined)
    throw new KcliError(`could not read the Java version from ${command} -version`, {
      exit: ExitCode.usage,
      hint: install,
    })
  if (major < minMajor)
    throw new KcliError(`Java ${minMajor} or later is needed to run Kafka, but ${command} is Java ${major}`, {
      exit: ExitCode.usage,
      hint: install,
    })
  return {command, major}
}

/** `${XDG_CACHE_HOME:-~/.cache}/kcli/kafka/<version>`; relative XDG paths are ignored, as the XDG spec asks. */
export function kafkaCacheDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  const xdg = nonEmpty(env.XDG_CACHE_HOME)
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache')
  return join(base, 'kcli', 'kafka', version)
}

/** A POM whose runtime dependencies are exactly what a broker and Kafka's tools need. */
export function runtimePom(version: string): string {
  const dep = (group: string, artifact: string, v: string, extra = '') =>
    `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${v}</version>${extra}</dependency>`
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <!-- Written by kcli: the jars of Apache Kafka ${version}, for kcli local start. -->
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.kcli</groupId><artifactId>kafka-runtime</artifactId><version>${version}</version>
  <dependencies>
${dep('org.apache.kafka', 'kafka_2.13', version)}
${dep('org.apache.kafka', 'kafka-tools', version, '\n      <exclusions><exclusion><groupId>org.apache.kafka</groupId><artifactId>connect-runtime</artifactId></exclusion></exclusions>')}
    <!-- Kafka's POMs carry no SLF4J binding (the release tarball adds one): without it the broker logs nothing.
         slf4j-api stays at 1.7: an SLF4J 2 API on the classpath silently ignores this binding. -->
${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', '2.25.2')}
${dep('org.apache.logging.log4j', 'log4j-core', '2.25.2')}
${dep('org.slf4j', 'slf4j-api', '1.7.36')}
  </dependencies>
</project>
`
}

async function mavenDist(
  version: string,
  env: NodeJS.ProcessEnv,
  onProgress?: (message: string) => void,
): Promise<KafkaDist> {
  const cacheDir = kafkaCacheDir(version, env)
  const libDir = join(cacheDir, 'lib')
  if (await isDir(libDir)) return {libDir, version, source: 'maven'}

  await findMaven(env)
  onProgress?.(`resolving Kafka ${version} jars with Maven (first run only)…`)
  await mkdir(cacheDir, {recursive: true})
  const pom = join(cacheDir, 'pom.xml')
  await writeFile(pom, runtimePom(version))
  // Resolve into a private folder and rename it into place: an interrupted or failed download never
  // leaves a half-filled lib/ that a later run would trust.
  const partial = join(cacheDir, `lib.partial-${process.pid}`)
  await rm(partial, {recursive: true, force: true})
  try {
    await run(
      'mvn',
      ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${partial}`],
      {env, cwd: cacheDir},
    )
  } catch (error) {
    await rm(partial, {recursive: true, force: true})
    await rm(pom, {force: true})
    await rmdir(cacheDir).catch(() => {})
    const output = error instanceof CommandError ? mavenErrors(error.output) : (error as Error).message
    throw new KcliError(`Maven could not resolve Apache Kafka ${version}: ${output}`, {
      hint: `Check that org.apache.kafka:kafka_2.13:${version} and kafka-tools:${version} exist on Maven Central and that Maven can reach it, or pass --kafka-home.`,
    })
  }
  try {
    await rename(partial, libDir)
  } catch (error) {
    // Another kcli finished the same download first: its folder is as good as ours.
    await rm(partial, {recursive: true, force: true})
    if (!(await isDir(libDir))) throw error
  }
  return {libDir, version, source: 'maven'}
}

/** The lines of Maven's output that say what went wrong, without its colours and boilerplate. */
export function mavenErrors(output: string): string {
  const lines = output
    .replace(/\u001B\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
  const errors = lines
    .filter((line) => line.startsWith('[ERROR]'))
    .map((line) => line.replace(/^\[ERROR\]\s*/, '').replace(/\s*->\s*\[Help \d+\]$/, ''))
    .filter(
      (line) =>
        line !== '' && !/^(To see the full stack trace|Re-run Maven|For more information|\[Help \d+\])/.test(line),
    )
  return errors.length > 0 ? errors.slice(0, 3).join('\n') : lastLines(lines.join('\n'), 10)
}

async function findMaven(env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run('mvn', ['-v'], {env})
  } catch (error) {
    const hint = 'Install Maven (e.g. apt-get install maven), or pass --kafka-home with an unpacked Kafka release.'
    if (isNotFound(error))
      throw new KcliError('Maven (mvn) is needed to download Kafka the first time, and it is not on PATH', {
        exit: ExitCode.usage,
        hint,
      })
    throw new KcliError(`mvn -v failed: ${(error as Error).message.split('\n')[0]}`, {exit: ExitCode.usage, hint})
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

export function lastLines(text: string, count: number): string {
  const lines = text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0)
  return lines.slice(-count).join('\n')
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly output: string,
    readonly code: number | string | null,
  ) {
    super(message)
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof CommandError && error.code === 'ENOENT'
}

/** Runs a program to completion; a non-zero exit becomes a CommandError carrying its output. */
export function run(
  command: string,
  args: string[],
  options: {env?: NodeJS.ProcessEnv; cwd?: string} = {},
): Promise<{stdout: string; stderr: string}> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      args,
      {env: options.env, cwd: options.cwd, maxBuffer: 16 * 1024 * 1024},
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code ?? null
          reject(
            new CommandError(
              `${command} ${args[0] ?? ''} failed: ${error.message.split('\n')[0]}`,
              `${stdout}${stderr}`,
              code,
            ),
          )
          return
        }
        resolvePromise({stdout, stderr})
      },
    )
  })
}
