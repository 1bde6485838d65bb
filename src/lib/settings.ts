// Connection settings: flags > KCLI_* environment > the chosen profile of the rc file > the rc file > defaults,
// remembering where each value came from. Security settings (security.ts) and secrets (secrets.ts) ride along.
import {cosmiconfig} from 'cosmiconfig'
import {homedir} from 'node:os'
import path from 'node:path'

import {parseDuration} from './duration.js'
import {usageError} from './errors.js'
import {checkPrivateFile, readSecretFile} from './secrets.js'
import {
  type SecretKey,
  type SecretRef,
  type SecurityKey,
  type SecurityKeyInfo,
  type SecurityLayer,
  type SecuritySettings,
  fileVariant,
  inferMechanism,
  inferProtocol,
  isUnsafeProperty,
  keyOfProperty,
  parseSecurityValue,
  securityKeys,
} from './security.js'

export type SourceKind = 'flag' | 'env' | 'file' | 'default'
export interface Source {
  kind: SourceKind
  /** The flag (`--brokers`), variable (`KCLI_BROKERS`), file path, or `default`. */
  name: string
  /** The rc file's profile that gave the value, when it came from one. */
  profile?: string
}

type SecurityFlags = {[flag: string]: unknown}
export type ConnectionFlags = SecurityFlags & {
  brokers?: string
  'client-id'?: string
  config?: string
  timeout?: string
  property?: string[]
  profile?: string
  'allow-unsafe-properties'?: boolean
}

/** One layer of settings, as read from a single source, before merging. */
export interface SettingsLayer {
  source: Source
  /** Where a first-class setting really came from when it was given as a librdkafka property (`-X bootstrap.servers`). */
  aliasOf?: Partial<Record<'brokers' | 'clientId', string>>
  brokers?: string[]
  clientId?: string
  timeoutMs?: number
  topic?: string
  /** The profile this layer chooses (--profile, KCLI_PROFILE, the rc file's `profile`). */
  profile?: string
  properties?: Record<string, string>
  security?: SecurityLayer
  /** The flag or variable that gave each security setting of a flag or environment layer. */
  securityFrom?: Partial<Record<SecurityKey, string>>
}

export interface ResolvedSettings {
  brokers: string[]
  clientId: string
  timeoutMs: number
  topic?: string
  /** The rc file's profile in use, if any. */
  profile?: string
  /** Raw librdkafka properties (`-X key=value`, rc `properties`). */
  properties: Record<string, string>
  /** First-class security settings; secrets given as files are read by resolveSettings. */
  security: SecuritySettings
  /** The file each secret was (or is to be) read from. */
  secretFiles: Partial<Record<SecretKey, string>>
  sources: {
    brokers: Source
    clientId: Source
    timeoutMs: Source
    topic?: Source
    profile?: Source
    properties: Record<string, Source>
    security?: Partial<Record<SecurityKey, Source>>
  }
  /** The rc file that was read, if any. */
  configFile?: string
}

export const defaults = {brokers: ['localhost:9092'], clientId: 'kcli', timeoutMs: 10_000} as const

export const envNames = {
  brokers: 'KCLI_BROKERS',
  clientId: 'KCLI_CLIENT_ID',
  timeout: 'KCLI_TIMEOUT',
  topic: 'KCLI_TOPIC',
  config: 'KCLI_CONFIG',
  profile: 'KCLI_PROFILE',
  allowUnsafe: 'KCLI_ALLOW_UNSAFE_PROPERTIES',
} as const

const rcKeys = ['brokers', 'clientId', 'timeout', 'topic', 'properties', 'profile', 'profiles', 'security.protocol', 'sasl.*', 'ssl.*', 'oauth.*'] as const
// Security keys may be nested (`sasl: {username: ann}`) or dotted (`sasl.username: ann`).
const securityGroups = new Set(securityKeys.map((k) => k.name.split('.')[0]))

// librdkafka properties that duplicate a first-class setting are folded into it, so there is one value to report.
const propertyAliases: Record<string, 'brokers' | 'clientId'> = {
  'bootstrap.servers': 'brokers',
  'metadata.broker.list': 'brokers',
  'client.id': 'clientId',
}

export function splitBrokers(text: string): string[] {
  return text
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0)
}

function parseTimeout(text: string, where: string): number {
  const ms = parseDuration(text)
  if (ms === undefined || ms <= 0) throw usageError(`${where}: invalid timeout "${text}"`, 'Use a duration such as 10s, 500ms or 1m.')
  return ms
}

/** Parses `key=value` pairs given with -X. */
export function parsePropertyFlags(pairs: string[], flag = '-X'): Record<string, string> {
  const result: Record<string, string> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    const key = eq === -1 ? '' : pair.slice(0, eq).trim()
    if (key === '') throw usageError(`${flag} ${pair}: expected key=value`, 'For example: -X linger.ms=50')
    result[key] = pair.slice(eq + 1)
  }
  return result
}

/** Moves aliased librdkafka properties (bootstrap.servers, client.id) onto their first-class settings. */
function foldAliases(layer: SettingsLayer): SettingsLayer {
  if (!layer.properties) return layer
  const properties = {...layer.properties}
  const folded: SettingsLayer = {...layer, properties}
  for (const [key, target] of Object.entries(propertyAliases)) {
    if (!(key in properties)) continue
    const value = properties[key]
    delete properties[key]
    if (folded[target] !== undefined) continue
    if (target === 'brokers') folded.brokers = splitBrokers(value)
    else folded.clientId = value
    folded.aliasOf = {...folded.aliasOf, [target]: key}
  }
  return folded
}

/** Reads the security settings of flags or variables: `get(name)` returns what was given under that name. */
function securityFromNames(layer: SettingsLayer, get: (info: SecurityKeyInfo, variant: 'value' | 'file') => {name: string; value: unknown} | undefined): void {
  for (const info of securityKeys) {
    const direct = get(info, 'value')
    const file = info.type === 'secret' ? get(info, 'file') : undefined
    if (direct && file) throw usageError(`${direct.name} and ${file.name} were both given`, 'Give the secret one way only.')
    const given = direct ?? file
    if (!given) continue
    let value: string | boolean | SecretRef = parseSecurityValue(info, given.value, given.name)
    if (info.type === 'secret') value = given === file ? {file: String(value)} : {value: String(value)}
    layer.security = {...layer.security, [info.key]: value}
    layer.securityFrom = {...layer.securityFrom, [info.key]: given.name}
  }
}

export function flagLayer(flags: ConnectionFlags): SettingsLayer {
  const layer: SettingsLayer = {source: {kind: 'flag', name: 'flags'}}
  if (flags.brokers !== undefined) layer.brokers = splitBrokers(flags.brokers)
  if (flags['client-id'] !== undefined) layer.clientId = flags['client-id']
  if (flags.timeout !== undefined) layer.timeoutMs = parseTimeout(flags.timeout, '--timeout')
  if (flags.profile !== undefined) layer.profile = flags.profile
  if (flags.property && flags.property.length > 0) layer.properties = parsePropertyFlags(flags.property)
  securityFromNames(layer, (info, variant) => {
    const name = variant === 'file' ? fileVariant.flag(info) : info.flag
    const value = flags[name]
    return value === undefined ? undefined : {name: `--${name}`, value}
  })
  return foldAliases(layer)
}

export function envLayer(env: NodeJS.ProcessEnv): SettingsLayer {
  const layer: SettingsLayer = {source: {kind: 'env', name: 'environment'}}
  const brokers = env[envNames.brokers]
  if (brokers) layer.brokers = splitBrokers(brokers)
  const clientId = env[envNames.clientId]
  if (clientId) layer.clientId = clientId
  const timeout = env[envNames.timeout]
  if (timeout) layer.timeoutMs = parseTimeout(timeout, envNames.timeout)
  const topic = env[envNames.topic]
  if (topic) layer.topic = topic
  const profile = env[envNames.profile]
  if (profile) layer.profile = profile
  securityFromNames(layer, (info, variant) => {
    const name = variant === 'file' ? fileVariant.env(info) : info.env
    const value = env[name]
    return value ? {name, value} : undefined
  })
  return layer
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A path from an rc file: `~/` is the home directory, and a relative path is relative to the file's folder. */
function rcPath(value: string, file: string): string {
  const expanded = value === '~' || value.startsWith('~/') ? path.join(homedir(), value.slice(1)) : value
  return path.resolve(path.dirname(file), expanded)
}

/** Flattens nested security groups (`sasl: {username}`) into dotted keys (`sasl.username`). */
function flattenGroups(content: Record<string, unknown>, where: (key: string) => string): Array<[string, unknown]> {
  const entries: Array<[string, unknown]> = []
  for (const [key, value] of Object.entries(content)) {
    if (securityGroups.has(key)) {
      if (!isPlainObject(value)) throw usageError(`${where(key)} must be an object, found ${typeName(value)}`)
      for (const [sub, subValue] of Object.entries(value)) entries.push([`${key}.${sub}`, subValue])
    } else {
      entries.push([key, value])
    }
  }
  return entries
}

/** Validates one level of an rc file (its top level, or one profile); every error names the file and the key. */
function readRcObject(content: Record<string, unknown>, file: string, source: Source, prefix: string, topLevel: boolean): SettingsLayer {
  const layer: SettingsLayer = {source}
  const where = (key: string) => `${file}: "${prefix}${key}"`
  for (const [key, value] of flattenGroups(content, where)) {
    const security = securityKeys.find((k) => k.name === key || (k.type === 'secret' && fileVariant.name(k) === key))
    if (security) {
      const isFile = security.name !== key
      const other = isFile ? security.name : fileVariant.name(security)
      if (layer.security?.[security.key] !== undefined) throw usageError(`${where(key)} and "${prefix}${other}" are both set`, 'Give the secret one way only.')
      let parsed: string | boolean | SecretRef = parseSecurityValue(security, value, where(key))
      if (isFile) parsed = {file: rcPath(String(parsed), file)}
      else if (security.type === 'secret') parsed = {value: String(parsed)}
      else if (security.type === 'path') parsed = rcPath(String(parsed), file)
      layer.security = {...layer.security, [security.key]: parsed}
      continue
    }
    switch (key) {
      case 'brokers': {
        if (typeof value === 'string') layer.brokers = splitBrokers(value)
        else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) layer.brokers = value.flatMap((v) => splitBrokers(v))
        else throw usageError(`${where(key)} must be a string or a list of strings, found ${typeName(value)}`)
        if (layer.brokers.length === 0) throw usageError(`${where(key)} is empty`)
        break
      }
      case 'clientId':
      case 'topic': {
        if (typeof value !== 'string' || value.length === 0) throw usageError(`${where(key)} must be a non-empty string, found ${typeName(value)}`)
        layer[key] = value
        break
      }
      case 'timeout': {
        if (typeof value === 'number' && value > 0) layer.timeoutMs = Math.round(value)
        else if (typeof value === 'string') layer.timeoutMs = parseTimeout(value, where(key))
        else throw usageError(`${where(key)} must be a duration such as "10s" or a number of milliseconds, found ${typeName(value)}`)
        break
      }
      case 'properties': {
        if (!isPlainObject(value)) throw usageError(`${where(key)} must be an object of librdkafka properties, found ${typeName(value)}`)
        const properties: Record<string, string> = {}
        for (const [prop, propValue] of Object.entries(value)) {
          if (!['string', 'number', 'boolean'].includes(typeof propValue)) {
            throw usageError(`${file}: "${prefix}properties.${prop}" must be a string, number or boolean, found ${typeName(propValue)}`)
          }
          properties[prop] = String(propValue)
        }
        layer.properties = properties
        break
      }
      case 'profile': {
        if (!topLevel) throw usageError(`${where(key)}: a profile cannot choose another profile`)
        if (typeof value !== 'string' || value.length === 0) throw usageError(`${where(key)} must be the name of a profile, found ${typeName(value)}`)
        layer.profile = value
        break
      }
      case 'profiles': {
        if (!topLevel) throw usageError(`${where(key)}: profiles cannot be nested`)
        if (!isPlainObject(value)) throw usageError(`${where(key)} must be an object of named profiles, found ${typeName(value)}`)
        break
      }
      default: {
        throw usageError(`${file}: unknown key "${prefix}${key}"`, `Known keys: ${rcKeys.join(', ')}.`)
      }
    }
  }
  return foldAliases(layer)
}

/** Validates the content of an rc file; every error names the file and the key. Returns its top level. */
export function fileLayer(content: unknown, file: string): SettingsLayer {
  return rcLayers(content, file).top
}

/** The top level of an rc file and each of its profiles, all validated. */
export function rcLayers(content: unknown, file: string): {top: SettingsLayer; profiles: Map<string, SettingsLayer>} {
  const source: Source = {kind: 'file', name: file}
  if (content === null || content === undefined) return {top: {source}, profiles: new Map()}
  if (!isPlainObject(content)) throw usageError(`${file}: expected an object of settings, found ${typeName(content)}`)
  const top = readRcObject(content, file, source, '', true)
  const profiles = new Map<string, SettingsLayer>()
  for (const [name, value] of Object.entries(isPlainObject(content.profiles) ? content.profiles : {})) {
    if (value !== null && !isPlainObject(value)) throw usageError(`${file}: "profiles.${name}" must be an object of settings, found ${typeName(value)}`)
    profiles.set(name, readRcObject(value ?? {}, file, {kind: 'file', name: file, profile: name}, `profiles.${name}.`, false))
  }
  return {top, profiles}
}

const defaultSource: Source = {kind: 'default', name: 'default'}
type PlainKey = 'brokers' | 'clientId' | 'timeoutMs' | 'topic' | 'profile'
const flagNames: Record<PlainKey, string> = {brokers: '--brokers', clientId: '--client-id', timeoutMs: '--timeout', topic: '--topic', profile: '--profile'}
const envKeyNames: Record<PlainKey, string> = {brokers: envNames.brokers, clientId: envNames.clientId, timeoutMs: envNames.timeout, topic: envNames.topic, profile: envNames.profile}

function sourceFor(layer: SettingsLayer, key: PlainKey, env: boolean): Source {
  const alias = key === 'brokers' || key === 'clientId' ? layer.aliasOf?.[key] : undefined
  if (alias && layer.source.kind === 'flag') return {kind: 'flag', name: `-X ${alias}`}
  if (layer.source.kind === 'flag') return {kind: 'flag', name: flagNames[key]}
  if (env) return {kind: 'env', name: envKeyNames[key]}
  return layer.source
}

function securitySourceFor(layer: SettingsLayer, key: SecurityKey): Source {
  const name = layer.securityFrom?.[key]
  return name === undefined ? layer.source : {kind: layer.source.kind, name}
}

/** Merges layers given from highest to lowest precedence; pure, so unit tests feed it plain objects. */
export function mergeLayers(...layers: SettingsLayer[]): ResolvedSettings {
  const pick = <K extends PlainKey>(key: K) => {
    const layer = layers.find((l) => l[key] !== undefined)
    return layer ? {value: layer[key], source: sourceFor(layer, key, layer.source.kind === 'env')} : undefined
  }

  const brokers = pick('brokers')
  const clientId = pick('clientId')
  const timeoutMs = pick('timeoutMs')
  const topic = pick('topic')
  const profile = pick('profile')

  const security: SecuritySettings = {}
  const securitySources: Partial<Record<SecurityKey, Source>> = {}
  const secretFiles: Partial<Record<SecretKey, string>> = {}
  const securityLayer = new Map<SecurityKey, number>()
  for (const info of securityKeys) {
    const index = layers.findIndex((l) => l.security?.[info.key] !== undefined)
    if (index === -1) continue
    const value = layers[index].security![info.key]!
    securityLayer.set(info.key, index)
    securitySources[info.key] = securitySourceFor(layers[index], info.key)
    if (typeof value === 'object' && 'file' in value) secretFiles[info.key as SecretKey] = value.file
    else (security as Record<string, unknown>)[info.key] = typeof value === 'object' ? value.value : value
  }

  const properties: Record<string, string> = {}
  const propertySources: Record<string, Source> = {}
  const propertyLayer = new Map<string, number>()
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index]
    for (const [key, value] of Object.entries(layer.properties ?? {})) {
      properties[key] = value
      propertySources[key] = layer.source.kind === 'flag' ? {kind: 'flag', name: `-X ${key}`} : layer.source
      propertyLayer.set(key, index)
    }
  }
  // A first-class setting beats a librdkafka property of the same meaning from a lower layer (--sasl-username over
  // the rc file's properties.sasl.username); within one layer, and from a higher one, the raw property wins.
  for (const [key, index] of propertyLayer) {
    const first = keyOfProperty(key)
    const firstIndex = first === undefined ? undefined : securityLayer.get(first)
    if (firstIndex !== undefined && firstIndex < index) {
      delete properties[key]
      delete propertySources[key]
    }
  }

  const inferredSource: Source = {kind: 'default', name: 'default (from the sasl and ssl settings)'}
  const given = {...security, ...Object.fromEntries(Object.keys(secretFiles).map((k) => [k, '']))} as SecuritySettings
  if (security.securityProtocol === undefined && properties['security.protocol'] === undefined) {
    const inferred = inferProtocol(given)
    if (inferred) {
      security.securityProtocol = inferred
      securitySources.securityProtocol = inferredSource
    }
  }
  if (security.saslMechanism === undefined && properties['sasl.mechanisms'] === undefined && properties['sasl.mechanism'] === undefined) {
    const inferred = inferMechanism(given)
    if (inferred) {
      security.saslMechanism = inferred
      securitySources.saslMechanism = inferredSource
    }
  }

  const fileSource = layers.find((l) => l.source.kind === 'file')
  return {
    brokers: (brokers?.value as string[] | undefined) ?? [...defaults.brokers],
    clientId: (clientId?.value as string | undefined) ?? defaults.clientId,
    timeoutMs: (timeoutMs?.value as number | undefined) ?? defaults.timeoutMs,
    ...(topic ? {topic: topic.value as string} : {}),
    ...(profile ? {profile: profile.value as string} : {}),
    properties,
    security,
    secretFiles,
    sources: {
      brokers: brokers?.source ?? defaultSource,
      clientId: clientId?.source ?? defaultSource,
      timeoutMs: timeoutMs?.source ?? defaultSource,
      ...(topic ? {topic: topic.source} : {}),
      ...(profile ? {profile: profile.source} : {}),
      properties: propertySources,
      ...(Object.keys(securitySources).length > 0 ? {security: securitySources} : {}),
    },
    ...(fileSource ? {configFile: fileSource.source.name} : {}),
  }
}

const searchPlaces = ['package.json', '.kclirc', '.kclirc.json', '.kclirc.yaml', '.kclirc.yml', 'kcli.config.js', 'kcli.config.mjs']

/** Where the user's own config file lives: the folder cosmiconfig searches last (env-paths' config folder). */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Preferences', 'kcli')
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(homedir(), 'AppData', 'Roaming'), 'kcli', 'Config')
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'kcli')
}

/** Finds and reads the rc file: an explicit path, or cosmiconfig's search from cwd up to home, then ~/.config/kcli/. */
export async function loadRcFile(explicit: string | undefined, cwd: string): Promise<{file: string; content: unknown} | undefined> {
  const explorer = cosmiconfig('kcli', {searchPlaces, searchStrategy: 'global', cache: false})
  try {
    const result = explicit ? await explorer.load(path.resolve(cwd, explicit)) : await explorer.search(cwd)
    if (!result) return undefined
    return {file: result.filepath, content: result.isEmpty ? {} : result.config}
  } catch (error) {
    const err = error as NodeJS.ErrnoException & {filepath?: string}
    if (explicit && err.code === 'ENOENT') throw usageError(`config file ${explicit} does not exist`)
    const file = err.filepath ?? explicit ?? 'rc file'
    // cosmiconfig puts "<Kind> Error in <path>:" on the first line and the reason after it.
    const reason = String(err.message ?? err)
      .replace(/^\w+ Error in [\s\S]*?:\n/, '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0)
    throw usageError(`${file}: cannot be parsed: ${reason ?? 'unknown error'}`)
  }
}

/** The name of the first secret written in an rc file's layers, e.g. `profiles.prod.sasl.password`. */
export function secretInLayers(layers: SettingsLayer[]): string | undefined {
  for (const layer of layers) {
    const prefix = layer.source.profile === undefined ? '' : `profiles.${layer.source.profile}.`
    for (const info of securityKeys) {
      const value = layer.security?.[info.key]
      if (typeof value === 'object' && 'value' in value) return `${prefix}${info.name}`
    }
    const property = Object.keys(layer.properties ?? {}).find((key) => isSecretKey(key))
    if (property !== undefined) return `${prefix}properties.${property}`
  }
  return undefined
}

/** A project rc file found by searching may not run programs: only flags, the user's own files and a named file may. */
function checkUnsafeProperties(file: string, layers: SettingsLayer[]): void {
  for (const layer of layers) {
    const name = Object.keys(layer.properties ?? {}).find((key) => isUnsafeProperty(key))
    if (name === undefined) continue
    const where = layer.source.profile === undefined ? '' : `profiles.${layer.source.profile}.`
    throw usageError(
      `${file} sets ${where}properties.${name}, which can make kcli run a program or load code; kcli does not take that from an rc file it found by searching`,
      `If you trust this file, pass --allow-unsafe-properties (or set ${envNames.allowUnsafe}=1), or name it with --config.`,
    )
  }
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim())
}

function isUsersOwnFile(file: string, env: NodeJS.ProcessEnv): boolean {
  const dir = path.dirname(file)
  return dir === userConfigDir(env) || dir === homedir()
}

export async function resolveSettings(input: {flags: ConnectionFlags; env: NodeJS.ProcessEnv; cwd: string}): Promise<ResolvedSettings> {
  const explicit = input.flags.config ?? input.env[envNames.config]
  const rc = await loadRcFile(explicit, input.cwd)
  const flags = flagLayer(input.flags)
  const env = envLayer(input.env)
  const layers = [flags, env]
  if (rc) {
    const {top, profiles} = rcLayers(rc.content, rc.file)
    const all = [top, ...profiles.values()]
    const secret = secretInLayers(all)
    if (secret !== undefined) checkPrivateFile(rc.file, `holds a secret (${secret})`, ', or move the secret out of it into a file of its own (sasl.passwordFile) or a variable (KCLI_SASL_PASSWORD).')
    if (!explicit && !input.flags['allow-unsafe-properties'] && !isTrue(input.env[envNames.allowUnsafe]) && !isUsersOwnFile(rc.file, input.env)) {
      checkUnsafeProperties(rc.file, all)
    }
    const chosen = flags.profile ?? env.profile ?? top.profile
    if (chosen !== undefined) {
      const profile = profiles.get(chosen)
      if (!profile) throw unknownProfile(chosen, rc.file, [...profiles.keys()], flags.profile !== undefined ? '--profile' : env.profile !== undefined ? envNames.profile : `"profile" in ${rc.file}`)
      layers.push(profile)
    }
    layers.push(top)
  } else {
    const chosen = flags.profile ?? env.profile
    if (chosen !== undefined) throw usageError(`profile "${chosen}" was asked for, but no rc file was found`, 'Add one with kcli config add <profile> --brokers <host:port>.')
  }
  const settings = mergeLayers(...layers)
  if (settings.brokers.length === 0) throw usageError('no brokers given', 'Set --brokers, KCLI_BROKERS or "brokers" in the rc file.')
  for (const [key, file] of Object.entries(settings.secretFiles) as Array<[SecretKey, string]>) {
    settings.security[key] = readSecretFile(file, secretFileLabel(key, settings.sources.security?.[key]))
  }
  return settings
}

/** How an error names where a secret file was given: `--sasl-password-file`, or the rc file and its key. */
function secretFileLabel(key: SecretKey, source: Source | undefined): string {
  if (source === undefined) return key
  if (source.kind !== 'file') return source.name
  const prefix = source.profile === undefined ? '' : `profiles.${source.profile}.`
  return `${source.name}: "${prefix}${fileVariant.name(securityKeys.find((k) => k.key === key)!)}"`
}

export function unknownProfile(name: string, file: string, known: string[], from: string) {
  return usageError(`${from}: no profile "${name}" in ${file}`, known.length === 0 ? 'That file has no profiles; add one with kcli config add.' : `Its profiles: ${known.join(', ')}.`)
}

// librdkafka's own sensitive properties, plus anything whose name says it holds a secret.
const secretPattern = /(password|secret|token|private|sasl\.jaas|sasl\.oauthbearer\.config|ssl_key|\.key\.pem|keystore\.key|key\.password|credentials)/i
// Addresses are not secrets, though their names mention tokens.
const notSecret = /(token\.endpoint\.url|tokenUrl)$/i

export function isSecretKey(key: string): boolean {
  return secretPattern.test(key) && !notSecret.test(key)
}

export function maskSecret(key: string, value: string): string {
  return isSecretKey(key) ? '********' : value
}
