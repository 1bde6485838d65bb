// `kcli config add <profile>`: add a named cluster to the user's config file from flags, without hand-editing.
import {Args, Flags, type Interfaces} from '@oclif/core'

import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {KcliCommand} from '../../lib/command/kcli-command.js'
import {info, warn} from '../../lib/terminal/output.js'
import {addProfileFromFlags, profileFlagWarnings} from '../../lib/settings/profile-flags.js'
import {registryConnectionFlags} from '../../lib/registry/flags.js'

// The connection and security flags of every command, less those about reading settings rather than writing them.
const storedFlags: Interfaces.FlagInput = Object.fromEntries(
  Object.entries({...(KafkaCommand.baseFlags as Interfaces.FlagInput), ...registryConnectionFlags}).filter(
    ([name]) => !['config', 'profile'].includes(name),
  ),
)

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
    for (const warning of profileFlagWarnings(flags)) warn(warning)
    const added = await addProfileFromFlags({
      name: args.profile,
      flags: flags as Record<string, unknown>,
      config: flags.config,
      use: flags.use,
      cwd: process.cwd(),
      env: process.env,
    })
    info(`added profile ${args.profile} to ${added.file}${added.madeDefault ? ' as the default' : ''}`)
  }
}
