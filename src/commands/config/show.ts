// `kcli config show`: the connection settings a command would use, with where each one came from; never connects.
import {formatDuration} from '../../lib/time/duration.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {renderTable, terminalSafe} from '../../lib/terminal/output.js'
import {connectionKeys} from '../../lib/settings/security.js'
import {type Source, envNames, maskSecret} from '../../lib/settings/layers.js'
import type {IgnoredRcFile, RcOrigin} from '../../lib/settings/rc-search.js'
import type {ResolvedSettings} from '../../lib/settings/resolve.js'

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
  /** The rc file's profile in use, or null. */
  profile: string | null
  settings: SettingRow[]
}

export default class ConfigShow extends KafkaCommand {
  static override summary = 'Show the connection settings kcli would use, and where each one comes from.'
  static override description = `Resolves the settings exactly as every command does, without connecting to Kafka, and prints each one with its value and its source: a flag (--brokers, -X linger.ms), an environment variable (KCLI_BROKERS), the rc file's path (and its profile), or "default". Secrets (sasl.password, ssl.keyPassword, oauth.clientSecret, registry.password, registry.token, and properties whose names say password, secret, token, private key or sasl.jaas.config) are printed as ********, in the table and under --json; a secret read from a file shows the file's path.

Each setting is taken from the first of these that has it:
  1. flags: --brokers, --client-id, --timeout, --sasl-username, ..., -X key=value
  2. environment: KCLI_BROKERS, KCLI_CLIENT_ID, KCLI_TIMEOUT, KCLI_TOPIC, KCLI_SASL_USERNAME, ...
  3. the chosen profile of the rc file (--profile, else KCLI_PROFILE, else the rc file's "profile")
  4. the rc file's top level
  5. defaults: brokers localhost:9092, client id kcli, timeout 10s
librdkafka properties (-X, and "properties" in the rc file) are merged key by key, so -X overrides one property of the rc file and keeps the others. bootstrap.servers and client.id given as properties count as brokers and client id. A security setting (--sasl-username) beats the same librdkafka property (sasl.username) from a lower source; from the same or a higher source, the property wins.

The rc file is --config <file>, else KCLI_CONFIG, else the first found of: package.json (its "kcli" key), .kclirc, .kclirc.json, .kclirc.yaml, .kclirc.yml, in the current directory and then each parent up to the home directory (or the filesystem root); then config, config.json, config.yaml, config.yml, config.js or config.mjs in $XDG_CONFIG_HOME/kcli (~/.config/kcli). A file found in a project (not in your home folder) is used only once you trust it with kcli config trust, and only while it is unchanged: otherwise kcli says in one line that it ignores it, and uses your own config file. JavaScript rc files run code, so kcli reads them only when named with --config or KCLI_CONFIG, or from ~/.config/kcli. Its keys are brokers (string or list), clientId, timeout ("10s" or milliseconds), topic, properties (an object of librdkafka properties), the security keys (security.protocol, sasl.*, ssl.*, oauth.*; see kcli config add --help), the schema registry's (registry.url, registry.username, registry.password[File], registry.token[File], registry.ca), profiles (named objects of the same keys) and profile (the default profile).

--json prints {"configFile": string|null, "configOrigin": "named"|"user"|"project"|null, "ignoredFiles": [{"file", "reason"}], "profile": string|null, "settings": [{"key", "value", "source": {"kind", "name", "profile"?}}]}, where kind is flag, env, file or default, and value is the string the table shows.

Exit codes: 0 shown; 2 an invalid flag, variable or rc file (the file and key are named), an unknown profile, or an rc file holding a secret that others can read.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -b kafka-1:9092 -X linger.ms=20',
    'KCLI_BROKERS=localhost:19092 <%= config.bin %> <%= command.id %> --json',
    '<%= config.bin %> <%= command.id %> --config ./staging.kclirc.yaml',
    '<%= config.bin %> <%= command.id %> --profile prod',
  ]

  static override enableJsonFlag = true

  protected override asksForSecrets = false

  async run(): Promise<ConfigReport> {
    const {flags} = await this.parse(ConfigShow)
    const settings = await this.settings(flags)
    const report = configReport(settings)
    this.log(renderConfigReport(report, rcOrigin(report.configOrigin, flags.config, process.env)))
    return report
  }
}

export function configReport(settings: ResolvedSettings): ConfigReport {
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
    profile: settings.profile ?? null,
    settings: settingsRows,
  }
}

/** How the rc file was chosen, so a user can tell a forgotten KCLI_CONFIG from a file found by the search. */
function rcOrigin(origin: RcOrigin | null, configFlag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (configFlag !== undefined) return '--config'
  if (env[envNames.config]) return envNames.config
  return origin === 'project' ? 'search, trusted' : 'search'
}

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
  return `${renderTable(rows)}\n\n${rcLine}${ignored}`
}
