// `kcli schema list`: the subjects of the schema registry.
import {Flags} from '@oclif/core'

import {RegistryCommand} from '../../lib/registry/registry-command.js'

export interface SubjectList {
  subjects: string[]
}

export default class SchemaList extends RegistryCommand {
  static override summary = 'List the subjects of the schema registry.'
  static override description = `Prints one subject per line, sorted. --deleted includes soft-deleted subjects; --prefix keeps those that start with it.

--json prints {"subjects": [string]}.

Exit codes: 0 listed; 2 no registry configured or an invalid flag; 3 the registry cannot be reached or refused the credentials.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --registry-url http://127.0.0.1:9592/apis/ccompat/v7',
    '<%= config.bin %> <%= command.id %> --prefix orders- --json',
  ]

  static override enableJsonFlag = true

  static override flags = {
    deleted: Flags.boolean({description: 'Include soft-deleted subjects'}),
    prefix: Flags.string({description: 'Only subjects that start with this'}),
  }

  async run(): Promise<SubjectList> {
    const {flags} = await this.parse(SchemaList)
    const client = await this.registry(flags)
    const subjects = (await client.listSubjects({deleted: flags.deleted}))
      .filter((s) => flags.prefix === undefined || s.startsWith(flags.prefix))
      .sort()
    if (subjects.length > 0) this.log(subjects.join('\n'))
    return {subjects}
  }
}
