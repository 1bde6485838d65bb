import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {startSolo} from '../../../src/lib/command/start.js'

describe('startSolo', () => {
  const pjson = {name: 'kcli', version: '0.0.0', oclif: {commands: {strategy: 'explicit', target: './x.js'}}}
  const solo = (command: {strict?: boolean; args?: Record<string, unknown>}) => ({
    id: 'topic:list',
    command,
    ids: ['topic:list', 'topic:list:x', 'produce'],
    file: 'dist/bundle/solo-topic-list.js',
  })

  // false: bin/run.js starts main.js instead. Each of these would have failed had it run (the root has no package).
  it('leaves a line to the full bundle where oclif would not run that command', async () => {
    const strict = solo({strict: true, args: {}})
    assert.equal(await startSolo('/nonexistent', pjson as never, strict, ['produce', '-t', 'x']), false)
    assert.equal(await startSolo('/nonexistent', pjson as never, strict, ['topic', 'list', 'foo']), false)
    assert.equal(await startSolo('/nonexistent', pjson as never, strict, ['topic', 'list', 'x']), false)
    assert.equal(await startSolo('/nonexistent', pjson as never, strict, []), false)
  })

  // oclif then loads the commands from the solo file, not from package.json's target: here it finds no such file.
  it('runs the command from its own file where oclif would run it', async () => {
    const fromSoloFile = /\/nonexistent\/dist\/bundle\/solo-topic-list\.js/
    const strict = solo({strict: true, args: {}})
    await assert.rejects(startSolo('/nonexistent', pjson as never, strict, ['topic', 'list']), fromSoloFile)
    await assert.rejects(startSolo('/nonexistent', pjson as never, strict, ['topic:list', '-h']), fromSoloFile)
    const loose = solo({strict: false})
    await assert.rejects(startSolo('/nonexistent', pjson as never, loose, ['topic', 'list', 'foo']), fromSoloFile)
  })
})
