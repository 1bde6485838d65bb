// `kcli config profiles`: the named clusters of the rc file in use, marking the one commands would use here.
import {Flags} from '@oclif/core'

import {KcliCommand} from '../../lib/command/kcli-command.js'
import {type ProfileList, listProfiles, renderProfiles} from '../../lib/settings/profiles.js'
import {envNames} from '../../lib/settings/layers.js'

export default class ConfigProfiles extends KcliCommand {
  static override summary = 'List the profiles (named clusters) of the rc file, marking the current one.'
  static override description = `Reads the rc file exactly as every command does (--config, KCLI_CONFIG, or the search described in kcli config show --help) and lists its profiles with their brokers and security protocol. The current profile, marked with *, is --profile, else ${envNames.profile}, else the rc file's "profile" key (set it with kcli config use).

--json prints {"configFile": string|null, "current": string|null, "chosenBy": string|null, "profiles": [{"name", "brokers", "securityProtocol", "current"}]}.

Exit codes: 0 listed (also when there are none); 2 an invalid rc file, or an unknown current profile.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
    'KCLI_PROFILE=staging <%= config.bin %> <%= command.id %>',
  ]

  static override enableJsonFlag = true

  static override flags = {
    config: Flags.string({description: 'Read this rc file instead of searching for one'}),
    profile: Flags.string({description: `Mark this profile as current [env: ${envNames.profile}]`}),
  }

  async run(): Promise<ProfileList> {
    const {flags} = await this.parse(ConfigProfiles)
    const list = await listProfiles({
      profile: flags.profile,
      config: flags.config,
      env: process.env,
      cwd: process.cwd(),
    })
    this.log(renderProfiles(list))
    return list
  }
}
