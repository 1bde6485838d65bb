// Putting a schema file into the registry, or finding it there: each Protobuf import first, under its import path as
// subject (as Confluent's serializers do), then the file itself with those references. A schema already under the
// subject is found, not registered again, so read-only credentials do for schemas that exist.
import {usageError} from '../errors.js'
import {type SchemaCodecs, schemaCodecs} from './codecs.js'
import {RegistryError, type RegistryClient, type SchemaInput, type SchemaReference} from './registry-client.js'
import type {SchemaFile} from './schema-file.js'

export interface SchemaRegistration {
  subject: string
  version: number
  id: number
  schemaType: SchemaFile['schemaType']
  references: SchemaReference[]
  /** True when this call added the version; false when the subject had it already. */
  registered: boolean
}

/** Parses the file (and its imports) locally: an invalid schema is a usage error before the registry is asked. */
export async function localCodecs(schema: SchemaFile, where: string): Promise<SchemaCodecs> {
  try {
    return await schemaCodecs(
      {schemaType: schema.schemaType, schema: schema.text},
      schema.importedFiles.map((f) => ({name: f.name, schema: f.text})),
    )
  } catch (error) {
    throw usageError(`${where} ${schema.file}: ${(error as Error).message}`)
  }
}

async function findOrRegister(
  client: RegistryClient,
  subject: string,
  input: SchemaInput,
  register: boolean,
  what: string,
): Promise<{version: number; id: number; registered: boolean}> {
  try {
    const found = await client.lookup(subject, input)
    return {version: found.version, id: found.id, registered: false}
  } catch (error) {
    if (!(error instanceof RegistryError && error.kind === 'not-found')) throw error
  }
  if (!register)
    throw usageError(
      `${what} is not registered under subject ${subject}`,
      `Register it first: kcli schema register ${subject} <file>.`,
    )
  const id = await client.register(subject, input)
  const found = await client.lookup(subject, input)
  return {version: found.version, id, registered: true}
}

/**
 * The references of the file's imports, each registered (with `register`) or found under its import path; throws
 * when one is missing and may not be registered.
 */
async function importReferences(client: RegistryClient, schema: SchemaFile, register: boolean) {
  const versions = new Map<string, number>()
  const refs = (names: string[]): SchemaReference[] =>
    names.map((name) => ({name, subject: name, version: versions.get(name)!}))
  for (const imported of schema.importedFiles) {
    const input = {schema: imported.text, schemaType: schema.schemaType, references: refs(imported.imports)}
    const done = await findOrRegister(client, imported.name, input, register, `import ${imported.name}`)
    versions.set(imported.name, done.version)
  }
  return refs(schema.imports)
}

/** Finds the schema under the subject, registering it (imports first) when it is not there yet. */
export async function ensureRegistered(
  client: RegistryClient,
  subject: string,
  schema: SchemaFile,
): Promise<SchemaRegistration> {
  const references = await importReferences(client, schema, true)
  const input = {schema: schema.text, schemaType: schema.schemaType, references}
  const done = await findOrRegister(client, subject, input, true, schema.file)
  return {subject, ...done, schemaType: schema.schemaType, references}
}

/** The request body for a compatibility check: the imports must be registered already (a check writes nothing). */
export async function checkInput(client: RegistryClient, schema: SchemaFile): Promise<SchemaInput> {
  return {
    schema: schema.text,
    schemaType: schema.schemaType,
    references: await importReferences(client, schema, false),
  }
}
