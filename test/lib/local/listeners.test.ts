// The secured listeners of `kcli local start --sasl --tls`: what each broker is configured with, and what clients are
// told.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {clusterLayout, securedListeners, serverProperties} from '../../../src/lib/local/broker-config.js'
import {listenerHelp, listenersOf} from '../../../src/lib/local/listeners.js'

function parse(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  )
}

const tls = {keystore: '/s/security/broker-keystore.pem', truststore: '/s/security/ca.pem'}

describe('secured listeners', () => {
  it('puts SASL at port + 200 and mTLS at port + 300 on every node, apart from the controller ports', () => {
    const nodes = clusterLayout(9092, 3)
    const ports = nodes.flatMap((n) => [
      n.port,
      n.controllerPort,
      ...securedListeners(n, {sasl: true, tls: true}).map((l) => l.port),
    ])
    assert.equal(new Set(ports).size, 12)
    assert.deepEqual(securedListeners(nodes[1], {sasl: true, tls: true}), [
      {name: 'SASL_SSL', port: 9293},
      {name: 'SSL', port: 9393},
    ])
    assert.deepEqual(securedListeners(nodes[0], {sasl: true, tls: false}), [{name: 'SASL_PLAINTEXT', port: 9292}])
    assert.deepEqual(securedListeners(nodes[0], {sasl: false, tls: false}), [])
  })

  it('configures SASL_SSL with PLAIN and SCRAM, and an SSL listener that requires client certificates', () => {
    const [node] = clusterLayout(19092, 1)
    const props = parse(serverProperties(node, [node], '/d', {sasl: {password: 'pw-abc'}, tls}))
    assert.equal(
      props.get('listeners'),
      'PLAINTEXT://localhost:19092,CONTROLLER://localhost:19192,SASL_SSL://localhost:19292,SSL://localhost:19392',
    )
    assert.equal(
      props.get('advertised.listeners'),
      'PLAINTEXT://localhost:19092,SASL_SSL://localhost:19292,SSL://localhost:19392',
    )
    assert.equal(
      props.get('listener.security.protocol.map'),
      'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL',
    )
    assert.equal(props.get('inter.broker.listener.name'), 'PLAINTEXT')
    assert.equal(props.get('sasl.enabled.mechanisms'), 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512')
    assert.match(
      props.get('listener.name.sasl_ssl.plain.sasl.jaas.config') ?? '',
      /PlainLoginModule required user_kcli="pw-abc";/,
    )
    assert.match(props.get('listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config') ?? '', /ScramLoginModule required;/)
    assert.equal(props.get('ssl.keystore.type'), 'PEM')
    assert.equal(props.get('ssl.truststore.location'), tls.truststore)
    assert.equal(props.get('listener.name.ssl.ssl.client.auth'), 'required')
  })

  it('leaves a cluster without security as it was', () => {
    const [node] = clusterLayout(9092, 1)
    assert.equal(serverProperties(node, [node], '/d'), serverProperties(node, [node], '/d', {}))
    assert.ok(!serverProperties(node, [node], '/d').includes('sasl'))
  })

  it("tells clients each listener's bootstrap and files, and the kcli flags to use them, never the password", () => {
    const nodes = clusterLayout(29092, 3).map((n) => ({...n, pid: null}))
    const listeners = listenersOf('/s', {
      nodes,
      bootstrap: 'localhost:29092,localhost:29093,localhost:29094',
      security: {sasl: true, tls: true},
    })
    assert.deepEqual(
      listeners.map((l) => [l.protocol, l.bootstrap]),
      [
        ['PLAINTEXT', 'localhost:29092,localhost:29093,localhost:29094'],
        ['SASL_SSL', 'localhost:29292,localhost:29293,localhost:29294'],
        ['SSL', 'localhost:29392,localhost:29393,localhost:29394'],
      ],
    )
    const help = listenerHelp(listeners)
    assert.equal(help.length, 2)
    assert.match(
      help[0],
      /^SASL_SSL listener: --brokers localhost:29292,.* --sasl-username kcli --sasl-password-file \/s\/security\/kcli\.password --ssl-ca \/s\/security\/ca\.pem$/,
    )
    assert.match(
      help[1],
      /^SSL listener: .*--ssl-cert \/s\/security\/client\.pem --ssl-key \/s\/security\/client\.key$/,
    )
    assert.deepEqual(
      listenersOf('/s', {nodes, bootstrap: 'b'}).map((l) => l.protocol),
      ['PLAINTEXT'],
    )
  })
})
