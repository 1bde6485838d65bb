// A schema as a user hands it to kcli: a .avsc, .proto or .json file, read as exact text (the registry identifies a
// schema by its text), its format from the name, and for Protobuf the files it imports, found on disk next to it.
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'

import {usageError} from '../errors.js'
import type {SchemaType} from './registry-client.js'

export interface ImportedFile {
  /** The import path as written in the importing file: the reference's name and subject. */
  name: string
  file: string
  text: string
  /** Import paths this file imports in turn (well-known google/protobuf types left out). */
  imports: string[]
}

export interface SchemaFile {
  file: string
  schemaType: SchemaType
  text: string
  /** Protobuf: import paths of the main file. */
  imports: string[]
  /** Protobuf: every imported file, transitively, dependencies first. */
  importedFiles: ImportedFile[]
}

function readText(file: string, where: string): string {
  try {
    if (statSync(file).isDirectory()) throw usageError(`${where} ${file}: is a directory`)
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as {exit?: number}).exit !== undefined) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw usageError(`${where} ${file}: cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? 'error')})`)
  }
}

/** The format a file's name (and, for .json, its content) says: .avsc Avro, .proto Protobuf, .json JSON Schema. */
export function schemaTypeOf(file: string, text: string): SchemaType | undefined {
  const ext = path.extname(file).toLowerCase()
  if (ext === '.avsc') return 'AVRO'
  if (ext === '.proto') return 'PROTOBUF'
  if (ext !== '.json') return undefined
  // An Avro declaration saved as .json: a record, enum or fixed, or a union (an array).
  try {
    const parsed = JSON.parse(text) as unknown
    if (Array.isArray(parsed)) return 'AVRO'
    const type = (parsed as {type?: unknown} | null)?.type
    if (type === 'record' || type === 'enum' || type === 'fixed') return 'AVRO'
  } catch {
    // Not JSON at all: the JSON Schema codec says so.
  }
  return 'JSON'
}

const importPattern = /^\s*import\s+(?:weak\s+|public\s+)?"([^"]+)"\s*;/gm

/** The import paths of a .proto file's text, in order; google/protobuf/* types are bundled and left out. */
export function protoImports(text: string): string[] {
  const found: string[] = []
  for (const match of text.matchAll(importPattern))
    if (!match[1].startsWith('google/protobuf/') && !found.includes(match[1])) found.push(match[1])
  return found
}

/**
 * Reads a schema file; `where` names the flag or argument in errors. Protobuf imports are looked up relative to the
 * importing file's folder, then to the main file's (where `protoc -I` of that folder would find them).
 */
export function readSchemaFile(file: string, where: string): SchemaFile {
  const text = readText(file, where)
  const schemaType = schemaTypeOf(file, text)
  if (schemaType === undefined)
    throw usageError(
      `${where} ${file}: the format is not known from the name`,
      'Name Avro schemas .avsc, Protobuf schemas .proto and JSON Schemas .json.',
    )
  if (schemaType !== 'PROTOBUF') return {file, schemaType, text, imports: [], importedFiles: []}
  const root = path.dirname(file)
  const importedFiles: ImportedFile[] = []
  const visit = (name: string, from: string, chain: string[]) => {
    if (importedFiles.some((f) => f.name === name)) return
    if (chain.includes(name))
      throw usageError(`${where} ${file}: imports form a cycle (${[...chain, name].join(' -> ')})`)
    const candidates = [path.join(path.dirname(from), name), path.join(root, name)]
    const found = candidates.find((c) => {
      try {
        return statSync(c).isFile()
      } catch {
        return false
      }
    })
    if (found === undefined)
      throw usageError(
        `${where} ${file}: imports "${name}", which is not found next to it (${candidates[0]})`,
        'Keep imported .proto files where the import path says, relative to the file that imports them.',
      )
    const importedText = readText(found, where)
    const imports = protoImports(importedText)
    for (const inner of imports) visit(inner, found, [...chain, name])
    importedFiles.push({name, file: found, text: importedText, imports})
  }
  const imports = protoImports(text)
  for (const name of imports) visit(name, file, [])
  return {file, schemaType, text, imports, importedFiles}
}
