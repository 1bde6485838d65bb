// kcli's --help: a one-line USAGE (the flags are listed below it, by group, not repeated in it), and the connection and
// security settings shared by every command in one line each, their variables named once.
import {type Command, CommandHelp, Help} from '@oclif/core'

type Flag = Command.Flag.Any
type Section = ReturnType<CommandHelp['sections']>[number]

/** Groups shown one line a flag: `--x-file` joins its `--x` as `--x[-file]`, and `[env: KCLI_X]` is said once. */
const compactGroups = new Set(['SECURITY'])
const envNote = /\s*\[env: KCLI_[A-Z_]+\]/g

export function usageLine(id: string, args: string[], required: string[], hasFlags: boolean): string {
  return [id, ...args, ...required, ...(hasFlags ? ['[FLAGS]'] : [])].join(' ')
}

class KcliCommandHelp extends CommandHelp {
  protected override defaultUsage(): string {
    const args = Object.values(this.command.args ?? {})
      .filter((a) => !a.hidden)
      .map((a) => this.arg(a))
    const flags = Object.values(this.command.flags ?? {}).filter((f) => !f.hidden)
    const required = flags.filter((f) => f.required).map((f) => `${f.char ? `-${f.char}` : `--${f.name}`} <value>`)
    return usageLine(
      this.command.id,
      args,
      required,
      flags.some((f) => !f.required),
    )
  }

  protected override sections(): Section[] {
    return super
      .sections()
      .map((section) =>
        section.header === 'FLAGS' ? {...section, generate: (input) => this.groupedFlags(input.flags)} : section,
      )
  }

  private groupedFlags(flags: Flag[]): Array<{header: string; body: ReturnType<CommandHelp['flags']>}> {
    const {flagGroups, mainFlags} = this.groupFlags(flags)
    const sections: Array<{header: string; body: ReturnType<CommandHelp['flags']>}> = []
    const main = this.flags(mainFlags)
    if (main) sections.push({header: 'FLAGS', body: main})
    for (const [name, group] of Object.entries(flagGroups)) {
      const compact = compactGroups.has(name.toUpperCase())
      const body = compact ? this.compactFlags(group) : this.flags(group)
      if (!body) continue
      const note =
        compact && group.some((f) => envNote.test(f.description ?? '')) ? ' (each also a KCLI_* variable)' : ''
      envNote.lastIndex = 0
      sections.push({header: `${name.toUpperCase()} FLAGS${note}`, body})
    }
    return sections
  }

  private compactFlags(flags: Flag[]): Array<[string, string | undefined]> {
    const names = new Set(flags.map((f) => f.name))
    return flags
      .filter((f) => !(f.name.endsWith('-file') && names.has(f.name.slice(0, -'-file'.length))))
      .map((f) => {
        const withFile = names.has(`${f.name}-file`)
        const label = f.type === 'boolean' && f.allowNo ? `--[no-]${f.name}` : `--${f.name}${withFile ? '[-file]' : ''}`
        const description = (f.summary ?? f.description ?? '').replace(envNote, '').split('\n')[0]
        return [label, description]
      })
  }
}

export default class KcliHelp extends Help {
  protected override CommandHelpClass = KcliCommandHelp
}
