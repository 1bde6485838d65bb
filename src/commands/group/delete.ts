// `kcli group delete`: delete consumer groups and their committed offsets, after a confirmation.
import {Args, Flags} from '@oclif/core'

import {KcliError} from '../../lib/errors.js'
import {
  type GroupDeleteResult,
  checkGroupsDeletable,
  deleteConsumerGroups,
  deleteGroupsQuestion,
} from '../../lib/groups/delete.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'
import {confirm, requireConfirmable} from '../../lib/terminal/prompt.js'

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
    const cluster = await this.cluster()
    await checkGroupsDeletable(cluster, groups)
    if (!flags.yes && !(await confirm(deleteGroupsQuestion(groups))))
      throw new KcliError('not confirmed: nothing was deleted')
    const deleted: GroupDeleteResult['groups'] = []
    for await (const group of deleteConsumerGroups(cluster, groups)) {
      info(`Deleted group "${group}".`)
      deleted.push({group, deleted: true})
    }
    return {groups: deleted}
  }
}
