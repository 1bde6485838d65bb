// Schema files as users hand them over: the format from the name, Protobuf imports found on disk.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {protoImports, readSchemaFile, schemaTypeOf} from '../../../src/lib/registry/schema-file.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-schema-file-'))
function write(name: string, text: string): string {
  const file = path.join(dir, name)
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, text)
  return file
}

describe('schema files', () => {
  it('tell their format by name; a .json is JSON Schema unless it declares an Avro type', () => {
    assert.equal(schemaTypeOf('a.avsc', '"string"'), 'AVRO')
    assert.equal(schemaTypeOf('a.proto', ''), 'PROTOBUF')
    assert.equal(schemaTypeOf('a.json', '{"type":"object"}'), 'JSON')
    assert.equal(schemaTypeOf('a.json', '{"type":"record","name":"A","fields":[]}'), 'AVRO')
    assert.equal(schemaTypeOf('a.json', '["null","string"]'), 'AVRO')
    assert.equal(schemaTypeOf('a.txt', ''), undefined)
  })

  it('list imports without the bundled well-known types', () => {
    const text =
      'syntax = "proto3";\nimport "a/b.proto";\nimport public "c.proto";\nimport "google/protobuf/any.proto";\n'
    assert.deepEqual(protoImports(text), ['a/b.proto', 'c.proto'])
  })

  it('read imported files next to the importer, dependencies first, and name a missing one', () => {
    write('p/base/unit.proto', 'syntax = "proto3";\npackage x;\nmessage Unit {}\n')
    write(
      'p/base/money.proto',
      'syntax = "proto3";\npackage x;\nimport "base/unit.proto";\nmessage M { Unit u = 1; }\n',
    )
    const main = write(
      'p/main.proto',
      'syntax = "proto3";\npackage x;\nimport "base/money.proto";\nmessage O { M m = 1; }\n',
    )
    const schema = readSchemaFile(main, '--value-schema')
    assert.equal(schema.schemaType, 'PROTOBUF')
    assert.deepEqual(schema.imports, ['base/money.proto'])
    assert.deepEqual(
      schema.importedFiles.map((f) => [f.name, f.imports]),
      [
        ['base/unit.proto', []],
        ['base/money.proto', ['base/unit.proto']],
      ],
    )
    const broken = write('p/broken.proto', 'syntax = "proto3";\nimport "nowhere/x.proto";\n')
    assert.throws(
      () => readSchemaFile(broken, '--value-schema'),
      /--value-schema .*broken\.proto: imports "nowhere\/x\.proto", which is not found/,
    )
    assert.throws(
      () => readSchemaFile(path.join(dir, 'none.avsc'), 'schema file'),
      /schema file .*none\.avsc: cannot be read \(no such file\)/,
    )
  })
})
