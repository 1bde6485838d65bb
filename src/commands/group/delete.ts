// `kcli group delete`: delete consumer groups and their committed offsets, after a confirmation.
import {Args, Flags} from '@oclif/core'

import {KcliError} from '../../lib/errors.js'
import {
  activeGroupError,
  deleteGroups,
  listGroupsPartial,
  requireCompleteListing,
  unknownGroupError,
} from '../../lib/kafka/groups.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'
import {confirm, requireConfirmable} from '../../lib/terminal/prompt.js'

export interface GroupDeleteResult {
  groups: Array<{group: string; deleted: boolean}>
}

export default class GroupDelete extends KafkaCommand {
  static override summary = 'Delete consumer groups and their committed offsets.'
  static override description = `Every group must exist and have no active members (state Empty); otherwise nothing is deleted. On a terminal kcli asks before deleting; --yes skips the question, and is required when stdin or stderr is not a terminal (scripts, CI).

With --json: {"groups": [{group, deleted}]}.

Exit codes: 0 deleted; 1 the cluster refused, or the question was answered no; 2 invalid usage (e.g. no terminal to ask on and no --yes), a group does not exist, or a group has active members; 3 cluster or group coordinator unreachable; 130 interrupted at the question.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> billing-old',
    '<%= config.bin %> <%= command.id %> test-1 test-2 test-3 --yes',
    '<%= config.bin %> <%= command.id %> billing-old --yes --json',
  ]

  static override strict = false
  static override args = {
    group: Args.string({required: true, description: 'Consumer group id (several allowed)'}),
  }

  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'Delete without asking'}),
  }

  static override enableJsonFlag = true

  async run(): Promise<GroupDeleteResult> {
    const {flags, argv} = await this.parse(GroupDelete)
    const groups = [...new Set(argv as string[])]
    if (!flags.yes) requireConfirmable()
    const settings = await this.settings(flags)
    const {admin} = await this.adminClients(settings)

    // ListGroups tells existence and state without describing anything (see kafka/groups.ts on why that matters).
    const listing = await listGroupsPartial(admin, settings)
    const known = new Map(listing.groups.map((g) => [g.group, g]))
    const missing = groups.filter((g) => !known.has(g))
    if (missing.length > 0) requireCompleteListing(settings, listing)
    if (missing.length > 0) throw unknownGroupError(missing)
    const active = groups.find((g) => known.get(g)?.state !== 'Empty')
    if (active) throw activeGroupError(active, 'delete it', known.get(active)?.state)

    if (!flags.yes) {
      const names = groups.map((g) => `"${g}"`).join(', ')
      const question =
        groups.length === 1
          ? `Delete consumer group ${names} and its committed offsets?`
          : `Delete ${groups.length} consumer groups (${names}) and their committed offsets?`
      if (!(await confirm(question))) throw new KcliError('not confirmed: nothing was deleted')
    }

    const outcomes = await deleteGroups(admin, settings, groups)
    for (const o of outcomes) if (o.error === null) info(`Deleted group "${o.group}".`)
    const failed = outcomes.filter((o) => o.error !== null)
    if (failed.length === 1) throw failed[0].error
    if (failed.length > 1) {
      throw new KcliError(
        `could not delete ${failed.length} groups: ${failed.map((o) => o.error?.message).join('; ')}`,
        {exit: failed[0].error?.exit},
      )
    }
    return {groups: outcomes.map((o) => ({group: o.group, deleted: true}))}
  }
}
