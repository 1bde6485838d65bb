// `kcli local start`: run a real Apache Kafka (KRaft) on this machine and print its bootstrap address.
import {Flags} from '@oclif/core'

import {KcliCommand} from '../../lib/command/kcli-command.js'
import {defaultKafkaVersion} from '../../lib/local/kafka-dist.js'
import {listenerHelp} from '../../lib/local/listeners.js'
import {registryHelp} from '../../lib/local/registry.js'
import {defaultWaitSeconds, startLocalCluster} from '../../lib/local/start.js'
import {requireDuration} from '../../lib/time/duration.js'

export default class LocalStart extends KcliCommand {
  static override summary =
    'Start a local Apache Kafka cluster (KRaft, 1 or 3 brokers) and print its bootstrap address.'
  static override description = `Runs Apache Kafka from its Maven Central jars (resolved once per version into ~/.cache/kcli, which needs Java 17+ and Maven) or from an existing install (--kafka-home or KAFKA_HOME). Each node is a combined broker and controller; with --brokers 3 the client ports count up from --port and every node's controller port is its client port + 100.

The only line on stdout is the bootstrap address (of the PLAINTEXT listener), so \`export KCLI_BROKERS=$(kcli local start)\` works; progress goes to stderr.

--sasl adds a SASL listener on each node's client port + 200, with mechanisms PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 and one user, kcli, whose password is made at random and kept in <state dir>/security/kcli.password (mode 600). SCRAM users are created when the cluster is made, so --sasl on an existing cluster needs --clean. --tls adds a TLS listener on the client port + 300 that requires a client certificate (mTLS), and puts the SASL listener on TLS (SASL_SSL); a CA, a broker certificate for localhost and a client certificate are made with openssl in <state dir>/security (ca.pem, client.pem, client.key). --oauth adds an OAUTHBEARER listener on the client port + 400 (on TLS with --tls) that accepts unsecured JWTs: an unsigned token ("alg":"none") with a "sub" and an unexpired "exp" claim gets in as that subject, whichever token endpoint issued it. It checks a client's OAuth settings and token fetching, not the tokens' signatures: keep it to tests. --acl (with --sasl) turns on Kafka's StandardAuthorizer with allow.everyone.if.no.acl.found=false: user kcli (and the client certificate, CN=kcli) is a super user, and a second SCRAM user, kcli-limited, with its password in <state dir>/security/kcli-limited.password, has no ACLs, to try what an unauthorized client sees; the PLAINTEXT listener stays unrestricted (User:ANONYMOUS is a super user, since the nodes talk to each other over PLAINTEXT). Like --sasl, --acl on an existing cluster needs --clean. stderr shows the kcli flags for each listener; \`kcli local status\` shows them again. The cluster keeps its data between starts in the state dir (--state-dir, KCLI_STATE_DIR, or \${XDG_STATE_HOME:-~/.local/state}/kcli/local); a restart without --port/--brokers reuses the cluster's layout.

--schema-registry also runs a schema registry: Apicurio Registry 2.6 (its Confluent-compatible API, which Confluent's clients and kcli's --registry-url use), fetched once with Maven into ~/.cache/kcli/apicurio (142 MB), bound to 127.0.0.1 on the first client port + 500 (--registry-port), with its storage (an H2 database) in <state dir>/registry so schema ids survive restarts, and BACKWARD compatibility as Confluent's default. It is ready in about 5 s and takes about 250 MB. stderr shows its --registry-url; \`kcli local status\` and \`stop\` cover it, and a restart keeps it (--no-schema-registry stops it).

The brokers' JVM takes KAFKA_HEAP_OPTS instead of kcli's heap flags (1 GB for one node, 512 MB each for three) and KAFKA_OPTS after its other flags, as Kafka's own start scripts do (each split at spaces; a KAFKA_OPTS exported for Kafka's command-line tools reaches the brokers too); they apply when a node starts.

When the cluster is already running, start prints its bootstrap address again and exits 0, so the line above works twice; when some of its nodes are down (crashed, killed), start restarts just those. --clean refuses a running cluster.

Exit codes: 0 started, or already running; 1 a broker failed to start, a port is in use, or --clean on a running cluster; 2 Java or Maven is missing, or a flag is invalid.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --schema-registry',
    '<%= config.bin %> <%= command.id %> --schema-registry --registry-port 8081',
    '<%= config.bin %> <%= command.id %> --brokers 3 --port 19092',
    'export KCLI_BROKERS=$(<%= config.bin %> <%= command.id %> --clean)',
    '<%= config.bin %> <%= command.id %> --kafka-home /opt/kafka',
    'KAFKA_HEAP_OPTS="-Xms2g -Xmx2g" KAFKA_OPTS="-XX:TieredStopAtLevel=1" <%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --sasl --tls --port 29092 --state-dir /tmp/kafka-secure --clean',
    '<%= config.bin %> <%= command.id %> --sasl --acl --port 29092 --state-dir /tmp/kafka-acl --clean',
    '<%= config.bin %> <%= command.id %> --oauth --port 29092 --state-dir /tmp/kafka-oauth --clean',
  ]

  static override flags = {
    // No `default:` on --port and --brokers: when left out, a restart reuses the existing cluster's layout.
    port: Flags.integer({
      summary: 'Client port of the first broker; the others follow it. [default: 9092]',
      min: 1,
      max: 65535,
    }),
    brokers: Flags.option({
      options: ['1', '3'] as const,
      summary: 'Number of nodes, each a broker and a controller. [default: 1]',
    })(),
    'kafka-home': Flags.string({
      summary: 'Use the jars of this Kafka install (its libs/ folder) instead of Maven. [env: KAFKA_HOME]',
    }),
    'kafka-version': Flags.string({
      summary: `Kafka version to fetch with Maven. [default: ${defaultKafkaVersion}]`,
      exclusive: ['kafka-home'],
    }),
    clean: Flags.boolean({
      summary:
        'Delete the state dir (data, logs) first and start a new cluster, with the default layout unless --port/--brokers say otherwise.',
    }),
    'state-dir': Flags.string({summary: "Where the cluster's state, data and logs live. [env: KCLI_STATE_DIR]"}),
    sasl: Flags.boolean({
      allowNo: true,
      summary:
        'Add a SASL listener (PLAIN, SCRAM-SHA-256/512, user kcli) on the client port + 200. [default: as the cluster was made]',
    }),
    tls: Flags.boolean({
      allowNo: true,
      summary:
        'Add a TLS listener requiring client certificates on the client port + 300, and put SASL and OAUTHBEARER on TLS. [default: as the cluster was made]',
    }),
    acl: Flags.boolean({
      allowNo: true,
      summary:
        "Turn on Kafka's authorizer: kcli a super user, a second SCRAM user kcli-limited with no ACLs. Needs --sasl. [default: as the cluster was made]",
    }),
    oauth: Flags.boolean({
      allowNo: true,
      summary:
        'Add an OAUTHBEARER listener that accepts unsigned JWTs on the client port + 400 (on TLS with --tls). [default: as the cluster was made]',
    }),
    'schema-registry': Flags.boolean({
      allowNo: true,
      summary:
        'Also run a schema registry (Apicurio Registry, Confluent API) on 127.0.0.1, first client port + 500. [default: as the cluster was made]',
    }),
    'registry-port': Flags.integer({
      summary: "The schema registry's port. [default: first client port + 500]",
      min: 1,
      max: 65535,
    }),
    wait: Flags.string({
      summary: `How long to wait for every broker to accept connections, e.g. 90s, 3m [default: ${defaultWaitSeconds}s]`,
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LocalStart)
    const result = await startLocalCluster({
      stateDir: flags['state-dir'],
      port: flags.port,
      brokers: flags.brokers === undefined ? undefined : flags.brokers === '3' ? 3 : 1,
      kafkaHome: flags['kafka-home'],
      kafkaVersion: flags['kafka-version'],
      clean: flags.clean,
      sasl: flags.sasl,
      tls: flags.tls,
      oauth: flags.oauth,
      acl: flags.acl,
      schemaRegistry: flags['schema-registry'],
      registryPort: flags['registry-port'],
      waitSeconds: flags.wait === undefined ? undefined : requireDuration(flags.wait, '--wait') / 1000,
      onProgress: (message) => this.logToStderr(message),
    })
    for (const line of listenerHelp(result.listeners)) this.logToStderr(line)
    if (result.registry) this.logToStderr(registryHelp(result.registry))
    this.log(result.bootstrap)
  }
}
