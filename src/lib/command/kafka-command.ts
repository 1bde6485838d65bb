// The base of commands that talk to Kafka: shared connection and security flags, settings resolved once, clients closed
// before exit.
import {Flags, type Interfaces} from '@oclif/core'

import type {IAdminClient, Producer} from '@confluentinc/kafka-javascript'

import {abandonedConnects, adminFrom, closeClient, connectProducer} from '../kafka/client.js'
import {KcliCommand} from './kcli-command.js'
import {warn} from '../terminal/output.js'
import {canPrompt, promptSecret} from '../terminal/prompt.js'
import {ignoredRcMessage} from '../settings/rc-search.js'
import {
  type SecretKey,
  checkSecurity,
  fileVariant,
  isEncryptedKey,
  securityKeys,
  securityWarnings,
} from '../settings/security.js'
import {envNames, isSecretKey} from '../settings/layers.js'
import {type ConnectionFlags, type ResolvedSettings, resolveSettings} from '../settings/resolve.js'
import {ExitCode, KcliError, usageError} from '../errors.js'

type Closable = Parameters<typeof closeClient>[0]

// Built from the one table in security.ts, so flag, variable and rc key always agree (registry flags: the same from
// registry.ts).
export function securityFlags(keys = securityKeys, helpGroup = 'SECURITY'): Interfaces.FlagInput {
  const flags: Interfaces.FlagInput = {}
  for (const info of keys) {
    const env = ` [env: ${info.env}]`
    if (info.type === 'boolean') {
      flags[info.flag] = Flags.boolean({helpGroup, allowNo: true, description: info.summary + env})
    } else {
      // Choices are checked in settings.ts, without regard to case (scram-sha-512 works), as for variables and rc keys.
      flags[info.flag] = Flags.string({helpGroup, description: info.summary + env})
    }
    if (info.type === 'secret') {
      flags[fileVariant.flag(info)] = Flags.string({
        helpGroup,
        description: `Read ${info.name} from this file (mode 600) [env: ${fileVariant.env(info)}]`,
      })
    }
  }
  return flags
}

export abstract class KafkaCommand extends KcliCommand {
  // No `default:` on purpose: an oclif default would beat the environment and the rc file. Defaults live in
  // settings.ts.
  static override baseFlags = {
    brokers: Flags.string({
      char: 'b',
      helpGroup: 'CONNECTION',
      description: 'Bootstrap brokers, comma-separated [default: localhost:9092]',
    }),
    'client-id': Flags.string({helpGroup: 'CONNECTION', description: 'Client id sent to the brokers [default: kcli]'}),
    config: Flags.string({
      helpGroup: 'CONNECTION',
      description: 'Read settings from this rc file instead of searching for one',
    }),
    profile: Flags.string({
      helpGroup: 'CONNECTION',
      description: `Use this profile of the rc file [env: ${envNames.profile}]`,
    }),
    timeout: Flags.string({
      helpGroup: 'CONNECTION',
      description: 'How long to wait for the cluster, e.g. 10s, 500ms [default: 10s]',
    }),
    property: Flags.string({
      char: 'X',
      helpGroup: 'CONNECTION',
      description: 'Any librdkafka property as key=value (repeatable), e.g. -X security.protocol=SSL',
      multiple: true,
      multipleNonGreedy: true,
    }),
    ...securityFlags(),
  }

  /** Commands that only show settings never ask for a password. */
  protected asksForSecrets = true

  private resolved?: ResolvedSettings
  private forceExit = false
  private readonly clients: Closable[] = []

  protected async settings(flags: ConnectionFlags): Promise<ResolvedSettings> {
    if (this.resolved) return this.resolved
    const settings = await resolveSettings({flags, env: process.env, cwd: process.cwd()})
    for (const ignored of settings.ignoredFiles) warn(ignoredRcMessage(ignored))
    for (const message of settingsWarnings(settings)) warn(message)
    if (this.asksForSecrets) {
      checkSecurity(settings.security, settings.properties, (key) => settings.sources.security?.[key]?.name ?? key)
      await askForMissingSecrets(settings)
    }
    this.resolved = settings
    return settings
  }

  /**
   * A connected client (proof that the cluster answers) with an admin client riding on it, closed when the command
   * ends.
   */
  protected async adminClients(settings: ResolvedSettings): Promise<{client: Producer; admin: IAdminClient}> {
    const {client} = await connectProducer(settings, {})
    this.track(client)
    return {client, admin: await adminFrom(client)}
  }

  /** Registers a client to be closed when the command ends, however it ends. */
  protected track<T extends Closable>(client: T): T {
    this.clients.push(client)
    return client
  }

  /** Ends the process once clients are closed, even if something (a pending stdin read) would keep it alive. */
  protected exitWhenClosed(): void {
    this.forceExit = true
  }

  // librdkafka reports a refused password or an untrusted certificate only as a connect that timed out: say which
  // security settings were in play, so the user knows where to look.
  protected override async catch(err: Error & {exitCode?: number}): Promise<void> {
    if (err instanceof KcliError && err.exit === ExitCode.unreachable && this.resolved) {
      const context = securityContext(this.resolved)
      if (context !== undefined) {
        return super.catch(
          new KcliError(`${err.message} using ${context.what}`, {exit: err.exit, hint: context.hint, cause: err.cause}),
        )
      }
    }
    return super.catch(err)
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    const limit = Math.min(this.resolved?.timeoutMs ?? 5000, 5000)
    const closed = await Promise.all(
      this.clients
        .splice(0)
        .reverse()
        .map((c) => closeClient(c, limit)),
    )
    await super.finally(err)
    // A client that would not close keeps Node alive forever; everything the user needs was written synchronously by
    // now.
    if (closed.includes(false) || this.forceExit || abandonedConnects() > 0) process.exit()
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
  const warnings = securityWarnings(settings.security, settings.properties)
  if (onCommandLine.length > 0) {
    warnings.push(
      `${onCommandLine.join(', ')} on the command line can be seen by other users of this machine (ps); prefer a variable, a file or the prompt`,
    )
  }
  return warnings
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
