// `kcli config add <profile>`: add a named cluster to the user's config file from flags, without hand-editing.
import {Args, Flags, type Interfaces} from '@oclif/core'
import path from 'node:path'

import {usageError} from '../../lib/errors.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {KcliCommand} from '../../lib/command/kcli-command.js'
import {info, warn} from '../../lib/terminal/output.js'
import {addProfile, userConfigFile} from '../../lib/settings/profiles.js'
import {canPrompt, promptSecret} from '../../lib/terminal/prompt.js'
import {connectionKeys, fileVariant, parseSecurityValue} from '../../lib/settings/security.js'
import {registryConnectionFlags} from '../../lib/registry/flags.js'
import {isSecretKey} from '../../lib/settings/layers.js'
import {parsePropertyFlags} from '../../lib/settings/resolve.js'

// The connection and security flags of every command, less those about reading settings rather than writing them.
const storedFlags: Interfaces.FlagInput = Object.fromEntries(
  Object.entries({...(KafkaCommand.baseFlags as Interfaces.FlagInput), ...registryConnectionFlags}).filter(
    ([name]) => !['config', 'profile'].includes(name),
  ),
)

type Json = string | number | boolean | {[key: string]: Json}

export default class ConfigAdd extends KcliCommand {
  static override summary = 'Add a profile (a named cluster) to your user config file.'
  static override description = `Writes the profile under "profiles" in your user config file ($XDG_CONFIG_HOME/kcli/config.yaml, ~/.config/kcli/config.yaml, created with mode 600 if missing), or in the rc file named with --config. It takes the same flags as every command: --brokers, --client-id, --timeout, -X, the security flags and the schema registry's (--registry-url, --registry-username, --registry-password-file, --registry-token-file, --registry-ca); relative paths are stored as absolute ones. The first profile of a file becomes its default; --use makes any new one the default.

Secrets are best kept out of the rc file: --sasl-password-file stores the file's path, and a password left out is asked for when a command needs it (or read from KCLI_SASL_PASSWORD). A secret given with --sasl-password, or typed at the prompt that appears on a terminal when a SASL user has no password, is stored in the rc file, which is then made readable by you alone (chmod 600): kcli refuses rc files holding a secret that others can read.

In the rc file a profile looks like this (the same keys work at the top level, for every profile):
  profiles:
    staging:
      brokers: kafka-1.staging:9093
      security:
        protocol: SASL_SSL
      sasl:
        mechanism: SCRAM-SHA-512
        username: ann
        passwordFile: /home/ann/.kafka/staging.password
      ssl:
        ca: /etc/kafka/staging-ca.pem

Exit codes: 0 added; 2 the profile exists already, an invalid flag, or a file kcli does not edit.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> local --brokers localhost:9092',
    '<%= config.bin %> <%= command.id %> staging -b kafka-1.staging:9093 --sasl-mechanism SCRAM-SHA-512 --sasl-username ann --sasl-password-file ~/.kafka/staging.password --ssl-ca ./ca.pem --use',
    '<%= config.bin %> <%= command.id %> mtls -b kafka:9094 --security-protocol SSL --ssl-ca ca.pem --ssl-cert me.pem --ssl-key me.key',
    '<%= config.bin %> <%= command.id %> prod -b kafka-1.prod:9093 --registry-url https://registry.prod:8081 --registry-username ann --registry-password-file ~/.kafka/registry.password',
  ]

  static override args = {profile: Args.string({required: true, description: 'name of the new profile'})}

  static override flags = {
    ...storedFlags,
    config: Flags.string({description: 'Add to this rc file instead of the user config file'}),
    use: Flags.boolean({description: 'Also make it the default profile'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ConfigAdd)
    if (args.profile.trim() === '') throw usageError('the profile name must not be empty')
    const profile = await profileFromFlags(flags as Record<string, unknown>, process.cwd())
    if (Object.keys(profile).length === 0)
      throw usageError('nothing to store in the profile', 'Give at least --brokers.')
    const target = flags.config === undefined ? userConfigFile() : {file: path.resolve(flags.config), exists: true}
    const typed = connectionKeys
      .filter((k) => k.type === 'secret' && flags[k.flag] !== undefined)
      .map((k) => `--${k.flag}`)
    if (typed.length > 0)
      warn(
        `${typed.join(', ')} on the command line can be seen by other users of this machine (ps); prefer --${typed[0].slice(2)}-file or the prompt`,
      )
    const holdsSecret = containsSecret(profile)
    await addProfile(target.file, args.profile, profile, {makeDefault: flags.use || !target.exists, holdsSecret})
    info(`added profile ${args.profile} to ${target.file}${flags.use || !target.exists ? ' as the default' : ''}`)
  }
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
      throw usageError(
        `--${info.flag} and --${fileVariant.flag(info)} were both given`,
        'Give the secret one way only.',
      )
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

function containsSecret(profile: {[key: string]: Json}): boolean {
  const props = (profile.properties ?? {}) as Record<string, Json>
  if (Object.keys(props).some((k) => isSecretKey(k))) return true
  return connectionKeys.some(
    (k) =>
      k.type === 'secret' &&
      ((profile[k.name.split('.')[0]] ?? {}) as Record<string, Json>)[k.name.split('.')[1]] !== undefined,
  )
}
