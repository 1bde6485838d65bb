// `kcli schema delete`: soft-delete a subject (its versions stay readable by id), after a confirmation.
import {Args, Flags} from '@oclif/core'

import {KcliError} from '../../lib/errors.js'
import {RegistryCommand} from '../../lib/registry/registry-command.js'
import {info} from '../../lib/terminal/output.js'
import {confirm, requireConfirmable} from '../../lib/terminal/prompt.js'

export interface SubjectDeletion {
  subject: string
  /** The versions that were deleted. */
  versions: number[]
  permanent: boolean
}

export default class SchemaDelete extends RegistryCommand {
  static override summary = 'Delete a subject of the schema registry (soft: its schemas stay readable by id).'
  static override description = `A soft delete, as Confluent's registry does it: the subject and its versions disappear from lists and lookups, while messages that carry their schema ids still decode (GET by id keeps working). --permanent removes a subject that was soft-deleted before, for good. On a terminal kcli asks first; anywhere else --yes is required.

--json prints {"subject", "versions": [number], "permanent"}.

Exit codes: 0 deleted; 1 not confirmed, or the registry refused (e.g. other schemas reference the subject); 2 no such subject, --permanent on a subject not soft-deleted, no --yes without a terminal, no registry configured; 3 the registry cannot be reached or refused the credentials; 130 interrupted at the prompt.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders-value',
    '<%= config.bin %> <%= command.id %> orders-value --yes --json',
    '<%= config.bin %> <%= command.id %> orders-value --permanent --yes',
  ]

  static override enableJsonFlag = true

  static override args = {subject: Args.string({required: true, description: 'subject to delete'})}

  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'Delete without asking'}),
    permanent: Flags.boolean({description: 'Remove a soft-deleted subject for good'}),
  }

  async run(): Promise<SubjectDeletion> {
    const {args, flags} = await this.parse(SchemaDelete)
    // Before any request: a script that forgot --yes should learn it at once.
    if (!flags.yes) requireConfirmable()
    const client = await this.registry(flags)
    if (!flags.yes) {
      const versions = await client.listVersions(args.subject, {deleted: flags.permanent})
      const what = flags.permanent ? 'for good' : '(soft: its schemas stay readable by id)'
      const question = `Delete subject ${args.subject} with ${versions.length === 1 ? 'version' : 'versions'} ${versions.join(', ')} ${what}?`
      if (!(await confirm(question))) throw new KcliError('not confirmed: nothing deleted')
    }
    const versions = await client.deleteSubject(args.subject, {permanent: flags.permanent})
    info(
      `deleted subject ${args.subject} (${versions.length === 1 ? 'version' : 'versions'} ${versions.join(', ')})${flags.permanent ? ' for good' : ''}`,
    )
    return {subject: args.subject, versions, permanent: Boolean(flags.permanent)}
  }
}
