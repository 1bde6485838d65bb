// Shell completion, decided here for bash, zsh and fish alike: given the words typed after `kcli`, what can come next
// — a command, a flag, a flag's choices, a file, or names the cluster knows (topics, groups) or the rc file (profiles).
// Pure: the commands come from oclif's config, and the names are looked up by the caller.

export interface FlagSpec {
  char?: string
  /** The flag takes a value (`-t orders`), rather than being a switch. */
  takesValue: boolean
  options?: readonly string[]
  allowNo?: boolean
  aliases?: string[]
}

export interface CommandSpec {
  /** Words of the command, `topic create` as ['topic', 'create']. */
  words: string[]
  flags: Record<string, FlagSpec>
  hidden?: boolean
}

export type NameKind = 'topics' | 'groups' | 'profiles'

export type Completion =
  {kind: 'words'; words: string[]} | {kind: 'files'} | {kind: 'names'; names: NameKind; prefix: string}

/** What each command's arguments are. */
const argumentNames: Record<string, NameKind | 'files'> = {
  consume: 'topics',
  produce: 'files',
  'topic describe': 'topics',
  'topic delete': 'topics',
  'topic add-partitions': 'topics',
  'group describe': 'groups',
  'group delete': 'groups',
  'group reset-offsets': 'groups',
  'config use': 'profiles',
}

/** Flags whose values are names; any other flag whose name says file is completed with files. */
const flagNames: Record<string, NameKind> = {topic: 'topics', group: 'groups', profile: 'profiles'}
const fileFlag =
  /(^|-)(file|config|schema|dead-letter|ca|cert|key|state-dir|kafka-home)$|^(value|key)-schema$|^output-file$/

function startsWith(words: readonly string[], prefix: string): string[] {
  return words.filter((w) => w.startsWith(prefix)).sort()
}

/** The flag a word names (`-t`, `--topic`, `--topic=x`, an alias such as --bootstrap-server), if the command has it. */
function flagOf(spec: CommandSpec, word: string): [string, FlagSpec] | undefined {
  const name = word.split('=')[0]
  for (const [flag, f] of Object.entries(spec.flags)) {
    if (name === `--${flag}` || (f.char !== undefined && name === `-${f.char}`)) return [flag, f]
    if (f.aliases?.some((a) => name === `--${a}`)) return [flag, f]
    if (f.allowNo && name === `--no-${flag}`) return [flag, {...f, takesValue: false}]
  }
  return undefined
}

function valueOf(flag: string, spec: FlagSpec, prefix: string): Completion {
  const names = flagNames[flag]
  if (names) return {kind: 'names', names, prefix}
  if (spec.options) return {kind: 'words', words: startsWith(spec.options, prefix)}
  if (fileFlag.test(flag)) return {kind: 'files'}
  return {kind: 'words', words: []}
}

/**
 * What may come at the last word (the one being typed, possibly empty), given the words before it. `words` are the
 * words after `kcli`.
 */
export function complete(commands: CommandSpec[], words: string[]): Completion {
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const visible = commands.filter((c) => !c.hidden)

  // The command: the longest run of leading words that names one.
  let command: CommandSpec | undefined
  for (const spec of visible) {
    if (spec.words.length <= before.length && spec.words.every((w, i) => before[i] === w))
      if (!command || spec.words.length > command.words.length) command = spec
  }
  if (!command) {
    // Still choosing: the next word of every command that starts with what was typed.
    const next = new Set<string>()
    for (const spec of visible) {
      if (spec.words.length > before.length && before.every((w, i) => spec.words[i] === w))
        next.add(spec.words[before.length])
    }
    return {kind: 'words', words: startsWith([...next], current)}
  }
  // A topic like `topic` is no command: its subcommands go on (handled above when none matched yet).
  const rest = before.slice(command.words.length)
  const previous = rest.at(-1)
  const previousFlag = previous?.startsWith('-') && !previous.includes('=') ? flagOf(command, previous) : undefined
  if (previousFlag?.[1].takesValue) return valueOf(previousFlag[0], previousFlag[1], current)

  if (current.startsWith('--') && current.includes('=')) {
    const flag = flagOf(command, current)
    const name = current.slice(0, current.indexOf('=') + 1)
    if (flag?.[1].takesValue) {
      const value = valueOf(flag[0], flag[1], current.slice(name.length))
      // --flag=value is one word to the shell: prefix the choices with it.
      return value.kind === 'words' ? {kind: 'words', words: value.words.map((w) => name + w)} : value
    }
  }
  if (current.startsWith('-')) {
    const flags: string[] = []
    for (const [flag, f] of Object.entries(command.flags)) {
      flags.push(`--${flag}`)
      if (f.allowNo) flags.push(`--no-${flag}`)
    }
    flags.push('--help')
    return {kind: 'words', words: startsWith(flags, current)}
  }
  const args = argumentNames[command.words.join(' ')]
  if (args === 'files') return {kind: 'files'}
  if (args) return {kind: 'names', names: args, prefix: current}
  return {kind: 'words', words: []}
}

/** The connection flags among the words, so names are looked up where the command will run. */
export function connectionWords(words: string[]): {[flag: string]: string | string[] | boolean} {
  const found: {[flag: string]: string | string[] | boolean} = {}
  const known: Record<string, string> = {
    '-b': 'brokers',
    '--brokers': 'brokers',
    '--bootstrap-server': 'brokers',
    '--bootstrap-servers': 'brokers',
    '--profile': 'profile',
    '--config': 'config',
    '-X': 'property',
    '--property': 'property',
  }
  for (let i = 0; i < words.length; i++) {
    const [name, inline] = words[i].includes('=') && words[i].startsWith('--') ? words[i].split(/=(.*)/s) : [words[i]]
    const flag = known[name] ?? (/^--(sasl|ssl|oauth|security)-/.test(name) ? name.slice(2) : undefined)
    if (flag === undefined) continue
    // Switches take no value.
    if (/^ssl-verify(-hostname)?$/.test(flag)) {
      found[flag] = true
      continue
    }
    const value = inline ?? (words[i + 1]?.startsWith('-') ? undefined : words[++i])
    if (value === undefined) continue
    if (flag === 'property') found.property = [...((found.property as string[] | undefined) ?? []), value]
    else found[flag] = value
  }
  for (const word of words) {
    const off = /^--no-(ssl-verify|ssl-verify-hostname)$/.exec(word)
    if (off) found[off[1]] = false
  }
  return found
}
