// Pure builders for a local KRaft cluster: node layout, server.properties, log4j2 config and JVM arguments.
// Everything here is text in, text out, so the unit tests can pin exactly what a broker is started with.
import {randomUUID} from 'node:crypto'

export type ClusterSize = 1 | 3

/** Where one node listens. Each node is a combined broker+controller. */
export interface NodeLayout {
  id: number
  port: number
  controllerPort: number
}

// Controller ports sit 100 above the client ports, so `--port 9092` gives clients 9092-9094 and
// controllers 9192-9194: the client range stays contiguous (one bootstrap list) and the two ranges
// never overlap for a 3-node cluster.
export const controllerPortOffset = 100
export const defaultPort = 9092
export const localHost = 'localhost'

export function clusterLayout(port: number, brokers: ClusterSize): NodeLayout[] {
  return Array.from({length: brokers}, (_, i) => ({
    id: i + 1,
    port: port + i,
    controllerPort: port + controllerPortOffset + i,
  }))
}

/** Every port a layout needs, clients first. */
export function layoutPorts(nodes: NodeLayout[]): number[] {
  return [...nodes.map((n) => n.port), ...nodes.map((n) => n.controllerPort)]
}

export function bootstrapOf(nodes: NodeLayout[]): string {
  return nodes.map((n) => `${localHost}:${n.port}`).join(',')
}

export function sameLayout(a: NodeLayout[], b: NodeLayout[]): boolean {
  return (
    a.length === b.length &&
    a.every((n, i) => n.id === b[i].id && n.port === b[i].port && n.controllerPort === b[i].controllerPort)
  )
}

/**
 * A Kafka cluster id: a random (v4) UUID as 22 base64url characters, the form `kafka-storage random-uuid` prints.
 * Kafka never hands out ids starting with '-', since they would read as a command-line option.
 */
export function newClusterId(uuid: () => string = randomUUID): string {
  for (;;) {
    const id = Buffer.from(uuid().replaceAll('-', ''), 'hex').toString('base64url')
    if (!id.startsWith('-')) return id
  }
}

// Java properties files treat a backslash as an escape: keep Windows-style paths intact.
function propertyValue(value: string | number): string {
  return String(value).replaceAll('\\', '\\\\')
}

/** The secured listeners of a local cluster, besides its PLAINTEXT one. */
export interface ListenerSecurity {
  /** A SASL listener (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) for user `kcli`; over TLS when `tls` is set too. */
  sasl?: {password: string}
  /**
   * Kafka's StandardAuthorizer, denying whatever no ACL allows. `kcli` and the PLAINTEXT/CONTROLLER principal
   * (User:ANONYMOUS, which the brokers and controllers use among themselves) are super users; SCRAM user `kcli-limited`
   * (whose password is given here) has no ACLs at all. Needs `sasl`.
   */
  acl?: {limitedPassword: string}
  /** TLS: PEM files of the broker (key and certificate) and of the CA that signed it and the client certificate. */
  tls?: {keystore: string; truststore: string}
  /** An OAUTHBEARER listener that accepts unsecured JWTs; over TLS when `tls` is set too. */
  oauth?: boolean
}

// Secured listeners sit above the controller ports: node N's SASL port is its client port + 200, its SSL port + 300,
// its OAUTHBEARER port + 400.
export const saslPortOffset = 200
export const tlsPortOffset = 300
export const oauthPortOffset = 400
export const saslUser = 'kcli'
export const limitedUser = 'kcli-limited'

/** A security protocol of a secured listener. */
export type ListenerKind = 'SASL_PLAINTEXT' | 'SASL_SSL' | 'SSL'
/**
 * Kafka listener names: the SASL and SSL listeners are named after their protocol; the OAUTHBEARER one needs a name of
 * its own.
 */
export type ListenerName = ListenerKind | 'OAUTH' | 'OAUTH_SSL'
export interface SecuredListener {
  name: ListenerName
  port: number
}

/** Which secured listeners a cluster has; `oauth` is absent in state files written before it existed. */
export interface SecurityChoice {
  sasl: boolean
  tls: boolean
  oauth?: boolean
}

export function protocolOf(name: ListenerName): ListenerKind {
  return name === 'OAUTH' ? 'SASL_PLAINTEXT' : name === 'OAUTH_SSL' ? 'SASL_SSL' : name
}

/**
 * A node's secured listeners: SASL (over TLS when TLS is on) at port + 200, TLS with client certificates (mTLS) at
 * port + 300, and OAUTHBEARER (over TLS when TLS is on) at port + 400.
 */
export function securedListeners(node: NodeLayout, security: SecurityChoice): SecuredListener[] {
  const listeners: SecuredListener[] = []
  if (security.sasl)
    listeners.push({name: security.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT', port: node.port + saslPortOffset})
  if (security.tls) listeners.push({name: 'SSL', port: node.port + tlsPortOffset})
  if (security.oauth) listeners.push({name: security.tls ? 'OAUTH_SSL' : 'OAUTH', port: node.port + oauthPortOffset})
  return listeners
}

function choiceOf(security: ListenerSecurity): SecurityChoice {
  return {sasl: security.sasl !== undefined, tls: security.tls !== undefined, oauth: security.oauth === true}
}

function securityEntries(node: NodeLayout, security: ListenerSecurity): Array<[string, string | number]> {
  const listeners = securedListeners(node, choiceOf(security))
  const entries: Array<[string, string | number]> = []
  if (security.sasl) {
    const name = listeners[0].name.toLowerCase()
    // The password is generated (base64url), so it needs no quoting inside the JAAS option.
    const password = security.sasl.password
    entries.push(
      ['sasl.enabled.mechanisms', 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512'],
      [
        `listener.name.${name}.plain.sasl.jaas.config`,
        `org.apache.kafka.common.security.plain.PlainLoginModule required user_${saslUser}="${password}";`,
      ],
      // SCRAM users live in the cluster metadata (added when storage is formatted); the login module needs no options.
      [
        `listener.name.${name}.scram-sha-256.sasl.jaas.config`,
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      ],
      [
        `listener.name.${name}.scram-sha-512.sasl.jaas.config`,
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      ],
    )
  }
  if (security.tls) {
    entries.push(
      ['ssl.keystore.type', 'PEM'],
      ['ssl.keystore.location', security.tls.keystore],
      ['ssl.truststore.type', 'PEM'],
      ['ssl.truststore.location', security.tls.truststore],
      ['listener.name.ssl.ssl.client.auth', 'required'],
    )
  }
  if (security.acl) entries.push(...aclEntries(security))
  if (security.oauth) {
    const name = listeners.find((l) => l.name.startsWith('OAUTH'))!.name.toLowerCase()
    // Without a server callback handler, Kafka validates OAUTHBEARER tokens with
    // OAuthBearerUnsecuredValidatorCallbackHandler:
    // an unsigned JWT ("alg":"none") with `sub` and an unexpired `exp` gets in as User:<sub>. The login module must
    // have
    // no options: any option makes the broker's own login mint a token, which fails without
    // unsecuredLoginStringClaim_sub.
    entries.push(
      [`listener.name.${name}.sasl.enabled.mechanisms`, 'OAUTHBEARER'],
      [
        `listener.name.${name}.oauthbearer.sasl.jaas.config`,
        'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
      ],
    )
  }
  return entries
}

function aclEntries(security: ListenerSecurity): Array<[string, string]> {
  // The inter-broker and controller listeners are PLAINTEXT, where every connection is User:ANONYMOUS: without it among
  // the super users the nodes could not even talk to each other. So the PLAINTEXT client listener stays unrestricted
  // too.
  // The mTLS client certificate (CN=kcli) is the TLS listener's `kcli`.
  const superUsers = ['User:ANONYMOUS', `User:${saslUser}`, ...(security.tls ? [`User:CN=${saslUser}`] : [])]
  return [
    ['authorizer.class.name', 'org.apache.kafka.metadata.authorizer.StandardAuthorizer'],
    ['allow.everyone.if.no.acl.found', 'false'],
    ['super.users', superUsers.join(';')],
  ]
}

export function serverProperties(
  node: NodeLayout,
  nodes: NodeLayout[],
  dataDir: string,
  security: ListenerSecurity = {},
): string {
  const secured = securedListeners(node, choiceOf(security))
  const extra = secured.map((l) => `,${l.name}://${localHost}:${l.port}`).join('')
  const size = nodes.length
  // Internal topics need as many replicas as the cluster can give; with 3 nodes, writes with acks=all
  // survive one node being down, as in a production-shaped cluster.
  const rf = size >= 3 ? 3 : 1
  const minIsr = size >= 3 ? 2 : 1
  const entries: Array<[string, string | number]> = [
    ['process.roles', 'broker,controller'],
    ['node.id', node.id],
    ['controller.quorum.voters', nodes.map((n) => `${n.id}@${localHost}:${n.controllerPort}`).join(',')],
    ['listeners', `PLAINTEXT://${localHost}:${node.port},CONTROLLER://${localHost}:${node.controllerPort}${extra}`],
    ['advertised.listeners', `PLAINTEXT://${localHost}:${node.port}${extra}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    [
      'listener.security.protocol.map',
      ['CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT', ...secured.map((l) => `${l.name}:${protocolOf(l.name)}`)].join(','),
    ],
    ['log.dirs', dataDir],
    ['default.replication.factor', rf],
    ['min.insync.replicas', minIsr],
    ['offsets.topic.replication.factor', rf],
    ['transaction.state.log.replication.factor', rf],
    ['transaction.state.log.min.isr', minIsr],
    ['share.coordinator.state.topic.replication.factor', rf],
    ['share.coordinator.state.topic.min.isr', minIsr],
    // A development cluster: groups should form at once, and internal topics should be cheap to create
    // (50 partitions each by default, which slows the first consumer group noticeably).
    ['group.initial.rebalance.delay.ms', 0],
    ['offsets.topic.num.partitions', 5],
    ['transaction.state.log.num.partitions', 5],
    ['share.coordinator.state.topic.num.partitions', 5],
    ...securityEntries(node, security),
  ]
  return `# Written by kcli local start; edits are overwritten on the next start.\n${entries.map(([k, v]) => `${k}=${propertyValue(v)}`).join('\n')}\n`
}

/** log4j2 configuration: everything at INFO into <kafka.logs.dir>/server.log, rolled at 20 MB. */
export function log4jProperties(): string {
  // log4j's own shutdown hook would race Kafka's and drop the last lines of a shutdown; every line is
  // flushed as written, so nothing is lost by leaving it off.
  return `# Written by kcli local start.
status = error
name = kcli-local
shutdownHook = disable
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = \${sys:kafka.logs.dir}/server.log
appender.file.filePattern = \${sys:kafka.logs.dir}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
`
}

export interface JvmPaths {
  libDir: string
  log4jFile: string
  logsDir: string
  configFile: string
}

/** Heap per node: a lone node gets room for benchmarks, three nodes share a small machine. */
export function heapArgs(size: number): string[] {
  return size >= 3 ? ['-Xms256m', '-Xmx512m'] : ['-Xms256m', '-Xmx1g']
}

/** Kafka's start scripts split their option variables at white space (unquoted in the shell): so does kcli. */
function jvmOptions(value: string | undefined): string[] | undefined {
  const options = value?.trim().split(/\s+/).filter(Boolean)
  return options?.length ? options : undefined
}

/** The JVM option variables that `brokerJvmArgs` takes from `env` (set and not blank), for a failure to name. */
export function jvmEnvGiven(env: NodeJS.ProcessEnv): string[] {
  return ['KAFKA_HEAP_OPTS', 'KAFKA_OPTS'].filter((name) => jvmOptions(env[name]) !== undefined)
}

/**
 * The `java` arguments that run one node (the GC flags are the ones Kafka's own start scripts use). As those scripts
 * do, KAFKA_HEAP_OPTS replaces the heap flags and KAFKA_OPTS comes after the others, so that its flags win.
 */
export function brokerJvmArgs(size: number, paths: JvmPaths, env: NodeJS.ProcessEnv = {}): string[] {
  return [
    ...(jvmOptions(env.KAFKA_HEAP_OPTS) ?? heapArgs(size)),
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${paths.log4jFile}`,
    `-Dkafka.logs.dir=${paths.logsDir}`,
    ...(jvmOptions(env.KAFKA_OPTS) ?? []),
    '-cp',
    classpathOf(paths.libDir),
    'kafka.Kafka',
    paths.configFile,
  ]
}

/** A Java wildcard classpath: the JVM expands `<dir>/*` itself, so no shell is involved. */
export function classpathOf(libDir: string): string {
  return `${libDir.replace(/[\\/]+$/, '')}/*`
}
