// The bundle loads only the invoked command's module (src/lib/command/lazy-commands.ts), which finds that command
// without oclif. Checked here against oclif's own resolution with kcli's real configuration and command table, so an
// oclif upgrade that changes how ids are read from the command line fails this test, not a user's command.
import {Config} from '@oclif/core'
import {normalizeArgv} from '@oclif/core/help'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {spawn, spawnSync} from 'node:child_process'
import {after, describe, it} from 'node:test'

import {invokedCommand, oclifStopsAt} from '../../src/lib/command/lazy-commands.js'
import {bin, brokers, cleanEnv, createTopic, kcli, lines, root, uniqueName} from '../helpers.js'

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

// scripts/bundle.mjs gives produce, consume and group describe a file each. Run from a copy of the package whose full
// bundle throws and whose chunks are gone, each works end to end: nothing else was loaded. Help and errors are those
// of another copy without the files of their own (which bin/run.js then never looks for), byte for byte.
describe('commands with a bundle of their own', () => {
  const copies = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-solo-'))
  after(() => fs.rmSync(copies, {recursive: true, force: true}))
  /** A copy of the built package: its bin/run.js, after `change` had its way with dist/bundle. */
  const copy = (name: string, change: (bundle: string) => void): string => {
    const dir = path.join(copies, name)
    fs.cpSync(path.join(root, 'bin'), path.join(dir, 'bin'), {recursive: true})
    fs.cpSync(path.join(root, 'dist', 'bundle'), path.join(dir, 'dist', 'bundle'), {recursive: true})
    fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'))
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'))
    change(path.join(dir, 'dist', 'bundle'))
    return path.join(dir, 'bin', 'run.js')
  }
  // The copies' runs keep their code caches with them, not in the real cache folder.
  const ownCache = {XDG_CACHE_HOME: path.join(copies, 'cache-home')}
  const solo = copy('solo', (bundle) => {
    for (const f of fs.readdirSync(bundle)) if (f.startsWith('chunk-')) fs.rmSync(path.join(bundle, f))
    fs.writeFileSync(path.join(bundle, 'main.js'), "throw new Error('the full bundle was loaded')\n")
  })
  const full = copy('full', (bundle) => fs.rmSync(path.join(bundle, 'solo.json')))

  it('produce, consume and group describe run from their own files', async () => {
    const topic = await createTopic(uniqueName('solo'))
    const group = uniqueName('solo-g')
    const produced = await kcli(['produce', '-t', topic], {bin: solo, input: '{"n":1}\n{"n":2}\n', env: ownCache})
    assert.equal(produced.code, 0, produced.stderr)
    const consumed = await kcli(['consume', topic, '-g', group, '--from-beginning', '-e'], {bin: solo, env: ownCache})
    assert.equal(consumed.code, 0, consumed.stderr)
    assert.deepEqual(
      lines(consumed.out).map((l) => JSON.parse(l).value),
      [{n: 1}, {n: 2}],
    )
    const described = await kcli(['group', 'describe', group, '--json'], {bin: solo, env: ownCache})
    assert.equal(described.code, 0, described.stderr)
    assert.equal(JSON.parse(described.out).groups[0].group, group)
    // The same topic read by the full bundle: the solo produce wrote what it said.
    const check = await kcli(['consume', topic, '--from-beginning', '-e', '--output', 'value'])
    assert.deepEqual(lines(check.out), ['{"n":1}', '{"n":2}'])
  })

  // bin/run.js compiles a solo file with a code cache from its first successful run. V8 checks a cache against the
  // length of the source only: a file changed to the same length must not run the cache of what it was.
  it('keeps a code cache of each file as it is, written by a run that succeeded', async () => {
    const env = {XDG_CACHE_HOME: path.join(copies, 'cache-test-home')}
    const bin = copy('cached', () => {})
    const bundle = path.join(path.dirname(bin), '..', 'dist', 'bundle')
    const cacheDir = path.join(env.XDG_CACHE_HOME, 'kcli', 'compile-cache', 'solo')
    /** The inode of produce's cache file: a cache written again is a new file. */
    const cache = (): number => {
      const found = fs.readdirSync(cacheDir).filter((f) => f.startsWith(`solo-produce.cjs-${process.version}-`))
      assert.equal(found.length, 1, found.join(' '))
      return fs.statSync(path.join(cacheDir, found[0]!)).ino
    }
    const topic = await createTopic(uniqueName('solo-cache'))
    let n = 0
    const produce = async (extra: Record<string, string> = {}, flags: string[] = []) => {
      const input = `{"n":${++n}}\n`
      const run = await kcli(['produce', '-t', topic, ...flags], {bin, input, env: {...env, ...extra}})
      assert.equal(run.code, 0, run.stderr)
      return run
    }

    // Runs that fail write nothing: one refused at once, one that ends with an exit code of its own.
    const refused = await kcli(['produce', '-t', `${topic}-missing`], {bin, input: '{"n":0}\n', env})
    assert.equal(refused.code, 2, refused.stderr)
    const invalid = await kcli(['produce', '-t', topic], {bin, input: 'not json\n', env})
    assert.notEqual(invalid.code, 0, invalid.stderr)
    assert.equal(fs.existsSync(cacheDir), false, 'a failed run writes no cache')

    // The first run that succeeds checks its lines against a JSON Schema (ajv, imported), so that the second one runs
    // that import from the cache.
    const schema = path.join(copies, 'cache-test.schema.json')
    fs.writeFileSync(schema, '{"type": "object", "required": ["n"]}')
    await produce({}, ['--schema', schema])
    const first = cache()
    assert.equal(fs.statSync(cacheDir).mode & 0o777, 0o700)
    assert.equal(fs.statSync(path.join(cacheDir, fs.readdirSync(cacheDir)[0]!)).mode & 0o777, 0o600)
    const again = await produce({}, ['--schema', schema])
    assert.doesNotMatch(again.stderr, /warning/i)
    assert.equal(cache(), first, 'the cache was taken, not written again')

    // A cache V8 refuses (here its data damaged under a right key) is written again.
    const [name] = fs.readdirSync(cacheDir)
    const saved = fs.readFileSync(path.join(cacheDir, name!))
    saved.fill(7, saved.indexOf(10) + 1)
    fs.writeFileSync(path.join(cacheDir, name!), saved)
    await produce()
    const repaired = cache()
    assert.notEqual(repaired, first)
    await produce()
    assert.equal(cache(), repaired)

    // The file changed, keeping its length: help, which writes no cache, and a run without caches show the change.
    const summary = 'Produce newline-delimited JSON from stdin or files to a topic.'
    const file = path.join(bundle, 'solo-produce.cjs')
    const text = fs.readFileSync(file, 'latin1')
    assert.ok(text.includes(summary))
    fs.writeFileSync(file, text.replace(summary, summary.toUpperCase()), 'latin1')
    for (const extra of [{}, {NODE_DISABLE_COMPILE_CACHE: '1'}]) {
      const help = await kcli(['produce', '--help'], {bin, env: {...env, ...extra}})
      assert.equal(help.code, 0, help.stderr)
      assert.equal(lines(help.out)[0], summary.toUpperCase())
    }
    await produce({NODE_DISABLE_COMPILE_CACHE: '1'})
    assert.equal(cache(), repaired, 'neither help nor a run without caches writes one')
    await produce()
    const changed = cache()
    assert.notEqual(changed, repaired, 'the changed file has a cache of its own')

    // A build whose hash differs (a file put back as it was) does not take the cache either.
    const table = path.join(bundle, 'solo.json')
    fs.writeFileSync(table, fs.readFileSync(table, 'utf8').replace(/"hash":"\w/, '"hash":"_'))
    await produce()
    assert.notEqual(cache(), changed)

    const check = await kcli(['consume', topic, '--from-beginning', '-e', '--output', 'value'])
    assert.deepEqual(
      lines(check.out),
      Array.from({length: n}, (_, i) => `{"n":${i + 1}}`),
    )
  })

  it('gives the same help and errors as the full bundle', async () => {
    for (const args of [
      ['produce', '--help'],
      ['group', 'describe', '-h'],
      ['consume', '-t'],
      ['produce', '--bogus'],
      ['group', 'describe'],
      ['group', 'describe', 'g', '-b', 'localhost:1', '--timeout', '1s', '--json'],
    ]) {
      const own = await kcli(args, {bin: solo, env: ownCache})
      const other = await kcli(args, {bin: full, env: ownCache})
      assert.equal(own.out, other.out, args.join(' '))
      assert.equal(own.stderr, other.stderr, args.join(' '))
      assert.equal(own.code, other.code, args.join(' '))
    }
    // Not one of them: the full bundle runs, here the copy's throwing one.
    const notSolo = await kcli(['topic', 'list'], {bin: solo, env: ownCache})
    assert.match(notSolo.stderr, /the full bundle was loaded/)
  })
})

// Node builds process.stdin, stdout and stderr when first asked for them, loading its stream and socket modules (~2-5
// ms of a start): a one-shot produce -q or consume never asks (they read and write through the file descriptors, and
// src/lib/terminal/stdout-guard.ts keeps oclif's guard from asking), and a command that does print through them keeps
// oclif's guard against a reader that went away.
describe("Node's standard streams", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-streams-'))
  after(() => fs.rmSync(dir, {recursive: true, force: true}))
  const hook = path.join(dir, 'modules.cjs')
  fs.writeFileSync(
    hook,
    "process.on('exit', () => require('fs').writeFileSync(process.env.KCLI_TEST_MODULES, JSON.stringify(process.moduleLoadList)))\n",
  )

  it("are not built by produce -q from a shell's pipe, nor by consume into one", async () => {
    const topic = await createTopic(uniqueName('streams'))
    const modules = (name: string) => path.join(dir, `${name}.json`)
    const loaded = (name: string) => JSON.parse(fs.readFileSync(modules(name), 'utf8')) as string[]
    const env = (name: string) => cleanEnv({NODE_OPTIONS: `--require ${hook}`, KCLI_TEST_MODULES: modules(name)})
    // A shell's pipe, as scripts give kcli its input (Node's child processes get sockets instead).
    const produced = spawnSync(
      '/bin/sh',
      ['-c', `printf '{"n":1}\\n' | "$KCLI_NODE" "$KCLI_BIN" produce -t ${topic} -q`],
      {
        env: {...env('produce'), KCLI_NODE: process.execPath, KCLI_BIN: bin},
        encoding: 'utf8',
      },
    )
    assert.equal(produced.status, 0, produced.stderr)
    // Into a shell's pipe too: into a socket kcli builds process.stdout, as Node's stream makes its descriptor
    // non-blocking (src/lib/terminal/descriptors.ts).
    const consumed = spawnSync(
      '/bin/sh',
      ['-c', `"$KCLI_NODE" "$KCLI_BIN" consume -t ${topic} -n 1 -o beginning --output value | cat`],
      {
        env: {...env('consume'), KCLI_NODE: process.execPath, KCLI_BIN: bin},
        encoding: 'utf8',
      },
    )
    assert.equal(consumed.status, 0, consumed.stderr)
    assert.equal(consumed.stdout, '{"n":1}\n')
    for (const name of ['produce', 'consume'])
      for (const module of ['NativeModule stream', 'NativeModule net', 'NativeModule tty'])
        assert.ok(!loaded(name).includes(module), `${name} loaded ${module}`)
  })

  it('a command printing through process.stdout to a reader that went away exits 0, without a stack trace', async () => {
    const group = uniqueName('streams-g')
    const topic = await createTopic(uniqueName('streams-epipe'))
    assert.equal((await kcli(['produce', '-t', topic], {input: '{"n":1}\n'})).code, 0)
    assert.equal((await kcli(['consume', '-t', topic, '-g', group, '--from-beginning', '-e'])).code, 0)
    for (const args of [
      ['group', 'describe', group],
      ['topic', 'list'],
    ]) {
      const child = spawn(process.execPath, [bin, ...args, '-b', brokers], {
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      // Closed before kcli writes: its first write fails with EPIPE.
      child.stdout.destroy()
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      const code = await new Promise((resolve) => child.on('close', resolve))
      assert.equal(code, 0, `${args.join(' ')}: ${stderr}`)
      assert.equal(stderr, '', args.join(' '))
    }
  })

  // oclif's guard threw any other failure as an uncaught exception: a stack trace, exit 1 or 7.
  it('a command whose output cannot be written (/dev/full) says so in one line and exits 1', async () => {
    const group = uniqueName('streams-full-g')
    const topic = await createTopic(uniqueName('streams-full'))
    assert.equal((await kcli(['produce', '-t', topic], {input: '{"n":1}\n'})).code, 0)
    assert.equal((await kcli(['consume', '-t', topic, '-g', group, '--from-beginning', '-e'])).code, 0)
    for (const args of [
      ['topic', 'list'],
      ['group', 'describe', group],
      ['consume', '-t', topic, '--from-beginning', '-e'],
    ]) {
      const full = fs.openSync('/dev/full', 'w')
      const run = spawnSync(process.execPath, [bin, ...args, '-b', brokers], {
        env: cleanEnv(),
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      })
      fs.closeSync(full)
      assert.equal(run.status, 1, `${args.join(' ')}: ${run.stderr}`)
      assert.match(run.stderr, /^kcli: .*no space left on device.*\n$/, args.join(' '))
    }
  })
})
