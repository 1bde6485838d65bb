// The bundle's command table (oclif's "explicit" strategy reads it synchronously): filled with only the invoked
// command's module, so a one-shot `kcli produce` does not load and compile every other command and what it imports.
// Anything else (help, the manifest build, a mistyped command) gets every command, as oclif expects.

export type CommandLoaders = Record<string, () => Promise<{default: unknown}>>

/**
 * The id oclif will run for these arguments, when it is one of `ids`: words before the first flag, joined with ':' as
 * the space topic separator does (`group describe g` is `group:describe`), the longest known prefix winning.
 */
export function invokedCommand(ids: readonly string[], argv: readonly string[]): string | undefined {
  const words: string[] = []
  for (const arg of argv) {
    if (arg.startsWith('-')) break
    words.push(...arg.split(':'))
  }
  const known = new Set(ids)
  for (let n = words.length; n > 0; n--) {
    const id = words.slice(0, n).join(':')
    if (known.has(id)) return id
  }
  return undefined
}

export async function loadCommands(
  loaders: CommandLoaders,
  argv: readonly string[],
): Promise<{commands: Record<string, unknown>; invoked: string | undefined}> {
  const invoked = invokedCommand(Object.keys(loaders), argv)
  const ids = invoked ? [invoked] : Object.keys(loaders)
  const modules = await Promise.all(ids.map((id) => loaders[id]!()))
  return {commands: Object.fromEntries(ids.map((id, n) => [id, modules[n]!.default])), invoked}
}
