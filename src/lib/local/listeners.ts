// The ways into a local cluster (PLAINTEXT and the secured listeners), with the files a client needs for each,
// and the kcli flags that use them.
import {type ListenerKind, localHost, saslUser, securedListeners} from './broker-config.js'
import {credentialFiles} from './credentials.js'
import type {ClusterState} from './state-dir.js'

/** One way into the cluster, with what a client needs to use it. */
export interface ListenerInfo {
  protocol: 'PLAINTEXT' | ListenerKind
  bootstrap: string
  /** SASL user and the file holding its password (SASL listeners). */
  saslUser?: string
  passwordFile?: string
  /** CA certificate to verify the brokers with (TLS listeners), and the client certificate and key (SSL: mTLS). */
  caFile?: string
  certFile?: string
  keyFile?: string
}

/** The PLAINTEXT listener and the secured ones, with the files a client needs for each. */
export function listenersOf(stateDir: string, state: Pick<ClusterState, 'nodes' | 'bootstrap' | 'security'>): ListenerInfo[] {
  const security = state.security ?? {sasl: false, tls: false}
  const files = credentialFiles(stateDir)
  const listeners: ListenerInfo[] = [{protocol: 'PLAINTEXT', bootstrap: state.bootstrap}]
  const perNode = state.nodes.map((n) => securedListeners(n, security))
  for (const [i, first] of (perNode[0] ?? []).entries()) {
    const info: ListenerInfo = {protocol: first.name, bootstrap: perNode.map((l) => `${localHost}:${l[i].port}`).join(',')}
    if (first.name.startsWith('SASL')) Object.assign(info, {saslUser, passwordFile: files.password})
    if (first.name.endsWith('SSL')) info.caFile = files.ca
    if (first.name === 'SSL') Object.assign(info, {certFile: files.clientCert, keyFile: files.clientKey})
    listeners.push(info)
  }
  return listeners
}

/** How to connect to each secured listener, as kcli flags; the password itself stays in its file. */
export function listenerHelp(listeners: ListenerInfo[]): string[] {
  return listeners
    .filter((l) => l.protocol !== 'PLAINTEXT')
    .map((l) => {
      const flags = [`--brokers ${l.bootstrap}`, `--security-protocol ${l.protocol}`]
      if (l.saslUser) flags.push(`--sasl-mechanism SCRAM-SHA-512 --sasl-username ${l.saslUser} --sasl-password-file ${l.passwordFile}`)
      if (l.caFile) flags.push(`--ssl-ca ${l.caFile}`)
      if (l.certFile) flags.push(`--ssl-cert ${l.certFile} --ssl-key ${l.keyFile}`)
      return `${l.protocol} listener: ${flags.join(' ')}`
    })
}
