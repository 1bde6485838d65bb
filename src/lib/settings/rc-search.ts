// Finding the rc file: the one named with --config / KCLI_CONFIG, else the nearest project file (used only once
// trusted, see rc-trust.ts), else the user's own file. Files are parsed with cosmiconfig's loaders, but kcli does the
// search itself: cosmiconfig's own search reads a directory's meta config, which can make it execute that directory's
// code.
import {defaultLoaders} from 'cosmiconfig'
import {existsSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import path from 'node:path'

import {usageError} from '../errors.js'
import {type TrustState, trustState} from './trust-store.js'

/** named: --config or KCLI_CONFIG; user: the user's config folder or home folder; project: found by searching. */
export type RcOrigin = 'named' | 'user' | 'project'

export interface RcFile {
  file: string
  content: unknown
  origin: RcOrigin
}

export interface IgnoredRcFile {
  file: string
  reason: 'untrusted' | 'changed' | 'code' | 'unparsable'
  detail?: string
}

export interface RcLookup {
  rc?: RcFile
  /** Files found on the way that were not used, each worth one line to the user. */
  ignored: IgnoredRcFile[]
}

// Data only: a file found by searching is never executed.
const projectPlaces = ['package.json', '.kclirc', '.kclirc.json', '.kclirc.yaml', '.kclirc.yml']
// Looked for only to say that they are not read.
const codePlaces = [
  'kcli.config.js',
  'kcli.config.mjs',
  'kcli.config.cjs',
  'kcli.config.ts',
  '.kclirc.js',
  '.kclirc.mjs',
  '.kclirc.cjs',
  '.kclirc.ts',
]
export const userConfigNames = ['config', 'config.json', 'config.yaml', 'config.yml', 'config.js', 'config.mjs']

/** Where the user's own config file lives (env-paths' config folder, as cosmiconfig's global search uses). */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Preferences', 'kcli')
  if (process.platform === 'win32')
    return path.join(env.APPDATA ?? path.join(homedir(), 'AppData', 'Roaming'), 'kcli', 'Config')
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'kcli')
}

const isCode = (file: string) => /\.(c|m)?js$|\.ts$/.test(file)

function firstLine(error: unknown): string {
  // cosmiconfig puts "<Kind> Error in <path>:" on the first line and the reason after it.
  return (
    String((error as Error)?.message ?? error)
      .replace(/^\w+ Error in [\s\S]*?:\n/, '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'unknown error'
  )
}

/**
 * Parses an rc file by its name; JavaScript only when `allowCode` (the user named the file or it is the user's own).
 */
async function parseRcFile(file: string, bytes: Buffer, allowCode: boolean): Promise<unknown> {
  const ext = path.extname(file)
  try {
    if (path.basename(file) === 'package.json')
      return (JSON.parse(bytes.toString('utf8')) as {kcli?: unknown}).kcli ?? {}
    if (isCode(file)) {
      if (ext === '.ts')
        throw usageError(`${file}: TypeScript rc files are not supported`, 'Use YAML, JSON or JavaScript.')
      if (!allowCode)
        throw usageError(`${file}: JavaScript rc files are read only from --config, KCLI_CONFIG or ${userConfigDir()}`)
      return await defaultLoaders['.js'](file, bytes.toString('utf8'))
    }
    const text = bytes.toString('utf8')
    if (text.trim() === '') return {}
    const loader = ext === '.json' ? defaultLoaders['.json'] : defaultLoaders['.yaml']
    return await loader(file, text)
  } catch (error) {
    if ((error as {exit?: unknown}).exit !== undefined) throw error
    throw usageError(`${file}: cannot be parsed: ${firstLine(error)}`)
  }
}

function readBytes(file: string): Buffer | undefined {
  try {
    if (!statSync(file).isFile()) return undefined
    return readFileSync(file)
  } catch {
    return undefined
  }
}

/** A package.json counts only with a "kcli" key; one that does not parse is skipped (it is not kcli's file). */
function packageConfig(file: string, bytes: Buffer, ignored: IgnoredRcFile[]): boolean {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as unknown
    return typeof parsed === 'object' && parsed !== null && 'kcli' in parsed
  } catch (error) {
    ignored.push({file, reason: 'unparsable', detail: firstLine(error)})
    return false
  }
}

interface Found {
  file: string
  bytes: Buffer
}

/** The nearest data rc file from `cwd` upwards (the home folder included, the filesystem root at most). */
function nearestFile(cwd: string, ignored: IgnoredRcFile[]): Found | undefined {
  const home = homedir()
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of projectPlaces) {
      const file = path.join(dir, name)
      const bytes = readBytes(file)
      if (bytes === undefined) continue
      if (name === 'package.json' && !packageConfig(file, bytes, ignored)) continue
      return {file, bytes}
    }
    const code = codePlaces.map((n) => path.join(dir, n)).find((f) => existsSync(f))
    if (code !== undefined) {
      ignored.push({file: code, reason: 'code'})
      return undefined
    }
    if (dir === home || path.dirname(dir) === dir) return undefined
  }
}

/** The real path, so a symlink cannot stand in for a trusted file. */
function realFile(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}

/** The project file found from `cwd`, trusted or not: what `kcli config trust` acts on. */
export function findProjectFile(
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): (Found & {state: TrustState | 'own'}) | undefined {
  const found = nearestFile(cwd, [])
  if (found === undefined) return undefined
  const file = realFile(found.file)
  if (path.dirname(found.file) === homedir()) return {...found, file, state: 'own'}
  return {...found, file, state: trustState(file, found.bytes, env)}
}

/** Reads a file the user named (JavaScript allowed). */
export async function loadNamed(explicit: string, cwd: string): Promise<RcFile> {
  const file = path.resolve(cwd, explicit)
  if (!existsSync(file)) {
    // `topic create x --config retention.ms=1`, as kafka-topics spells it: --config is kcli's rc file.
    if (/^[\w.-]+=/.test(explicit))
      throw usageError(
        `--config names kcli's rc file, and there is no file ${explicit}`,
        `For a topic config, use -c ${explicit} (--topic-config).`,
      )
    throw usageError(`config file ${explicit} does not exist`)
  }
  const bytes = readBytes(file)
  if (bytes === undefined) throw usageError(`config file ${explicit} cannot be read`)
  return {file, content: await parseRcFile(file, bytes, true), origin: 'named'}
}

async function loadUserFile(env: NodeJS.ProcessEnv): Promise<RcFile | undefined> {
  const dir = userConfigDir(env)
  for (const name of userConfigNames) {
    const file = path.join(dir, name)
    const bytes = readBytes(file)
    if (bytes !== undefined) return {file, content: await parseRcFile(file, bytes, true), origin: 'user'}
  }
  return undefined
}

/**
 * Finds and reads the rc file: the named one, else the nearest trusted project file (or the home folder's), else the
 * user's own.
 */
export async function findRcFile(input: {explicit?: string; cwd: string; env: NodeJS.ProcessEnv}): Promise<RcLookup> {
  if (input.explicit) return {rc: await loadNamed(input.explicit, input.cwd), ignored: []}
  const ignored: IgnoredRcFile[] = []
  const found = nearestFile(input.cwd, ignored)
  if (found !== undefined) {
    const file = realFile(found.file)
    if (path.dirname(found.file) === homedir())
      return {
        rc: {file: found.file, content: await parseRcFile(found.file, found.bytes, false), origin: 'user'},
        ignored,
      }
    const state = trustState(file, found.bytes, input.env)
    if (state === 'trusted')
      return {
        rc: {file: found.file, content: await parseRcFile(found.file, found.bytes, false), origin: 'project'},
        ignored,
      }
    ignored.push({file: found.file, reason: state})
  }
  return {rc: await loadUserFile(input.env), ignored}
}

/** One line saying why a file was not used and what to do about it. */
export function ignoredRcMessage(ignored: IgnoredRcFile): string {
  switch (ignored.reason) {
    case 'untrusted':
      return `ignoring ${ignored.file}: rc files found in a project are used only once trusted; read it, then run \`kcli config trust\``
    case 'changed':
      return `ignoring ${ignored.file}: it changed since you trusted it; read it, then run \`kcli config trust\` again`
    case 'code':
      return `ignoring ${ignored.file}: JavaScript rc files run code, so kcli reads them only from --config, KCLI_CONFIG or ${userConfigDir()}`
    case 'unparsable':
      return `ignoring ${ignored.file}: not valid JSON (${ignored.detail ?? 'parse error'})`
  }
}
