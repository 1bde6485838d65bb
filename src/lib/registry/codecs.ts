// One registered schema turned into payload codecs, whatever its format. The codec modules pull in avsc, protobufjs or
// ajv, so each is imported only when a schema of its format is first met: commands that never touch a registry, or
// topics of one format, load nothing else.
import type {ResolvedReference, SchemaType} from './registry-client.js'

export type SchemaFormat = 'avro' | 'protobuf' | 'json'

export const formatOf: Record<SchemaType, SchemaFormat> = {AVRO: 'avro', PROTOBUF: 'protobuf', JSON: 'json'}

/** Encodes and decodes the payload of one schema (for Protobuf: one message), without the wire-format header. */
export interface PayloadCodec {
  format: SchemaFormat
  /** Protobuf: the message's full name and its message indexes. */
  message?: string
  indexes?: number[]
  /** Payload bytes to JSON text on one line; throws when the bytes do not fit the schema. */
  decode(payload: Buffer): string
  /** JSON text to payload bytes; throws with the JSON path when the value does not fit the schema. */
  encode(json: string): Buffer
}

/** A schema's codecs: Avro and JSON Schema have one; a Protobuf schema one per message. */
export interface SchemaCodecs {
  format: SchemaFormat
  /** Protobuf: the file's messages, in message-index order. */
  messageNames: string[]
  /** The codec of a Protobuf message (by name or message indexes; default the first); others ignore it. */
  codec(message?: string | readonly number[]): PayloadCodec
}

/** Builds the codecs of a schema and its resolved references (dependencies first). Throws on an invalid schema. */
export async function schemaCodecs(
  schema: {schemaType: SchemaType; schema: string},
  references: readonly Pick<ResolvedReference, 'name' | 'schema'>[],
): Promise<SchemaCodecs> {
  if (schema.schemaType === 'AVRO') {
    const {createAvroCodec} = await import('./avro-codec.js')
    const avro = createAvroCodec(schema.schema, {references: references.map((r) => r.schema)})
    const codec: PayloadCodec = {format: 'avro', decode: (p) => avro.decode(p), encode: (j) => avro.encode(j)}
    return {format: 'avro', messageNames: [], codec: () => codec}
  }
  if (schema.schemaType === 'JSON') {
    const {createJsonSchemaCodec} = await import('./json-schema-codec.js')
    const json = createJsonSchemaCodec(schema.schema, {
      references: references.map((r) => ({name: r.name, content: r.schema})),
    })
    const codec: PayloadCodec = {format: 'json', decode: (p) => json.decode(p), encode: (j) => json.encode(j)}
    return {format: 'json', messageNames: [], codec: () => codec}
  }
  const {parseProtobufSchema} = await import('./protobuf-codec.js')
  const proto = parseProtobufSchema(schema.schema, {
    imports: references.map((r) => ({name: r.name, content: r.schema})),
  })
  const byIndexes = new Map<string, PayloadCodec>()
  return {
    format: 'protobuf',
    messageNames: proto.messageNames,
    codec(message) {
      const indexes =
        message === undefined || typeof message === 'string' ? proto.codec(message).messageIndexes : message
      const key = indexes.join(',')
      let codec = byIndexes.get(key)
      if (codec === undefined) {
        const pb = proto.codec(indexes)
        codec = {
          format: 'protobuf',
          message: pb.messageName,
          indexes: pb.messageIndexes,
          decode: (p) => pb.decode(p),
          encode: (j) => pb.encode(j),
        }
        byIndexes.set(key, codec)
      }
      return codec
    },
  }
}
