// The README must not lie about flags: its flag tables are compared with what `--help` says, both ways, so a flag
// added, renamed or removed in one place and not the other fails here.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'

import {kcli, root} from '../helpers.js'

const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')

/** The README text from a heading to the next heading of the same or a higher level (not counting code blocks). */
function chapter(heading: string): string {
  const all = readme.split('\n')
  const start = all.indexOf(heading)
  assert.ok(start !== -1, `README has no heading ${heading}`)
  const level = /^#+/.exec(heading)![0].length
  let fenced = false
  let end = all.length
  for (let i = start + 1; i < all.length; i++) {
    if (all[i].startsWith('```')) fenced = !fenced
    else if (!fenced && new RegExp(`^#{1,${level}} `).test(all[i])) {
      end = i
      break
    }
  }
  return all.slice(start + 1, end).join('\n')
}

/**
 * Flags written in a text's code (spans, and fenced blocks whole): `--name`, `--[no-]name` (both), `--name[-file]`
 * (both), `-x`.
 */
function flagsIn(text: string): Set<string> {
  const found = new Set<string>()
  let fenced = false
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) {
      fenced = !fenced
      continue
    }
    for (const code of fenced ? [line] : (line.match(/`[^`]+`/g) ?? [])) {
      for (const m of code.matchAll(/(?<![\w-])--(\[no-\])?([a-z][a-z0-9-]*)(\[-file\])?/g)) {
        found.add(`--${m[2]}`)
        if (m[1]) found.add(`--no-${m[2]}`)
        if (m[3]) found.add(`--${m[2]}-file`)
      }
      for (const m of code.matchAll(/(?<![\w-])-([A-Za-z])(?![\w-])/g)) found.add(`-${m[1]}`)
    }
  }
  return found
}

/** The first column of every row of the tables in a text. */
function tableFlags(text: string): Set<string> {
  const rows = text.split('\n').filter((l) => /^\| `/.test(l))
  return flagsIn(rows.map((r) => r.split(' | ')[0]).join('\n'))
}

/** The flags `kcli <command> --help` lists, by section (FLAGS, CONNECTION FLAGS, ...). */
async function helpFlags(command: string[]): Promise<Map<string, Set<string>>> {
  const help = await kcli([...command, '--help'])
  assert.equal(help.code, 0, help.stderr)
  const sections = new Map<string, Set<string>>()
  let current: Set<string> | undefined
  for (const line of help.out.split('\n')) {
    if (/^([A-Z ]+ )?FLAGS/.test(line)) sections.set(line.replace(/ \(.*$/, ''), (current = new Set()))
    else if (/^[A-Z]/.test(line)) current = undefined
    else if (current && /^ {2,6}-/.test(line)) {
      const label = line.trim().split(/\s{2,}|=/)[0]
      for (const flag of flagsIn(`\`${label.replace(/,/g, '')}\``)) current.add(flag)
    }
  }
  return sections
}

const all = (sections: Map<string, Set<string>>) => new Set([...sections.values()].flatMap((s) => [...s]))

describe('README flag tables against --help', () => {
  for (const command of ['produce', 'consume']) {
    it(`${command}: every flag of the table exists, and every flag of the command is documented`, async () => {
      const help = await helpFlags([command])
      const section = chapter(`### \`kcli ${command}\``)
      const withRegistry = `${section}\n${chapter(`### \`kcli ${command}\` with a registry`)}`
      for (const flag of tableFlags(section))
        assert.ok(all(help).has(flag), `README's ${flag} is not a flag of ${command}`)
      const documented = flagsIn(withRegistry)
      for (const group of ['FLAGS', 'SCHEMA REGISTRY FLAGS'])
        for (const flag of help.get(group) ?? []) {
          if (flag === '-h' || flag === '--help') continue
          // The registry's connection settings have their own table (Schema Registry, Settings).
          if (group === 'SCHEMA REGISTRY FLAGS' && /^--registry-/.test(flag)) continue
          assert.ok(documented.has(flag), `${command} ${flag} is missing from the README`)
        }
    })
  }

  it('the connection, security and registry settings tables match the flags every command takes', async () => {
    const help = await helpFlags(['produce'])
    const connection = flagsIn(`${chapter('## Configuration')}\n${chapter('## Security and profiles')}`)
    for (const flag of help.get('CONNECTION FLAGS') ?? [])
      assert.ok(connection.has(flag), `${flag} is not in Configuration`)
    const security = tableFlags(chapter('### Security settings'))
    const securityHelp = help.get('SECURITY FLAGS') ?? new Set()
    for (const flag of security) assert.ok(securityHelp.has(flag), `README's ${flag} is no security flag`)
    // A switch on by default is documented by its --no- form.
    for (const flag of securityHelp)
      assert.ok(security.has(flag) || security.has(`--no-${flag.slice(2)}`), `${flag} is not in Security settings`)
    const registry = tableFlags(chapter('### Settings'))
    const registryHelp = [...(help.get('SCHEMA REGISTRY FLAGS') ?? [])].filter((f) => f.startsWith('--registry-'))
    assert.deepEqual([...registry].sort(), registryHelp.sort())
  })

  it('every topic command takes --json, as the README says', async () => {
    assert.match(
      chapter('### `kcli topic` — list, describe, create, delete, add-partitions'),
      /All of them take `--json`/,
    )
    for (const command of ['list', 'describe', 'create', 'delete', 'add-partitions']) {
      const help = await kcli(['topic', command, '--help'])
      assert.match(help.out, /--json/, `topic ${command}`)
    }
  })

  it('the exit code table lists every code kcli documents', () => {
    const table = chapter('## Exit codes')
    for (const code of [0, 1, 2, 3, 127, 130]) assert.match(table, new RegExp(`^\\| ${code} \\|`, 'm'), String(code))
  })

  it('links the examples, and every example exists', () => {
    for (const m of readme.matchAll(/\]\((examples\/[^)]*)\)/g))
      assert.ok(fs.existsSync(path.join(root, m[1])), `${m[1]} is linked but missing`)
    assert.match(readme, /\[examples\/\]\(examples\/\)/)
  })
})
