// `kcli __complete -- <words>`: what the completion scripts of `kcli autocomplete` offer next. Never fails: a shell
// waiting on a completion gets candidates, or nothing.
import {KcliCommand} from '../lib/command/kcli-command.js'
import {type CommandSpec, complete, connectionWords} from '../lib/completion/complete.js'
import {lookUpNames} from '../lib/completion/names.js'
import {abandonedConnects} from '../lib/kafka/client.js'
import type {ConnectionFlags} from '../lib/settings/resolve.js'

export default class Complete extends KcliCommand {
  static override hidden = true
  static override strict = false
  static override summary = 'Completion candidates for the scripts of kcli autocomplete, one a line.'
  static override description = `The words after kcli, the last one being typed (possibly empty), come after --. Prints one candidate a line, or :files where the shell should complete file names.

Exit codes: 0 always.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> -- topic de',
    "<%= config.bin %> <%= command.id %> -- consume -t ''",
  ]

  async run(): Promise<void> {
    const {argv} = await this.parse(Complete)
    const words = (argv as string[]).length > 0 ? (argv as string[]) : ['']
    const commands: CommandSpec[] = this.config.commands.map((c) => ({
      words: c.id.split(':'),
      hidden: c.hidden,
      flags: Object.fromEntries(
        Object.entries(c.flags)
          .filter(([, f]) => !f.hidden)
          .map(([name, f]) => [
            name,
            {
              char: f.char,
              takesValue: f.type === 'option',
              options: f.type === 'option' ? f.options : undefined,
              allowNo: f.type === 'boolean' ? f.allowNo : false,
              aliases: f.aliases,
            },
          ]),
      ),
    }))
    const result = complete(commands, words)
    let out: string[]
    if (result.kind === 'files') out = [':files']
    else if (result.kind === 'words') out = result.words
    else {
      const flags = connectionWords(words.slice(0, -1)) as ConnectionFlags
      const names = await lookUpNames(result.names, flags, {env: process.env, cwd: process.cwd()})
      // Kafka's internal topics only when asked for by their prefix.
      out = names
        .filter((n) => n.startsWith(result.prefix) && (result.prefix.startsWith('__') || !n.startsWith('__')))
        .sort()
    }
    if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`)
  }

  // A completion prints nothing but candidates: no error line may land in the shell.
  protected override async catch(): Promise<void> {
    process.exitCode = 0
  }

  // A connect given up on at the completion's short timeout would hold the shell until the binding lets go.
  protected override async finally(err: Error | undefined): Promise<void> {
    await super.finally(err)
    if (abandonedConnects() > 0) process.exit()
  }
}
