// The rc file's content: validating it into settings layers (top level and profiles), choosing the profile, and the
// rule on what a file may hold (private when it holds a secret). Finding and trusting the file: rc-search.ts.
import {homedir} from 'node:os'
import path from 'node:path'

import {usageError} from '../errors.js'
import {checkDuration, durationHint, secondsToMs} from '../time/duration.js'
import {secretGivenTwice} from './checks.js'
import type {RcFile} from './rc-search.js'
import {checkPrivateFile} from './secrets.js'
import {type SecretRef, connectionKeys, fileVariant, parseSecurityValue} from './security.js'
import {
  type SettingsLayer,
  type Source,
  envNames,
  foldAliases,
  isSecretKey,
  parseTimeout,
  splitBrokers,
} from './layers.js'

const rcKeys = [
  'brokers',
  'clientId',
  'timeout',
  'topic',
  'properties',
  'profile',
  'profiles',
  'security.protocol',
  'sasl.*',
  'ssl.*',
  'oauth.*',
  'registry.*',
] as const
// Security keys may be nested (`sasl: {username: ann}`) or dotted (`sasl.username: ann`).
const securityGroups = new Set(connectionKeys.map((k) => k.name.split('.')[0]))

/** An rc file's key as messages name it: `sasl.password`, or `profiles.prod.sasl.password` in a profile. */
export function rcKeyName(source: Source, key: string): string {
  return source.profile === undefined ? key : `profiles.${source.profile}.${key}`
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

/**
 * Validates one level of an rc file (its top level, or the profile `source` names); every error names the file and the
 * key.
 */
function readRcObject(content: Record<string, unknown>, source: Source): SettingsLayer {
  const file = source.name
  const topLevel = source.profile === undefined
  const layer: SettingsLayer = {source}
  const where = (key: string) => `${file}: "${rcKeyName(source, key)}"`
  for (const [key, value] of flattenGroups(content, where)) {
    const security = connectionKeys.find((k) => k.name === key || (k.type === 'secret' && fileVariant.name(k) === key))
    if (security) {
      const isFile = security.name !== key
      const other = isFile ? security.name : fileVariant.name(security)
      if (layer.security?.[security.key] !== undefined)
        throw secretGivenTwice(where(key), `"${rcKeyName(source, other)}"`)
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
        else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
          layer.brokers = value.flatMap((v) => splitBrokers(v))
        else throw usageError(`${where(key)} must be a string or a list of strings, found ${typeName(value)}`)
        if (layer.brokers.length === 0) throw usageError(`${where(key)} is empty`)
        break
      }
      case 'clientId':
      case 'topic': {
        if (typeof value !== 'string' || value.length === 0)
          throw usageError(`${where(key)} must be a non-empty string, found ${typeName(value)}`)
        layer[key] = value
        break
      }
      case 'timeout': {
        // The one rule for durations: a bare number is seconds.
        if (typeof value === 'number')
          layer.timeoutMs = checkDuration(secondsToMs(value) ?? -1, String(value), where(key))
        else if (typeof value === 'string') layer.timeoutMs = parseTimeout(value, where(key))
        else
          throw usageError(
            `${where(key)} must be a duration such as "10s" or a number of seconds, found ${typeName(value)}`,
            durationHint,
          )
        break
      }
      case 'properties': {
        if (!isPlainObject(value))
          throw usageError(`${where(key)} must be an object of librdkafka properties, found ${typeName(value)}`)
        const properties: Record<string, string> = {}
        for (const [prop, propValue] of Object.entries(value)) {
          if (!['string', 'number', 'boolean'].includes(typeof propValue)) {
            throw usageError(
              `${where(`properties.${prop}`)} must be a string, number or boolean, found ${typeName(propValue)}`,
            )
          }
          properties[prop] = String(propValue)
        }
        layer.properties = properties
        break
      }
      case 'profile': {
        if (!topLevel) throw usageError(`${where(key)}: a profile cannot choose another profile`)
        if (typeof value !== 'string' || value.length === 0)
          throw usageError(`${where(key)} must be the name of a profile, found ${typeName(value)}`)
        layer.profile = value
        break
      }
      case 'profiles': {
        if (!topLevel) throw usageError(`${where(key)}: profiles cannot be nested`)
        if (!isPlainObject(value))
          throw usageError(`${where(key)} must be an object of named profiles, found ${typeName(value)}`)
        break
      }
      default: {
        throw usageError(`${file}: unknown key "${rcKeyName(source, key)}"`, `Known keys: ${rcKeys.join(', ')}.`)
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
  const top = readRcObject(content, source)
  const profiles = new Map<string, SettingsLayer>()
  for (const [name, value] of Object.entries(isPlainObject(content.profiles) ? content.profiles : {})) {
    if (value !== null && !isPlainObject(value))
      throw usageError(`${file}: "profiles.${name}" must be an object of settings, found ${typeName(value)}`)
    profiles.set(name, readRcObject(value ?? {}, {kind: 'file', name: file, profile: name}))
  }
  return {top, profiles}
}

/** The name of the first secret written in an rc file's layers, e.g. `profiles.prod.sasl.password`. */
export function secretInLayers(layers: SettingsLayer[]): string | undefined {
  for (const layer of layers) {
    for (const info of connectionKeys) {
      const value = layer.security?.[info.key]
      if (typeof value === 'object' && 'value' in value) return rcKeyName(layer.source, info.name)
    }
    const property = Object.keys(layer.properties ?? {}).find((key) => isSecretKey(key))
    if (property !== undefined) return rcKeyName(layer.source, `properties.${property}`)
  }
  return undefined
}

export function unknownProfile(name: string, file: string, known: string[], from: string) {
  return usageError(
    `${from}: no profile "${name}" in ${file}`,
    known.length === 0
      ? 'That file has no profiles; add one with kcli config add.'
      : `Its profiles: ${known.join(', ')}.`,
  )
}

/**
 * The layers the rc file adds below the flags and the environment: the chosen profile (--profile, else KCLI_PROFILE,
 * else the file's `profile`), then the file's top level. A file holding a secret must be private to its owner.
 */
export function rcFileLayers(
  rc: RcFile | undefined,
  context: {
    flags: SettingsLayer
    env: SettingsLayer
  },
): SettingsLayer[] {
  const {flags, env} = context
  if (!rc) {
    const chosen = flags.profile ?? env.profile
    if (chosen !== undefined)
      throw usageError(
        `profile "${chosen}" was asked for, but no rc file was found`,
        'Add one with kcli config add <profile> --brokers <host:port>.',
      )
    return []
  }
  const {top, profiles} = rcLayers(rc.content, rc.file)
  const all = [top, ...profiles.values()]
  const secret = secretInLayers(all)
  if (secret !== undefined)
    checkPrivateFile(
      rc.file,
      `holds a secret (${secret})`,
      ', or move the secret out of it into a file of its own (sasl.passwordFile) or a variable (KCLI_SASL_PASSWORD).',
    )
  const chosen = flags.profile ?? env.profile ?? top.profile
  if (chosen === undefined) return [top]
  const profile = profiles.get(chosen)
  if (!profile)
    throw unknownProfile(
      chosen,
      rc.file,
      [...profiles.keys()],
      flags.profile !== undefined
        ? '--profile'
        : env.profile !== undefined
          ? envNames.profile
          : `"profile" in ${rc.file}`,
    )
  return [profile, top]
}
