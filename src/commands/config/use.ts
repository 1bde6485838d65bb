// `kcli config use <profile>`: make a profile the default, recorded in the user's config file.
import {Args, Flags} from '@oclif/core'

import {KcliCommand} from '../../lib/command/kcli-command.js'
import {info, warn} from '../../lib/terminal/output.js'
import {chooseDefaultProfile} from '../../lib/settings/profiles.js'
import {envNames} from '../../lib/settings/layers.js'

export default class ConfigUse extends KcliCommand {
  static override summary = 'Make a profile the default one, in your user config file.'
  static override description = `Sets "profile: <name>" in your user config file (config.yaml, config.json, ... in $XDG_CONFIG_HOME/kcli, ~/.config/kcli), or in the rc file named with --config. YAML files are edited in place, keeping their comments; kcli checks the result reads back as intended before it replaces the file. --profile and ${envNames.profile} still win over this choice for one command or one shell.

A project rc file (.kclirc and the others found by searching from the current directory) replaces the user config file where it is found, so the choice does not apply there: kcli says so.

Exit codes: 0 done; 2 no such profile, no user config file, or a file kcli does not edit (JavaScript, package.json).`

  static override examples = [
    '<%= config.bin %> <%= command.id %> staging',
    '<%= config.bin %> <%= command.id %> local --config ./team.kclirc.yaml',
  ]

  static override args = {profile: Args.string({required: true, description: 'name of the profile'})}

  static override flags = {
    config: Flags.string({description: 'Edit this rc file instead of the user config file'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ConfigUse)
    const {file, warnings} = await chooseDefaultProfile({
      name: args.profile,
      config: flags.config,
      cwd: process.cwd(),
      env: process.env,
    })
    info(`default profile is now ${args.profile} (in ${file})`)
    for (const warning of warnings) warn(warning)
  }
}
