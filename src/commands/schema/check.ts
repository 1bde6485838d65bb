// `kcli schema check`: would the registry accept this schema file under the subject? Exit 1 when not.
import {Args, Flags} from '@oclif/core'

import {RegistryCommand} from '../../lib/registry/registry-command.js'
import {RegistryError} from '../../lib/registry/registry-client.js'
import {checkInput, localCodecs} from '../../lib/registry/register.js'
import {readSchemaFile} from '../../lib/registry/schema-file.js'
import {parseVersion} from './get.js'

export interface CompatibilityReport {
  subject: string
  version: number | 'latest'
  compatible: boolean
  /** The registry's reasons when incompatible; a note when the subject has no versions yet. */
  messages: string[]
}

export default class SchemaCheck extends RegistryCommand {
  static override summary = "Check a schema file against a subject's compatibility rule, without registering it."
  static override description = `Asks the registry whether the file's schema is compatible with a version of the subject (latest by default) under the subject's compatibility level (BACKWARD unless set otherwise). Incompatible: exit 1, with the registry's reason on stdout. A subject without versions accepts any schema: compatible. A .proto file's imports must be registered already (kcli schema register registers them).

--json prints {"subject", "version", "compatible", "messages": [string]}, with the same exit codes.

Exit codes: 0 compatible; 1 incompatible; 2 an unreadable or invalid schema file, an import not registered, no registry configured, or an invalid flag; 3 the registry cannot be reached or refused the credentials.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders-value order-v2.avsc',
    '<%= config.bin %> <%= command.id %> orders-value order-v2.avsc --version 1 --json',
  ]

  static override enableJsonFlag = true

  static override args = {
    subject: Args.string({required: true, description: 'subject, e.g. orders-value'}),
    file: Args.string({required: true, description: 'schema file: .avsc, .proto or .json'}),
  }

  static override flags = {
    version: Flags.string({description: 'Version number or latest to check against [default: latest]'}),
  }

  async run(): Promise<CompatibilityReport> {
    const {args, flags} = await this.parse(SchemaCheck)
    const version = parseVersion(flags.version)
    const schema = readSchemaFile(args.file, 'schema file')
    await localCodecs(schema, 'schema file')
    const client = await this.registry(flags)
    const input = await checkInput(client, schema)
    let report: CompatibilityReport
    try {
      report = {subject: args.subject, version, ...(await client.checkCompatibility(args.subject, input, version))}
    } catch (error) {
      // Nothing to be incompatible with: the registry answers "not found" for a subject without versions.
      const fresh =
        error instanceof RegistryError && error.kind === 'not-found' && version === 'latest' && error.errorCode !== 0
      if (!fresh) throw error
      report = {
        subject: args.subject,
        version,
        compatible: true,
        messages: [`${args.subject} has no versions yet: any schema is accepted`],
      }
    }
    if (report.compatible) this.log(`compatible with ${args.subject} version ${version}`)
    else this.log([`incompatible with ${args.subject} version ${version}:`, ...report.messages].join('\n  '))
    if (!report.compatible) process.exitCode = 1
    return report
  }
}
