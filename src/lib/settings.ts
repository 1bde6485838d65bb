// Connection settings: flags > KCLI_* environment > rc file (cosmiconfig) > defaults, remembering where each value came from.
import {cosmiconfig} from 'cosmiconfig'
import path from 'node:path'

import {parseDuration} from './duration.js'
import {usageError} from './errors.js'

export type SourceKind = 'flag' | 'env' | 'file' | 'default'
export interface Source {
  kind: SourceKind
  /** The flag (`--brokers`), variable (`KCLI_BROKERS`), file path, or `default`. */
  name: string
}

export interface ConnectionFlags {
  brokers?: string
  'client-id'?: string
  config?: string
  timeout?: string
  property?: string[]
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
  properties?: Record<string, string>
}

export interface ResolvedSettings {
  brokers: string[]
  clientId: string
  timeoutMs: number
  topic?: string
  /** Raw librdkafka properties (`-X key=value`, rc `properties`). */
  properties: Record<string, string>
  sources: {
    brokers: Source
    clientId: Source
    timeoutMs: Source
    topic?: Source
    properties: Record<string, Source>
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
} as const

const rcKeys = ['brokers', 'clientId', 'timeout', 'topic', 'properties'] as const

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

export function flagLayer(flags: ConnectionFlags): SettingsLayer {
  const layer: SettingsLayer = {source: {kind: 'flag', name: 'flags'}}
  if (flags.brokers !== undefined) layer.brokers = splitBrokers(flags.brokers)
  if (flags['client-id'] !== undefined) layer.clientId = flags['client-id']
  if (flags.timeout !== undefined) layer.timeoutMs = parseTimeout(flags.timeout, '--timeout')
  if (flags.property && flags.property.length > 0) layer.properties = parsePropertyFlags(flags.property)
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
  return layer
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** Validates the content of an rc file; every error names the file and the key. */
export function fileLayer(content: unknown, file: string): SettingsLayer {
  const layer: SettingsLayer = {source: {kind: 'file', name: file}}
  if (content === null || content === undefined) return layer
  if (typeof content !== 'object' || Array.isArray(content)) {
    throw usageError(`${file}: expected an object of settings, found ${typeName(content)}`)
  }
  const where = (key: string) => `${file}: "${key}"`
  for (const [key, value] of Object.entries(content as Record<string, unknown>)) {
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
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw usageError(`${where(key)} must be an object of librdkafka properties, found ${typeName(value)}`)
        }
        const properties: Record<string, string> = {}
        for (const [prop, propValue] of Object.entries(value as Record<string, unknown>)) {
          if (!['string', 'number', 'boolean'].includes(typeof propValue)) {
            throw usageError(`${file}: "properties.${prop}" must be a string, number or boolean, found ${typeName(propValue)}`)
          }
          properties[prop] = String(propValue)
        }
        layer.properties = properties
        break
      }
      default: {
        throw usageError(`${file}: unknown key "${key}"`, `Known keys: ${rcKeys.join(', ')}.`)
      }
    }
  }
  return foldAliases(layer)
}

const defaultSource: Source = {kind: 'default', name: 'default'}

function sourceFor(layer: SettingsLayer, key: 'brokers' | 'clientId' | 'timeoutMs' | 'topic', env: boolean): Source {
  const alias = key === 'brokers' || key === 'clientId' ? layer.aliasOf?.[key] : undefined
  if (alias && layer.source.kind === 'flag') return {kind: 'flag', name: `-X ${alias}`}
  if (layer.source.kind === 'flag') return {kind: 'flag', name: {brokers: '--brokers', clientId: '--client-id', timeoutMs: '--timeout', topic: '--topic'}[key]}
  if (env) return {kind: 'env', name: {brokers: envNames.brokers, clientId: envNames.clientId, timeoutMs: envNames.timeout, topic: envNames.topic}[key]}
  return layer.source
}

/** Merges layers given from highest to lowest precedence; pure, so unit tests feed it plain objects. */
export function mergeLayers(...layers: SettingsLayer[]): ResolvedSettings {
  const pick = <K extends 'brokers' | 'clientId' | 'timeoutMs' | 'topic'>(key: K) => {
    const layer = layers.find((l) => l[key] !== undefined)
    return layer ? {value: layer[key], source: sourceFor(layer, key, layer.source.kind === 'env')} : undefined
  }

  const brokers = pick('brokers')
  const clientId = pick('clientId')
  const timeoutMs = pick('timeoutMs')
  const topic = pick('topic')

  const properties: Record<string, string> = {}
  const propertySources: Record<string, Source> = {}
  for (const layer of [...layers].reverse()) {
    for (const [key, value] of Object.entries(layer.properties ?? {})) {
      properties[key] = value
      propertySources[key] = layer.source.kind === 'flag' ? {kind: 'flag', name: `-X ${key}`} : layer.source
    }
  }

  const fileSource = layers.find((l) => l.source.kind === 'file')
  return {
    brokers: (brokers?.value as string[] | undefined) ?? [...defaults.brokers],
    clientId: (clientId?.value as string | undefined) ?? defaults.clientId,
    timeoutMs: (timeoutMs?.value as number | undefined) ?? defaults.timeoutMs,
    ...(topic ? {topic: topic.value as string} : {}),
    properties,
    sources: {
      brokers: brokers?.source ?? defaultSource,
      clientId: clientId?.source ?? defaultSource,
      timeoutMs: timeoutMs?.source ?? defaultSource,
      ...(topic ? {topic: topic.source} : {}),
      properties: propertySources,
    },
    ...(fileSource ? {configFile: fileSource.source.name} : {}),
  }
}

const searchPlaces = ['package.json', '.kclirc', '.kclirc.json', '.kclirc.yaml', '.kclirc.yml', 'kcli.config.js', 'kcli.config.mjs']

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

export async function resolveSettings(input: {flags: ConnectionFlags; env: NodeJS.ProcessEnv; cwd: string}): Promise<ResolvedSettings> {
  const explicit = input.flags.config ?? input.env[envNames.config]
  const rc = await loadRcFile(explicit, input.cwd)
  const layers = [flagLayer(input.flags), envLayer(input.env)]
  if (rc) layers.push(fileLayer(rc.content, rc.file))
  const settings = mergeLayers(...layers)
  if (settings.brokers.length === 0) throw usageError('no brokers given', 'Set --brokers, KCLI_BROKERS or "brokers" in the rc file.')
  return settings
}

// librdkafka's own sensitive properties, plus anything whose name says it holds a secret.
const secretPattern = /(password|secret|token|private|sasl\.jaas|sasl\.oauthbearer\.config|ssl_key|\.key\.pem|keystore\.key|key\.password|credentials)/i

export function isSecretKey(key: string): boolean {
  return secretPattern.test(key)
}

export function maskSecret(key: string, value: string): string {
  return isSecretKey(key) ? '********' : value
}
