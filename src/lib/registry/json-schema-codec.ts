// JSON Schema values in the Confluent wire format: the payload after the 5-byte header is the UTF-8 JSON text
// itself (Confluent's KafkaJsonSchemaSerializer writes Jackson's compact form). Values are validated with ajv
// against the registered schema before encoding: draft-07 (also draft-06 and no $schema), 2019-09 and 2020-12.
// Numbers never pass through doubles on the way to the bytes: the payload is the input text exactly, as kcli sends
// any JSON line byte for byte (a parsed value is written compactly).
// The module imports ajv at load: kcli must import this file lazily (see DESIGN.md).
import {createRequire} from 'node:module'

import Ajv from 'ajv'
import Ajv2019 from 'ajv/dist/2019.js'
import Ajv2020 from 'ajv/dist/2020.js'

import {type JsonValue, parseExact, stringifyExact, toPlain} from './json-exact.js'

const draft06 = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json') as object

export class JsonSchemaCodecError extends Error {
  override name = 'JsonSchemaCodecError'
}

export type JsonSchemaDraft = 'draft-07' | '2019-09' | '2020-12'

export interface JsonSchemaCodecOptions {
  /** Referenced schemas (Confluent `references`): `name` is what the main schema's `$ref` uses. */
  references?: readonly {name: string; content: string}[]
}

export interface JsonSchemaCodec {
  readonly draft: JsonSchemaDraft
  /** Problems of a value against the schema, one line each (empty when valid). */
  validate(json: string | JsonValue): string[]
  /** Validates, then returns the UTF-8 bytes of the text as given (a parsed value: compact, numbers exact). */
  encode(json: string | JsonValue): Buffer
  /** The payload as text; throws when it is not JSON (and, with `validate`, when it does not match the schema). */
  decode(payload: Uint8Array, options?: {validate?: boolean}): string
}

/** The draft a schema declares with $schema (draft-07 when it declares none). */
export function detectDraft(schema: unknown): JsonSchemaDraft {
  const id = schema !== null && typeof schema === 'object' ? (schema as Record<string, unknown>).$schema : undefined
  if (id === undefined) return 'draft-07'
  if (typeof id !== 'string') throw new JsonSchemaCodecError('$schema must be a string')
  if (/json-schema\.org\/draft\/2020-12\/schema/.test(id)) return '2020-12'
  if (/json-schema\.org\/draft\/2019-09\/schema/.test(id)) return '2019-09'
  if (/json-schema\.org\/draft-0[67]\/schema/.test(id)) return 'draft-07'
  if (/json-schema\.org\/draft-0[34]\/schema/.test(id))
    throw new JsonSchemaCodecError(
      `JSON Schema ${id} (draft-04 or older) is not supported: use draft-07, 2019-09 or 2020-12`,
    )
  throw new JsonSchemaCodecError(`unknown JSON Schema version ${JSON.stringify(id)}`)
}

interface AjvLike {
  addSchema(schema: unknown, key?: string): unknown
  addMetaSchema(schema: unknown): unknown
  compile(schema: unknown): ValidateFn
}
interface ValidateFn {
  (value: unknown): boolean
  errors?: {instancePath: string; message?: string; params?: Record<string, unknown>}[] | null
}

function parseSchema(text: string, what: string): Record<string, unknown> | boolean {
  try {
    const v = JSON.parse(text) as unknown
    if (typeof v !== 'boolean' && (v === null || typeof v !== 'object' || Array.isArray(v)))
      throw new Error('a schema must be an object or a boolean')
    return v as Record<string, unknown> | boolean
  } catch (err) {
    throw new JsonSchemaCodecError(`${what} is not valid JSON: ${(err as Error).message}`)
  }
}

function pointerToPath(pointer: string): string {
  if (pointer === '') return '$'
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((seg) => {
        const s = seg.replace(/~1/g, '/').replace(/~0/g, '~')
        return /^[0-9]+$/.test(s) ? `[${s}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`
      })
      .join('')
  )
}

export function createJsonSchemaCodec(schemaText: string, options: JsonSchemaCodecOptions = {}): JsonSchemaCodec {
  const schema = parseSchema(schemaText, 'the JSON schema')
  const draft = detectDraft(schema)
  const opts = {strict: false, allErrors: true, validateFormats: false, allowUnionTypes: true}
  type AjvCtor = new (o: object) => AjvLike
  const ajv: AjvLike =
    draft === '2020-12'
      ? new (Ajv2020 as unknown as AjvCtor)(opts)
      : draft === '2019-09'
        ? new (Ajv2019 as unknown as AjvCtor)(opts)
        : new (Ajv as unknown as AjvCtor)(opts)
  if (draft === 'draft-07') ajv.addMetaSchema(draft06) // so "$schema": draft-06 compiles (checked with draft-07 rules)
  for (const ref of options.references ?? []) {
    try {
      ajv.addSchema(parseSchema(ref.content, `referenced schema ${ref.name}`), ref.name)
    } catch (err) {
      if (err instanceof JsonSchemaCodecError) throw err
      throw new JsonSchemaCodecError(`invalid referenced JSON schema ${ref.name}: ${(err as Error).message}`)
    }
  }
  let validateFn: ValidateFn
  try {
    validateFn = ajv.compile(schema)
  } catch (err) {
    throw new JsonSchemaCodecError(`invalid JSON schema: ${(err as Error).message}`)
  }

  const parse = (json: string | JsonValue): JsonValue => {
    if (typeof json !== 'string') return json
    try {
      return parseExact(json)
    } catch (err) {
      throw new JsonSchemaCodecError((err as Error).message)
    }
  }
  const problems = (v: JsonValue): string[] => {
    // Validation sees doubles (ajv's "integer" needs typeof number); the bytes keep the exact text.
    if (validateFn(toPlain(v, 'number'))) return []
    return (validateFn.errors ?? []).map((e) => {
      const extra =
        e.params && typeof e.params.additionalProperty === 'string' ? ` (${e.params.additionalProperty})` : ''
      return `${pointerToPath(e.instancePath)}: ${e.message ?? 'is invalid'}${extra}`
    })
  }

  return {
    draft,
    validate(json) {
      return problems(parse(json))
    },
    encode(json) {
      const v = parse(json)
      const errs = problems(v)
      if (errs.length > 0) throw new JsonSchemaCodecError(`value does not match the JSON schema: ${errs.join('; ')}`)
      return Buffer.from(typeof json === 'string' ? json : stringifyExact(v), 'utf8')
    },
    decode(payload, decodeOptions = {}) {
      const text = Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('utf8')
      const v = parse(text)
      if (decodeOptions.validate) {
        const errs = problems(v)
        if (errs.length > 0) throw new JsonSchemaCodecError(`value does not match the JSON schema: ${errs.join('; ')}`)
      }
      return text
    },
  }
}
