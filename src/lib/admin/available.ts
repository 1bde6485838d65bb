// The admin calls kcli's patch adds to the client library (patches/admin.md) exist only where the patch was compiled
// in: commands that need one check first and, without it, say in one line what is unavailable and why (exit 1).
import {KcliError} from '../errors.js'
import {dataPath, dataPathVariable} from '../kafka/fast-path.js'

/** Why the patched admin calls cannot serve, or undefined when they can. */
export async function adminCallsMissing(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if ((await dataPath(env)).adminCalls) return undefined
  return env[dataPathVariable] === 'stock'
    ? `${dataPathVariable}=stock selects the library's stock calls`
    : "the library was installed without kcli's patch: a prebuilt binary, or patch-package did not run; see patches/README.md"
}

/**
 * Fails, before anything connects, when the call a command needs is missing: `acl list is unavailable: it needs the
 * client library's DescribeAcls, which kcli's patch adds (here KCLI_DATA_PATH=stock selects the stock calls)`.
 */
export async function requireAdminCalls(command: string, request: string): Promise<void> {
  const missing = await adminCallsMissing()
  if (missing === undefined) return
  throw new KcliError(
    `${command} is unavailable: it needs the client library's ${request}, which kcli's patch adds (here ${missing})`,
  )
}
