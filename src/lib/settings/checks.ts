// What kcli checks and warns about in resolved settings, in one place: weakened TLS, secrets typed where `ps` shows
// them or given two ways, combinations librdkafka would refuse late or vaguely, secrets still missing (asked for on a
// terminal), and what to suspect when a secured connection fails.
import {existsSync, readFileSync} from 'node:fs'

import {type KcliError, usageError} from '../errors.js'
import {canPrompt, promptSecret} from '../terminal/prompt.js'
import {isSecretKey} from './layers.js'
import type {ResolvedSettings} from './resolve.js'
import {
  type SecretKey,
  type SecurityKey,
  type SecuritySettings,
  keyInfo,
  oauthKeys,
  saslMechanisms,
  securityKeys,
} from './security.js'

/** A secret given both as a value and as a file (`--sasl-password` and `--sasl-password-file`): refused. */
export function secretGivenTwice(first: string, second: string): KcliError {
  return usageError(`${first} and ${second} were both given`, 'Give the secret one way only.')
}

/** The warning for secrets typed on the command line, where `ps` shows them to every user; none when there are none. */
export function commandLineSecretsWarning(names: string[], prefer = 'a variable, a file or the prompt'): string[] {
  if (names.length === 0) return []
  return [`${names.join(', ')} on the command line can be seen by other users of this machine (ps); prefer ${prefer}`]
}

/** What a user should be told about settings that weaken security; never contains a secret. */
export function securityWarnings(security: SecuritySettings, properties: Record<string, string>): string[] {
  const warnings: string[] = []
  const verifyOff =
    security.sslVerify === false || /^(false|0)$/i.test(properties['enable.ssl.certificate.verification'] ?? '')
  const hostnameOff =
    security.sslVerifyHostname === false || /^none$/i.test(properties['ssl.endpoint.identification.algorithm'] ?? '')
  if (verifyOff)
    warnings.push(
      'TLS certificate verification is off: anyone between kcli and the brokers can read and change the traffic, passwords included',
    )
  else if (hostnameOff)
    warnings.push('TLS hostname verification is off: any certificate signed by the CA is accepted for any broker')
  const protocol = properties['security.protocol']?.toUpperCase() ?? security.securityProtocol
  const mechanism =
    properties['sasl.mechanisms']?.toUpperCase() ??
    properties['sasl.mechanism']?.toUpperCase() ??
    security.saslMechanism
  if (protocol === 'SASL_PLAINTEXT' && mechanism === 'PLAIN')
    warnings.push('SASL PLAIN over SASL_PLAINTEXT sends the password unencrypted; use SASL_SSL')
  return warnings
}

/** Problems with the settings that librdkafka would report late or vaguely; checked before connecting. */
export function checkSecurity(
  security: SecuritySettings,
  properties: Record<string, string>,
  describeSource: (key: SecurityKey) => string,
): void {
  const given = (key: SecurityKey) => security[key] !== undefined || properties[keyInfo(key).property!] !== undefined
  for (const key of ['sslCa', 'sslCert', 'sslKey'] as const) {
    const file = security[key]
    if (file !== undefined && !existsSync(file)) throw usageError(`${describeSource(key)}: ${file} does not exist`)
  }
  if (given('sslCert') !== given('sslKey')) {
    throw usageError(
      `${given('sslCert') ? 'a client certificate was given without its key' : 'a client key was given without its certificate'}`,
      'mTLS needs both --ssl-cert and --ssl-key.',
    )
  }
  const mechanism = security.saslMechanism
  if ((mechanism === 'PLAIN' || mechanism?.startsWith('SCRAM')) && !given('saslUsername')) {
    throw usageError(
      `SASL ${mechanism} needs a user name`,
      'Set --sasl-username, KCLI_SASL_USERNAME or sasl.username in the rc file.',
    )
  }
  // Any OAuth setting turns on librdkafka's OIDC client credentials, which then fails late and vaguely without an
  // endpoint
  // or a client id. A missing client secret is not checked here: it is asked for on a terminal, like a SASL password.
  if (mechanism === 'OAUTHBEARER' && oauthKeys.some((k) => security[k] !== undefined)) {
    for (const key of ['oauthTokenUrl', 'oauthClientId'] as const) {
      if (!given(key))
        throw usageError(
          `OAUTHBEARER client credentials need ${keyInfo(key).name}`,
          `Set --${keyInfo(key).flag} or ${keyInfo(key).env}.`,
        )
    }
  }
  // Without a mechanism librdkafka falls back to Kerberos (GSSAPI) and fails with a message about kinit; name what
  // was given instead. Kerberos users set sasl.kerberos.* properties, and keep the default.
  const anyMechanism =
    mechanism !== undefined || properties['sasl.mechanisms'] !== undefined || properties['sasl.mechanism'] !== undefined
  const kerberos = Object.keys(properties).some((k) => k.startsWith('sasl.kerberos.'))
  if (!anyMechanism && !kerberos) {
    const protocol = (properties['security.protocol'] ?? security.securityProtocol)?.toUpperCase()
    const what = given('saslUsername')
      ? 'a SASL user name'
      : given('saslPassword')
        ? 'a SASL password'
        : protocol?.startsWith('SASL')
          ? `security protocol ${protocol}`
          : undefined
    if (what !== undefined)
      throw usageError(
        `${what} was given without a SASL mechanism`,
        `Set --sasl-mechanism to one of ${saslMechanisms.join(', ')}.`,
      )
  }
}

/** True when a PEM private key file is encrypted, so a key password is needed. */
function isEncryptedKey(file: string): boolean {
  try {
    const text = readFileSync(file, 'utf8')
    return /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)
  } catch {
    return false
  }
}

/**
 * Warnings about the settings: weakened TLS, and secrets typed on the command line, where `ps` shows them to everyone.
 */
export function settingsWarnings(settings: ResolvedSettings): string[] {
  const onCommandLine = [
    ...Object.values(settings.sources.security ?? {}).filter(
      (s) => s.kind === 'flag' && isSecretKey(s.name) && !s.name.endsWith('-file'),
    ),
    ...Object.entries(settings.sources.properties)
      .filter(([key, s]) => s.kind === 'flag' && isSecretKey(key))
      .map(([, s]) => s),
  ].map((s) => s.name)
  return [...securityWarnings(settings.security, settings.properties), ...commandLineSecretsWarning(onCommandLine)]
}

/** The protocol, mechanism and user of a connection, and what could be wrong with them; never a secret. */
export function securityContext(settings: ResolvedSettings): {what: string; hint: string} | undefined {
  const {security, properties} = settings
  const protocol = (properties['security.protocol'] ?? security.securityProtocol)?.toUpperCase()
  if (protocol === undefined || protocol === 'PLAINTEXT') return undefined
  const mechanism = (
    properties['sasl.mechanisms'] ??
    properties['sasl.mechanism'] ??
    security.saslMechanism
  )?.toUpperCase()
  const user = properties['sasl.username'] ?? security.saslUsername
  const sasl = protocol.startsWith('SASL')
  const tls = protocol.endsWith('SSL')
  let what = protocol
  if (sasl)
    what += ` with ${mechanism ?? 'SASL'}${mechanism === 'OAUTHBEARER' ? '' : user === undefined ? '' : ` as user ${user}`}`
  const causes: string[] = []
  if (sasl)
    causes.push(
      mechanism === 'OAUTHBEARER'
        ? 'a refused OAuth client or token'
        : `a wrong user name, password or mechanism (${mechanism ?? 'none set'})`,
    )
  if (tls)
    causes.push(
      `a CA that did not sign the brokers' certificates (${security.sslCa ?? properties['ssl.ca.location'] ?? 'the system CAs'})`,
    )
  if (tls && (security.sslCert ?? properties['ssl.certificate.location']) === undefined)
    causes.push('a broker that requires a client certificate (--ssl-cert, --ssl-key)')
  causes.push(`a port that does not speak ${protocol}`)
  return {what, hint: `Besides a broker that is down, this is how ${causes.join(', ')} show up.`}
}

interface Missing {
  key: SecretKey
  question: string
  hint: string
}

/**
 * Secrets the settings need but do not have: a SASL password, an OAUTHBEARER client secret, an encrypted key's
 * password.
 */
export function missingSecrets(settings: ResolvedSettings): Missing[] {
  const {security, properties} = settings
  const has = (key: SecretKey, property: string) => security[key] !== undefined || properties[property] !== undefined
  const missing: Missing[] = []
  const mechanism = security.saslMechanism
  if ((mechanism === 'PLAIN' || mechanism?.startsWith('SCRAM')) && !has('saslPassword', 'sasl.password')) {
    const user = security.saslUsername ?? properties['sasl.username']
    missing.push({
      key: 'saslPassword',
      question: `Password for ${user} (SASL ${mechanism}) at ${settings.brokers.join(',')}: `,
      hint: 'Set KCLI_SASL_PASSWORD, --sasl-password-file or sasl.passwordFile in the rc file.',
    })
  }
  if (
    mechanism === 'OAUTHBEARER' &&
    security.oauthTokenUrl !== undefined &&
    !has('oauthClientSecret', 'sasl.oauthbearer.client.secret')
  ) {
    missing.push({
      key: 'oauthClientSecret',
      question: `Client secret for ${security.oauthClientId ?? 'the OAuth client'}: `,
      hint: 'Set KCLI_OAUTH_CLIENT_SECRET, --oauth-client-secret-file or oauth.clientSecretFile in the rc file.',
    })
  }
  if (security.sslKey !== undefined && !has('sslKeyPassword', 'ssl.key.password') && isEncryptedKey(security.sslKey)) {
    missing.push({
      key: 'sslKeyPassword',
      question: `Password of the key ${security.sslKey}: `,
      hint: 'Set KCLI_SSL_KEY_PASSWORD, --ssl-key-password-file or ssl.keyPasswordFile in the rc file.',
    })
  }
  return missing
}

/**
 * Before connecting: refuses combinations librdkafka would report late or vaguely, then asks on a terminal for the
 * secrets still missing (a usage error where nobody can answer). Fills them into `settings`.
 */
export async function prepareToConnect(settings: ResolvedSettings): Promise<void> {
  checkSecurity(settings.security, settings.properties, (key) => settings.sources.security?.[key]?.name ?? key)
  await askForMissingSecrets(settings)
}

async function askForMissingSecrets(settings: ResolvedSettings): Promise<void> {
  for (const missing of missingSecrets(settings)) {
    if (!canPrompt())
      throw usageError(
        `no ${securityKeys.find((k) => k.key === missing.key)!.name} given, and no terminal to ask for it on`,
        missing.hint,
      )
    settings.security[missing.key] = await promptSecret(missing.question)
    settings.sources.security = {...settings.sources.security, [missing.key]: {kind: 'flag', name: 'prompt'}}
  }
}
