// `kcli config untrust [file]`: stop using a project rc file (direnv's `deny`).
import {Args} from '@oclif/core'

import {KcliCommand} from '../../lib/command/kcli-command.js'
import {info, terminalSafe} from '../../lib/terminal/output.js'
import {untrustProjectFile} from '../../lib/settings/trust.js'

export default class ConfigUntrust extends KcliCommand {
  static override summary = 'Stop trusting a project rc file: kcli ignores it again.'
  static override description = `Removes the file from the trusted rc files (see kcli config trust --help). Without a file, acts on the project rc file found from the current folder.

Exit codes: 0 done (also when the file was not trusted); 2 no project rc file found.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> ~/src/shop/.kclirc.yaml',
  ]

  static override args = {file: Args.string({description: 'the rc file [default: the one found from here]'})}

  async run(): Promise<void> {
    const {args} = await this.parse(ConfigUntrust)
    const {file, wasTrusted} = untrustProjectFile({file: args.file, cwd: process.cwd(), env: process.env})
    info(wasTrusted ? `${terminalSafe(file)} is no longer trusted` : `${terminalSafe(file)} was not trusted`)
  }
}
