import {Command, Flags} from '@oclif/core'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {startSolo} from '../../../src/lib/command/start.js'

const pjson = {
  name: 'kcli',
  version: '0.0.0',
  oclif: {bin: 'kcli', topicSeparator: ' ', additionalHelpFlags: ['-h'], commands: {strategy: 'explicit'}},
}
const ids = ['topic:list', 'topic:list:x', 'produce']
const file = 'dist/bundle/solo-topic-list.cjs'

describe('startSolo', () => {
  // false: bin/run.js starts main.js instead. Each of these would have failed had it run (the root has no package).
  it('leaves a line to the full bundle where oclif would not run that command', async () => {
    const solo = {id: 'topic:list', command: {strict: true, args: {}}, ids, file}
    for (const argv of [['produce', '-t', 'x'], ['topic', 'list', 'foo'], ['topic', 'list', 'x'], []])
      assert.equal(await startSolo('/nonexistent', pjson as never, solo, argv), false, argv.join(' '))
  })

  // oclif then loads the commands from the solo file, not from package.json's target: here it finds no such file.
  it('gives help through oclif, from its own file', async () => {
    const solo = {id: 'topic:list', command: {strict: true, args: {}}, ids, file}
    const fromSoloFile = /\/nonexistent\/dist\/bundle\/solo-topic-list\.cjs/
    await assert.rejects(startSolo('/nonexistent', pjson as never, solo, ['topic', 'list', '-h']), fromSoloFile)
    await assert.rejects(startSolo('/nonexistent', pjson as never, solo, ['topic:list', '--help']), fromSoloFile)
  })

  it('runs the command itself with what it reads of the config', async () => {
    const seen: unknown[] = []
    class List extends Command {
      static override strict = false
      static override enableJsonFlag = true
      static override flags = {all: Flags.boolean()}
      async run(): Promise<void> {
        const {flags, argv} = await this.parse(List)
        seen.push({id: this.id, argv, all: flags.all, bin: this.config.bin, json: this.jsonEnabled()})
      }
    }
    const solo = {id: 'topic:list', command: List, ids, file}
    assert.equal(await startSolo('/nonexistent', pjson as never, solo, ['topic', 'list', 'a', '--all']), 'command')
    assert.equal(await startSolo('/nonexistent', pjson as never, solo, ['topic:list', 'b', '--', '-h']), 'command')
    process.env.KCLI_CONTENT_TYPE = 'json'
    try {
      assert.equal(await startSolo('/nonexistent', pjson as never, solo, ['topic', 'list']), 'command')
    } finally {
      delete process.env.KCLI_CONTENT_TYPE
    }
    assert.deepEqual(seen, [
      {id: 'topic:list', argv: ['a'], all: true, bin: 'kcli', json: false},
      {id: 'topic:list', argv: ['b', '-h'], all: undefined, bin: 'kcli', json: false},
      {id: 'topic:list', argv: [], all: undefined, bin: 'kcli', json: true},
    ])
  })
})
