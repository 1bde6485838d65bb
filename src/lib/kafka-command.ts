// The base of commands that talk to Kafka: shared connection flags, settings resolved once, clients closed before exit.
import {Flags} from '@oclif/core'

import {closeClient} from './kafka/client.js'
import {KcliCommand} from './kcli-command.js'
import {type ConnectionFlags, type ResolvedSettings, resolveSettings} from './settings.js'

type Closable = Parameters<typeof closeClient>[0]

export abstract class KafkaCommand extends KcliCommand {
  // No `default:` on purpose: an oclif default would beat the environment and the rc file. Defaults live in settings.ts.
  static override baseFlags = {
    brokers: Flags.string({char: 'b', helpGroup: 'CONNECTION', description: 'Bootstrap brokers, comma-separated [default: localhost:9092]'}),
    'client-id': Flags.string({helpGroup: 'CONNECTION', description: 'Client id sent to the brokers [default: kcli]'}),
    config: Flags.string({helpGroup: 'CONNECTION', description: 'Read settings from this rc file instead of searching for one'}),
    timeout: Flags.string({helpGroup: 'CONNECTION', description: 'How long to wait for the cluster, e.g. 10s, 500ms [default: 10s]'}),
    property: Flags.string({
      char: 'X',
      helpGroup: 'CONNECTION',
      description: 'Any librdkafka property as key=value (repeatable), e.g. -X security.protocol=SSL',
      multiple: true,
      multipleNonGreedy: true,
    }),
  }

  private resolved?: ResolvedSettings
  private forceExit = false
  private readonly clients: Closable[] = []

  protected async settings(flags: ConnectionFlags): Promise<ResolvedSettings> {
    this.resolved ??= await resolveSettings({flags, env: process.env, cwd: process.cwd()})
    return this.resolved
  }

  /** Registers a client to be closed when the command ends, however it ends. */
  protected track<T extends Closable>(client: T): T {
    this.clients.push(client)
    return client
  }

  /** Ends the process once clients are closed, even if something (a pending stdin read) would keep it alive. */
  protected exitWhenClosed(): void {
    this.forceExit = true
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    const limit = Math.min(this.resolved?.timeoutMs ?? 5000, 5000)
    const closed = await Promise.all(this.clients.splice(0).reverse().map((c) => closeClient(c, limit)))
    await super.finally(err)
    // A client that would not close keeps Node alive forever; everything the user needs was written synchronously by now.
    if (closed.includes(false) || this.forceExit) process.exit()
  }
}
