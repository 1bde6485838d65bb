// What `kcli config show` reports: every setting a command would use, with its value (secrets masked) and where it came
// from, the rc file in use and the ones ignored; and the table people read.
import {formatDuration} from '../time/duration.js'
import {renderTable, terminalSafe} from '../terminal/output.js'
import {type Source, envNames, maskSecret} from './layers.js'
import type {DataPath} from '../kafka/fast-path.js'
import type {IgnoredRcFile, RcOrigin} from './rc-search.js'
import type {ResolvedSettings} from './resolve.js'
import {connectionKeys} from './security.js'

export interface SettingRow {
  /**
   * The rc file's name for the setting: brokers, clientId, timeout, topic, profile, sasl.username (and the other
   * security keys), or properties.<librdkafka name>.
   */
  key: string
  /** As the table shows it: brokers comma-separated, timeout as a duration, secrets as ********. */
  value: string
  source: Source
}

/** What `--json` prints. Stable: fields are only ever added. */
export interface ConfigReport {
  /** Absolute path of the rc file that was read, or null when none was found. */
  configFile: string | null
  /**
   * How it was chosen: named (--config, KCLI_CONFIG), user (your own config file), project (found by searching,
   * trusted).
   */
  configOrigin: RcOrigin | null
  /** rc files found but not used, and why: untrusted, changed (since trusted), code (JavaScript), unparsable. */
  ignoredFiles: IgnoredRcFile[]
  /** Which calls of the client library produce, consume and the admin commands use, and why. */
  dataPath: DataPath
  /** The rc file's profile in use, or null. */
  profile: string | null
  settings: SettingRow[]
}

export function configReport(settings: ResolvedSettings, path: DataPath): ConfigReport {
  const {sources} = settings
  const settingsRows: SettingRow[] = [
    {key: 'brokers', value: settings.brokers.join(','), source: sources.brokers},
    {key: 'clientId', value: settings.clientId, source: sources.clientId},
    {key: 'timeout', value: formatDuration(settings.timeoutMs), source: sources.timeoutMs},
  ]
  if (settings.topic !== undefined && sources.topic)
    settingsRows.push({key: 'topic', value: settings.topic, source: sources.topic})
  if (settings.profile !== undefined && sources.profile)
    settingsRows.push({key: 'profile', value: settings.profile, source: sources.profile})
  for (const info of connectionKeys) {
    const source = sources.security?.[info.key]
    if (source === undefined) continue
    const value = settings.security[info.key]
    const file = (settings.secretFiles as Record<string, string | undefined>)[info.key]
    // A secret is never shown, whatever its source; the file it came from is not a secret.
    // A password inside a URL (https://user:pass@registry) is a secret too.
    const shown =
      info.type === 'secret'
        ? file === undefined
          ? '********'
          : `******** (from ${file})`
        : String(value).replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:********@')
    settingsRows.push({key: info.name, value: shown, source})
  }
  for (const name of Object.keys(settings.properties).sort()) {
    settingsRows.push({
      key: `properties.${name}`,
      value: maskSecret(name, settings.properties[name]),
      source: sources.properties[name],
    })
  }
  return {
    configFile: settings.configFile ?? null,
    configOrigin: settings.configOrigin ?? null,
    ignoredFiles: settings.ignoredFiles,
    dataPath: path,
    profile: settings.profile ?? null,
    settings: settingsRows,
  }
}

/** How the rc file was chosen, so a user can tell a forgotten KCLI_CONFIG from a file found by the search. */
export function rcOrigin(origin: RcOrigin | null, configFlag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (configFlag !== undefined) return '--config'
  if (env[envNames.config]) return envNames.config
  return origin === 'project' ? 'search, trusted' : 'search'
}

// Below here: printing.

const ignoredReasons: Record<IgnoredRcFile['reason'], string> = {
  untrusted: 'not trusted: kcli config trust',
  changed: 'changed since trusted: kcli config trust',
  code: 'JavaScript found by searching',
  unparsable: 'not valid JSON',
}

export function renderConfigReport(report: ConfigReport, origin: string): string {
  const sourceText = (s: Source) => (s.profile === undefined ? s.name : `${s.name} (profile ${s.profile})`)
  const rows = [
    ['KEY', 'VALUE', 'SOURCE'],
    ...report.settings.map((s) => [s.key, terminalSafe(s.value), terminalSafe(sourceText(s.source))]),
  ]
  const rcLine =
    report.configFile === null ? 'rc file: none found' : `rc file: ${terminalSafe(report.configFile)} (from ${origin})`
  const ignored = report.ignoredFiles
    .map((i) => `\nignored: ${terminalSafe(i.file)} (${ignoredReasons[i.reason]})`)
    .join('')
  const native = report.dataPath.batchProduce && report.dataPath.packedConsume
  const pathLine = `data path: ${native ? 'native fast path' : "the client library's stock calls"} (${report.dataPath.reason})`
  return `${renderTable(rows)}\n\n${pathLine}\n${rcLine}${ignored}`
}
