import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {invokedCommand, loadCommands, oclifStopsAt} from '../../../src/lib/command/lazy-commands.js'

const ids = ['produce', 'consume', 'group:describe', 'group:list', 'topic:create', 'topic:list', '__complete']

describe('invokedCommand', () => {
  it('finds the command the way the space separator does, the longest known id winning', () => {
    assert.deepEqual(invokedCommand(ids, ['produce', '-t', 'x']), {id: 'produce', next: '-t'})
    assert.deepEqual(invokedCommand(ids, ['group', 'describe', 'billing']), {id: 'group:describe', next: 'billing'})
    assert.deepEqual(invokedCommand(ids, ['produce', 'orders.jsonl']), {id: 'produce', next: 'orders.jsonl'})
    assert.deepEqual(invokedCommand(ids, ['topic', 'create', '--help']), {id: 'topic:create', next: '--help'})
    assert.deepEqual(invokedCommand(ids, ['topic', 'list']), {id: 'topic:list', next: undefined})
  })

  it('takes a first word with a colon as the id, as oclif does', () => {
    assert.deepEqual(invokedCommand(ids, ['group:describe', 'billing']), {id: 'group:describe', next: undefined})
    assert.equal(invokedCommand(ids, ['produce:']), undefined)
    assert.equal(invokedCommand(ids, ['group:describe:x']), undefined)
  })

  it('has no answer for help, a topic, a flag first, a mistyped or an empty command line', () => {
    for (const argv of [['help', 'produce'], ['group'], ['--help'], ['-b', 'x', 'produce'], ['prodce'], []])
      assert.equal(invokedCommand(ids, argv), undefined, argv.join(' '))
  })
})

describe('oclifStopsAt', () => {
  const noArgs = {args: {}}
  const withArgs = {args: {group: {}}}
  const nonStrict = {strict: false, args: {}}

  it('stops at the end, a flag or key=value, and before an argument of a command that takes them', () => {
    assert.equal(oclifStopsAt(ids, {id: 'topic:list', next: undefined}, noArgs), true)
    assert.equal(oclifStopsAt(ids, {id: 'topic:list', next: '--json'}, noArgs), true)
    assert.equal(oclifStopsAt(ids, {id: 'topic:list', next: 'a=b'}, noArgs), true)
    assert.equal(oclifStopsAt(ids, {id: 'group:describe', next: 'billing'}, withArgs), true)
    assert.equal(oclifStopsAt(ids, {id: 'produce', next: 'orders.jsonl'}, nonStrict), true)
  })

  it('reads on when the command takes no arguments, or the next word makes a longer id', () => {
    assert.equal(oclifStopsAt(ids, {id: 'topic:list', next: 'foo'}, noArgs), false)
    assert.equal(oclifStopsAt(['x', 'x:y:z'], {id: 'x', next: 'y'}, withArgs), false)
    assert.equal(oclifStopsAt(['x', 'x:y'], {id: 'x', next: 'y'}, withArgs), false)
  })
})

describe('loadCommands', () => {
  const classes: Record<string, {args: Record<string, unknown>}> = {
    produce: {args: {files: {}}},
    'topic:list': {args: {}},
  }
  const loaders = Object.fromEntries(ids.map((id) => [id, async () => ({default: classes[id] ?? {args: {}}})]))

  it('loads only the invoked command', async () => {
    const loaded = await loadCommands(loaders, ['produce', 'orders.jsonl'])
    assert.deepEqual(loaded, {commands: {produce: classes.produce}, invoked: 'produce'})
  })

  it('loads every command when none is recognised, or oclif would read on past it', async () => {
    for (const argv of [['help'], ['topic', 'list', 'foo']]) {
      const loaded = await loadCommands(loaders, argv)
      assert.equal(loaded.invoked, undefined)
      assert.deepEqual(Object.keys(loaded.commands), ids)
    }
  })
})
