// From resolved settings to a registry client: the URL, credentials (asked for on a terminal when a user has no
// password) and CA, checked before the first request; secrets never reach a message.
import {readFileSync} from 'node:fs'

import {usageError} from '../errors.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {keyInfo} from '../settings/security.js'
import {warn} from '../terminal/output.js'
import {canPrompt, promptSecret} from '../terminal/prompt.js'
import {type RegistryAuth, RegistryClient, redactUrl} from './registry-client.js'

/** True when a registry URL is configured by any source (flag, variable, rc file). */
export function hasRegistry(settings: ResolvedSettings): boolean {
  return settings.security.registryUrl !== undefined
}

const where = (settings: ResolvedSettings, key: 'registryCa' | 'registryUrl') =>
  settings.sources.security?.[key]?.name ?? keyInfo(key).name

/** Checks the registry settings and makes a client; a user without a password is asked for one on a terminal. */
export async function registryClient(settings: ResolvedSettings): Promise<RegistryClient> {
  const {registryUrl, registryUsername, registryToken, registryCa} = settings.security
  let {registryPassword} = settings.security
  if (registryUrl === undefined)
    throw usageError(
      'no schema registry given',
      'Set --registry-url, KCLI_REGISTRY_URL or registry.url in the rc file (`kcli local start --schema-registry` runs one).',
    )
  if (registryToken !== undefined && (registryUsername !== undefined || registryPassword !== undefined))
    throw usageError('a registry token and a registry user or password were both given', 'Give one way to sign in.')
  if (registryPassword !== undefined && registryUsername === undefined)
    throw usageError(
      'a registry password was given without a user',
      'Set --registry-username, KCLI_REGISTRY_USERNAME or registry.username.',
    )
  const shown = redactUrl(registryUrl)
  if (registryUsername !== undefined && registryPassword === undefined) {
    if (!canPrompt())
      throw usageError(
        'no registry.password given, and no terminal to ask for it on',
        'Set KCLI_REGISTRY_PASSWORD, --registry-password-file or registry.passwordFile in the rc file.',
      )
    registryPassword = await promptSecret(`Password for ${registryUsername} at the schema registry ${shown}: `)
    settings.security.registryPassword = registryPassword
  }
  let ca: string | undefined
  if (registryCa !== undefined) {
    try {
      ca = readFileSync(registryCa, 'utf8')
    } catch {
      throw usageError(`${where(settings, 'registryCa')}: ${registryCa} cannot be read`)
    }
  }
  const auth: RegistryAuth | undefined =
    registryToken !== undefined
      ? {bearerToken: registryToken}
      : registryUsername !== undefined
        ? {username: registryUsername, password: registryPassword ?? ''}
        : undefined
  const client = new RegistryClient({url: registryUrl, auth, ca, timeoutMs: settings.timeoutMs})
  const url = new URL(client.url)
  const local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname)
  if (url.protocol === 'http:' && !local && (auth !== undefined || /\/\/[^/]*@/.test(registryUrl)))
    warn(`the schema registry credentials are sent unencrypted to ${client.url}; use https`)
  return client
}
