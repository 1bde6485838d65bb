// `kcli schema get`: one schema, by subject and version or by id; the schema text on stdout, so it can go to a file.
import {Args, Flags} from '@oclif/core'

import {usageError} from '../../lib/errors.js'
import {RegistryCommand} from '../../lib/registry/registry-command.js'
import type {SchemaReference, SchemaType} from '../../lib/registry/registry-client.js'
import {terminalSafe} from '../../lib/terminal/output.js'

export interface SchemaReport {
  /** Null with --id. */
  subject: string | null
  version: number | null
  id: number
  schemaType: SchemaType
  schema: string
  references: SchemaReference[]
  /** With --id: every subject and version that holds the schema. */
  versions?: Array<{subject: string; version: number}>
}

export default class SchemaGet extends RegistryCommand {
  static override summary = 'Show a schema: a version of a subject, or the schema with an id.'
  static override description = `Prints the schema text on stdout exactly as registered (so \`> file.avsc\` saves it), and one line on stderr with its subject, version, id, format and references. --version takes a number or latest (the default).

--json prints {"subject", "version", "id", "schemaType": "AVRO"|"PROTOBUF"|"JSON", "schema", "references": [{"name", "subject", "version"}]}; with --id, subject and version are null and "versions" lists [{"subject", "version"}] that hold it.

Exit codes: 0 shown; 2 no such subject, version or id, no registry configured, or an invalid flag; 3 the registry cannot be reached or refused the credentials.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders-value',
    '<%= config.bin %> <%= command.id %> orders-value --version 2 > order-v2.avsc',
    '<%= config.bin %> <%= command.id %> --id 12 --json',
  ]

  static override enableJsonFlag = true

  static override args = {subject: Args.string({description: 'subject, e.g. orders-value'})}

  static override flags = {
    version: Flags.string({description: 'Version number or latest [default: latest]', exclusive: ['id']}),
    id: Flags.integer({description: 'The schema with this id (instead of a subject)', min: 0}),
  }

  async run(): Promise<SchemaReport> {
    const {args, flags} = await this.parse(SchemaGet)
    if ((args.subject === undefined) === (flags.id === undefined))
      throw usageError('give either a subject or --id', 'For example: kcli schema get orders-value, or --id 12.')
    const version = parseVersion(flags.version)
    const client = await this.registry(flags)
    let report: SchemaReport
    if (flags.id !== undefined) {
      const schema = await client.getSchemaById(flags.id)
      const versions = await client.subjectVersionsOf(flags.id)
      report = {subject: null, version: null, ...schema, versions}
    } else {
      const found = await client.getVersion(args.subject!, version)
      report = {...found}
    }
    if (!this.jsonEnabled()) {
      process.stderr.write(`${terminalSafe(describeSchema(report))}\n`)
      process.stdout.write(report.schema.endsWith('\n') ? report.schema : `${report.schema}\n`)
    }
    return report
  }
}

export function parseVersion(text: string | undefined): number | 'latest' {
  if (text === undefined || text === 'latest') return 'latest'
  if (!/^[1-9][0-9]*$/.test(text)) throw usageError(`--version ${text}: expected a version number or latest`)
  return Number(text)
}

function describeSchema(r: SchemaReport): string {
  const where =
    r.subject === null
      ? `id ${r.id}${r.versions && r.versions.length > 0 ? ` (${r.versions.map((v) => `${v.subject} v${v.version}`).join(', ')})` : ''}`
      : `${r.subject} version ${r.version}, id ${r.id}`
  const refs = r.references.map((ref) => `${ref.name} (${ref.subject} v${ref.version})`).join(', ')
  return `${where}, ${r.schemaType}${refs === '' ? '' : `, references ${refs}`}`
}
