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
  const {default: Ajv} = (await import('ajv')) as unknown as {default: new (options: object) => AjvInstance}
  const ajv = new Ajv({allErrors: false, strict: false})
  let validate: AjvValidate
  try {
    validate = ajv.compile(schema)
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
