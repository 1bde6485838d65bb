// How bin/run.js hands over to oclif. A run of one of kcli's own commands skips what only help and a mistyped command
// need: the manifest of every command (read, parsed and sorted with an ICU collation, ~12 ms) and the help and
// not-found plugins; oclif describes the command from its class instead, which `--help` also uses.
import {Plugin, execute} from '@oclif/core'
import type {Interfaces} from '@oclif/core'

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
