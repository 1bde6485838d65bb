// Help that fits a screen and says what a newcomer needs: -h everywhere, a one-line USAGE, the shared connection and
// security flags grouped, exit codes and two or more examples on every command; and the spellings Kafka users bring
// from other tools (--bootstrap-server, --config key=value).
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'

import {kcli, root} from '../helpers.js'

interface ManifestCommand {
  id: string
  hidden?: boolean
  description?: string
  examples?: string[]
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, ManifestCommand>
}
const commands = Object.values(manifest.commands).filter((c) => !c.hidden)

/** The lines of a help section, without its header. */
function section(help: string, header: string): string[] {
  const all = help.split('\n')
  const start = all.indexOf(header)
  if (start === -1) return []
  const end = all.findIndex((line, i) => i > start && /^[A-Z][A-Z -]+$/.test(line))
  return all.slice(start + 1, end === -1 ? undefined : end).filter((l) => l.trim() !== '')
}

describe('help', () => {
  it('every command states its exit codes and shows two or more examples', () => {
    for (const command of commands) {
      assert.match(command.description ?? '', /Exit codes?:/, `${command.id}: exit codes`)
      assert.ok((command.examples ?? []).length >= 2, `${command.id}: ${command.examples?.length ?? 0} examples`)
    }
  })

  it('-h is help everywhere, with a one-line USAGE and the shared flags grouped', async () => {
    for (const command of commands) {
      const words = command.id.split(':')
      const help = await kcli([...words, '-h'])
      assert.equal(help.code, 0, `${command.id}: ${help.stderr}`)
      assert.match(help.out, /^USAGE$/m, command.id)
      const usage = section(help.out, 'USAGE')
      assert.equal(usage.length, 1, `${command.id}:\n${usage.join('\n')}`)
      assert.match(usage[0], new RegExp(`^ {2}\\$ kcli ${words.join(' ')}\\b`))
      if (/^--brokers/m.test(help.out) || /-b, --brokers/.test(help.out)) {
        assert.match(help.out, /^CONNECTION FLAGS$/m, command.id)
        assert.match(help.out, /^SECURITY FLAGS/m, command.id)
        // Security flags one line each: the variables are named once, in the header.
        assert.doesNotMatch(section(help.out, 'SECURITY FLAGS (each also a KCLI_* variable)').join('\n'), /\[env:/)
      }
    }
    const root = await kcli(['-h'])
    assert.equal(root.code, 0)
    assert.match(root.out, /^COMMANDS$/m)
  })

  // A known command starts without the manifest and oclif's plugins (src/lib/command/start.ts); the rest with both.
  it('lists every command, names a mistyped one and completes `help`, however the command line starts', async () => {
    const listed = await kcli(['help'])
    assert.equal(listed.code, 0, listed.stderr)
    for (const command of commands.filter((c) => !c.id.includes(':')))
      assert.match(listed.out, new RegExp(`^  ${command.id} `, 'm'))
    for (const words of [['prodce'], ['topic', 'list', 'foo'], ['produce:']]) {
      const typo = await kcli(words)
      assert.equal(typo.code, 127, `${words.join(' ')}: ${typo.stderr}`)
      assert.match(typo.stderr, /is not a kcli command/)
    }
    const completion = await kcli(['__complete', '--', 'he'])
    assert.deepEqual(completion.out.split('\n').filter(Boolean), ['health', 'help'])
    const colon = await kcli(['group:describe', '--help'])
    assert.equal(colon.code, 0)
    assert.match(colon.out, /^ {2}\$ kcli group describe /m)
  })

  it('keeps the help of the largest command within two screens', async () => {
    const help = await kcli(['produce', '--help'])
    assert.ok(help.out.split('\n').length < 200, `${help.out.split('\n').length} lines`)
  })
})

describe('what Kafka users bring from other tools', () => {
  // The bundle gives oclif a silent logger unless DEBUG is set (scripts/defer.mjs): DEBUG still gets oclif's own log.
  it("prints oclif's debug log under DEBUG, and nothing of it otherwise", async () => {
    const run = (debug: string | undefined) => kcli(['config', 'show'], {env: {DEBUG: debug}})
    const debugging = await run('oclif:config*')
    assert.equal(debugging.code, 0, debugging.stderr)
    assert.match(debugging.stderr, /oclif:config loading core plugin from /)
    const quiet = await run(undefined)
    assert.equal(quiet.code, 0, quiet.stderr)
    assert.doesNotMatch(quiet.stderr, /oclif/)
  })

  it('takes --bootstrap-server (Kafka tools) for -b', async () => {
    const result = await kcli(['topic', 'list', '--bootstrap-server', '127.0.0.1:1', '--timeout', '1s'], {
      env: {KCLI_BROKERS: undefined},
    })
    assert.equal(result.code, 3)
    assert.match(result.stderr, /cannot reach Kafka at 127\.0\.0\.1:1/)
  })

  it('points --config retention.ms=1 (kafka-topics) to -c', async () => {
    const result = await kcli(['topic', 'create', 'x', '--config', 'retention.ms=1'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^kcli: --config names kcli's rc file, and there is no file retention\.ms=1$/m)
    assert.match(result.stderr, /hint: For a topic config, use -c retention\.ms=1 \(--topic-config\)\./)
  })

  it('says what a duration is when one is not', async () => {
    const result = await kcli(['topic', 'list', '--timeout', '10x'])
    assert.equal(result.code, 2)
    assert.match(
      result.stderr,
      /^kcli: --timeout: "10x" is not a duration\n {2}hint: A duration is a number of seconds/m,
    )
  })
})
