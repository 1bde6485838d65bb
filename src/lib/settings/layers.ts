// One layer of connection settings as read from a single source (flags, KCLI_* variables, an rc file), and what the
// readers of every source share: the variable names, value parsing, librdkafka aliases and which keys hold secrets.
import {requireDuration} from '../time/duration.js'
import type {SecurityKey, SecurityLayer} from './security.js'

export type SourceKind = 'flag' | 'env' | 'file' | 'default'
export interface Source {
  kind: SourceKind
  /** The flag (`--brokers`), variable (`KCLI_BROKERS`), file path, or `default`. */
  name: string
  /** The rc file's profile that gave the value, when it came from one. */
  profile?: string
}

/** One layer of settings, as read from a single source, before merging. */
export interface SettingsLayer {
  source: Source
  /**
   * Where a first-class setting really came from when it was given as a librdkafka property (`-X bootstrap.servers`).
   */
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

export const envNames = {
  brokers: 'KCLI_BROKERS',
  clientId: 'KCLI_CLIENT_ID',
  timeout: 'KCLI_TIMEOUT',
  topic: 'KCLI_TOPIC',
  config: 'KCLI_CONFIG',
  profile: 'KCLI_PROFILE',
} as const

export function splitBrokers(text: string): string[] {
  return text
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0)
}

export function parseTimeout(text: string, where: string): number {
  return requireDuration(text, where)
}

// librdkafka properties that duplicate a first-class setting are folded into it, so there is one value to report.
const propertyAliases: Record<string, 'brokers' | 'clientId'> = {
  'bootstrap.servers': 'brokers',
  'metadata.broker.list': 'brokers',
  'client.id': 'clientId',
}

/** Moves aliased librdkafka properties (bootstrap.servers, client.id) onto their first-class settings. */
export function foldAliases(layer: SettingsLayer): SettingsLayer {
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

// librdkafka's own sensitive properties, plus anything whose name says it holds a secret.
const secretPattern =
  /(password|secret|token|private|sasl\.jaas|sasl\.oauthbearer\.config|ssl_key|\.key\.pem|keystore\.key|key\.password|credentials)/i
// Addresses are not secrets, though their names mention tokens.
const notSecret = /(token\.endpoint\.url|tokenUrl|token-url)$/i

export function isSecretKey(key: string): boolean {
  return secretPattern.test(key) && !notSecret.test(key)
}

export function maskSecret(key: string, value: string): string {
  return isSecretKey(key) ? '********' : value
}
