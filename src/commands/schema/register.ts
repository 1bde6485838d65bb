// `kcli schema register`: put a schema file into the registry under a subject (Protobuf imports as references).
import {Args} from '@oclif/core'

import {RegistryCommand} from '../../lib/registry/registry-command.js'
import {type SchemaRegistration, ensureRegistered, localCodecs} from '../../lib/registry/register.js'
import {readSchemaFile} from '../../lib/registry/schema-file.js'

export default class SchemaRegister extends RegistryCommand {
  static override summary = 'Register a schema file (.avsc, .proto, .json) under a subject.'
  static override description = `The file's text is registered exactly as it is (the registry identifies a schema by its text): .avsc is Avro, .proto Protobuf, .json JSON Schema (or Avro, when it declares a record, enum, fixed or union). The schema is parsed locally first, so a broken file fails with its own error before the registry is asked. A schema the subject already has is found, not registered again. A .proto file's imports are read from disk relative to the file that imports them and registered first, each under its import path as subject (as Confluent's serializers do), then referenced; google/protobuf/* imports need nothing.

The registry checks the subject's compatibility rule (BACKWARD by default): an incompatible schema is refused with the registry's reason, exit 1. \`kcli schema check\` asks without registering.

Prints "<subject> version <N> id <ID>" and whether it is new; --json prints {"subject", "version", "id", "schemaType", "references": [{"name", "subject", "version"}], "registered": true when this call added the version}.

Exit codes: 0 registered or already there; 1 refused as incompatible; 2 an unreadable or invalid schema file, no registry configured, or an invalid flag; 3 the registry cannot be reached or refused the credentials.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders-value order.avsc',
    '<%= config.bin %> <%= command.id %> payments-value protos/payment.proto --json',
  ]

  static override enableJsonFlag = true

  static override args = {
    subject: Args.string({required: true, description: 'subject, e.g. orders-value (topic name + -value or -key)'}),
    file: Args.string({required: true, description: 'schema file: .avsc, .proto or .json'}),
  }

  async run(): Promise<SchemaRegistration> {
    const {args, flags} = await this.parse(SchemaRegister)
    const schema = readSchemaFile(args.file, 'schema file')
    await localCodecs(schema, 'schema file')
    const client = await this.registry(flags)
    const result = await ensureRegistered(client, args.subject, schema)
    this.log(
      `${result.subject} version ${result.version} id ${result.id} (${result.registered ? 'registered' : 'already registered'})`,
    )
    return result
  }
}
