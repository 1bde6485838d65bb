// Validation of message values against a JSON Schema file (produce --schema). Ajv is loaded only when asked for.
import fs from 'node:fs'

import {usageError} from '../errors.js'

/** Returns a reason when the value does not match, undefined when it does. */
export type ValueCheck = (value: unknown) => string | undefined

export async function loadSchemaCheck(file: string): Promise<ValueCheck> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    throw usageError(`--schema ${file}: cannot be read`)
  }
  let schema: unknown
  try {
    schema = JSON.parse(text)
  } catch (error) {
    throw usageError(`--schema ${file}: not valid JSON (${(error as Error).message})`)
  }
  let validate: AjvValidate
  try {
    validate = (await validatorFor(schema)).compile(schema)
  } catch (error) {
    throw usageError(`--schema ${file}: not a valid JSON Schema (${(error as Error).message})`)
  }
  return (value) => {
    if (validate(value)) return undefined
    const first = validate.errors?.[0]
    if (!first) return 'does not match the schema'
    return `does not match the schema at ${first.instancePath === '' ? '/' : first.instancePath}: ${first.message ?? 'invalid'}`
  }
}

interface AjvValidate {
  (value: unknown): boolean
  errors?: Array<{instancePath: string; message?: string}> | null
}

interface AjvInstance {
  compile(schema: unknown): AjvValidate
}

type AjvClass = new (options: object) => AjvInstance

/** Ajv for the draft the schema declares with $schema: draft-07 (the default), 2019-09 or 2020-12. */
async function validatorFor(schema: unknown): Promise<AjvInstance> {
  // The schema registry's JSON Schema support reads $schema the same way.
  const {detectDraft} = await import('../registry/json-schema-codec.js')
  const draft = detectDraft(schema)
  const module =
    draft === '2020-12'
      ? await import('ajv/dist/2020.js')
      : draft === '2019-09'
        ? await import('ajv/dist/2019.js')
        : await import('ajv')
  const Ajv = (module as unknown as {default: AjvClass}).default
  return new Ajv({allErrors: false, strict: false})
}
