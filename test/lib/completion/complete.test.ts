// What completion offers after each kind of word, on a small catalog of commands shaped as oclif's config gives them.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {type CommandSpec, complete, connectionWords} from '../../../src/lib/completion/complete.js'

const connection = {
  brokers: {char: 'b' as const, takesValue: true, aliases: ['bootstrap-server']},
  profile: {takesValue: true},
  config: {takesValue: true},
  'ssl-verify': {takesValue: false, allowNo: true},
}
const commands: CommandSpec[] = [
  {
    words: ['consume'],
    flags: {
      ...connection,
      topic: {char: 't', takesValue: true},
      group: {char: 'g', takesValue: true},
      output: {takesValue: true, options: ['auto', 'json', 'value', 'pretty']},
      'output-file': {takesValue: true},
      'exit-at-end': {char: 'e', takesValue: false},
    },
  },
  {words: ['produce'], flags: {...connection, topic: {char: 't', takesValue: true}, 'dead-letter': {takesValue: true}}},
  {words: ['topic', 'describe'], flags: connection},
  {words: ['topic', 'delete'], flags: connection},
  {words: ['topic', 'list'], flags: connection},
  {words: ['group', 'describe'], flags: connection},
  {words: ['config', 'use'], flags: {}},
  {words: ['__complete'], flags: {}, hidden: true},
]
const words = (...typed: string[]) => complete(commands, typed)

describe('complete', () => {
  it('offers commands, then the subcommands of a topic', () => {
    assert.deepEqual(words(''), {kind: 'words', words: ['config', 'consume', 'group', 'produce', 'topic']})
    assert.deepEqual(words('co'), {kind: 'words', words: ['config', 'consume']})
    assert.deepEqual(words('topic', 'de'), {kind: 'words', words: ['delete', 'describe']})
  })

  it('offers the flags of the command, with --no- for switches that have it', () => {
    assert.deepEqual(words('consume', '--o'), {kind: 'words', words: ['--output', '--output-file']})
    assert.deepEqual(words('consume', '--no'), {kind: 'words', words: ['--no-ssl-verify']})
  })

  it('asks for names after -t, -g and --profile, and for what a command takes as arguments', () => {
    assert.deepEqual(words('consume', '-t', 'or'), {kind: 'names', names: 'topics', prefix: 'or'})
    assert.deepEqual(words('consume', '--topic', ''), {kind: 'names', names: 'topics', prefix: ''})
    assert.deepEqual(words('consume', '-e', '-g', 'b'), {kind: 'names', names: 'groups', prefix: 'b'})
    assert.deepEqual(words('topic', 'list', '--profile', ''), {kind: 'names', names: 'profiles', prefix: ''})
    assert.deepEqual(words('group', 'describe', ''), {kind: 'names', names: 'groups', prefix: ''})
    assert.deepEqual(words('topic', 'describe', 'a', ''), {kind: 'names', names: 'topics', prefix: ''})
    assert.deepEqual(words('consume', 'ord'), {kind: 'names', names: 'topics', prefix: 'ord'})
    assert.deepEqual(words('config', 'use', ''), {kind: 'names', names: 'profiles', prefix: ''})
  })

  it('offers choices, files, and --flag=value forms', () => {
    assert.deepEqual(words('consume', '--output', 'p'), {kind: 'words', words: ['pretty']})
    assert.deepEqual(words('consume', '--output=j'), {kind: 'words', words: ['--output=json']})
    assert.deepEqual(words('consume', '--output-file', ''), {kind: 'files'})
    assert.deepEqual(words('produce', '--dead-letter', ''), {kind: 'files'})
    assert.deepEqual(words('produce', ''), {kind: 'files'})
    assert.deepEqual(words('consume', '--config', ''), {kind: 'files'})
  })

  it('offers nothing after a switch is done, or for a hidden command', () => {
    assert.deepEqual(words('topic', 'list', ''), {kind: 'words', words: []})
    assert.deepEqual(words('__comp'), {kind: 'words', words: []})
  })
})

describe('connectionWords', () => {
  it('takes the flags that say where the cluster is, in every spelling', () => {
    assert.deepEqual(
      connectionWords([
        'consume',
        '--bootstrap-server',
        'k:1',
        '--profile=prod',
        '-X',
        'a=1',
        '--property',
        'b=2',
        '--sasl-username',
        'ann',
        '--no-ssl-verify',
        '-t',
      ]),
      {brokers: 'k:1', profile: 'prod', property: ['a=1', 'b=2'], 'sasl-username': 'ann', 'ssl-verify': false},
    )
    assert.deepEqual(connectionWords(['-b', 'x:1', '--ssl-verify', 'orders']), {brokers: 'x:1', 'ssl-verify': true})
  })
})
