// The bundle's command table (oclif's "explicit" strategy reads it synchronously): filled with only the invoked
// command's module, so a one-shot `kcli produce` does not load and compile every other command and what it imports.
// Anything else (help, the manifest build, a mistyped command) gets every command, as oclif expects.

export type CommandLoaders = Record<string, () => Promise<{default: unknown}>>

/** A known command id at the start of the arguments, and the word after it. */
export interface Invocation {
  id: string
  next: string | undefined
}

/**
 * The known command id the arguments start with, found the way oclif's space topic separator does: a first word with
 * a colon is the id as it is; otherwise words before the first flag (or key=value) joined with ':', the longest
 * known id winning (`group describe g` is `group:describe`). Whether oclif stops there depends on the command too
 * (oclifStopsAt).
 */
export function invokedCommand(ids: readonly string[], argv: readonly string[]): Invocation | undefined {
  const known = new Set(ids)
  const first = argv[0]
  if (first === undefined) return undefined
  if (first.includes(':')) return known.has(first) ? {id: first, next: undefined} : undefined
  let words = 0
  while (words < argv.length && !argv[words].startsWith('-') && !argv[words].includes('=')) words++
  for (let n = words; n > 0; n--) {
    const id = argv.slice(0, n).join(':')
    if (known.has(id)) return {id, next: argv[n]}
  }
  return undefined
}

/**
 * Whether oclif takes the command found by invokedCommand as the one to run. It reads the next word as more of the
 * id when that makes a known id or topic, or when the command takes no arguments (`kcli topic list foo` is the
 * unknown command `topic list foo`, which only the full start answers, with exit 127 and suggestions).
 */
export function oclifStopsAt(
  ids: readonly string[],
  invocation: Invocation,
  command: {strict?: boolean; args?: Record<string, unknown>},
): boolean {
  const {id, next} = invocation
  if (next === undefined || next.startsWith('-') || next.includes('=')) return true
  const longer = `${id}:${next}`
  if (ids.some((known) => known === longer || known.startsWith(`${longer}:`))) return false
  return command.strict === false || Object.keys(command.args ?? {}).length > 0
}

export async function loadCommands(
  loaders: CommandLoaders,
  argv: readonly string[],
): Promise<{commands: Record<string, unknown>; invoked: string | undefined}> {
  const ids = Object.keys(loaders)
  const invocation = invokedCommand(ids, argv)
  if (invocation) {
    const command = (await loaders[invocation.id]!()).default as {strict?: boolean; args?: Record<string, unknown>}
    if (oclifStopsAt(ids, invocation, command)) return {commands: {[invocation.id]: command}, invoked: invocation.id}
  }
  const modules = await Promise.all(ids.map((id) => loaders[id]!()))
  return {commands: Object.fromEntries(ids.map((id, n) => [id, modules[n]!.default])), invoked: undefined}
}
