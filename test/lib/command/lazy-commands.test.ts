import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {invokedCommand, loadCommands} from '../../../src/lib/command/lazy-commands.js'

const ids = ['produce', 'consume', 'group:describe', 'group:list', 'topic:create', '__complete']

describe('invokedCommand', () => {
  it('finds the command the way the space separator does, the longest known id winning', () => {
    assert.equal(invokedCommand(ids, ['produce', '-t', 'x']), 'produce')
    assert.equal(invokedCommand(ids, ['group', 'describe', 'billing']), 'group:describe')
    assert.equal(invokedCommand(ids, ['group:describe', 'billing']), 'group:describe')
    assert.equal(invokedCommand(ids, ['produce', 'orders.jsonl']), 'produce')
    assert.equal(invokedCommand(ids, ['topic', 'create', '--help']), 'topic:create')
  })

  it('has no answer for help, a topic, a flag first, a mistyped or an empty command line', () => {
    for (const argv of [['help', 'produce'], ['group'], ['--help'], ['-b', 'x', 'produce'], ['prodce'], []])
      assert.equal(invokedCommand(ids, argv), undefined, argv.join(' '))
  })
})

describe('loadCommands', () => {
  const loaders = Object.fromEntries(ids.map((id) => [id, async () => ({default: `class of ${id}`})]))

  it('loads only the invoked command', async () => {
    const loaded = await loadCommands(loaders, ['group', 'describe', 'g'])
    assert.deepEqual(loaded, {commands: {'group:describe': 'class of group:describe'}, invoked: 'group:describe'})
  })

  it('loads every command when none is recognised', async () => {
    const loaded = await loadCommands(loaders, ['help'])
    assert.equal(loaded.invoked, undefined)
    assert.deepEqual(Object.keys(loaded.commands), ids)
  })
})
