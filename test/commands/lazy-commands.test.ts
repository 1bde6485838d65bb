// The bundle loads only the invoked command's module (src/lib/command/lazy-commands.ts), which finds that command
// without oclif. Checked here against oclif's own resolution with kcli's real configuration and command table, so an
// oclif upgrade that changes how ids are read from the command line fails this test, not a user's command.
import {Config} from '@oclif/core'
import {normalizeArgv} from '@oclif/core/help'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {invokedCommand, oclifStopsAt} from '../../src/lib/command/lazy-commands.js'
import {root} from '../helpers.js'

describe('the lazy command table', () => {
  it('runs the command oclif would run, for every command and every kind of word after it', async () => {
    const config = await Config.load(root)
    const ids = config.commandIDs
    assert.ok(ids.includes('group:describe') && ids.includes('produce'), `kcli's commands: ${ids.join(' ')}`)
    const tails = [[], ['--help'], ['-t', 'x'], ['a=b'], ['x'], ['x', 'y'], ['list'], ['describe', 'x']]
    let lazy = 0
    for (const id of ids) {
      for (const tail of tails) {
        for (const argv of [
          [...id.split(':'), ...tail],
          [id, ...tail],
        ]) {
          const invocation = invokedCommand(ids, argv)
          const command = invocation && config.findCommand(invocation.id)
          // No invocation: the bundle loads every command and oclif decides, which is always right.
          if (!invocation || !command || !oclifStopsAt(ids, invocation, command)) continue
          lazy++
          const oclif = normalizeArgv(config, [...argv])[0]
          assert.equal(invocation.id, oclif, `kcli ${argv.join(' ')}`)
        }
      }
    }
    // Most of the table is lazy: the check above is not vacuous.
    assert.ok(lazy > ids.length * tails.length, `${lazy} lazy command lines`)
  })
})
