// `kcli autocomplete`: the scripts run in the real bash, zsh and fish, completing commands, flags, and the names the
// suite's broker and an rc file hold; silent, and quick, when the cluster cannot be reached.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {before, describe, it} from 'node:test'

import {cleanEnv, commitOffsets, createTopic, kcli, kcliOnPath, lines, uniqueName} from '../helpers.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-complete-'))
const binDir = kcliOnPath()
const rc = path.join(dir, 'kcli.yaml')
fs.writeFileSync(rc, 'profiles:\n  prod-eu:\n    brokers: kafka:9092\n  prod-us:\n    brokers: kafka:9093\n')

/** Runs a shell snippet with the completion script loaded; returns the candidates it printed. */
function inShell(shell: 'bash' | 'zsh' | 'fish', snippet: string): string[] {
  const script = (
    {
      bash: `eval "$(kcli autocomplete bash)"; ${snippet}`,
      // Outside of a completion widget zsh has no compadd: print what it would be given.
      zsh: `compadd() { shift; print -l -- "$@" }; _files() { print ':files' }; compdef() {}; eval "$(kcli autocomplete zsh)"; ${snippet}`,
      fish: `kcli autocomplete fish | source; ${snippet}`,
    } as const
  )[shell]
  const result = spawnSync(shell, ['-c', script], {
    env: cleanEnv({PATH: `${binDir}:${process.env.PATH}`, KCLI_CONFIG: rc}),
    encoding: 'utf8',
    timeout: 30_000,
  })
  assert.equal(result.status, 0, `${shell}: ${result.stderr}`)
  assert.equal(result.stderr, '', `${shell} printed on stderr`)
  return lines(result.stdout)
}

const bash = (...words: string[]) =>
  inShell(
    'bash',
    `COMP_WORDS=(kcli ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}; _kcli_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
  )
const zsh = (...words: string[]) =>
  inShell('zsh', `words=(kcli ${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length + 1}; _kcli_complete`)
const fish = (line: string) => inShell('fish', `complete -C '${line}'`)

const available = (shell: string) => spawnSync(shell, ['-c', 'true']).status === 0

describe('kcli autocomplete', () => {
  const prefix = uniqueName('ac')
  const group = `${prefix}-group`

  before(async () => {
    await createTopic(`${prefix}-orders`)
    await createTopic(`${prefix}-payments`)
    await commitOffsets(group, [{topic: `${prefix}-orders`, partition: 0, offset: 0}])
  })

  it('prints a script for each shell, and refuses one it has none for', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const result = await kcli(['autocomplete', shell])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.out, /kcli __complete --/)
    }
    const unknown = await kcli(['autocomplete'], {env: {SHELL: '/bin/tcsh'}})
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /no completion script for "tcsh"/)
  })

  it('bash: commands, flags, topics after -t, groups for group describe, profiles after --profile, files', () => {
    assert.deepEqual(bash('topic', 'de'), ['delete', 'describe'])
    assert.ok(bash('consume', '--out').includes('--output-file'))
    assert.deepEqual(bash('consume', '-t', `${prefix}-o`), [`${prefix}-orders`])
    assert.deepEqual(bash('consume', `${prefix}-p`), [`${prefix}-payments`])
    assert.deepEqual(bash('group', 'describe', prefix), [group])
    assert.deepEqual(bash('consume', '-g', prefix), [group])
    assert.deepEqual(bash('topic', 'list', '--profile', 'prod-'), ['prod-eu', 'prod-us'])
    assert.ok(bash('produce', '--dead-letter', '').length > 0, 'files of the current folder')
  })

  // .ci/run installs zsh and fish: a machine without them fails here rather than passing untested.
  it('zsh and fish complete the same', () => {
    assert.ok(available('zsh') && available('fish'), 'zsh and fish are needed (Debian packages zsh, fish)')
    assert.deepEqual(zsh('consume', '-t', `${prefix}-o`), [`${prefix}-orders`])
    assert.deepEqual(zsh('group', 'describe', prefix), [group])
    assert.deepEqual(zsh('produce', '--dead-letter', ''), [':files'])
    assert.deepEqual(fish(`kcli consume -t ${prefix}-o`), [`${prefix}-orders`])
    assert.deepEqual(fish(`kcli consume -g ${prefix}`), [group])
    assert.deepEqual(fish('kcli topic de'), ['delete', 'describe'])
    assert.deepEqual(fish('kcli config use prod-'), ['prod-eu', 'prod-us'])
  })

  it('offers no name a shell would split or run: a group id holding $(...) or a space', async () => {
    const marker = path.join(dir, 'ran')
    const hostile = [`${prefix}-x$(touch ${marker})`, `${prefix}-two words`, `${prefix}-\u001b[31mred`]
    for (const name of hostile) await commitOffsets(name, [{topic: `${prefix}-orders`, partition: 0, offset: 0}])
    assert.deepEqual(bash('group', 'describe', prefix), [group])
    assert.deepEqual(zsh('group', 'describe', prefix), [group])
    assert.deepEqual(fish(`kcli group describe ${prefix}`), [group])
    assert.equal(fs.existsSync(marker), false, 'a completion ran what a group id held')
  })

  it('is silent and quick when the cluster cannot be reached, and uses the -b already typed', async () => {
    const began = Date.now()
    assert.deepEqual(bash('consume', '-b', '127.0.0.1:1', '-t', ''), [])
    // Completion gives up after completionTimeoutMs (1.5 s), not the 10 s of a command's default timeout: the bound
    // leaves room for a shell and a Node start on a machine that runs other test files and clusters at once (a CI run
    // took 6.1 s here with a 5 s bound).
    const elapsed = Date.now() - began
    assert.ok(elapsed < 8000, `took ${elapsed} ms`)
    const result = await kcli(['__complete', '--', 'consume', '--bootstrap-server', '127.0.0.1:1', '-t', ''])
    assert.equal(result.code, 0)
    assert.equal(result.out + result.stderr, '')
  })
})
