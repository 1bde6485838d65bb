// A thin client for the Confluent Schema Registry REST API (also served by Apicurio Registry at /apis/ccompat/v7),
// over node:http(s) (a CA of one's own needs https' `ca`, which fetch cannot take). Every failure is a RegistryError:
// a KcliError with one line naming the method, the URL (never with credentials) and the status, a `kind`, and the
// exit code kcli documents for it.
import http from 'node:http'
import https from 'node:https'

import {ExitCode, KcliError} from '../errors.js'

export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON'

export interface SchemaReference {
  /** For Protobuf the import path, for JSON Schema the `$ref` name, for Avro the referenced full type name. */
  name: string
  subject: string
  version: number
}

export interface SchemaInput {
  schema: string
  /** Default AVRO, as in the Confluent API. */
  schemaType?: SchemaType
  references?: SchemaReference[]
}

export interface RegisteredSchema {
  id: number
  schemaType: SchemaType
  schema: string
  references: SchemaReference[]
}

export interface SubjectVersion extends RegisteredSchema {
  subject: string
  version: number
}

export interface ResolvedReference extends SchemaReference {
  schema: string
  schemaType: SchemaType
}

export interface CompatibilityResult {
  compatible: boolean
  /** Reasons when incompatible (Confluent `messages`, Apicurio `reason`); may be empty. */
  messages: string[]
}

export type RegistryAuth = {username: string; password: string} | {bearerToken: string}

export interface RegistryClientOptions {
  /** Base URL, e.g. http://localhost:8081 (Confluent) or http://localhost:8080/apis/ccompat/v7 (Apicurio). */
  url: string
  auth?: RegistryAuth
  /** Per-request time limit (default 10 s). */
  timeoutMs?: number
  /** CA certificates (PEM text) to verify an https registry with, instead of the system's. */
  ca?: string
}

export type RegistryErrorKind =
  | 'unreachable' // connection refused, DNS failure, timeout, TLS failure: no HTTP answer
  | 'unauthorized' // 401: no or wrong credentials
  | 'forbidden' // 403: the credentials may not do this
  | 'not-found' // 404 (subject, version, schema id or endpoint)
  | 'incompatible' // 409: the schema breaks the subject's compatibility rule
  | 'invalid' // 400 / 422: the request or the schema is invalid
  | 'server' // 5xx
  | 'protocol' // an answer that is not the Schema Registry API

const exitOf: Record<RegistryErrorKind, number> = {
  unreachable: ExitCode.unreachable,
  unauthorized: ExitCode.unreachable,
  forbidden: ExitCode.failure,
  'not-found': ExitCode.usage,
  incompatible: ExitCode.failure,
  invalid: ExitCode.usage,
  server: ExitCode.failure,
  protocol: ExitCode.failure,
}

const hintOf: Partial<Record<RegistryErrorKind, string>> = {
  unreachable:
    'Is the registry running? `kcli local start --schema-registry` starts one; --registry-url points kcli at yours.',
  unauthorized:
    'Check --registry-username with its password (KCLI_REGISTRY_PASSWORD, --registry-password-file), or --registry-token.',
}

export class RegistryError extends KcliError {
  constructor(
    message: string,
    readonly kind: RegistryErrorKind,
    readonly url: string,
    readonly status?: number,
    readonly errorCode?: number,
    hint?: string,
  ) {
    super(message, {exit: exitOf[kind], hint: hint ?? hintOf[kind]})
    this.name = 'RegistryError'
  }
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'
/** Larger answers are not a schema registry's. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024

/** The URL without user info, query or fragment: safe to print. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    u.search = ''
    u.hash = ''
    return u.toString()
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '')
  }
}

function oneLine(text: string, max = 300): string {
  const s = text.replace(/\s+/g, ' ').trim()
  return s.length > max ? s.slice(0, max) + '…' : s
}

/** Apicurio prefixes messages with the Java exception class; that says nothing to a user. */
function cleanMessage(message: string): string {
  return oneLine(message.replace(/^(?:[a-z][a-z0-9_]*\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): /, ''))
}

function describeNetworkError(err: unknown): string {
  const code = (err as {code?: string}).code
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found'
    case 'ECONNRESET':
      return 'connection reset'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable'
  }
  if (code !== undefined && /CERT|SSL|TLS|SIGNATURE/i.test(code)) return `TLS error (${code})`
  return oneLine((err as Error).message ?? String(err))
}

function statusKind(status: number): RegistryErrorKind {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not-found'
  if (status === 409) return 'incompatible'
  if (status === 400 || status === 415 || status === 422) return 'invalid'
  if (status >= 500) return 'server'
  return 'protocol'
}

const REASONS: Record<number, string> = {
  40401: 'subject not found',
  40402: 'version not found',
  40403: 'schema not found',
  40404: 'subject was soft-deleted',
  40405: 'subject is not soft-deleted',
  40406: 'schema version was soft-deleted',
  40407: 'schema version is not soft-deleted',
  40408: 'subject has no compatibility level of its own',
  42201: 'invalid schema',
  42202: 'invalid version',
  42203: 'invalid compatibility level',
  42206: 'schema is referenced by other schemas',
  409: 'incompatible schema',
}

const STATUS_TEXT: Record<number, string> = {400: 'Bad Request', 500: 'Internal Server Error'}

function normalizeType(t: unknown): SchemaType {
  return t === 'PROTOBUF' || t === 'JSON' ? t : 'AVRO'
}

function normalizeRefs(refs: unknown): SchemaReference[] {
  if (!Array.isArray(refs)) return []
  return refs.map((r: {name: string; subject: string; version: number}) => ({
    name: r.name,
    subject: r.subject,
    version: r.version,
  }))
}

interface Answer {
  status: number
  text: string
}

export class RegistryClient {
  private readonly base: URL
  private readonly shownBase: string
  private readonly authHeader: string | undefined
  private readonly timeoutMs: number
  private readonly ca: string | undefined
  private readonly byId = new Map<number, Promise<RegisteredSchema>>()
  private readonly byVersion = new Map<string, Promise<SubjectVersion>>()
  private readonly registered = new Map<string, Promise<number>>()

  constructor(options: RegistryClientOptions) {
    const shown = redactUrl(options.url)
    let url: URL
    try {
      url = new URL(options.url)
    } catch {
      throw new RegistryError(`schema registry URL ${JSON.stringify(shown)} is not a valid URL`, 'invalid', shown)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RegistryError(`schema registry URL ${shown} must start with http:// or https://`, 'invalid', shown)
    }
    let auth = options.auth
    // Credentials in the URL (https://user:pass@host) become basic auth.
    if (auth === undefined && (url.username !== '' || url.password !== '')) {
      auth = {username: decodeURIComponent(url.username), password: decodeURIComponent(url.password)}
    }
    url.username = ''
    url.password = ''
    url.search = ''
    url.hash = ''
    url.pathname = url.pathname.replace(/\/+$/, '')
    this.base = url
    this.shownBase = url.toString().replace(/\/+$/, '')
    if (auth && 'bearerToken' in auth) this.authHeader = `Bearer ${auth.bearerToken}`
    else if (auth)
      this.authHeader = `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.ca = options.ca
  }

  /** The base URL as it may be printed. */
  get url(): string {
    return this.shownBase
  }

  /** Proves that the registry answers and takes the credentials (GET /schemas/types, a cheap call). */
  async checkConnection(): Promise<void> {
    await this.request('GET', '/schemas/types')
  }

  // ---------- schemas ----------

  /** The schema with this (global) id; cached, as ids are immutable. */
  getSchemaById(id: number): Promise<RegisteredSchema> {
    let p = this.byId.get(id)
    if (!p) {
      p = this.request<{schema: string; schemaType?: string; references?: unknown}>('GET', `/schemas/ids/${id}`).then(
        (b) => ({
          id,
          schema: b.schema,
          schemaType: normalizeType(b.schemaType),
          references: normalizeRefs(b.references),
        }),
      )
      this.byId.set(id, p)
      p.catch(() => this.byId.delete(id))
    }
    return p
  }

  /** The subjects and versions that hold the schema with this id. */
  subjectVersionsOf(id: number): Promise<Array<{subject: string; version: number}>> {
    return this.request('GET', `/schemas/ids/${id}/versions`)
  }

  /** Registers (or finds) the schema under the subject; returns its id. Successful results are cached. */
  register(subject: string, input: SchemaInput): Promise<number> {
    const key = JSON.stringify([subject, input.schemaType ?? 'AVRO', input.schema, input.references ?? []])
    let p = this.registered.get(key)
    if (!p) {
      p = this.request<{id: number}>('POST', `/subjects/${enc(subject)}/versions`, body(input)).then((b) => b.id)
      this.registered.set(key, p)
      p.catch(() => this.registered.delete(key))
    }
    return p
  }

  /** The version of the subject that has this schema; a RegistryError of kind not-found when there is none. */
  async lookup(subject: string, input: SchemaInput): Promise<SubjectVersion> {
    const b = await this.request<RawVersion>('POST', `/subjects/${enc(subject)}`, body(input))
    // Apicurio leaves schemaType out of lookup answers: fall back to the type asked about.
    return toVersion(b, b.schemaType ?? input.schemaType)
  }

  // ---------- subjects and versions ----------

  listSubjects(options: {deleted?: boolean} = {}): Promise<string[]> {
    return this.request<string[]>('GET', `/subjects${options.deleted ? '?deleted=true' : ''}`)
  }

  listVersions(subject: string, options: {deleted?: boolean} = {}): Promise<number[]> {
    return this.request<number[]>('GET', `/subjects/${enc(subject)}/versions${options.deleted ? '?deleted=true' : ''}`)
  }

  /** A version (number or 'latest'); numbered versions are cached. */
  getVersion(subject: string, version: number | 'latest'): Promise<SubjectVersion> {
    const fetchIt = () =>
      this.request<RawVersion>('GET', `/subjects/${enc(subject)}/versions/${version}`).then((b) =>
        toVersion(b, b.schemaType),
      )
    if (version === 'latest') return fetchIt()
    const key = `${subject}\u0000${version}`
    let p = this.byVersion.get(key)
    if (!p) {
      p = fetchIt()
      this.byVersion.set(key, p)
      p.catch(() => this.byVersion.delete(key))
    }
    return p
  }

  /** Soft-deletes the subject (or removes it for good with `permanent`, which needs a soft delete first). */
  deleteSubject(subject: string, options: {permanent?: boolean} = {}): Promise<number[]> {
    return this.request<number[]>('DELETE', `/subjects/${enc(subject)}${options.permanent ? '?permanent=true' : ''}`)
  }

  /** Checks a schema against a version (default latest), asking for the reasons (verbose). */
  async checkCompatibility(
    subject: string,
    input: SchemaInput,
    version: number | 'latest' = 'latest',
  ): Promise<CompatibilityResult> {
    const b = await this.request<{is_compatible: boolean; messages?: unknown; reason?: unknown}>(
      'POST',
      `/compatibility/subjects/${enc(subject)}/versions/${version}?verbose=true`,
      body(input),
    )
    const messages: string[] = []
    if (Array.isArray(b.messages)) for (const m of b.messages) messages.push(cleanMessage(String(m)))
    if (typeof b.reason === 'string' && b.reason !== '') messages.push(cleanMessage(b.reason))
    return {compatible: b.is_compatible === true, messages}
  }

  // ---------- config ----------

  /** The compatibility level, global or of a subject (falling back to the global one). */
  async getCompatibility(subject?: string): Promise<string> {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}?defaultToGlobal=true`
    const b = await this.request<{compatibilityLevel?: string; compatibility?: string}>('GET', path)
    return b.compatibilityLevel ?? b.compatibility ?? 'NONE'
  }

  async setCompatibility(level: string, subject?: string): Promise<string> {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}`
    const b = await this.request<{compatibility?: string; compatibilityLevel?: string}>('PUT', path, {
      compatibility: level,
    })
    return b.compatibility ?? b.compatibilityLevel ?? level
  }

  // ---------- references ----------

  /**
   * Every schema the references point at, transitively, each once, dependencies first: what the codecs need
   * (Avro: `references` texts in order; Protobuf: imports by name; JSON Schema: references by name).
   */
  async resolveReferences(refs: readonly SchemaReference[]): Promise<ResolvedReference[]> {
    const out: ResolvedReference[] = []
    const seen = new Set<string>()
    const visit = async (ref: SchemaReference, depth: number): Promise<void> => {
      const key = `${ref.subject}\u0000${ref.version}`
      if (seen.has(key)) return
      if (depth > 32)
        throw new RegistryError(
          `schema references of ${ref.subject} nest deeper than 32 levels`,
          'protocol',
          this.shownBase,
        )
      seen.add(key)
      const v = await this.getVersion(ref.subject, ref.version)
      for (const r of v.references) await visit(r, depth + 1)
      out.push({...ref, schema: v.schema, schemaType: v.schemaType})
    }
    for (const r of refs) await visit(r, 0)
    return out
  }

  // ---------- transport ----------

  private send(method: string, path: string, json: unknown): Promise<Answer> {
    const url = new URL(this.base.toString())
    const [pathname, query] = path.split('?')
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${pathname}`
    if (query !== undefined) url.search = `?${query}`
    const headers: Record<string, string> = {Accept: `${CONTENT_TYPE}, application/json;q=0.9`}
    const payload = json === undefined ? undefined : Buffer.from(JSON.stringify(json), 'utf8')
    if (payload !== undefined) {
      headers['Content-Type'] = CONTENT_TYPE
      headers['Content-Length'] = String(payload.length)
    }
    if (this.authHeader !== undefined) headers.Authorization = this.authHeader
    const secure = url.protocol === 'https:'
    const options: https.RequestOptions = {method, headers, agent: false}
    if (secure && this.ca !== undefined) options.ca = this.ca
    return new Promise<Answer>((resolve, reject) => {
      const req = (secure ? https : http).request(url, options, (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`))
          else chunks.push(chunk)
        })
        res.on('end', () => resolve({status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')}))
        res.on('error', reject)
      })
      const timer = setTimeout(
        () => req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), {code: 'KCLI_TIMEOUT'})),
        this.timeoutMs,
      )
      req.on('close', () => clearTimeout(timer))
      req.on('error', reject)
      req.end(payload)
    })
  }

  private async request<T>(method: string, path: string, json?: unknown): Promise<T> {
    const shown = `${method} ${this.shownBase}${path.replace(/\?.*$/, '')}`
    let answer: Answer
    try {
      answer = await this.send(method, path, json)
    } catch (err) {
      throw new RegistryError(
        `cannot reach the schema registry: ${shown}: ${describeNetworkError(err)}`,
        'unreachable',
        this.shownBase + path,
      )
    }
    const {status, text} = answer
    let parsed: unknown
    let isJson = false
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
      isJson = true
    } catch {
      // handled below
    }
    if (status >= 200 && status < 300) {
      if (!isJson || parsed === undefined) {
        throw new RegistryError(
          `schema registry ${shown}: ${status} answer is not JSON (${oneLine(text, 80) || 'empty'}): is this URL a Schema Registry API?`,
          'protocol',
          this.shownBase + path,
          status,
        )
      }
      return parsed as T
    }
    const errorBody =
      isJson && parsed !== null && typeof parsed === 'object'
        ? (parsed as {error_code?: unknown; message?: unknown})
        : undefined
    const errorCode = typeof errorBody?.error_code === 'number' ? errorBody.error_code : undefined
    const serverMessage = typeof errorBody?.message === 'string' ? cleanMessage(errorBody.message) : oneLine(text, 200)
    let kind = statusKind(status)
    // Some servers answer 409 for state conflicts that are not incompatibility (e.g. Apicurio's 40405).
    if (status === 409 && errorCode !== undefined && errorCode !== 409) kind = 'invalid'
    let reason = (errorCode !== undefined ? REASONS[errorCode] : undefined) ?? STATUS_TEXT[status] ?? `HTTP ${status}`
    let hint: string | undefined
    if (status === 404 && (errorCode === undefined || errorCode === 0 || errorCode === 404)) {
      reason = 'no such endpoint'
      hint = 'Is this the registry API? For Apicurio Registry the URL ends with /apis/ccompat/v7.'
    }
    if (status === 401) reason = 'authentication required or rejected'
    if (status === 403) reason = 'not allowed with these credentials'
    const detail = serverMessage !== '' ? `: ${serverMessage}` : ''
    throw new RegistryError(
      `schema registry ${shown}: ${status} ${reason}${detail}`,
      kind,
      this.shownBase + path,
      status,
      errorCode,
      hint,
    )
  }
}

interface RawVersion {
  subject: string
  version: number
  id: number
  schema: string
  schemaType?: string
  references?: unknown
}

function toVersion(b: RawVersion, schemaType: string | undefined): SubjectVersion {
  return {
    subject: b.subject,
    version: b.version,
    id: b.id,
    schema: b.schema,
    schemaType: normalizeType(schemaType),
    references: normalizeRefs(b.references),
  }
}

function enc(subject: string): string {
  return encodeURIComponent(subject)
}

function body(input: SchemaInput): Record<string, unknown> {
  const b: Record<string, unknown> = {schema: input.schema}
  // AVRO is the API default; Confluent documents leaving it out, so only other types are sent.
  if (input.schemaType !== undefined && input.schemaType !== 'AVRO') b.schemaType = input.schemaType
  if (input.references && input.references.length > 0) b.references = input.references
  return b
}
