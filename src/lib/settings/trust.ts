// `kcli config trust` / `untrust`: which project rc file they act on, what it sets, and the record in the trust store.
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {usageError} from '../errors.js'
import {rcLayers, rcKeyName} from './rc-file.js'
import {findProjectFile, loadNamed, userConfigDir} from './rc-search.js'
import {trustFile, trustState, trustedFiles, untrustFile} from './trust-store.js'
import {type SecurityKey, fileVariant, keyInfo} from './security.js'
import type {SettingsLayer} from './layers.js'
import {renderTable, terminalSafe} from '../terminal/output.js'

export interface TrustReport {
  file: string
  sha256: string
  /** The keys the file sets, as `config show` names them (profiles.<name>.<key> inside profiles). */
  keys: string[]
}

/** The file to act on: the one named, or the nearest project file from `cwd`. */
function chooseFile(file: string | undefined, cwd: string, env: NodeJS.ProcessEnv): string {
  if (file !== undefined) return path.resolve(cwd, file)
  const found = findProjectFile(cwd, env)
  if (found === undefined)
    throw usageError(
      `no project rc file found from ${cwd}`,
      'kcli looks for package.json ("kcli" key), .kclirc, .kclirc.json, .kclirc.yaml and .kclirc.yml here and in the parent folders.',
    )
  if (found.state === 'own') throw usageError(`${found.file} is in your home folder: it is your own and needs no trust`)
  return found.file
}

function layerKeys(layer: SettingsLayer): string[] {
  const keys: string[] = []
  if (layer.brokers) keys.push('brokers')
  if (layer.clientId) keys.push('clientId')
  if (layer.timeoutMs) keys.push('timeout')
  if (layer.topic) keys.push('topic')
  if (layer.profile) keys.push('profile')
  for (const [key, value] of Object.entries(layer.security ?? {})) {
    const info = keyInfo(key as SecurityKey)
    keys.push(typeof value === 'object' && 'file' in value ? fileVariant.name(info) : info.name)
  }
  for (const key of Object.keys(layer.properties ?? {})) keys.push(`properties.${key}`)
  return keys.map((k) => rcKeyName(layer.source, k))
}

/** Records trust in a project rc file as it is now, after checking that it is a valid rc file. */
export async function trustProjectFile(input: {
  file?: string
  cwd: string
  env: NodeJS.ProcessEnv
}): Promise<TrustReport> {
  const file = chooseFile(input.file, input.cwd, input.env)
  if (/\.(c|m)?js$|\.ts$/.test(file))
    throw usageError(
      `${file}: JavaScript rc files are never used from a project`,
      `Name it with --config, or move it to ${userConfigDir(input.env)}.`,
    )
  const rc = await loadNamed(file, input.cwd)
  const {top, profiles} = rcLayers(rc.content, rc.file)
  const sha256 = trustFile(rc.file, readFileSync(rc.file), input.env)
  return {file: rc.file, sha256, keys: [top, ...profiles.values()].flatMap((l) => layerKeys(l))}
}

export function untrustProjectFile(input: {file?: string; cwd: string; env: NodeJS.ProcessEnv}): {
  file: string
  wasTrusted: boolean
} {
  const file = chooseFile(input.file, input.cwd, input.env)
  return {file, wasTrusted: untrustFile(file, input.env)}
}

export interface TrustedFileRow {
  file: string
  trustedAt: string
  /** trusted: unchanged; changed: edited since (ignored until trusted again); missing: no longer there. */
  state: 'trusted' | 'changed' | 'missing'
}

export function listTrustedFiles(env: NodeJS.ProcessEnv): TrustedFileRow[] {
  return trustedFiles(env).map((entry) => {
    let state: TrustedFileRow['state']
    try {
      state = trustState(entry.file, readFileSync(entry.file), env) === 'trusted' ? 'trusted' : 'changed'
    } catch {
      state = 'missing'
    }
    return {file: entry.file, trustedAt: entry.trustedAt, state}
  })
}

// Below here: printing.

/** What `kcli config trust` tells on stderr: the file, its hash and the keys it sets. */
export function renderTrustReport(report: TrustReport): string {
  const keys = report.keys.length === 0 ? 'it sets nothing' : `it sets ${terminalSafe(report.keys.join(', '))}`
  return `trusted ${terminalSafe(report.file)} (sha256 ${report.sha256.slice(0, 12)}…)\n${keys}`
}

/** FILE STATE TRUSTED AT, one row per trusted file. */
export function renderTrustedFiles(rows: TrustedFileRow[]): string {
  if (rows.length === 0) return 'no trusted rc files'
  return renderTable([
    ['FILE', 'STATE', 'TRUSTED AT'],
    ...rows.map((r) => [terminalSafe(r.file), r.state, r.trustedAt]),
  ])
}
