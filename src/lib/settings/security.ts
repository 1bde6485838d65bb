// The first-class security settings (SASL, TLS, OAUTHBEARER): their names as flag, variable and rc key, how each is
// read and turned into librdkafka properties. What is checked and warned about: checks.ts.
import {usageError} from '../errors.js'
import {type RegistrySettings, registryKeys} from './registry.js'

export const securityProtocols = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const
export const saslMechanisms = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const
export type SecurityProtocol = (typeof securityProtocols)[number]
export type SaslMechanism = (typeof saslMechanisms)[number]

// The schema registry's settings (registry.ts) share the table's shape, layers and sources.
export interface SecuritySettings extends RegistrySettings {
  securityProtocol?: SecurityProtocol
  saslMechanism?: SaslMechanism
  saslUsername?: string
  saslPassword?: string
  sslCa?: string
  sslCert?: string
  sslKey?: string
  sslKeyPassword?: string
  sslVerify?: boolean
  sslVerifyHostname?: boolean
  oauthTokenUrl?: string
  oauthClientId?: string
  oauthClientSecret?: string
  oauthScope?: string
}
export type SecurityKey = keyof SecuritySettings

type KeyType = 'choice' | 'string' | 'path' | 'secret' | 'boolean'
export interface SecurityKeyInfo {
  key: SecurityKey
  /** The rc file's name (also the row in `config show`): `sasl.username`, or `sasl: {username: ...}` nested. */
  name: string
  flag: string
  env: string
  type: KeyType
  choices?: readonly string[]
  /** The librdkafka property it sets; none for the schema registry's keys. */
  property?: string
  summary: string
}

// One table, so a setting has the same name everywhere: --sasl-username, KCLI_SASL_USERNAME, sasl.username.
export const securityKeys: readonly SecurityKeyInfo[] = [
  {
    key: 'securityProtocol',
    name: 'security.protocol',
    flag: 'security-protocol',
    env: 'KCLI_SECURITY_PROTOCOL',
    type: 'choice',
    choices: securityProtocols,
    property: 'security.protocol',
    summary: 'PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL [default: from the sasl/ssl settings given]',
  },
  {
    key: 'saslMechanism',
    name: 'sasl.mechanism',
    flag: 'sasl-mechanism',
    env: 'KCLI_SASL_MECHANISM',
    type: 'choice',
    choices: saslMechanisms,
    property: 'sasl.mechanisms',
    summary: 'PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER',
  },
  {
    key: 'saslUsername',
    name: 'sasl.username',
    flag: 'sasl-username',
    env: 'KCLI_SASL_USERNAME',
    type: 'string',
    property: 'sasl.username',
    summary: 'SASL user name (PLAIN, SCRAM)',
  },
  {
    key: 'saslPassword',
    name: 'sasl.password',
    flag: 'sasl-password',
    env: 'KCLI_SASL_PASSWORD',
    type: 'secret',
    property: 'sasl.password',
    summary: 'SASL password; prefer KCLI_SASL_PASSWORD, --sasl-password-file or the prompt',
  },
  {
    key: 'sslCa',
    name: 'ssl.ca',
    flag: 'ssl-ca',
    env: 'KCLI_SSL_CA',
    type: 'path',
    property: 'ssl.ca.location',
    summary: 'CA certificate file (PEM) to verify the brokers with',
  },
  {
    key: 'sslCert',
    name: 'ssl.cert',
    flag: 'ssl-cert',
    env: 'KCLI_SSL_CERT',
    type: 'path',
    property: 'ssl.certificate.location',
    summary: 'Client certificate file (PEM), for mTLS',
  },
  {
    key: 'sslKey',
    name: 'ssl.key',
    flag: 'ssl-key',
    env: 'KCLI_SSL_KEY',
    type: 'path',
    property: 'ssl.key.location',
    summary: 'Client private key file (PEM), for mTLS',
  },
  {
    key: 'sslKeyPassword',
    name: 'ssl.keyPassword',
    flag: 'ssl-key-password',
    env: 'KCLI_SSL_KEY_PASSWORD',
    type: 'secret',
    property: 'ssl.key.password',
    summary: 'Password of an encrypted client key',
  },
  {
    key: 'sslVerify',
    name: 'ssl.verify',
    flag: 'ssl-verify',
    env: 'KCLI_SSL_VERIFY',
    type: 'boolean',
    property: 'enable.ssl.certificate.verification',
    summary: "Verify the brokers' certificates; --no-ssl-verify turns it off (insecure) [default: true]",
  },
  {
    key: 'sslVerifyHostname',
    name: 'ssl.verifyHostname',
    flag: 'ssl-verify-hostname',
    env: 'KCLI_SSL_VERIFY_HOSTNAME',
    type: 'boolean',
    property: 'ssl.endpoint.identification.algorithm',
    summary:
      'Check that a certificate names its broker; --no-ssl-verify-hostname turns it off (insecure) [default: true]',
  },
  {
    key: 'oauthTokenUrl',
    name: 'oauth.tokenUrl',
    flag: 'oauth-token-url',
    env: 'KCLI_OAUTH_TOKEN_URL',
    type: 'string',
    property: 'sasl.oauthbearer.token.endpoint.url',
    summary: 'OAUTHBEARER: OIDC token endpoint (client credentials grant)',
  },
  {
    key: 'oauthClientId',
    name: 'oauth.clientId',
    flag: 'oauth-client-id',
    env: 'KCLI_OAUTH_CLIENT_ID',
    type: 'string',
    property: 'sasl.oauthbearer.client.id',
    summary: 'OAUTHBEARER: OIDC client id',
  },
  {
    key: 'oauthClientSecret',
    name: 'oauth.clientSecret',
    flag: 'oauth-client-secret',
    env: 'KCLI_OAUTH_CLIENT_SECRET',
    type: 'secret',
    property: 'sasl.oauthbearer.client.secret',
    summary: 'OAUTHBEARER: OIDC client secret',
  },
  {
    key: 'oauthScope',
    name: 'oauth.scope',
    flag: 'oauth-scope',
    env: 'KCLI_OAUTH_SCOPE',
    type: 'string',
    property: 'sasl.oauthbearer.scope',
    summary: 'OAUTHBEARER: scope to request',
  },
]

/** Every first-class key: Kafka's security settings above and the schema registry's (registry.ts). */
export const connectionKeys: readonly SecurityKeyInfo[] = [...securityKeys, ...registryKeys]

export const secretKeys = connectionKeys.filter((k) => k.type === 'secret')
export type SecretKey = 'saslPassword' | 'sslKeyPassword' | 'oauthClientSecret' | 'registryPassword' | 'registryToken'

/** A secret as written: the value itself, or a file that holds it. */
export type SecretRef = {value: string} | {file: string}
export type SecurityValue = string | boolean | SecretRef
export type SecurityLayer = Partial<Record<SecurityKey, SecurityValue>>

/** The `--x-file` flag, `KCLI_X_FILE` variable and `xFile` rc key of a secret. */
export const fileVariant = {
  flag: (info: SecurityKeyInfo) => `${info.flag}-file`,
  env: (info: SecurityKeyInfo) => `${info.env}_FILE`,
  name: (info: SecurityKeyInfo) => `${info.name}File`,
}

export function keyInfo(key: SecurityKey): SecurityKeyInfo {
  return connectionKeys.find((k) => k.key === key)!
}

function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  const text = value.trim().toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(text)) return true
  if (['false', '0', 'no', 'off'].includes(text)) return false
  return undefined
}

/** Checks one value against its key's type; `where` names the flag, variable or rc key in the error. */
export function parseSecurityValue(info: SecurityKeyInfo, value: unknown, where: string): string | boolean {
  if (info.type === 'boolean') {
    const parsed = parseBoolean(value)
    if (parsed === undefined) throw usageError(`${where} must be true or false`)
    return parsed
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw usageError(
      `${where} must be a non-empty string${info.type === 'secret' ? '' : `, found ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`}`,
    )
  }
  if (info.type === 'choice') {
    const upper = value.trim().toUpperCase()
    const choice = info.choices!.find((c) => c === upper)
    if (!choice) throw usageError(`${where}: "${value}" is not one of ${info.choices!.join(', ')}`)
    return choice
  }
  return value
}

const sslKeys: SecurityKey[] = ['sslCa', 'sslCert', 'sslKey', 'sslKeyPassword', 'sslVerify', 'sslVerifyHostname']
const saslKeys: SecurityKey[] = [
  'saslMechanism',
  'saslUsername',
  'saslPassword',
  'oauthTokenUrl',
  'oauthClientId',
  'oauthClientSecret',
  'oauthScope',
]
const oauthKeys: SecurityKey[] = ['oauthTokenUrl', 'oauthClientId', 'oauthClientSecret', 'oauthScope']

/** The protocol the other settings imply, when none is given: TLS settings mean SSL, SASL settings mean SASL. */
export function inferProtocol(security: SecuritySettings | SecurityLayer): SecurityProtocol | undefined {
  const has = (keys: SecurityKey[]) => keys.some((k) => security[k] !== undefined)
  const ssl = has(sslKeys)
  const sasl = has(saslKeys)
  if (sasl) return ssl ? 'SASL_SSL' : 'SASL_PLAINTEXT'
  return ssl ? 'SSL' : undefined
}

/** The mechanism implied by OAUTHBEARER settings, when none is given. */
export function inferMechanism(security: SecuritySettings | SecurityLayer): SaslMechanism | undefined {
  return oauthKeys.some((k) => security[k] !== undefined) ? 'OAUTHBEARER' : undefined
}

/** librdkafka properties for the first-class security settings; raw `-X` properties are applied after these and win. */
export function securityProperties(security: SecuritySettings): Record<string, string | boolean> {
  const props: Record<string, string | boolean> = {}
  for (const info of securityKeys) {
    const value = security[info.key]
    if (value === undefined) continue
    const property = info.property!
    if (info.key === 'sslVerifyHostname') props[property] = value ? 'https' : 'none'
    // librdkafka 2.15 writes the scope into the token request's form body as it is (`scope=a b`), so a space, `+` or
    // `&` in it would reach the token endpoint changed: encode it here (test/commands/oauth.test.ts checks what
    // arrives).
    else if (info.key === 'oauthScope') props[property] = encodeURIComponent(value as string)
    else props[property] = value
  }
  if (oauthKeys.some((k) => security[k] !== undefined)) props['sasl.oauthbearer.method'] = 'oidc'
  return props
}

/**
 * The first-class key a librdkafka property duplicates, if any (`sasl.mechanism` is librdkafka's alias of
 * `sasl.mechanisms`).
 */
export function keyOfProperty(property: string): SecurityKey | undefined {
  if (property === 'sasl.mechanism') return 'saslMechanism'
  return securityKeys.find((k) => k.property === property)?.key
}

export {oauthKeys, saslKeys, sslKeys}
