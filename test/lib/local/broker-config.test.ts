// What a local broker is started with: layouts, server.properties, log4j2 config and JVM arguments.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  bootstrapOf,
  brokerJvmArgs,
  jvmEnvGiven,
  classpathOf,
  clusterLayout,
  layoutPorts,
  log4jProperties,
  newClusterId,
  sameLayout,
  securedListeners,
  serverProperties,
} from '../../../src/lib/local/broker-config.js'
import {listenerHelp, listenersOf} from '../../../src/lib/local/listeners.js'
import {mavenErrors, parseJavaMajor, requiredJavaMajor, runtimePom} from '../../../src/lib/local/kafka-dist.js'

function parseProperties(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=')
      return [line.slice(0, at).trim(), line.slice(at + 1).trim()] as [string, string]
    })
  const map = new Map(entries)
  assert.equal(map.size, entries.length, 'no key is written twice')
  return map
}

describe('clusterLayout', () => {
  it('gives one node the client port and a controller port 100 above it', () => {
    assert.deepEqual(clusterLayout(9092, 1), [{id: 1, port: 9092, controllerPort: 9192}])
  })

  it('gives three nodes consecutive client ports and controller ports that do not overlap them', () => {
    const nodes = clusterLayout(9092, 3)
    assert.deepEqual(
      nodes.map((n) => [n.id, n.port, n.controllerPort]),
      [
        [1, 9092, 9192],
        [2, 9093, 9193],
        [3, 9094, 9194],
      ],
    )
    const ports = layoutPorts(nodes)
    assert.equal(new Set(ports).size, 6)
    assert.equal(bootstrapOf(nodes), 'localhost:9092,localhost:9093,localhost:9094')
  })

  it('compares layouts by ids and ports only', () => {
    const withPids = clusterLayout(9092, 3).map((n) => ({...n, pid: 42}))
    assert.equal(sameLayout(withPids, clusterLayout(9092, 3)), true)
    assert.equal(sameLayout(clusterLayout(9092, 1), clusterLayout(9092, 3)), false)
    assert.equal(sameLayout(clusterLayout(9092, 1), clusterLayout(19092, 1)), false)
  })
})

describe('serverProperties', () => {
  it('configures a single combined node with replication factor 1', () => {
    const [node] = clusterLayout(19092, 1)
    const props = parseProperties(serverProperties(node, [node], '/state/data/node-1'))
    assert.equal(props.get('process.roles'), 'broker,controller')
    assert.equal(props.get('node.id'), '1')
    assert.equal(props.get('controller.quorum.voters'), '1@localhost:19192')
    assert.equal(props.get('listeners'), 'PLAINTEXT://localhost:19092,CONTROLLER://localhost:19192')
    assert.equal(props.get('advertised.listeners'), 'PLAINTEXT://localhost:19092')
    assert.equal(props.get('controller.listener.names'), 'CONTROLLER')
    assert.equal(props.get('log.dirs'), '/state/data/node-1')
    for (const key of [
      'default.replication.factor',
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'share.coordinator.state.topic.replication.factor',
    ]) {
      assert.equal(props.get(key), '1', key)
    }
    for (const key of ['min.insync.replicas', 'transaction.state.log.min.isr', 'share.coordinator.state.topic.min.isr'])
      assert.equal(props.get(key), '1', key)
    assert.equal(props.get('group.initial.rebalance.delay.ms'), '0')
    assert.equal(props.get('offsets.topic.num.partitions'), '5')
  })

  it('gives every node of three the same voters, its own id, ports and data dir, and replication factor 3', () => {
    const nodes = clusterLayout(9092, 3)
    const all = nodes.map((n) => parseProperties(serverProperties(n, nodes, `/d/node-${n.id}`)))
    for (const [i, props] of all.entries()) {
      assert.equal(props.get('node.id'), String(i + 1))
      assert.equal(props.get('controller.quorum.voters'), '1@localhost:9192,2@localhost:9193,3@localhost:9194')
      assert.equal(props.get('listeners'), `PLAINTEXT://localhost:${9092 + i},CONTROLLER://localhost:${9192 + i}`)
      assert.equal(props.get('advertised.listeners'), `PLAINTEXT://localhost:${9092 + i}`)
      assert.equal(props.get('log.dirs'), `/d/node-${i + 1}`)
      assert.equal(props.get('default.replication.factor'), '3')
      assert.equal(props.get('offsets.topic.replication.factor'), '3')
      assert.equal(props.get('transaction.state.log.replication.factor'), '3')
      assert.equal(props.get('min.insync.replicas'), '2')
      assert.equal(props.get('transaction.state.log.min.isr'), '2')
      assert.equal(props.get('group.initial.rebalance.delay.ms'), '0')
    }
  })

  it('escapes backslashes in paths, as Java properties files require', () => {
    const [node] = clusterLayout(9092, 1)
    assert.match(serverProperties(node, [node], 'C:\\kafka\\data'), /^log\.dirs=C:\\\\kafka\\\\data$/m)
  })
})

describe('the OAUTHBEARER listener (--oauth)', () => {
  const tls = {keystore: '/s/security/broker-keystore.pem', truststore: '/s/security/ca.pem'}

  it('sits at port + 400 on every node, clear of the client, controller and other secured ports', () => {
    const nodes = clusterLayout(9092, 3)
    const ports = nodes.flatMap((n) => [
      n.port,
      n.controllerPort,
      ...securedListeners(n, {sasl: true, tls: true, oauth: true}).map((l) => l.port),
    ])
    assert.equal(new Set(ports).size, 15)
    assert.deepEqual(securedListeners(nodes[2], {sasl: false, tls: false, oauth: true}), [{name: 'OAUTH', port: 9494}])
    assert.deepEqual(securedListeners(nodes[0], {sasl: false, tls: true, oauth: true}).at(-1), {
      name: 'OAUTH_SSL',
      port: 9492,
    })
  })

  it("is a SASL_PLAINTEXT listener of its own taking only OAUTHBEARER, validated by Kafka's unsecured JWT handler", () => {
    const [node] = clusterLayout(19092, 1)
    const props = parseProperties(serverProperties(node, [node], '/d', {oauth: true}))
    assert.equal(
      props.get('listeners'),
      'PLAINTEXT://localhost:19092,CONTROLLER://localhost:19192,OAUTH://localhost:19492',
    )
    assert.equal(props.get('advertised.listeners'), 'PLAINTEXT://localhost:19092,OAUTH://localhost:19492')
    assert.equal(
      props.get('listener.security.protocol.map'),
      'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,OAUTH:SASL_PLAINTEXT',
    )
    assert.equal(props.get('inter.broker.listener.name'), 'PLAINTEXT')
    assert.equal(props.get('listener.name.oauth.sasl.enabled.mechanisms'), 'OAUTHBEARER')
    // No options: any would make the broker's own login mint a token, and no server callback handler: the unsecured one
    // is the default.
    assert.equal(
      props.get('listener.name.oauth.oauthbearer.sasl.jaas.config'),
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
    )
    assert.equal(props.has('sasl.enabled.mechanisms'), false)
    assert.ok(![...props.keys()].some((k) => k.includes('callback.handler')))
  })

  it('goes on TLS beside SASL and mTLS, leaving their mechanisms as they were', () => {
    const [node] = clusterLayout(19092, 1)
    const props = parseProperties(serverProperties(node, [node], '/d', {sasl: {password: 'pw'}, tls, oauth: true}))
    assert.equal(
      props.get('listener.security.protocol.map'),
      'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL,OAUTH_SSL:SASL_SSL',
    )
    assert.equal(props.get('sasl.enabled.mechanisms'), 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512')
    assert.equal(props.get('listener.name.oauth_ssl.sasl.enabled.mechanisms'), 'OAUTHBEARER')
    assert.match(
      props.get('listener.name.oauth_ssl.oauthbearer.sasl.jaas.config') ?? '',
      /OAuthBearerLoginModule required;$/,
    )
    assert.equal(props.get('ssl.keystore.location'), tls.keystore)
  })

  it('tells clients its bootstrap and the OAuth flags to fill in, with the CA when on TLS', () => {
    const nodes = clusterLayout(29092, 3).map((n) => ({...n, pid: null}))
    const plain = listenersOf('/s', {nodes, bootstrap: 'b', security: {sasl: false, tls: false, oauth: true}})
    assert.deepEqual(plain.at(-1), {
      protocol: 'SASL_PLAINTEXT',
      bootstrap: 'localhost:29492,localhost:29493,localhost:29494',
      saslMechanism: 'OAUTHBEARER',
    })
    assert.deepEqual(listenerHelp(plain), [
      'OAUTHBEARER listener: --brokers localhost:29492,localhost:29493,localhost:29494 --security-protocol SASL_PLAINTEXT --sasl-mechanism OAUTHBEARER --oauth-token-url <url> --oauth-client-id <id> --oauth-client-secret-file <file>',
    ])
    const onTls = listenerHelp(
      listenersOf('/s', {nodes, bootstrap: 'b', security: {sasl: true, tls: true, oauth: true}}),
    )
    assert.equal(onTls.length, 3)
    assert.match(
      onTls[2],
      /^OAUTHBEARER listener: --brokers localhost:29492,\S+ --security-protocol SASL_SSL --sasl-mechanism OAUTHBEARER .* --ssl-ca \/s\/security\/ca\.pem$/,
    )
    assert.ok(!onTls[2].includes('--sasl-username'))
  })
})

describe('the authorizer (--acl)', () => {
  it('is off unless asked for, so --sasl alone is unchanged', () => {
    const [node] = clusterLayout(19092, 1)
    const props = parseProperties(serverProperties(node, [node], '/d', {sasl: {password: 'pw'}}))
    assert.ok(
      ![...props.keys()].some(
        (k) => k.startsWith('authorizer') || k === 'super.users' || k.startsWith('allow.everyone'),
      ),
    )
  })

  it('denies what no ACL allows, with kcli and the PLAINTEXT/CONTROLLER principal as super users', () => {
    const [node] = clusterLayout(19092, 1)
    const props = parseProperties(
      serverProperties(node, [node], '/d', {sasl: {password: 'pw'}, acl: {limitedPassword: 'lp'}}),
    )
    assert.equal(props.get('authorizer.class.name'), 'org.apache.kafka.metadata.authorizer.StandardAuthorizer')
    assert.equal(props.get('allow.everyone.if.no.acl.found'), 'false')
    assert.equal(props.get('super.users'), 'User:ANONYMOUS;User:kcli')
    assert.ok(
      ![...props.values()].some((v) => v.includes('lp')),
      'the limited user lives in the metadata, not the config',
    )
    const tls = {keystore: '/s/k.pem', truststore: '/s/ca.pem'}
    const withTls = parseProperties(
      serverProperties(node, [node], '/d', {sasl: {password: 'pw'}, tls, acl: {limitedPassword: 'lp'}}),
    )
    assert.equal(withTls.get('super.users'), 'User:ANONYMOUS;User:kcli;User:CN=kcli')
  })

  it('tells clients both users of the SASL listener, kcli-limited with its own password file', () => {
    const nodes = clusterLayout(29092, 1).map((n) => ({...n, pid: null}))
    const help = listenerHelp(listenersOf('/s', {nodes, bootstrap: 'b', security: {sasl: true, tls: false, acl: true}}))
    assert.deepEqual(help, [
      'SASL_PLAINTEXT listener (super user): --brokers localhost:29292 --security-protocol SASL_PLAINTEXT --sasl-mechanism SCRAM-SHA-512 --sasl-username kcli --sasl-password-file /s/security/kcli.password',
      'SASL_PLAINTEXT listener (kcli-limited, no ACLs): --brokers localhost:29292 --security-protocol SASL_PLAINTEXT --sasl-mechanism SCRAM-SHA-512 --sasl-username kcli-limited --sasl-password-file /s/security/kcli-limited.password',
    ])
    const without = listenerHelp(listenersOf('/s', {nodes, bootstrap: 'b', security: {sasl: true, tls: false}}))
    assert.deepEqual(without, [help[0].replace(' (super user)', '')])
  })
})

describe('log4jProperties', () => {
  it('logs at INFO into server.log under kafka.logs.dir', () => {
    const props = parseProperties(log4jProperties())
    assert.equal(props.get('appender.file.fileName'), '${sys:kafka.logs.dir}/server.log')
    assert.equal(props.get('rootLogger.level'), 'info')
    assert.equal(props.get('rootLogger.appenderRef.file.ref'), props.get('appender.file.name'))
    assert.equal(props.get('shutdownHook'), 'disable')
  })
})

describe('brokerJvmArgs', () => {
  const paths = {
    libDir: '/cache/lib/',
    log4jFile: '/s/config/log4j2.properties',
    logsDir: '/s/logs/node-1',
    configFile: '/s/config/server-1.properties',
  }

  it('gives a lone node 1 GB of heap and three nodes 512 MB each', () => {
    const one = brokerJvmArgs(1, paths)
    assert.ok(one.includes('-Xms256m') && one.includes('-Xmx1g'))
    const three = brokerJvmArgs(3, paths)
    assert.ok(three.includes('-Xmx512m') && !three.includes('-Xmx1g'))
  })

  it("takes KAFKA_HEAP_OPTS instead of its heap flags and KAFKA_OPTS after its own, as Kafka's scripts do", () => {
    const args = brokerJvmArgs(1, paths, {
      KAFKA_HEAP_OPTS: ' -Xms1g  -Xmx4g ',
      KAFKA_OPTS: '-XX:TieredStopAtLevel=1 -Da=b',
    })
    assert.deepEqual(args.slice(0, 2), ['-Xms1g', '-Xmx4g'])
    assert.ok(!args.includes('-Xmx1g') && !args.includes('-Xms256m'))
    const cp = args.indexOf('-cp')
    assert.deepEqual(args.slice(cp - 2, cp), ['-XX:TieredStopAtLevel=1', '-Da=b'])
    assert.ok(args.indexOf('-XX:+UseG1GC') < cp - 2)
    // Blank values are as good as unset.
    assert.deepEqual(brokerJvmArgs(3, paths, {KAFKA_HEAP_OPTS: ' ', KAFKA_OPTS: ''}), brokerJvmArgs(3, paths))
  })

  it('names the JVM option variables it takes, and not blank ones', () => {
    assert.deepEqual(jvmEnvGiven({KAFKA_HEAP_OPTS: '-Xmx2g', KAFKA_OPTS: '  '}), ['KAFKA_HEAP_OPTS'])
    assert.deepEqual(jvmEnvGiven({KAFKA_OPTS: '-XX:TieredStopAtLevel=1'}), ['KAFKA_OPTS'])
    assert.deepEqual(jvmEnvGiven({}), [])
  })

  it('runs kafka.Kafka with the config file last and a wildcard classpath', () => {
    const args = brokerJvmArgs(1, paths)
    assert.deepEqual(args.slice(-2), ['kafka.Kafka', '/s/config/server-1.properties'])
    assert.equal(args[args.indexOf('-cp') + 1], '/cache/lib/*')
    assert.ok(args.includes('-Dlog4j2.configurationFile=/s/config/log4j2.properties'))
    assert.ok(args.includes('-Dkafka.logs.dir=/s/logs/node-1'))
    assert.equal(classpathOf('/x/libs'), '/x/libs/*')
  })
})

describe('newClusterId', () => {
  it('is 22 base64url characters that never start with a dash', () => {
    for (let i = 0; i < 200; i++) assert.match(newClusterId(), /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/)
  })

  it('encodes the UUID it is given and skips ones that would start with a dash', () => {
    const uuids = ['f8000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000000']
    assert.equal(
      newClusterId(() => uuids.shift()!),
      'AAAAAAAAQACAAAAAAAAAAA',
    )
  })
})

describe('kafka-dist helpers', () => {
  it('reads the Java major version from java -version output', () => {
    assert.equal(parseJavaMajor('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment'), 17)
    assert.equal(parseJavaMajor('openjdk version "21" 2023-09-19'), 21)
    assert.equal(parseJavaMajor('java version "1.8.0_392"'), 8)
    assert.equal(parseJavaMajor('something else'), undefined)
  })

  it('asks for Java 17 for Kafka 4 and Java 11 for Kafka 3', () => {
    assert.equal(requiredJavaMajor('4.3.1'), 17)
    assert.equal(requiredJavaMajor('3.9.1'), 11)
  })

  it('writes a POM with the broker, the tools without connect-runtime, and an SLF4J 1.7 binding', () => {
    const pom = runtimePom('4.1.2')
    assert.match(pom, /<artifactId>kafka_2\.13<\/artifactId><version>4\.1\.2<\/version>/)
    assert.match(
      pom,
      /<artifactId>kafka-tools<\/artifactId><version>4\.1\.2<\/version>\s*<exclusions><exclusion><groupId>org\.apache\.kafka<\/groupId><artifactId>connect-runtime<\/artifactId>/,
    )
    assert.match(pom, /<artifactId>log4j-slf4j-impl<\/artifactId>/)
    assert.match(pom, /<artifactId>slf4j-api<\/artifactId><version>1\.7\.36<\/version>/)
  })

  it('keeps only what Maven says went wrong', () => {
    const output =
      '\u001B[0m[ERROR] Failed to execute goal: Could not find artifact org.apache.kafka:kafka_2.13:jar:9.9.9 -> [Help 1]\n[ERROR]\n[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.\n[ERROR] [Help 1] http://example\n'
    assert.equal(
      mavenErrors(output),
      'Failed to execute goal: Could not find artifact org.apache.kafka:kafka_2.13:jar:9.9.9',
    )
  })
})
