// `kcli config show`: the connection settings a command would use, with where each one came from; never connects.
import {formatDuration} from '../../lib/duration.js'
import {KafkaCommand} from '../../lib/kafka-command.js'
import {renderTable, terminalSafe} from '../../lib/output.js'
import {type ResolvedSettings, type Source, envNames, maskSecret} from '../../lib/settings.js'

export interface SettingRow {
  /** The rc file's name for the setting: brokers, clientId, timeout, topic, or properties.<librdkafka name>. */
  key: string
  /** As the table shows it: brokers comma-separated, timeout as a duration, secrets as ********. */
  value: string
  source: Source
}

export interface ConfigReport {
  /** Absolute path of the rc file that was read, or null when none was found. */
  configFile: string | null
  settings: SettingRow[]
}

export default class ConfigShow extends KafkaCommand {
  static override summary = 'Show the connection settings kcli would use, and where each one comes from.'
  static override description = `Resolves the settings exactly as every command does, without connecting to Kafka, and prints each one with its value and its source: a flag (--brokers, -X linger.ms), an environment variable (KCLI_BROKERS), the rc file's path, or "default". Values of secret properties (passwords, secrets, tokens, private keys, sasl.jaas.config) are printed as ********, in the table and under --json.

Each setting is taken from the first of these that has it:
  1. flags: --brokers, --client-id, --timeout, -X key=value
  2. environment: KCLI_BROKERS, KCLI_CLIENT_ID, KCLI_TIMEOUT, KCLI_TOPIC
  3. the rc file
  4. defaults: brokers localhost:9092, client id kcli, timeout 10s
librdkafka properties (-X, and "properties" in the rc file) are merged key by key, so -X overrides one property of the rc file and keeps the others. bootstrap.servers and client.id given as properties count as brokers and client id.

The rc file is --config <file>, else KCLI_CONFIG, else the first found of: package.json (its "kcli" key), .kclirc, .kclirc.json, .kclirc.yaml, .kclirc.yml, kcli.config.js, kcli.config.mjs, in the current directory and then each parent up to the home directory; then config, config.json, config.yaml, config.yml, config.js or config.mjs in $XDG_CONFIG_HOME/kcli (~/.config/kcli). Its keys are brokers (string or list), clientId, timeout ("10s" or milliseconds), topic and properties (an object of librdkafka properties).

--json prints {"configFile": string|null, "settings": [{"key", "value", "source": {"kind", "name"}}]}, where kind is flag, env, file or default, and value is the string the table shows.

Exit codes: 0 shown; 2 an invalid flag, variable or rc file (the file and key are named).`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -b kafka-1:9092 -X linger.ms=20',
    'KCLI_BROKERS=localhost:19092 <%= config.bin %> <%= command.id %> --json',
    '<%= config.bin %> <%= command.id %> --config ./staging.kclirc.yaml',
  ]

  static override enableJsonFlag = true

  async run(): Promise<ConfigReport> {
    const {flags} = await this.parse(ConfigShow)
    const settings = await this.settings(flags)
    const report = configReport(settings)
    this.log(renderConfigReport(report, rcOrigin(flags.config, process.env)))
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
  if (settings.topic !== undefined && sources.topic) settingsRows.push({key: 'topic', value: settings.topic, source: sources.topic})
  for (const name of Object.keys(settings.properties).sort()) {
    settingsRows.push({key: `properties.${name}`, value: maskSecret(name, settings.properties[name]), source: sources.properties[name]})
  }
  return {configFile: settings.configFile ?? null, settings: settingsRows}
}

/** How the rc file was chosen, so a user can tell a forgotten KCLI_CONFIG from a file found by the search. */
function rcOrigin(configFlag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (configFlag !== undefined) return '--config'
  if (env[envNames.config]) return envNames.config
  return 'search'
}

export function renderConfigReport(report: ConfigReport, origin: string): string {
  const rows = [['KEY', 'VALUE', 'SOURCE'], ...report.settings.map((s) => [s.key, terminalSafe(s.value), terminalSafe(s.source.name)])]
  const rcLine = report.configFile === null ? 'rc file: none found' : `rc file: ${terminalSafe(report.configFile)} (from ${origin})`
  return `${renderTable(rows)}\n\n${rcLine}`
}
