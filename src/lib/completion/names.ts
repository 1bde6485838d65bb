// Names for shell completion: topics and groups from the cluster, profiles from the rc file. A completion must never
// hang a shell or print into it: a short timeout, no prompt for a secret, and nothing at all when anything fails.
import {ClusterContext} from '../kafka/cluster.js'
import {listGroups} from '../kafka/groups.js'
import {missingSecrets} from '../settings/checks.js'
import {listProfiles} from '../settings/profiles.js'
import {type ConnectionFlags, resolveSettings} from '../settings/resolve.js'
import type {NameKind} from './complete.js'

/**
 * Names a shell can take as one word: a group id may hold anything, and spaces, control characters or quotes would
 * split it, garble the prompt, or be read as shell syntax by a completion script.
 */
const plainName = /^[^\s\p{C}'"`\\$]+$/u

/** How long a completion may wait for the cluster. */
export const completionTimeoutMs = 1500

export async function lookUpNames(
  kind: NameKind,
  flags: ConnectionFlags,
  where: {env: NodeJS.ProcessEnv; cwd: string},
): Promise<string[]> {
  return (await allNames(kind, flags, where)).filter((name) => plainName.test(name))
}

async function allNames(
  kind: NameKind,
  flags: ConnectionFlags,
  where: {env: NodeJS.ProcessEnv; cwd: string},
): Promise<string[]> {
  try {
    if (kind === 'profiles') {
      const list = await listProfiles({config: flags.config, env: where.env, cwd: where.cwd})
      return list.profiles.map((p) => p.name)
    }
    const settings = await resolveSettings({flags, env: where.env, cwd: where.cwd})
    if (missingSecrets(settings).length > 0) return []
    const cluster = new ClusterContext({...settings, timeoutMs: Math.min(settings.timeoutMs, completionTimeoutMs)})
    try {
      if (kind === 'topics') {
        const metadata = await cluster.metadata()
        return metadata.topics.map((t) => t.name)
      }
      return (await listGroups(cluster)).groups.map((g) => g.group)
    } finally {
      await cluster.close(500)
    }
  } catch {
    return []
  }
}
