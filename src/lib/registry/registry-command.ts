// The base of `kcli schema ...`: the registry's connection flags and the rc file's (config, profile, timeout),
// settings resolved as every command resolves them, and a registry client; no Kafka connection.
import {Flags} from '@oclif/core'

import {KafkaCommand} from '../command/kafka-command.js'
import {settingsWarnings} from '../settings/checks.js'
import {KcliCommand} from '../command/kcli-command.js'
import {ignoredRcMessage} from '../settings/rc-search.js'
import {type ConnectionFlags, resolveSettings} from '../settings/resolve.js'
import {warn} from '../terminal/output.js'
import {registryClient} from './connect.js'
import {registryConnectionFlags} from './flags.js'
import type {RegistryClient} from './registry-client.js'

export abstract class RegistryCommand extends KcliCommand {
  // No `default:`: an oclif default would beat the environment and the rc file.
  static override baseFlags = {
    ...registryConnectionFlags,
    config: KafkaCommand.baseFlags.config,
    profile: KafkaCommand.baseFlags.profile,
    timeout: Flags.string({
      helpGroup: 'CONNECTION',
      description: 'How long to wait for the registry: seconds, or 500ms, 10s, 1m [default: 10s]',
    }),
  }

  /** A client for the registry the settings name (flags > KCLI_* > rc file). */
  protected async registry(flags: ConnectionFlags): Promise<RegistryClient> {
    const settings = await resolveSettings({flags, env: process.env, cwd: process.cwd()})
    for (const ignored of settings.ignoredFiles) warn(ignoredRcMessage(ignored))
    for (const message of settingsWarnings(settings)) warn(message)
    return registryClient(settings)
  }
}
