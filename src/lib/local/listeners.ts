// The ways into a local cluster (PLAINTEXT and the secured listeners), with the files a client needs for each,
// and the kcli flags that use them.
import {type ListenerKind, limitedUser, localHost, protocolOf, saslUser, securedListeners} from './broker-config.js'
import {credentialFiles} from './credentials.js'
import type {ClusterState} from './state-dir.js'

/** One way into the cluster, with what a client needs to use it. */
export interface ListenerInfo {
  protocol: 'PLAINTEXT' | ListenerKind
  bootstrap: string
  /** The SASL mechanism when the listener takes only one (OAUTHBEARER); SASL listeners with a user take several. */
  saslMechanism?: 'OAUTHBEARER'
  /** SASL user and the file holding its password (SASL listeners). */
  saslUser?: string
  passwordFile?: string
  /** With --acl: what the user may do, `super user` or `no ACLs`. */
  access?: 'super user' | 'no ACLs'
  /** CA certificate to verify the brokers with (TLS listeners), and the client certificate and key (SSL: mTLS). */
  caFile?: string
  certFile?: string
  keyFile?: string
}

/** The PLAINTEXT listener and the secured ones, with the files a client needs for each. */
export function listenersOf(
  stateDir: string,
  state: Pick<ClusterState, 'nodes' | 'bootstrap' | 'security'>,
): ListenerInfo[] {
  const security = state.security ?? {sasl: false, tls: false}
  const files = credentialFiles(stateDir)
  const listeners: ListenerInfo[] = [{protocol: 'PLAINTEXT', bootstrap: state.bootstrap}]
  const perNode = state.nodes.map((n) => securedListeners(n, security))
  for (const [i, first] of (perNode[0] ?? []).entries()) {
    const protocol = protocolOf(first.name)
    const info: ListenerInfo = {protocol, bootstrap: perNode.map((l) => `${localHost}:${l[i].port}`).join(',')}
    if (first.name.startsWith('OAUTH')) info.saslMechanism = 'OAUTHBEARER'
    else if (protocol.startsWith('SASL')) Object.assign(info, {saslUser, passwordFile: files.password})
    if (protocol.endsWith('SSL')) info.caFile = files.ca
    if (protocol === 'SSL') Object.assign(info, {certFile: files.clientCert, keyFile: files.clientKey})
    if (security.acl && (info.saslUser !== undefined || protocol === 'SSL')) info.access = 'super user'
    listeners.push(info)
    // The same listener again for the user the authorizer allows nothing.
    if (security.acl && info.saslUser !== undefined)
      listeners.push({...info, saslUser: limitedUser, passwordFile: files.limitedPassword, access: 'no ACLs'})
  }
  return listeners
}

/**
 * How to connect to each secured listener, as kcli flags; the password itself stays in its file. The OAUTHBEARER
 * listener takes an unsigned token from any endpoint, so its line leaves the endpoint and the client to the user.
 */
export function listenerHelp(listeners: ListenerInfo[]): string[] {
  return listeners
    .filter((l) => l.protocol !== 'PLAINTEXT')
    .map((l) => {
      const flags = [`--brokers ${l.bootstrap}`, `--security-protocol ${l.protocol}`]
      if (l.saslMechanism === 'OAUTHBEARER')
        flags.push(
          '--sasl-mechanism OAUTHBEARER --oauth-token-url <url> --oauth-client-id <id> --oauth-client-secret-file <file>',
        )
      if (l.saslUser)
        flags.push(
          `--sasl-mechanism SCRAM-SHA-512 --sasl-username ${l.saslUser} --sasl-password-file ${l.passwordFile}`,
        )
      if (l.caFile) flags.push(`--ssl-ca ${l.caFile}`)
      if (l.certFile) flags.push(`--ssl-cert ${l.certFile} --ssl-key ${l.keyFile}`)
      const access =
        l.access === undefined ? '' : ` (${l.access === 'super user' ? 'super user' : `${l.saslUser}, no ACLs`})`
      return `${l.saslMechanism ?? l.protocol} listener${access}: ${flags.join(' ')}`
    })
}
