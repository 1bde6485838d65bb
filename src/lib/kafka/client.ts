// Creating, connecting and closing @confluentinc/kafka-javascript clients; the library is loaded lazily so commands
// that do not talk to Kafka start fast.
import type {
  AdminClient as AdminClientType,
  IAdminClient,
  KafkaConsumer,
  Metadata,
  Producer,
} from '@confluentinc/kafka-javascript'

import {formatDuration} from '../time/duration.js'
import {ExitCode, KcliError, describeKafkaError, isConfigurationError, isUnreachable} from '../errors.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {isSecretKey} from '../settings/layers.js'
import {securityProperties} from '../settings/security.js'
import {terminalSafe, warn} from '../terminal/output.js'

type KafkaModule = typeof import('@confluentinc/kafka-javascript')
let kafkaModule: Promise<KafkaModule> | undefined

export async function loadKafka(): Promise<KafkaModule> {
  // lib/rdkafka.js is the package's index without its KafkaJS-compatible layer, which kcli does not use (~15 ms to
  // load). scripts/bundle.mjs bundles it (not the addon it loads): no module resolution or ES module machinery for
  // its ~15 files at run time.
  kafkaModule ??= import('@confluentinc/kafka-javascript/lib/rdkafka.js').then(
    (m: {default?: KafkaModule}) => (m.default ?? m) as KafkaModule,
    (error: unknown) => {
      throw nativeLoadError(error)
    },
  )
  return kafkaModule
}

const rebuildHint =
  'Rebuild it for this Node.js: `npm rebuild @confluentinc/kafka-javascript --update-binary` where kcli is installed ' +
  '(add -g for a global install; offline, set CKJS_LINKING=dynamic).'

/**
 * The native client cannot load when it was built for another Node.js (after `nvm use` or an upgrade), or was never
 * built: process.dlopen's own text is five lines about NODE_MODULE_VERSION.
 */
export function nativeLoadError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error)
  const abi = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(message)
  if (abi) {
    return new KcliError(
      `the Kafka client library was built for another Node.js (module version ${abi[1]}; Node ${process.version} needs ${abi[2]})`,
      {hint: rebuildHint, cause: error},
    )
  }
  if ((error as {code?: string}).code === 'ERR_DLOPEN_FAILED' || /Could not locate the bindings file/.test(message)) {
    return new KcliError(`the Kafka client library cannot be loaded (${message.split('\n')[0]})`, {
      hint: rebuildHint,
      cause: error,
    })
  }
  return error
}

export type ClientProperties = Record<string, string | number | boolean | ((...args: never[]) => void)>

/** The librdkafka properties every client gets, before the user's own `-X` properties (which win). */
export function baseProperties(settings: ResolvedSettings): ClientProperties {
  return {
    'bootstrap.servers': settings.brokers.join(','),
    'client.id': settings.clientId,
    // A metadata lookup must never create a topic the user did not ask for.
    'allow.auto.create.topics': false,
    // librdkafka logs to stderr by itself; kcli reports what matters in its own words.
    log_level: 3,
    // The stock librdkafka connects to a broker it learned from the bootstrap only after half this backoff (default
    // 100 ms): ~50 ms of every short command (kcli's patch removes that wait for a client's first connection:
    // patches/README.md; the prebuilt binary keeps it). Failed connections still back off exponentially up to
    // reconnect.backoff.max.ms.
    'reconnect.backoff.ms': 20,
    // SASL, TLS and OAUTHBEARER from the first-class settings (--sasl-username, ssl.ca, ...); -X properties still win.
    ...securityProperties(settings.security ?? {}),
  }
}

export function unreachableError(settings: ResolvedSettings, cause: unknown): KcliError {
  const brokers = settings.brokers.join(',')
  return new KcliError(
    `cannot reach Kafka at ${brokers} within ${formatDuration(settings.timeoutMs)} (${describeKafkaError(cause)})`,
    {
      exit: ExitCode.unreachable,
      hint: 'Is the broker running? Start a local one with `kcli local start`, or point kcli at yours with --brokers.',
      cause,
    },
  )
}

function configurationError(err: unknown): KcliError {
  return new KcliError(`invalid client settings: ${describeKafkaError(err)}`, {
    exit: ExitCode.usage,
    hint: 'Check the -X properties and "properties" in the rc file (`kcli config show` lists them).',
    cause: err,
  })
}

/**
 * Creates a client; librdkafka rejects unknown properties and bad values here, which are the user's to fix (exit 2).
 */
function createClient<T>(create: () => T): T {
  try {
    return create()
  } catch (error) {
    throw configurationError(error)
  }
}

/** Turns a failure during connect into the error a user should see; errors.ts decides what it means. */
export function connectError(settings: ResolvedSettings, err: unknown): KcliError {
  if (err instanceof KcliError) return err
  if (isConfigurationError(err)) return configurationError(err)
  if (isUnreachable(err)) return unreachableError(settings, err)
  return new KcliError(`cannot connect to Kafka at ${settings.brokers.join(',')}: ${describeKafkaError(err)}`, {
    exit: ExitCode.unreachable,
    cause: err,
  })
}

// Repeated transport errors arrive in bursts; say it once in a while, not dozens of times.
function watchErrors(client: {on(event: 'event.error', cb: (err: unknown) => void): unknown}, label: string): void {
  let lastWarn = 0
  client.on('event.error', (err) => {
    const now = Date.now()
    if (now - lastWarn < 10_000) return
    lastWarn = now
    warn(`${label}: ${describeKafkaError(err)} (retrying)`)
  })
}

/**
 * With `-X debug=...` librdkafka writes its debug log, as it would on its own (kcat, librdkafka's default logger):
 * the binding hands every line to JS, where nothing printed them. To stderr, one line each, with the values of secret
 * properties masked and control characters escaped (a line can quote what a broker sent).
 */
export function forwardDebugLog(client: object, label: string, properties: ClientProperties): void {
  if (typeof properties.debug !== 'string' || properties.debug.trim() === '') return
  // Longest first, so a secret that contains another is masked whole.
  const secrets = Object.entries(properties)
    .filter(([key, value]) => isSecretKey(key) && (typeof value === 'string' || typeof value === 'number'))
    .map(([, value]) => String(value))
    .filter((value) => value.length > 0)
    .sort((a, b) => b.length - a.length)
  const events = client as NodeJS.EventEmitter
  events.on('event.log', (log: {severity?: number; fac?: string; message?: string}) => {
    let message = log.message ?? ''
    for (const secret of secrets) message = message.split(secret).join('********')
    // One line each: a line break inside (a broker's or token endpoint's text) must not start a line of its own.
    message = message.replace(/[\t\n\r]/g, (c) => JSON.stringify(c).slice(1, -1))
    const time = (Date.now() / 1000).toFixed(3)
    process.stderr.write(terminalSafe(`%${log.severity ?? 7}|${time}|${log.fac ?? ''}|${label}| ${message}`) + '\n')
  })
}

// librdkafka reports a wrong password, a refused certificate or a failed token request only as a log line, then keeps
// retrying until the connect times out; these lines end the wait at once.
const authFailure =
  /SASL authentication error|authentication failed|SSL handshake failed|certificate verify failed|alert bad certificate|alert certificate required|alert unknown ca|Failed to retrieve OIDC token/i

/** The code (`--json` errors) of a connection the cluster refused: credentials, certificates, tokens. */
export const authenticationCode = 'AUTHENTICATION'

let abandoned = 0

/** Connects that were given up before the binding called back; their pending work keeps Node alive. */
export function abandonedConnects(): number {
  return abandoned
}

// The binding's metadata request blocks a thread of libuv's pool for its whole timeout, and Node joins that pool
// before it exits: a connect given up on after 0.3 s would still hold the exit for the rest of --timeout. Asking in
// short slices bounds that to one slice.
const firstSliceMs = 1000

type MetadataCall = (options: object, cb: (err: unknown, metadata?: Metadata) => void) => void

/**
 * While `connect()` runs, makes the client's metadata request (the one connect makes) ask in slices until `deadline`,
 * stopping early once `given up`. Returns the function that restores the library's own call.
 */
function sliceConnectMetadata(client: object, deadline: number, givenUp: () => boolean): () => void {
  const own = client as {getMetadata: MetadataCall}
  const library = own.getMetadata
  own.getMetadata = (options, cb) => {
    let slice = firstSliceMs
    const attempt = () => {
      const remaining = deadline - Date.now()
      const timeout = Math.max(1, Math.min(slice, remaining))
      library.call(client, {...options, timeout}, (err, metadata) => {
        const again = err && !givenUp() && remaining > timeout && isUnreachable(err)
        if (!again) return cb(err, metadata)
        // A slow link may need longer than one slice for a round trip: each slice is longer than the last.
        slice = Math.round(slice * 1.5)
        attempt()
      })
    }
    attempt()
  }
  return () => {
    delete (client as {getMetadata?: MetadataCall}).getMetadata
  }
}

async function connectWithTimeout<T extends Producer | KafkaConsumer>(
  client: T,
  settings: ResolvedSettings,
  topic: string | undefined,
): Promise<Metadata> {
  return new Promise((resolve, reject) => {
    let settled = false
    const giveUp = (error: KcliError) => {
      if (settled) return
      settled = true
      abandoned++
      reject(error)
    }
    // The binding's own timeout covers the metadata request; a timer guards against a connect that never calls back.
    const timer = setTimeout(
      () => giveUp(unreachableError(settings, new Error('timed out'))),
      settings.timeoutMs + 2000,
    )
    const onLog = (log: {message?: string}) => {
      if (log?.message && authFailure.test(log.message)) {
        clearTimeout(timer)
        giveUp(authenticationError(settings, log.message))
      }
    }
    const events = client as unknown as NodeJS.EventEmitter
    events.on('event.log', onLog)
    const restore = sliceConnectMetadata(client, Date.now() + settings.timeoutMs, () => settled)
    // The command's own topic, or only brokers: never every topic of the cluster. Given no topic, the stock librdkafka
    // asks for all of them (kcli's patch asks for brokers only: patches/README.md); given one, the answer also holds
    // its partitions, which spares the command a request of its own.
    const only = topic === undefined ? {} : {topic}
    client.connect({timeout: settings.timeoutMs, allTopics: false, ...only}, (err, metadata) => {
      restore()
      clearTimeout(timer)
      events.removeListener('event.log', onLog)
      if (settled) {
        abandoned--
        return
      }
      settled = true
      if (err) reject(connectError(settings, err))
      else resolve(metadata)
    })
  })
}

/** Why the cluster refused the connection, from librdkafka's log line, and what to check; never a secret. */
export function authenticationFailure(logLine: string): {reason: string; hint: string} {
  const settingsHint = 'Check the security settings with `kcli config show`.'
  // An OIDC failure line carries the identity provider's response body: keep only its HTTP status.
  if (/Failed to retrieve OIDC token/i.test(logLine)) {
    // kcli's patch has librdkafka load libcurl for its first token request (patches/README.md).
    // Right after the quoted URL and with librdkafka's own code (-1), never an identity provider's answer.
    const unloaded = /OIDC token from "[^"]*": Failed to load libcurl: (.*) \(-1\)\s*$/.exec(logLine)?.[1]
    if (unloaded !== undefined)
      return {
        reason: `libcurl, which OAuth token requests need, could not be loaded (${unloaded})`,
        hint: 'libcurl.so.4 must load on this machine (Debian and Ubuntu: the libcurl4 package).',
      }
    const status = /\((\d{3})\)\s*$/.exec(logLine)?.[1]
    if (status === undefined)
      return {
        reason: 'no token from the OAuth token endpoint (it could not be reached, or did not answer)',
        hint: 'Check --oauth-token-url, and that the endpoint answers from here.',
      }
    if (/^(400|401|403)$/.test(status))
      return {
        reason: `the token endpoint refused the client credentials (HTTP ${status})`,
        hint: 'Check --oauth-client-id and the client secret (KCLI_OAUTH_CLIENT_SECRET, --oauth-client-secret-file).',
      }
    return {reason: `the token endpoint failed (HTTP ${status})`, hint: settingsHint}
  }
  if (/connecting to a PLAINTEXT broker listener/i.test(logLine))
    return {
      reason: 'TLS handshake failed: that port speaks PLAINTEXT',
      hint: "Use the brokers' TLS port, or a protocol without TLS (--security-protocol PLAINTEXT or SASL_PLAINTEXT).",
    }
  if (/alert (bad certificate|certificate required|unknown ca)/i.test(logLine))
    return {
      reason: 'TLS handshake failed: the broker refused the client certificate (or that none was given)',
      hint: 'The broker requires a client certificate signed by a CA it trusts: --ssl-cert and --ssl-key.',
    }
  if (/certificate verify failed/i.test(logLine))
    return {
      reason: "TLS handshake failed: the brokers' certificate could not be verified",
      hint: "Check --ssl-ca: it must be the CA that signed the brokers' certificates (and they must name the host).",
    }
  if (/SSL handshake failed/i.test(logLine)) return {reason: 'TLS handshake failed', hint: settingsHint}
  // The broker's reason ("Invalid username or password") names no secret; librdkafka's timing suffix is noise.
  const said = /SASL authentication error: (.*?)(?: \(after \d+ms.*)?$/i.exec(logLine)?.[1]?.trim()
  const refused = said !== undefined && /invalid credentials|invalid username or password/i.test(said)
  return {
    reason: refused
      ? 'the broker refused the user name or password'
      : said
        ? `authentication failed: ${said}`
        : 'authentication failed',
    hint: 'Check the user name, the password and the SASL mechanism (`kcli config show` shows the settings in use).',
  }
}

function authenticationError(settings: ResolvedSettings, logLine: string): KcliError {
  const {reason, hint} = authenticationFailure(logLine)
  return new KcliError(`cannot connect to Kafka at ${settings.brokers.join(',')}: ${reason}`, {
    exit: ExitCode.unreachable,
    code: authenticationCode,
    hint,
  })
}

export interface Connected<T> {
  client: T
  metadata: Metadata
}

/** A connected producer; with `topic`, the connect's metadata describes that topic. */
export async function connectProducer(
  settings: ResolvedSettings,
  properties: ClientProperties,
  topic?: string,
): Promise<Connected<Producer>> {
  const {Producer} = await loadKafka()
  const all = {...baseProperties(settings), ...properties, ...settings.properties}
  const producer = createClient(() => new Producer(all as never))
  forwardDebugLog(producer, 'producer', all)
  const metadata = await connectWithTimeout(producer, settings, topic)
  watchErrors(producer, 'producer')
  return {client: producer, metadata}
}

/** A connected consumer; with `topic`, the connect's metadata describes that topic. */
export async function connectConsumer(
  settings: ResolvedSettings,
  properties: ClientProperties,
  topicProperties: Record<string, string | number | boolean> = {},
  topic?: string,
): Promise<Connected<KafkaConsumer>> {
  const {KafkaConsumer} = await loadKafka()
  const all = {...baseProperties(settings), ...properties, ...settings.properties}
  const consumer = createClient(() => new KafkaConsumer(all as never, topicProperties as never))
  forwardDebugLog(consumer, 'consumer', all)
  const metadata = await connectWithTimeout(consumer, settings, topic)
  watchErrors(consumer, 'consumer')
  return {client: consumer, metadata}
}

/** An admin client riding on an already connected client, so the cluster is known to answer before any admin call. */
export async function adminFrom(client: Producer | KafkaConsumer): Promise<IAdminClient> {
  const {AdminClient} = await loadKafka()
  return (AdminClient as typeof AdminClientType).createFrom(client)
}

/** Runs one callback-style client call, failing after the timeout even if the binding never calls back. */
export function boundedCall<T>(
  settings: ResolvedSettings,
  call: (done: (err: unknown, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(unreachableError(settings, new Error('timed out'))),
      settings.timeoutMs + 2000,
    )
    try {
      call((err, value) => {
        clearTimeout(timer)
        if (err) reject(err)
        else resolve(value as T)
      })
    } catch (error) {
      clearTimeout(timer)
      reject(error)
    }
  })
}

/** Fetches metadata for one topic, or all topics, bounded by the connect timeout. */
export async function fetchMetadata(
  client: Producer | KafkaConsumer,
  settings: ResolvedSettings,
  topic?: string,
): Promise<Metadata> {
  return new Promise((resolve, reject) => {
    client.getMetadata(
      {...(topic === undefined ? {allTopics: true} : {topic, allTopics: false}), timeout: settings.timeoutMs},
      (err, metadata) => {
        if (err) reject(connectError(settings, err))
        else resolve(metadata)
      },
    )
  })
}

type Disconnectable = {
  isConnected(): boolean
  disconnect(...args: never[]): unknown
  setPollInterval?: (interval: number) => unknown
}

/**
 * Disconnects within a time limit: a connected librdkafka client keeps Node alive, and a dead broker can block
 * disconnect.
 */
export async function closeClient(client: Disconnectable, timeoutMs: number): Promise<boolean> {
  if (!client.isConnected()) return true
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs)
    const done = () => {
      clearTimeout(timer)
      resolve(true)
    }
    try {
      // The stock binding's poll timer used the client while its disconnect destroyed it (a crash or a hang at the
      // end of a run; patches/README.md): stopped first. The producer's disconnect flushes, which polls by itself.
      client.setPollInterval?.(0)
      // The producer takes (flush timeout, cb); the consumer takes only (cb).
      const disconnect = client.disconnect as (...args: unknown[]) => unknown
      if (typeof (client as {flush?: unknown}).flush === 'function') disconnect.call(client, timeoutMs, done)
      else disconnect.call(client, done)
    } catch {
      done()
    }
  })
}
