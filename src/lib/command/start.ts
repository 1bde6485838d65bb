// How bin/run.js hands over to oclif. A run of one of kcli's own commands skips what only help and a mistyped command
// need: the manifest of every command (read, parsed and sorted with an ICU collation, ~12 ms) and the help and
// not-found plugins; oclif describes the command from its class instead, which `--help` also uses.
import {Config, Errors, Plugin, execute, flush} from '@oclif/core'
import type {Command, Interfaces} from '@oclif/core'

import {invokedCommand, oclifStopsAt} from './lazy-commands.js'
import {stdoutUsed} from '../terminal/stdout-guard.js'

export async function start(root: string, pjson: Interfaces.PJSON, invoked: string | undefined): Promise<void> {
  // Completion lists every command, plugin-help's `help` among them.
  if (!invoked || invoked === '__complete') {
    await execute({loadOptions: {root, pjson}})
    return
  }
  const plugin = new Plugin({root, pjson, isRoot: true, ignoreManifest: true})
  await plugin.load()
  await execute({loadOptions: {root, pjson, plugins: new Map([[plugin.name, plugin]])}})
}

/** A command bundled with everything it uses in one file (scripts/bundle.mjs says which, and why). */
export interface SoloCommand {
  id: string
  command: {strict?: boolean; args?: Record<string, unknown>; id?: string}
  /** Every command id, as the full bundle's table has them. */
  ids: readonly string[]
  /** The solo file, relative to the package root. */
  file: string
}

/**
 * Runs the solo command when the arguments invoke it as the full bundle would run it, and says whether it ran the
 * command or gave its help (bin/run.js keeps a code cache of a command's run only); false otherwise (bin/run.js then
 * starts the full bundle, which answers `kcli produce foo`-like lines the way it always has). Help goes through oclif's
 * own start, reading the commands and the help class from this file: main.js is never loaded.
 */
export async function startSolo(
  root: string,
  pjson: Interfaces.PJSON,
  solo: SoloCommand,
  argv: readonly string[],
): Promise<'command' | 'help' | false> {
  const invocation = invokedCommand(solo.ids, argv)
  if (invocation?.id !== solo.id || !oclifStopsAt(solo.ids, invocation, solo.command)) return false
  const oclif = pjson.oclif as Interfaces.PJSON['oclif'] & {commands: object; helpClass: object}
  const here = {
    ...pjson,
    oclif: {
      ...oclif,
      commands: {...oclif.commands, target: `./${solo.file}`},
      helpClass: {...oclif.helpClass, target: `./${solo.file}`},
    },
  }
  if (asksForHelp(argv, here)) {
    await start(root, here, solo.id)
    return 'help'
  }
  // As oclif runs a command: its id set on the class, the words of the id left out of its arguments.
  solo.command.id = solo.id
  const words = argv[0]!.includes(':') ? 1 : solo.id.split(':').length
  const command = new (solo.command as unknown as new (argv: string[], config: Config) => Command)(
    argv.slice(words),
    lightConfig(root, here, solo),
  )
  try {
    await (command as unknown as {_run(): Promise<unknown>})._run()
    // oclif's flush asks for process.stdout: in a run that never did, that alone would build the stream.
    if (stdoutUsed()) flush()
  } catch (error) {
    await Errors.handle(error as Error)
  }
  return 'command'
}

/** Help flags before any `--`, as oclif looks for them. */
function asksForHelp(argv: readonly string[], pjson: Interfaces.PJSON): boolean {
  const flags = ['--help', ...(pjson.oclif.additionalHelpFlags ?? [])]
  for (const arg of argv) {
    if (arg === '--') return false
    if (flags.includes(arg)) return true
  }
  return false
}

/**
 * What a running kcli command reads of oclif's Config, without loading one: Config.load reads the plugin from the
 * command table and probes the platform, shell and theme, and oclif's way to a command loads it twice (~10–15 ms of
 * every start, measured in bench/README.md). A command reads its bin (for `KCLI_CONTENT_TYPE` and `KCLI_DEBUG`) and
 * user agent, the command ids for oclif's check of deprecated aliases, and runs the hooks of `preparse`: kcli has
 * none. Nothing else is set: its commands, topics and plugins are not there for anything that would list them (help
 * and completion use the real Config).
 */
function lightConfig(root: string, pjson: Interfaces.PJSON, solo: SoloCommand): Config {
  const bin = pjson.oclif.bin ?? pjson.name
  const config = Object.assign(Object.create(Config.prototype) as Config, {
    options: {root, pjson},
    root,
    pjson,
    name: pjson.name,
    version: pjson.version,
    bin,
    dirname: pjson.oclif.dirname ?? bin,
    topicSeparator: pjson.oclif.topicSeparator ?? ':',
    platform: process.platform,
    arch: process.arch,
    windows: process.platform === 'win32',
    userAgent: `${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}`,
    plugins: new Map(),
    _commandIDs: [...solo.ids],
    findCommand: (id: string) => (id === solo.id ? solo.command : undefined),
    runHook: async () => ({successes: [], failures: []}),
  })
  // As Config.load does: KCLI_DEBUG=1 also has oclif print the stack of each warning.
  ;(config as unknown as {maybeAdjustDebugSetting(): void}).maybeAdjustDebugSetting()
  return config
}
