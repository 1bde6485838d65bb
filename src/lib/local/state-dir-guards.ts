// Guards around a state dir for `kcli local start`: one start at a time, and --clean only where kcli made
// everything in the folder.
import {mkdir, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {KcliError, usageError} from '../errors.js'
import {pidExists} from './processes.js'

const lockName = '.start.lock'

/** Two starts on one state dir would both format and spawn, and the loser would orphan the winner's brokers. */
export async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  await mkdir(stateDir, {recursive: true})
  const file = join(stateDir, lockName)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), {flag: 'wx'})
      return () => rm(file, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10)
      if (holder > 0 && holder !== process.pid && pidExists(holder)) {
        throw new KcliError(`another kcli local start (pid ${holder}) is using ${stateDir}`, {
          hint: 'Wait for it to finish.',
        })
      }
      // Left behind by a start that was killed: take it over.
      await rm(file, {force: true})
    }
  }
  throw new KcliError(`could not lock ${stateDir}`)
}

// What `kcli local start` puts in a state dir. --clean deletes the dir's contents only when it holds nothing
// else, so a mistyped --state-dir (a home or project folder) can never be wiped.
const stateDirEntries = new Set([
  'state.json',
  'state.json.tmp',
  'config',
  'data',
  'logs',
  'security',
  'registry',
  lockName,
])

export async function checkCleanable(stateDir: string): Promise<void> {
  const foreign = (await readdir(stateDir)).filter((entry) => !stateDirEntries.has(entry))
  if (foreign.length > 0) {
    throw usageError(
      `refusing to --clean ${stateDir}: it holds ${foreign.slice(0, 3).join(', ')}, which kcli did not create`,
      'Point --state-dir at a folder used only by kcli local.',
    )
  }
}

/** Empties the state dir except for the lock, which the start running this still holds. */
export async function cleanStateDir(stateDir: string): Promise<void> {
  for (const entry of await readdir(stateDir))
    if (entry !== lockName) await rm(join(stateDir, entry), {recursive: true, force: true})
}
