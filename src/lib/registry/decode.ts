// consume's registry hook: keys and values in the Confluent wire format are decoded to JSON, marked with their schema
// id and format ("keySchema"/"valueSchema") so that `produce --input envelope` writes the identical bytes again. A
// decoding is kept only when encoding it gives back exactly the bytes read; anything else (an unknown id, a registry
// that does not answer, bytes that do not fit the schema, a writer's quirk the JSON cannot carry) is printed as its
// raw bytes, with a warning on stderr: never dropped, never changed.
import type {ConsumedMessage, DecodedMember} from '../records/envelope.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {warn} from '../terminal/output.js'
import {type SchemaCodecs, schemaCodecs} from './codecs.js'
import {registryClient} from './connect.js'
import {RegistryError, type RegistryClient} from './registry-client.js'
import {decodeMessageIndexes, encodeFrame, encodeProtobufFrame} from './wire-format.js'

/** How long a registry that could not be reached is left alone before it is asked again. */
const unreachableBackoffMs = 5000

type Entry = {codecs: SchemaCodecs} | {problem: string; until?: number}

export class RecordDecoder {
  private readonly schemas = new Map<number, Promise<Entry>>()

  constructor(
    private readonly client: RegistryClient,
    private readonly report: (message: string) => void = warn,
  ) {}

  /** Decodes the framed keys and values of a batch in place (decodedKey / decodedValue); warns about the others. */
  async decodeBatch(messages: ConsumedMessage[]): Promise<void> {
    const ids = new Set<number>()
    for (const m of messages) {
      const key = framedId(m.key)
      const value = framedId(m.value)
      if (key !== undefined) ids.add(key)
      if (value !== undefined) ids.add(value)
    }
    if (ids.size === 0) return
    const entries = new Map<number, Entry>()
    await Promise.all([...ids].map(async (id) => entries.set(id, await this.entry(id))))
    for (const m of messages) {
      if (Buffer.isBuffer(m.key)) m.decodedKey = this.member(m, 'key', m.key, entries)
      if (m.value !== null) m.decodedValue = this.member(m, 'value', m.value, entries)
    }
  }

  private entry(id: number): Promise<Entry> {
    const cached = this.schemas.get(id)
    if (cached !== undefined) {
      return cached.then((entry) =>
        'until' in entry && entry.until !== undefined && entry.until < Date.now() ? this.load(id) : entry,
      )
    }
    return this.load(id)
  }

  private load(id: number): Promise<Entry> {
    const loading = (async (): Promise<Entry> => {
      try {
        const schema = await this.client.getSchemaById(id)
        const references = await this.client.resolveReferences(schema.references)
        return {codecs: await schemaCodecs(schema, references)}
      } catch (error) {
        if (error instanceof RegistryError && error.kind === 'not-found' && error.errorCode !== 0)
          return {problem: `schema id ${id} is not in the registry`}
        if (error instanceof RegistryError)
          return {problem: `schema id ${id}: ${error.message}`, until: Date.now() + unreachableBackoffMs}
        return {problem: `schema id ${id} cannot be used: ${(error as Error).message}`}
      }
    })()
    this.schemas.set(id, loading)
    return loading
  }

  private member(
    m: ConsumedMessage,
    name: 'key' | 'value',
    bytes: Buffer,
    entries: Map<number, Entry>,
  ): DecodedMember | undefined {
    const id = framedId(bytes)
    if (id === undefined) return undefined
    const entry = entries.get(id)!
    const problem = 'problem' in entry ? entry.problem : decodeProblem(entry.codecs, id, bytes)
    if (typeof problem === 'object') return problem
    this.report(`${m.topic}[${m.partition}]@${m.offset}: ${name}: ${problem}; printed as raw bytes`)
    return undefined
  }
}

/**
 * consume's hook: a registry client for the settings, checked to answer now (unreachable or refused: exit 3, before
 * anything is read), and the per-batch decoder for the consume loop.
 */
export async function registryDecoder(
  settings: ResolvedSettings,
): Promise<(messages: ConsumedMessage[]) => Promise<void>> {
  const client = await registryClient(settings)
  await client.checkConnection()
  const decoder = new RecordDecoder(client)
  return (messages) => decoder.decodeBatch(messages)
}

/** The schema id of bytes in the wire format (magic byte 0 and room for an id), else undefined. */
function framedId(bytes: Buffer | string | null | undefined): number | undefined {
  if (!Buffer.isBuffer(bytes) || bytes.length < 5 || bytes[0] !== 0) return undefined
  return bytes.readUInt32BE(1)
}

/** The decoded member, or why the bytes are printed raw. */
function decodeProblem(codecs: SchemaCodecs, id: number, bytes: Buffer): DecodedMember | string {
  try {
    if (codecs.format === 'protobuf') {
      const {indexes, next} = decodeMessageIndexes(bytes, 5)
      const codec = codecs.codec(indexes)
      const json = codec.decode(bytes.subarray(next))
      if (!encodeProtobufFrame(id, indexes, codec.encode(json)).equals(bytes)) return notExact(id)
      return {
        json,
        schema: `{"id":${id},"format":"protobuf","message":${JSON.stringify(codec.message)},"indexes":[${indexes.join(',')}]}`,
      }
    }
    const codec = codecs.codec()
    const json = codec.decode(bytes.subarray(5))
    // JSON Schema payloads are their own text: one spread over lines cannot sit in a JSON line as it is.
    if (codecs.format === 'json' && (/[\r\n]/.test(json) || json.trim() !== json))
      return `schema id ${id}: the JSON spans several lines or has space around it`
    if (codecs.format === 'avro' && !encodeFrame(id, codec.encode(json)).equals(bytes)) return notExact(id)
    return {json, schema: `{"id":${id},"format":"${codecs.format}"}`}
  } catch (error) {
    return `does not decode with schema id ${id} (${(error as Error).message})`
  }
}

function notExact(id: number): string {
  return `decoded with schema id ${id}, but its JSON would not encode to the same bytes (e.g. fields unknown to the schema)`
}
