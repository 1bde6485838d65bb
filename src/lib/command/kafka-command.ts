// The base of commands that talk to Kafka: shared connection and security flags, settings resolved once, clients closed
// before exit.
import {Errors, Flags, type Interfaces} from '@oclif/core'

import {abandonedConnects, authenticationCode} from '../kafka/client.js'
import {ClusterContext} from '../kafka/cluster.js'
import {KcliCommand} from './kcli-command.js'
import {warn} from '../terminal/output.js'
import {prepareToConnect, securityContext, settingsWarnings} from '../settings/checks.js'
import {ignoredRcMessage} from '../settings/rc-search.js'
import {fileVariant, securityKeys} from '../settings/security.js'
import {envNames} from '../settings/layers.js'
import {type ConnectionFlags, type ResolvedSettings, resolveSettings} from '../settings/resolve.js'
import {ExitCode, KcliError, errorReport} from '../errors.js'

// Built from the one table in security.ts, so flag, variable and rc key always agree (registry flags: the same from
// registry.ts).
export function securityFlags(keys = securityKeys, helpGroup = 'SECURITY'): Interfaces.FlagInput {
  const flags: Interfaces.FlagInput = {}
  for (const info of keys) {
    const env = ` [env: ${info.env}]`
    if (info.type === 'boolean') {
      flags[info.flag] = Flags.boolean({helpGroup, allowNo: true, description: info.summary + env})
    } else {
      // Choices are checked in settings.ts, without regard to case (scram-sha-512 works), as for variables and rc keys.
      flags[info.flag] = Flags.string({helpGroup, description: info.summary + env})
    }
    if (info.type === 'secret') {
      flags[fileVariant.flag(info)] = Flags.string({
        helpGroup,
        description: `Read ${info.name} from this file (mode 600) [env: ${fileVariant.env(info)}]`,
      })
    }
  }
  return flags
}

export abstract class KafkaCommand extends KcliCommand {
  // No `default:` on purpose: an oclif default would beat the environment and the rc file. Defaults live in
  // settings/resolve.ts.
  static override baseFlags = {
    brokers: Flags.string({
      char: 'b',
      // Kafka's own tools spell it --bootstrap-server.
      aliases: ['bootstrap-server', 'bootstrap-servers'],
      helpGroup: 'CONNECTION',
      description: 'Bootstrap brokers, comma-separated; --bootstrap-server works too [default: localhost:9092]',
    }),
    'client-id': Flags.string({helpGroup: 'CONNECTION', description: 'Client id sent to the brokers [default: kcli]'}),
    config: Flags.string({
      helpGroup: 'CONNECTION',
      description: 'Read settings from this rc file instead of searching for one',
    }),
    profile: Flags.string({
      helpGroup: 'CONNECTION',
      description: `Use this profile of the rc file [env: ${envNames.profile}]`,
    }),
    timeout: Flags.string({
      helpGroup: 'CONNECTION',
      description: 'How long to wait for the cluster: seconds, or 500ms, 10s, 1m [default: 10s]',
    }),
    property: Flags.string({
      char: 'X',
      helpGroup: 'CONNECTION',
      description:
        "Any librdkafka property as key=value (repeatable), e.g. -X security.protocol=SSL; -X debug=broker,protocol prints librdkafka's debug log on stderr",
      multiple: true,
      multipleNonGreedy: true,
    }),
    ...securityFlags(),
  }

  /** Commands that only show settings never ask for a password. */
  protected asksForSecrets = true

  private context?: Promise<ClusterContext>
  private resolved?: ClusterContext
  private forceExit = false

  /**
   * The cluster this command talks to: settings resolved once (warnings printed, missing secrets asked for), clients
   * created on first use and closed when the command ends. Nothing connects until a client or the admin is asked for.
   */
  protected async cluster(): Promise<ClusterContext> {
    this.context ??= this.parse(this.ctor).then(({flags}) => this.resolve(flags as ConnectionFlags))
    return this.context
  }

  /** The resolved settings, for commands that need them before they connect (produce and consume check flags first). */
  protected async settings(flags: ConnectionFlags): Promise<ResolvedSettings> {
    this.context ??= this.resolve(flags)
    return (await this.context).settings
  }

  private async resolve(flags: ConnectionFlags): Promise<ClusterContext> {
    const settings = await resolveSettings({flags, env: process.env, cwd: process.cwd()})
    for (const ignored of settings.ignoredFiles) warn(ignoredRcMessage(ignored))
    for (const message of settingsWarnings(settings)) warn(message)
    if (this.asksForSecrets) await prepareToConnect(settings)
    this.resolved = new ClusterContext(settings)
    return this.resolved
  }

  /** Ends the process once clients are closed, even if something (a pending stdin read) would keep it alive. */
  protected exitWhenClosed(): void {
    this.forceExit = true
  }

  // librdkafka reports a refused password or an untrusted certificate only as a connect that timed out: say which
  // security settings were in play, so the user knows where to look.
  protected override async catch(err: Error & {exitCode?: number}): Promise<void> {
    if (err instanceof Errors.ExitError) return super.catch(err)
    const report = errorReport(err)
    const context = this.resolved && report.exit === ExitCode.unreachable && securityContext(this.resolved.settings)
    if (context) {
      // A refusal kcli recognised (authentication, TLS) keeps its own hint; a silent timeout gets the list of suspects.
      const known = report.code === authenticationCode && report.hint !== undefined
      return super.catch(
        new KcliError(`${report.message} using ${context.what}`, {
          exit: report.exit,
          hint: known ? report.hint : context.hint,
          code: report.code,
          cause: err,
        }),
      )
    }
    return super.catch(err)
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    const closed = (await this.resolved?.close()) ?? true
    await super.finally(err)
    // A client that would not close keeps Node alive forever; everything the user needs was written synchronously by
    // now.
    if (!closed || this.forceExit || abandonedConnects() > 0) process.exit()
  }
}
