// `kcli config trust [file]`: use a project rc file from now on, as it is now (direnv's `allow`).
import {Args, Flags} from '@oclif/core'

import {KcliCommand} from '../../lib/command/kcli-command.js'
import {info} from '../../lib/terminal/output.js'
import {
  type TrustReport,
  type TrustedFileRow,
  listTrustedFiles,
  renderTrustReport,
  renderTrustedFiles,
  trustProjectFile,
} from '../../lib/settings/trust.js'

export default class ConfigTrust extends KcliCommand {
  static override summary = 'Trust a project rc file, so that kcli uses it from now on.'
  static override description = `An rc file that kcli finds by searching the current folder and its parents (package.json's "kcli" key, .kclirc, .kclirc.json, .kclirc.yaml, .kclirc.yml) belongs to whoever wrote that project, and it can point kcli, and the credentials in your environment and files, at servers of its choosing. So kcli ignores such a file, saying so in one line, until you have read it and trusted it here.

Trust is given to the file's path and its content (a SHA-256 hash, kept in $XDG_DATA_HOME/kcli/trusted-rc-files.json, ~/.local/share/kcli); once the file changes it is ignored again until you trust it again. Files you name with --config or KCLI_CONFIG, your user config file (~/.config/kcli/config.yaml) and rc files in your home folder need no trust. JavaScript rc files are never read from a project: name them with --config.

Without a file, trusts the project rc file kcli finds from the current folder. --list shows the trusted files and whether each is unchanged.

--json prints {"file", "sha256", "keys"} (the keys the file sets), or with --list [{"file", "trustedAt", "state"}] where state is trusted, changed or missing.

Exit codes: 0 trusted; 2 no project rc file found, or the file is not a valid rc file.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> ../.kclirc.yaml',
    '<%= config.bin %> <%= command.id %> --list',
  ]

  static override enableJsonFlag = true
  static override args = {file: Args.string({description: 'the rc file to trust [default: the one found from here]'})}
  static override flags = {list: Flags.boolean({description: 'List the trusted rc files'})}

  async run(): Promise<TrustReport | TrustedFileRow[]> {
    const {args, flags} = await this.parse(ConfigTrust)
    if (flags.list) {
      const rows = listTrustedFiles(process.env)
      this.log(renderTrustedFiles(rows))
      return rows
    }
    const report = await trustProjectFile({file: args.file, cwd: process.cwd(), env: process.env})
    if (!this.jsonEnabled()) info(renderTrustReport(report))
    return report
  }
}
