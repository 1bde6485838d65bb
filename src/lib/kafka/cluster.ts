// One command's way to the cluster: the settings resolved once, a client connected on first use (proof that the
// cluster answers), an admin client riding on it, and every client closed, within a time limit, when the command ends.
import type {IAdminClient, KafkaConsumer, Metadata, Producer} from '@confluentinc/kafka-javascript'

import type {ResolvedSettings} from '../settings/resolve.js'
import {
  type ClientProperties,
  adminFrom,
  boundedCall,
  closeClient,
  connectConsumer,
  connectProducer,
  fetchMetadata,
} from './client.js'
import {dataPath} from './fast-path.js'

export type KafkaClient = Producer | KafkaConsumer
type Closable = Parameters<typeof closeClient>[0]

export class ClusterContext {
  private connected?: Promise<KafkaClient>
  private adminClient?: Promise<IAdminClient>
  private offsetsAdminClient?: Promise<IAdminClient>
  private readonly clients: Closable[] = []

  constructor(readonly settings: ResolvedSettings) {}

  /**
   * A context riding on clients connected elsewhere (e.g. consume's own consumer and its admin client), so the same
   * library calls serve them. They stay their owner's to close; nothing else is connected. `groupAdmin` is an admin
   * client riding on a consumer with a group (consume's with --group), which lists offsets on the stock calls too (see
   * offsetsAdmin).
   */
  static over(
    settings: ResolvedSettings,
    clients: {client?: KafkaClient; admin?: IAdminClient; groupAdmin?: IAdminClient},
  ): ClusterContext {
    const context = new ClusterContext(settings)
    context.connected = clients.client
      ? Promise.resolve(clients.client)
      : Promise.reject(new Error('this cluster context rides on an admin client only'))
    // Nobody may ask for the client: keep its absence from surfacing as an unhandled rejection.
    context.connected.catch(() => {})
    if (clients.admin) context.adminClient = Promise.resolve(clients.admin)
    if (clients.groupAdmin) context.offsetsAdminClient = Promise.resolve(clients.groupAdmin)
    return context
  }

  get brokers(): string[] {
    return this.settings.brokers
  }

  get timeoutMs(): number {
    return this.settings.timeoutMs
  }

  /** A connected client, connected on the first call: once it resolves, the cluster has answered. */
  client(): Promise<KafkaClient> {
    this.connected ??= connectProducer(this.settings, {}).then(({client}) => this.track(client))
    return this.connected
  }

  /**
   * The admin client, riding on `client()`. Admin calls that crash the binding on an unreachable coordinator
   * (describeGroups) are only ever made after the cluster has answered.
   */
  admin(): Promise<IAdminClient> {
    this.adminClient ??= this.client().then((client) => adminFrom(client))
    return this.adminClient
  }

  /**
   * The admin client that lists a group's committed offsets. The stock librdkafka (a prebuilt binary) dies of a NULL
   * dereference when ListConsumerGroupOffsets is answered NOT_COORDINATOR, as a new cluster answers until it has
   * created its offsets topic, and the client has no consumer group of its own to send the coordinator lookup to
   * (patches/README.md, "a group's offsets listed on a new cluster"). On the stock calls it therefore rides on a
   * consumer that has a group (that of the first group asked about: any group serves, and no other name reaches the
   * broker), which neither subscribes nor commits. kcli's patch fixes librdkafka: on the fast path `admin()` serves.
   */
  offsetsAdmin(group: string): Promise<IAdminClient> {
    this.offsetsAdminClient ??= dataPath().then(async ({adminCalls}) =>
      adminCalls
        ? this.admin()
        : adminFrom(await this.connectConsumer({'group.id': group, 'enable.auto.commit': false})),
    )
    return this.offsetsAdminClient
  }

  /** Metadata of one topic, or of all, bounded by the timeout. */
  async metadata(topic?: string): Promise<Metadata> {
    return fetchMetadata(await this.client(), this.settings, topic)
  }

  /** One callback-style client call, failing after the timeout even if the binding never calls back. */
  call<T>(call: (done: (err: unknown, value?: T) => void) => void): Promise<T> {
    return boundedCall(this.settings, call)
  }

  /** Another producer with its own properties (e.g. a health probe's), closed with the rest. */
  async connectProducer(properties: ClientProperties): Promise<Producer> {
    const {client} = await connectProducer(this.settings, properties)
    return this.track(client)
  }

  /** A consumer with its own properties (e.g. one that commits as a group), closed with the rest. */
  async connectConsumer(
    properties: ClientProperties,
    topicProperties: Record<string, string | number | boolean> = {},
  ): Promise<KafkaConsumer> {
    const {client} = await connectConsumer(this.settings, properties, topicProperties)
    return this.track(client)
  }

  /** Registers a client to be closed by `close()`. */
  track<T extends Closable>(client: T): T {
    this.clients.push(client)
    return client
  }

  /** Closes every tracked client, the newest first, each within `limitMs`; false when one would not close in time. */
  async close(limitMs: number = Math.min(this.settings.timeoutMs, 5000)): Promise<boolean> {
    const closed = await Promise.all(
      this.clients
        .splice(0)
        .reverse()
        .map((c) => closeClient(c, limitMs)),
    )
    return !closed.includes(false)
  }
}
