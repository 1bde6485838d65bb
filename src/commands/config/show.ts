// `kcli config show`: the connection settings a command would use, with where each one came from; never connects.
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {dataPath} from '../../lib/kafka/fast-path.js'
import {type ConfigReport, configReport, rcOrigin, renderConfigReport} from '../../lib/settings/report.js'

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

The data path line says whether produce and consume use the native fast path that kcli's patch adds to the client library (batch produce, packed consume, and the admin calls) or the library's stock calls, and why; KCLI_DATA_PATH=stock forces the stock calls.

--json prints {"configFile": string|null, "configOrigin": "named"|"user"|"project"|null, "ignoredFiles": [{"file", "reason"}], "dataPath": {"batchProduce", "packedConsume", "adminCalls", "reason"}, "profile": string|null, "settings": [{"key", "value", "source": {"kind", "name", "profile"?}}]}, where kind is flag, env, file or default, and value is the string the table shows.

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
    const {settings} = await this.cluster()
    const report = configReport(settings, await dataPath())
    this.log(renderConfigReport(report, rcOrigin(report.configOrigin, flags.config, process.env)))
    return report
  }
}
