// Which project rc files the user has trusted: a path and the hash of what it held when trusted, kept in the user's
// own data folder (as direnv keeps its allow list). A file found by searching a directory is used only while its
// content still has the trusted hash, since it can point kcli, and the user's credentials, at servers it chose.
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import path from 'node:path'

import {lazyBuiltin} from '../builtins.js'
import {usageError} from '../errors.js'

interface TrustEntry {
  sha256: string
  trustedAt: string
}

interface TrustStore {
  version: 1
  files: Record<string, TrustEntry>
}

/** The user's data folder for kcli (never a project's): $XDG_DATA_HOME/kcli, else ~/.local/share/kcli. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'kcli')
  if (process.platform === 'win32')
    return path.join(env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'), 'kcli')
  return path.join(env.XDG_DATA_HOME || path.join(homedir(), '.local', 'share'), 'kcli')
}

export function trustStoreFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userDataDir(env), 'trusted-rc-files.json')
}

/**
 * The hash that trust is given to: the file's bytes, or for package.json only its "kcli" key (dependencies change
 * often).
 */
export function contentHash(file: string, bytes: Buffer): string {
  let material: string | Buffer = bytes
  if (path.basename(file) === 'package.json') {
    try {
      material = JSON.stringify((JSON.parse(bytes.toString('utf8')) as {kcli?: unknown}).kcli ?? null)
    } catch {
      // An unparsable package.json is hashed as bytes: it is never used anyway.
    }
  }
  // Only a run that finds a project rc file hashes one.
  const {createHash} = lazyBuiltin.crypto()
  return createHash('sha256').update(material).digest('hex')
}

function readStore(env: NodeJS.ProcessEnv): TrustStore {
  const file = trustStoreFile(env)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return {version: 1, files: {}}
  }
  try {
    const parsed = JSON.parse(text) as Partial<TrustStore>
    if (typeof parsed.files === 'object' && parsed.files !== null) return {version: 1, files: parsed.files}
  } catch {
    // fall through: a damaged store trusts nothing
  }
  throw usageError(`${file} is damaged`, 'Remove it and trust your project rc files again with `kcli config trust`.')
}

function writeStore(store: TrustStore, env: NodeJS.ProcessEnv): void {
  const file = trustStoreFile(env)
  mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
  const draft = `${file}.${process.pid}.tmp`
  writeFileSync(draft, `${JSON.stringify(store, null, 2)}\n`, {mode: 0o600})
  renameSync(draft, file)
}

export type TrustState = 'trusted' | 'untrusted' | 'changed'

/** Whether a project file with these bytes is trusted; `changed` when it was, but its content differs since. */
export function trustState(file: string, bytes: Buffer, env: NodeJS.ProcessEnv = process.env): TrustState {
  const entry = readStore(env).files[file]
  if (entry === undefined) return 'untrusted'
  return entry.sha256 === contentHash(file, bytes) ? 'trusted' : 'changed'
}

/** Records that the user trusts the file as it is now. Returns the hash that was recorded. */
export function trustFile(file: string, bytes: Buffer, env: NodeJS.ProcessEnv = process.env): string {
  const store = readStore(env)
  const sha256 = contentHash(file, bytes)
  store.files[file] = {sha256, trustedAt: new Date().toISOString()}
  writeStore(store, env)
  return sha256
}

/** Forgets the trust in a file. Returns false when it was not trusted. */
export function untrustFile(file: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const store = readStore(env)
  if (store.files[file] === undefined) return false
  delete store.files[file]
  writeStore(store, env)
  return true
}

export function trustedFiles(env: NodeJS.ProcessEnv = process.env): Array<{file: string} & TrustEntry> {
  return Object.entries(readStore(env).files)
    .map(([file, entry]) => ({file, ...entry}))
    .sort((a, b) => a.file.localeCompare(b.file))
}
