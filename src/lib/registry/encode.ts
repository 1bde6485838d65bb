// produce's registry hook: each record's key and value become the Confluent wire format (magic byte, schema id,
// Protobuf message indexes, payload). The schema is the one an envelope names ("keySchema"/"valueSchema", as consume
// prints them: the same id, message indexes and so the same bytes), else the one the flags chose (a file registered
// or found under <topic>-value, a subject's latest version, or an id). A value that does not fit is invalid input,
// with the JSON path of the problem.
import {sourceAtPath} from '../records/json-spans.js'
import {type EnvelopeRecord, InputError} from '../records/envelope.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {info} from '../terminal/output.js'
import {usageError} from '../errors.js'
import {type PayloadCodec, type SchemaCodecs, formatOf, schemaCodecs} from './codecs.js'
import {registryClient} from './connect.js'
import type {RegistryClient} from './registry-client.js'
import {ensureRegistered, localCodecs} from './register.js'
import {readSchemaFile} from './schema-file.js'
import {encodeFrame, encodeProtobufFrame} from './wire-format.js'

export type Side = 'key' | 'value'

/** What the flags say about one side: --value-schema, --value-subject, --value-schema-id, --value-message. */
export interface SideSchemaFlags {
  file?: string
  subject?: string
  id?: number
  message?: string
}

export interface EncoderOptions {
  topic: string
  key: SideSchemaFlags
  value: SideSchemaFlags
  /** produce --input: the value of a json line is JSON text; other texts may be meant as JSON strings. */
  mode: 'json' | 'envelope' | 'raw'
  /** produce --key-field: a key schema encodes the field's JSON text. */
  keyField?: string[]
  /** --dry-run: a schema file is checked locally, without asking the registry for its id. */
  dryRun: boolean
}

export type RecordEncoder = (record: EnvelopeRecord) => EnvelopeRecord | Promise<EnvelopeRecord>

interface ChosenSchema {
  id: number
  codec: PayloadCodec
  /** How errors name it: `schema id 7 (orders-value version 2)`. */
  label: string
}

const flagName = (side: Side, what: string) => `--${side}-${what}`

function wants(flags: SideSchemaFlags): boolean {
  return flags.file !== undefined || flags.subject !== undefined || flags.id !== undefined
}

/** True when produce needs the registry hook: a schema flag, a registry URL, or envelopes that may name schemas. */
export function needsEncoder(options: Pick<EncoderOptions, 'key' | 'value'>): boolean {
  return wants(options.key) || wants(options.value)
}

/**
 * produce's hook: checks the schema flags, resolves their schemas (registering a file when the subject lacks it), and
 * returns the per-record encoder. Without a registry configured, records that name a schema are invalid input.
 */
export async function recordEncoder(settings: ResolvedSettings, options: EncoderOptions): Promise<RecordEncoder> {
  for (const side of ['key', 'value'] as const) {
    const f = options[side]
    if (f.id !== undefined && (f.file !== undefined || f.subject !== undefined))
      throw usageError(
        `${flagName(side, 'schema-id')} cannot be combined with ${flagName(side, 'schema')} or ${flagName(side, 'subject')}`,
      )
    if (f.message !== undefined && !wants(f))
      throw usageError(
        `${flagName(side, 'message')} needs ${flagName(side, 'schema')}, ${flagName(side, 'subject')} or ${flagName(side, 'schema-id')}`,
      )
  }
  const localOnly =
    options.dryRun &&
    [options.key, options.value].every((f) => f.id === undefined && (f.file !== undefined || f.subject === undefined))
  const configured = settings.security.registryUrl !== undefined
  if (!configured && needsEncoder(options) && !localOnly)
    throw usageError(
      'the schema flags need a schema registry',
      'Set --registry-url, KCLI_REGISTRY_URL or registry.url in the rc file.',
    )
  let client: RegistryClient | undefined
  if (configured && !localOnly) {
    client = await registryClient(settings)
    // Unreachable or refused: exit 3 before anything is sent. Envelopes alone ask the registry when a line needs it.
    if (needsEncoder(options)) await client.checkConnection()
  }
  const encoder = new Encoder(client, options)
  for (const side of ['key', 'value'] as const) await encoder.chooseFlagSchema(side)
  return (record) => encoder.encode(record)
}

class Encoder {
  private readonly flagSchemas: Partial<Record<Side, ChosenSchema>> = {}
  /** Schemas named by envelopes, by id, once loaded. */
  private readonly byId = new Map<number, SchemaCodecs>()
  private readonly loading = new Map<number, Promise<void>>()

  constructor(
    private readonly client: RegistryClient | undefined,
    private readonly options: EncoderOptions,
  ) {}

  async chooseFlagSchema(side: Side): Promise<void> {
    const f = this.options[side]
    if (!wants(f)) return
    const subject = f.subject ?? `${this.options.topic}-${side}`
    const pick = (codecs: SchemaCodecs, where: string) => {
      try {
        return codecs.codec(f.message)
      } catch (error) {
        throw usageError(`${flagName(side, 'message')} ${f.message}: ${(error as Error).message} (${where})`)
      }
    }
    let chosen: ChosenSchema
    if (f.file !== undefined) {
      const schema = readSchemaFile(f.file, flagName(side, 'schema'))
      const codec = pick(await localCodecs(schema, flagName(side, 'schema')), f.file)
      if (this.client === undefined) {
        chosen = {id: 0, codec, label: f.file}
      } else {
        const done = await ensureRegistered(this.client, subject, schema)
        chosen = {id: done.id, codec, label: `schema id ${done.id} (${subject} version ${done.version})`}
        info(
          `${side}s: ${formatOf[done.schemaType]} schema ${f.file}, ${done.registered ? 'registered as' : 'found as'} ${subject} version ${done.version}, id ${done.id}`,
        )
      }
    } else {
      const client = this.client!
      const found =
        f.id !== undefined
          ? {...(await client.getSchemaById(f.id)), subject: undefined, version: undefined}
          : await client.getVersion(subject, 'latest')
      const references = await client.resolveReferences(found.references)
      const codecs = await schemaCodecs(found, references)
      const where = found.subject === undefined ? `schema id ${found.id}` : `${found.subject} version ${found.version}`
      chosen = {
        id: found.id,
        codec: pick(codecs, where),
        label: found.subject === undefined ? where : `schema id ${found.id} (${where})`,
      }
      info(`${side}s: ${formatOf[found.schemaType]} ${chosen.label}`)
    }
    this.flagSchemas[side] = chosen
  }

  encode(record: EnvelopeRecord): EnvelopeRecord | Promise<EnvelopeRecord> {
    const missing: number[] = []
    for (const side of ['key', 'value'] as const) {
      const ref = record[`${side}Schema`]
      if (ref !== undefined && !this.byId.has(schemaRef(ref, side).id)) missing.push(schemaRef(ref, side).id)
    }
    if (missing.length === 0) return this.encodeLoaded(record)
    return Promise.all(missing.map((id) => this.load(id))).then(() => this.encodeLoaded(record))
  }

  private load(id: number): Promise<void> {
    let p = this.loading.get(id)
    if (p === undefined) {
      const client = this.client
      if (client === undefined)
        throw new InputError(
          `the line names schema id ${id} ("keySchema"/"valueSchema"), but no schema registry is configured (--registry-url)`,
        )
      p = (async () => {
        const schema = await client.getSchemaById(id)
        const references = await client.resolveReferences(schema.references)
        this.byId.set(id, await schemaCodecs(schema, references))
      })()
      this.loading.set(id, p)
      p.catch(() => this.loading.delete(id))
    }
    return p
  }

  private encodeLoaded(record: EnvelopeRecord): EnvelopeRecord {
    // The key first: with --key-field its JSON comes from the value as written.
    const keyText =
      this.options.keyField !== undefined && this.flagSchemas.key !== undefined && record.value !== null
        ? sourceAtPath(record.value.toString('utf8'), this.options.keyField)
        : undefined
    const key = this.side(record, 'key', keyText)
    const value = this.side(record, 'value', undefined)
    return {...record, key, value, keySchema: undefined, valueSchema: undefined}
  }

  private side(record: EnvelopeRecord, side: Side, fieldJson: string | undefined): Buffer | null {
    const bytes = record[side]
    if (bytes === null) return null
    const ref = record[`${side}Schema`]
    if (ref !== undefined) {
      const {id, indexes, message, format} = schemaRef(ref, side)
      const codecs = this.byId.get(id)!
      if (format !== undefined && format !== codecs.format)
        throw new InputError(`"${side}Schema": schema id ${id} is ${codecs.format}, not ${format}`)
      let codec: PayloadCodec
      try {
        codec = codecs.codec(indexes ?? message)
      } catch (error) {
        throw new InputError(`"${side}Schema": ${(error as Error).message}`)
      }
      if (indexes !== undefined && message !== undefined && codec.message !== message)
        throw new InputError(`"${side}Schema": indexes [${indexes.join(',')}] are ${codec.message}, not ${message}`)
      return frame({id, codec, label: `schema id ${id}`}, bytes.toString('utf8'), side)
    }
    const chosen = this.flagSchemas[side]
    if (chosen === undefined) return bytes
    const text = fieldJson ?? bytes.toString('utf8')
    // The value of a JSON line, and a --key-field, are JSON; other text (-k, -K, an envelope's string, a raw line) is
    // taken as JSON when it fits, else as a JSON string: `-k 42` suits an int schema and a string schema alike.
    if (fieldJson !== undefined || (side === 'value' && this.options.mode === 'json')) return frame(chosen, text, side)
    try {
      return frame(chosen, text, side)
    } catch (error) {
      try {
        return frame(chosen, JSON.stringify(text), side)
      } catch {
        throw error
      }
    }
  }
}

function frame(chosen: ChosenSchema, json: string, side: Side): Buffer {
  let payload: Buffer
  try {
    payload = chosen.codec.encode(json)
  } catch (error) {
    throw new InputError(`the ${side} does not fit ${chosen.label}: ${(error as Error).message}`)
  }
  return chosen.codec.format === 'protobuf'
    ? encodeProtobufFrame(chosen.id, chosen.codec.indexes!, payload)
    : encodeFrame(chosen.id, payload)
}

interface SchemaRef {
  id: number
  format?: string
  message?: string
  indexes?: number[]
}

/** Checks an envelope's "keySchema"/"valueSchema": {"id", "format"?, "message"?, "indexes"?}. */
function schemaRef(raw: unknown, side: Side): SchemaRef {
  const where = `"${side}Schema"`
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InputError(`${where} must be an object {"id", "format"}`)
  const {id, format, message, indexes} = raw as Record<string, unknown>
  if (!Number.isInteger(id) || (id as number) < 0 || (id as number) > 0xffffffff)
    throw new InputError(`${where}.id must be a schema id (an integer)`)
  if (format !== undefined && format !== 'avro' && format !== 'protobuf' && format !== 'json')
    throw new InputError(`${where}.format must be avro, protobuf or json`)
  if (message !== undefined && typeof message !== 'string')
    throw new InputError(`${where}.message must be a message name`)
  if (indexes !== undefined && (!Array.isArray(indexes) || !indexes.every((i) => Number.isInteger(i) && i >= 0)))
    throw new InputError(`${where}.indexes must be a list of message indexes`)
  return {
    id: id as number,
    format: format as string | undefined,
    message: message as string | undefined,
    indexes: indexes as number[] | undefined,
  }
}
