// Where the password of `kcli user create` comes from: one source, never an empty one, a flag only with a warning.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {newUserPassword} from '../../../src/lib/admin/user-password.js'
import {parseMechanism, renderUsers} from '../../../src/lib/admin/users.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-user-password-'))
function file(name: string, text: string, mode = 0o600): string {
  const at = path.join(dir, name)
  fs.writeFileSync(at, text, {mode})
  fs.chmodSync(at, mode)
  return at
}

/** stderr written while `run` runs. */
async function stderrOf(run: () => Promise<unknown>): Promise<string> {
  const write = process.stderr.write.bind(process.stderr)
  let text = ''
  process.stderr.write = ((chunk: string) => ((text += chunk), true)) as typeof process.stderr.write
  try {
    await run()
  } finally {
    process.stderr.write = write
  }
  return text
}

describe('the new user password', () => {
  it('comes from a private file (its first line), the variable, or a flag with a warning', async () => {
    assert.equal(await newUserPassword({'password-file': file('pw', 'from-file\nsecond line\n')}, 'u', {}), 'from-file')
    assert.equal(await newUserPassword({}, 'u', {KCLI_USER_PASSWORD: 'from-env'}), 'from-env')
    let password = ''
    const warned = await stderrOf(async () => (password = await newUserPassword({password: 'from-flag'}, 'u', {})))
    assert.equal(password, 'from-flag')
    assert.match(warned, /--password on the command line can be seen by other users/)
    assert.ok(!warned.includes('from-flag'))
  })

  it('refuses two sources, an empty password, a file others can read, and no source off a terminal', async () => {
    const usage = (message: RegExp) => (err: Error & {exit?: number}) => message.test(err.message) && err.exit === 2
    await assert.rejects(
      newUserPassword({password: 'a', 'password-file': file('pw2', 'b\n')}, 'u', {}),
      usage(/--password-file and --password were both given/),
    )
    await assert.rejects(newUserPassword({}, 'u', {KCLI_USER_PASSWORD: ''}), usage(/must not be empty/))
    await assert.rejects(
      newUserPassword({'password-file': file('public', 'p\n', 0o644)}, 'u', {}),
      usage(/other users can read it/),
    )
    await assert.rejects(newUserPassword({}, 'u', {}), usage(/no password for user u, and no terminal/))
  })
})

describe('SCRAM mechanisms and users', () => {
  it('read the mechanism without regard to case, and print one row per credential', () => {
    assert.equal(parseMechanism('scram-sha-256'), 'SCRAM-SHA-256')
    assert.throws(() => parseMechanism('PLAIN'), /use SCRAM-SHA-256 or SCRAM-SHA-512/)
    assert.deepEqual(
      renderUsers([
        {
          user: 'svc',
          credentials: [
            {mechanism: 'SCRAM-SHA-256', iterations: 4096},
            {mechanism: 'SCRAM-SHA-512', iterations: 8192},
          ],
        },
      ]).split('\n'),
      ['USER  MECHANISM      ITERATIONS', 'svc   SCRAM-SHA-256  4096', 'svc   SCRAM-SHA-512  8192'],
    )
  })
})
