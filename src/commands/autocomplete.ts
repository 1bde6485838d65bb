// `kcli autocomplete`: the completion script for bash, zsh or fish, completing names from the cluster too.
import path from 'node:path'

import {Args} from '@oclif/core'

import {KcliCommand} from '../lib/command/kcli-command.js'
import {completionTimeoutMs} from '../lib/completion/names.js'
import {type Shell, completionScript, shells} from '../lib/completion/scripts.js'
import {usageError} from '../lib/errors.js'

export default class Autocomplete extends KcliCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish.'
  static override description = `Completes commands, flags and their choices, files, and names: topic names after -t and for the commands that take topics (consume, topic describe/delete/add-partitions), group ids after -g and for group describe/delete/reset-offsets, profile names after --profile and for config use. Names are read from the cluster, with the -b, --profile, --config or security flags already typed, within ${completionTimeoutMs / 1000} s; when it cannot be reached nothing is offered, and nothing is printed.

Setup:
  bash: add  eval "$(kcli autocomplete bash)"  to ~/.bashrc
  zsh:  add  eval "$(kcli autocomplete zsh)"   to ~/.zshrc, after compinit
  fish: kcli autocomplete fish > ~/.config/fish/completions/kcli.fish

Without an argument, the shell is the one $SHELL names.

Exit codes: 0 printed; 2 a shell kcli has no script for.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> bash >> ~/.bashrc',
    `echo 'eval "$(<%= config.bin %> <%= command.id %> zsh)"' >> ~/.zshrc`,
    '<%= config.bin %> <%= command.id %> fish > ~/.config/fish/completions/<%= config.bin %>.fish',
  ]

  static override args = {
    shell: Args.string({description: 'bash, zsh or fish [default: the one $SHELL names]', options: [...shells]}),
  }

  async run(): Promise<void> {
    const {args} = await this.parse(Autocomplete)
    const shell = args.shell ?? path.basename(process.env.SHELL ?? '')
    if (!(shells as readonly string[]).includes(shell))
      throw usageError(`no completion script for "${shell || 'an unknown shell'}"`, `Name one: ${shells.join(', ')}.`)
    process.stdout.write(completionScript(shell as Shell, this.config.bin))
  }
}
