// `kcli config add`: the rc file's form of the connection flags every command takes, and adding it as a profile.
import path from 'node:path'

import {usageError} from '../errors.js'
import {canPrompt, promptSecret} from '../terminal/prompt.js'
import {commandLineSecretsWarning, secretGivenTwice} from './checks.js'
import {type Json, addProfile, userConfigFile} from './profiles.js'
import {rcLayers, secretInLayers} from './rc-file.js'
import {parsePropertyFlags} from './resolve.js'
import {connectionKeys, fileVariant, parseSecurityValue} from './security.js'

/** What to tell before adding: secrets typed as flags, which `ps` shows to every user of the machine. */
export function profileFlagWarnings(flags: Record<string, unknown>): string[] {
  const typed = connectionKeys.filter((k) => k.type === 'secret' && flags[k.flag] !== undefined)
  if (typed.length === 0) return []
  return commandLineSecretsWarning(
    typed.map((k) => `--${k.flag}`),
    `--${fileVariant.flag(typed[0])} or the prompt`,
  )
}

/**
 * Adds the profile the flags describe to the user config file (or the rc file named with --config). It becomes the
 * default with `use`, or when it is the file's first. The file is made private when the profile holds a secret.
 */
export async function addProfileFromFlags(input: {
  name: string
  flags: Record<string, unknown>
  config?: string
  use: boolean
  cwd: string
  env: NodeJS.ProcessEnv
}): Promise<{file: string; madeDefault: boolean}> {
  if (input.name.trim() === '') throw usageError('the profile name must not be empty')
  const profile = await profileFromFlags(input.flags, input.cwd)
  if (Object.keys(profile).length === 0) throw usageError('nothing to store in the profile', 'Give at least --brokers.')
  const target =
    input.config === undefined ? userConfigFile(input.env) : {file: path.resolve(input.cwd, input.config), exists: true}
  const madeDefault = input.use || !target.exists
  const layer = rcLayers({profiles: {[input.name]: profile}}, target.file).profiles.get(input.name)
  const holdsSecret = layer !== undefined && secretInLayers([layer]) !== undefined
  await addProfile(target.file, input.name, profile, {makeDefault: madeDefault, holdsSecret})
  return {file: target.file, madeDefault}
}

/** The rc file's form of the given flags: security keys nested by group (`sasl: {username}`), paths made absolute. */
export async function profileFromFlags(flags: Record<string, unknown>, cwd: string): Promise<{[key: string]: Json}> {
  const profile: {[key: string]: Json} = {}
  if (flags.brokers !== undefined) profile.brokers = String(flags.brokers)
  if (flags['client-id'] !== undefined) profile.clientId = String(flags['client-id'])
  if (flags.timeout !== undefined) profile.timeout = String(flags.timeout)
  const properties = parsePropertyFlags((flags.property as string[] | undefined) ?? [])
  if (Object.keys(properties).length > 0) profile.properties = properties
  const put = (name: string, value: Json) => {
    const [group, ...rest] = name.split('.')
    const nested = (profile[group] ?? {}) as {[key: string]: Json}
    nested[rest.join('.')] = value
    profile[group] = nested
  }
  for (const info of connectionKeys) {
    const direct = flags[info.flag]
    const file = info.type === 'secret' ? flags[fileVariant.flag(info)] : undefined
    if (direct !== undefined && file !== undefined)
      throw secretGivenTwice(`--${info.flag}`, `--${fileVariant.flag(info)}`)
    if (file !== undefined)
      put(
        fileVariant.name(info),
        path.resolve(cwd, String(parseSecurityValue(info, file, `--${fileVariant.flag(info)}`))),
      )
    else if (direct !== undefined) {
      const value = parseSecurityValue(info, direct, `--${info.flag}`)
      put(info.name, info.type === 'path' ? path.resolve(cwd, String(value)) : value)
    }
  }
  const sasl = (profile.sasl ?? {}) as {[key: string]: Json}
  const mechanism = String(sasl.mechanism ?? '')
  const needsPassword =
    sasl.username !== undefined &&
    sasl.password === undefined &&
    sasl.passwordFile === undefined &&
    properties['sasl.password'] === undefined
  if (needsPassword && /^(PLAIN|SCRAM)/.test(mechanism) && canPrompt()) {
    const password = await promptSecret(
      `Password for ${sasl.username} (Enter to leave it out and be asked when needed): `,
    )
    if (password !== '') put('sasl.password', password)
  }
  return profile
}
