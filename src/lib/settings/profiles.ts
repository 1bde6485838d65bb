// Named clusters (profiles) in rc files: listing them, choosing the default one, and adding one without hand-editing.
// Edits keep a YAML file's comments and layout, and are checked by reading the result back before it replaces the file.
import {existsSync} from 'node:fs'
import {chmod, mkdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import {isDeepStrictEqual} from 'node:util'
import path from 'node:path'

import {usageError} from '../errors.js'
import {rcLayers, unknownProfile} from './rc-file.js'
import {findRcFile, loadNamed, userConfigDir, userConfigNames} from './rc-search.js'
import {inferProtocol} from './security.js'
import {type SettingsLayer, envNames} from './layers.js'
import {renderTable, terminalSafe} from '../terminal/output.js'

export interface ProfileRow {
  name: string
  brokers: string[]
  /** security.protocol as written in the profile (or the rc file's top level), if any. */
  securityProtocol: string | null
  current: boolean
}

export interface ProfileList {
  configFile: string | null
  /** The profile commands would use here, or null. */
  current: string | null
  /** What chose it: --profile, KCLI_PROFILE, or the rc file. */
  chosenBy: string | null
  profiles: ProfileRow[]
}

/** The user's config file: the existing one in the user config folder, else where a new one goes. */
export function userConfigFile(env: NodeJS.ProcessEnv = process.env): {file: string; exists: boolean} {
  const dir = userConfigDir(env)
  const found = userConfigNames.map((n) => path.join(dir, n)).find((f) => existsSync(f))
  return found ? {file: found, exists: true} : {file: path.join(dir, 'config.yaml'), exists: false}
}

export async function listProfiles(input: {
  profile?: string
  config?: string
  env: NodeJS.ProcessEnv
  cwd: string
}): Promise<ProfileList> {
  const {rc} = await findRcFile({explicit: input.config ?? input.env[envNames.config], cwd: input.cwd, env: input.env})
  if (!rc) return {configFile: null, current: null, chosenBy: null, profiles: []}
  const {top, profiles} = rcLayers(rc.content, rc.file)
  const fromEnv = input.env[envNames.profile] || undefined
  const current = input.profile ?? fromEnv ?? top.profile ?? null
  const chosenBy =
    input.profile !== undefined
      ? '--profile'
      : fromEnv !== undefined
        ? envNames.profile
        : top.profile !== undefined
          ? rc.file
          : null
  if (current !== null && !profiles.has(current))
    throw unknownProfile(current, rc.file, [...profiles.keys()], chosenBy ?? rc.file)
  // The protocol as a command would use it: written, given as a property, or implied by the sasl and ssl keys.
  const protocolOf = (layer: SettingsLayer) => {
    const value =
      layer.security?.securityProtocol ??
      top.security?.securityProtocol ??
      layer.properties?.['security.protocol'] ??
      top.properties?.['security.protocol']
    return typeof value === 'string' ? value : (inferProtocol({...top.security, ...layer.security}) ?? null)
  }
  const rows = [...profiles.entries()].map(([name, layer]) => ({
    name,
    brokers: layer.brokers ?? top.brokers ?? [],
    securityProtocol: protocolOf(layer),
    current: name === current,
  }))
  return {configFile: rc.file, current, chosenBy, profiles: rows}
}

export type Json = string | number | boolean | null | Json[] | {[key: string]: Json}

function yamlScalar(value: Json): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const text = String(value)
  // Plain when YAML cannot read it as anything but this string; otherwise double-quoted (JSON's quoting is valid YAML).
  const plain =
    /^[A-Za-z0-9_./@-][A-Za-z0-9_./:,@+-]*$/.test(text) &&
    !/^(true|false|yes|no|on|off|null|~|[-+]?[\d.]+(e[-+]?\d+)?)$/i.test(text)
  return plain ? text : JSON.stringify(text)
}

/** A YAML block for a mapping of scalars and mappings, indented by `indent` spaces. */
export function yamlBlock(value: {[key: string]: Json}, indent: number): string {
  const pad = ' '.repeat(indent)
  let out = ''
  for (const [key, item] of Object.entries(value)) {
    const name = yamlScalar(key)
    if (item !== null && typeof item === 'object' && !Array.isArray(item))
      out += `${pad}${name}:\n${yamlBlock(item, indent + 2)}`
    else if (Array.isArray(item)) out += `${pad}${name}: [${item.map((i) => yamlScalar(i)).join(', ')}]\n`
    else out += `${pad}${name}: ${yamlScalar(item)}\n`
  }
  return out
}

function isYaml(file: string): boolean {
  return /\.ya?ml$/.test(file) || path.basename(file) === 'config' || path.basename(file) === '.kclirc'
}

/** Reads a file as every command does (the loader follows the extension; none means YAML). */
async function parseFile(file: string): Promise<unknown> {
  return (await loadNamed(file, path.dirname(file))).content ?? {}
}

/** Sets `profile: name` at the top level of YAML text. */
function yamlWithDefault(text: string, name: string): string {
  const line = `profile: ${yamlScalar(name)}`
  if (/^profile:.*$/m.test(text)) return text.replace(/^profile:.*$/m, line)
  return `${line}\n${text}`
}

/** Adds `name:` with its settings under the top-level `profiles:` of YAML text, creating that key when missing. */
function yamlWithProfile(text: string, name: string, settings: {[key: string]: Json}): string {
  const match = /^profiles:[ \t]*(#.*)?$/m.exec(text)
  if (!match)
    return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}profiles:\n${yamlBlock({[name]: settings}, 2)}`
  const after = match.index + match[0].length + 1
  // Follow the indentation of the profiles already there.
  const next = /^([ \t]+)\S/m.exec(text.slice(after))
  const indent = next ? next[1].length : 2
  return `${text.slice(0, after)}${yamlBlock({[name]: settings}, indent)}${text.slice(after)}`
}

/**
 * Rewrites an rc file with `change` applied to its content: JSON is rewritten whole; YAML is edited as text with
 * `editYaml`, and the edit is kept only if the file then reads back exactly as `change` says. The mode is kept,
 * and made 600 when `private` is set; a file that does not exist is created with mode 600.
 */
async function editRcFile(
  file: string,
  change: (content: Record<string, Json>) => Record<string, Json>,
  editYaml: (text: string) => string,
  options: {private: boolean},
): Promise<void> {
  if (/\.(c|m)?js$|\.ts$/.test(file) || path.basename(file) === 'package.json') {
    throw usageError(
      `kcli does not edit ${file}`,
      'Make the change in the file by hand, or name a YAML or JSON rc file with --config.',
    )
  }
  const exists = existsSync(file)
  const before = exists ? ((await parseFile(file)) as Record<string, Json>) : {}
  if (typeof before !== 'object' || before === null || Array.isArray(before))
    throw usageError(`${file}: expected an object of settings`)
  const wanted = change(structuredClone(before))
  const yaml = isYaml(file) || !exists
  const text = exists ? await readFile(file, 'utf8') : ''
  const draftText = yaml ? editYaml(text) : `${JSON.stringify(wanted, null, 2)}\n`
  const draft = path.join(path.dirname(file), `.kcli-edit-${process.pid}${yaml ? '.yaml' : '.json'}`)
  const mode = options.private || !exists ? 0o600 : (await stat(file)).mode & 0o777
  await mkdir(path.dirname(file), {recursive: true, mode: 0o700})
  try {
    await writeFile(draft, draftText, {mode: 0o600})
    const after = await parseFile(draft).catch(() => undefined)
    if (!isDeepStrictEqual(after, wanted)) {
      throw usageError(
        `cannot edit ${file} safely: its layout is more than kcli's simple edit can follow`,
        `Add this by hand:\n${yamlBlock(wanted, 0)}`,
      )
    }
    await chmod(draft, mode)
    await rename(draft, file)
  } finally {
    await rm(draft, {force: true})
  }
}

/** Makes `name` the default profile of the rc file (`profile: name`); the profile must exist there. */
export async function useProfile(file: string, name: string): Promise<void> {
  if (!existsSync(file))
    throw usageError(
      `${file} does not exist`,
      'Add a profile first with kcli config add <profile> --brokers <host:port>.',
    )
  const content = await parseFile(file)
  const {profiles} = rcLayers(content, file)
  if (!profiles.has(name)) throw unknownProfile(name, file, [...profiles.keys()], 'kcli config use')
  await editRcFile(
    file,
    (c) => ({...c, profile: name}),
    (text) => yamlWithDefault(text, name),
    {private: false},
  )
}

/**
 * `kcli config use`: makes `name` the default profile of `file` (the user config file unless --config named one), and
 * says what would still keep the choice from applying here: a project rc file in the way, or KCLI_PROFILE.
 */
export async function chooseDefaultProfile(input: {
  name: string
  config?: string
  cwd: string
  env: NodeJS.ProcessEnv
}): Promise<{file: string; warnings: string[]}> {
  const file = input.config ?? userConfigFile(input.env).file
  await useProfile(file, input.name)
  const warnings: string[] = []
  if (input.config === undefined && !input.env[envNames.config]) {
    const inUse = (await findRcFile({cwd: input.cwd, env: input.env}).catch(() => undefined))?.rc
    if (inUse && inUse.file !== file)
      warnings.push(
        `${inUse.file} is the rc file here, so this choice does not apply in this directory; use --profile or ${envNames.profile}`,
      )
  }
  if (input.env[envNames.profile])
    warnings.push(`${envNames.profile}=${input.env[envNames.profile]} is set in this shell and wins over the default`)
  return {file, warnings}
}

/** Adds a profile to the rc file (created when missing); `makeDefault` also makes it the default. */
export async function addProfile(
  file: string,
  name: string,
  settings: {[key: string]: Json},
  options: {makeDefault: boolean; holdsSecret: boolean},
): Promise<void> {
  const content = existsSync(file) ? await parseFile(file) : {}
  const {profiles} = rcLayers(content, file)
  if (profiles.has(name))
    throw usageError(`${file} already has a profile "${name}"`, 'Edit it there, or remove it and add it again.')
  // Check the new profile the way every command will read it, before touching the file.
  rcLayers({profiles: {[name]: settings}}, file)
  await editRcFile(
    file,
    (c) => {
      const result: Record<string, Json> = options.makeDefault ? {...c, profile: name} : {...c}
      result.profiles = {...((c.profiles as Record<string, Json> | undefined) ?? {}), [name]: settings}
      return result
    },
    (text) => {
      const added = yamlWithProfile(text, name, settings)
      return options.makeDefault ? yamlWithDefault(added, name) : added
    },
    {private: options.holdsSecret},
  )
}

// Below here: printing.

/** The profiles table of `kcli config profiles`, * marking the current one, with the rc file and what chose it. */
export function renderProfiles(list: ProfileList): string {
  if (list.configFile === null)
    return 'no rc file found; add a profile with kcli config add <profile> --brokers <host:port>'
  const where = `rc file: ${terminalSafe(list.configFile)}`
  if (list.profiles.length === 0) return `no profiles in it\n\n${where}`
  const rows = [
    ['', 'PROFILE', 'BROKERS', 'SECURITY'],
    ...list.profiles.map((p) => [
      p.current ? '*' : '',
      terminalSafe(p.name),
      terminalSafe(p.brokers.join(',') || '-'),
      p.securityProtocol ?? '-',
    ]),
  ]
  const chosen =
    list.current === null
      ? 'no current profile'
      : `current: ${terminalSafe(list.current)} (from ${terminalSafe(list.chosenBy ?? '')})`
  return `${renderTable(rows)}\n\n${where}\n${chosen}`
}
