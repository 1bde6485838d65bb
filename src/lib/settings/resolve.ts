// Connection settings: flags > KCLI_* environment > the chosen profile of the rc file (rc-file.ts) > the rc file >
// defaults, remembering where each value came from. Security settings (security.ts) and secrets (secrets.ts) ride
// along.
import {usageError} from '../errors.js'
import {secretGivenTwice} from './checks.js'
import {rcFileLayers, rcKeyName} from './rc-file.js'
import {type IgnoredRcFile, type RcOrigin, findRcFile} from './rc-search.js'
import {readSecretFile} from './secrets.js'
import {
  type SecretKey,
  type SecretRef,
  type SecurityKey,
  type SecurityKeyInfo,
  type SecuritySettings,
  fileVariant,
  inferMechanism,
  inferProtocol,
  keyInfo,
  keyOfProperty,
  parseSecurityValue,
  connectionKeys,
} from './security.js'
import {type SettingsLayer, type Source, envNames, foldAliases, parseTimeout, splitBrokers} from './layers.js'

type SecurityFlags = {[flag: string]: unknown}
export type ConnectionFlags = SecurityFlags & {
  brokers?: string
  'client-id'?: string
  config?: string
  timeout?: string
  property?: string[]
  profile?: string
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
  /** The rc file that was read, if any, and how it was chosen. */
  configFile?: string
  configOrigin?: RcOrigin
  /** rc files found but not used (untrusted, changed since trusted, JavaScript found by searching, unparsable). */
  ignoredFiles: IgnoredRcFile[]
}

export const defaults = {brokers: ['localhost:9092'], clientId: 'kcli', timeoutMs: 10_000} as const

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

/** Reads the security settings of flags or variables: `get(name)` returns what was given under that name. */
function securityFromNames(
  layer: SettingsLayer,
  get: (info: SecurityKeyInfo, variant: 'value' | 'file') => {name: string; value: unknown} | undefined,
): void {
  for (const info of connectionKeys) {
    const direct = get(info, 'value')
    const file = info.type === 'secret' ? get(info, 'file') : undefined
    if (direct && file) throw secretGivenTwice(direct.name, file.name)
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

const defaultSource: Source = {kind: 'default', name: 'default'}
type PlainKey = 'brokers' | 'clientId' | 'timeoutMs' | 'topic' | 'profile'
const flagNames: Record<PlainKey, string> = {
  brokers: '--brokers',
  clientId: '--client-id',
  timeoutMs: '--timeout',
  topic: '--topic',
  profile: '--profile',
}
const envKeyNames: Record<PlainKey, string> = {
  brokers: envNames.brokers,
  clientId: envNames.clientId,
  timeoutMs: envNames.timeout,
  topic: envNames.topic,
  profile: envNames.profile,
}

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
  for (const info of connectionKeys) {
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
  if (
    security.saslMechanism === undefined &&
    properties['sasl.mechanisms'] === undefined &&
    properties['sasl.mechanism'] === undefined
  ) {
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
    ignoredFiles: [],
  }
}

export async function resolveSettings(input: {
  flags: ConnectionFlags
  env: NodeJS.ProcessEnv
  cwd: string
}): Promise<ResolvedSettings> {
  const explicit = input.flags.config ?? input.env[envNames.config]
  const {rc, ignored} = await findRcFile({explicit, cwd: input.cwd, env: input.env})
  const flags = flagLayer(input.flags)
  const env = envLayer(input.env)
  const below = rcFileLayers(rc, {flags, env})
  const settings = mergeLayers(flags, env, ...below)
  settings.ignoredFiles = ignored
  if (rc) settings.configOrigin = rc.origin
  if (settings.brokers.length === 0)
    throw usageError('no brokers given', 'Set --brokers, KCLI_BROKERS or "brokers" in the rc file.')
  for (const [key, file] of Object.entries(settings.secretFiles) as Array<[SecretKey, string]>) {
    settings.security[key] = readSecretFile(file, secretFileLabel(key, settings.sources.security?.[key]))
  }
  return settings
}

/** How an error names where a secret file was given: `--sasl-password-file`, or the rc file and its key. */
function secretFileLabel(key: SecretKey, source: Source | undefined): string {
  if (source === undefined) return key
  if (source.kind !== 'file') return source.name
  return `${source.name}: "${rcKeyName(source, fileVariant.name(keyInfo(key)))}"`
}
