// How bin/run.js hands over to oclif. A run of one of kcli's own commands skips what only help and a mistyped command
// need: the manifest of every command (read, parsed and sorted with an ICU collation, ~12 ms) and the help and
// not-found plugins; oclif describes the command from its class instead, which `--help` also uses.
import {Plugin, execute} from '@oclif/core'
import type {Interfaces} from '@oclif/core'

import {invokedCommand, oclifStopsAt} from './lazy-commands.js'

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
  command: {strict?: boolean; args?: Record<string, unknown>}
  /** Every command id, as the full bundle's table has them. */
  ids: readonly string[]
  /** The solo file, relative to the package root. */
  file: string
}

/**
 * Runs the solo command when the arguments invoke it as the full bundle would run it; false otherwise (bin/run.js
 * then starts the full bundle, which answers `kcli produce foo`-like lines and help the way it always has). oclif reads
 * the commands and the help class from this file, not from main.js, which is never loaded.
 */
export async function startSolo(
  root: string,
  pjson: Interfaces.PJSON,
  solo: SoloCommand,
  argv: readonly string[],
): Promise<boolean> {
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
  await start(root, here, solo.id)
  return true
}
