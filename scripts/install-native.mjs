#!/usr/bin/env node
// Runs from postinstall, after patch-package has patched @confluentinc/kafka-javascript's sources
// (patches/README.md): rebuilds what the patch changed where the binding was built from source here, so that its
// native fast path and admin calls exist at run time. Where a prebuilt binary was downloaded nothing is compiled,
// and kcli uses the stock calls (it detects the new ones at run time).
//
// - librdkafka itself: `make` in its source folder (incremental: the patched sources and a relink).
// - the addon: `node-gyp configure` when binding.gyp is newer than the build's Makefile (the patch adds a source
//   file), with the linking the first build used; then an incremental `node-gyp build`.
// Offline, idempotent, and it never fails `npm ci`: a failed rebuild leaves the stock path and says so in one line
// (KCLI_NATIVE_STRICT=1 makes it exit 1, for CI, which must test the fast path).
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

const strict = process.env.KCLI_NATIVE_STRICT === '1'
const say = (message) => console.log(`kcli native: ${message}`)
const give = (message) => {
  say(`${message}; kcli will use the client library's stock calls`)
  process.exit(strict ? 1 : 0)
}

let pkgDir
try {
  pkgDir = path.dirname(
    createRequire(path.join(process.cwd(), 'x.js')).resolve('@confluentinc/kafka-javascript/package.json'),
  )
} catch {
  give('@confluentinc/kafka-javascript is not installed')
}
const at = (...parts) => path.join(pkgDir, ...parts)
const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0)

if (!fs.existsSync(at('build', 'Makefile')) || !fs.existsSync(at('build', 'config.gypi'))) {
  say('the client library came as a prebuilt binary (not built here); kcli will use its stock calls')
  process.exit(0)
}
if (!fs.existsSync(at('lib', 'packed.js')) || !fs.existsSync(at('src', 'admin-ext.cc'))) {
  give('the patch is not applied to the client library (did patch-package run?)')
}

function hasNewCalls() {
  // In a child process: this one must not hold a stale binary.
  const probe =
    `const k=require(${JSON.stringify(at('librdkafka.js'))});` +
    `process.exit(typeof k.Producer.prototype.produceBatch==='function'&&` +
    `typeof k.KafkaConsumer.prototype.consumePacked==='function'&&` +
    `typeof k.AdminClient.prototype.describeConfigs==='function'?0:3)`
  return spawnSync(process.execPath, ['-e', probe], {stdio: 'ignore', timeout: 60_000}).status === 0
}

function run(command, args, cwd, env = process.env) {
  const result = spawnSync(command, args, {cwd, env, encoding: 'utf8', maxBuffer: 64 << 20})
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')
    console.log(
      output
        .filter((l) => /error|Error|ERR!/.test(l))
        .slice(-15)
        .join('\n'),
    )
    give(`${command} ${args.join(' ')} failed (exit ${result.status})`)
  }
}

const started = Date.now()
// How the first build linked librdkafka: its configure line has these options only for the static build.
const makeConfig = at('deps', 'librdkafka', 'Makefile.config')
const linking =
  fs.existsSync(makeConfig) && !fs.readFileSync(makeConfig, 'utf8').includes('--source-deps-only')
    ? 'dynamic'
    : 'static'
const env = {...process.env, CKJS_LINKING: linking}

// Any librdkafka source newer than the library: the patch changed it (no list to keep in step with the patch's).
const librdkafkaSrc = at('deps', 'librdkafka', 'src')
const patchedLibrdkafka = Math.max(
  0,
  ...(fs.existsSync(librdkafkaSrc) ? fs.readdirSync(librdkafkaSrc) : [])
    .filter((file) => /\.[ch]$|^Makefile$/.test(file))
    .map((file) => mtime(path.join(librdkafkaSrc, file))),
)
const builtLibrdkafka = Math.max(
  mtime(at('build', 'deps', 'librdkafka.so')),
  mtime(at('build', 'deps', 'librdkafka.a')),
)
const librdkafkaStale = fs.existsSync(makeConfig) && patchedLibrdkafka > builtLibrdkafka
const newestSource = Math.max(...fs.readdirSync(at('src')).map((f) => mtime(at('src', f))), mtime(at('binding.gyp')))
const addonStale = newestSource > mtime(at('build', 'Release', 'confluent-kafka-javascript.node'))
if (!librdkafkaStale && !addonStale && hasNewCalls()) {
  say('the patched client library is built')
  process.exit(0)
}

// node-gyp: the one npm runs lifecycle scripts with, else npm's own copy. Never downloaded.
const nodeGyp = [
  process.env.npm_config_node_gyp,
  path.join(
    path.dirname(path.dirname(process.execPath)),
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  ),
].find((candidate) => candidate && fs.existsSync(candidate))
if (!nodeGyp) give('node-gyp was not found')

say('building the patched client library (librdkafka fixes, native fast path, admin calls)...')
if (librdkafkaStale) {
  run('make', ['-j2', '-C', 'librdkafka', 'libs', 'install-subdirs'], at('deps'), env)
  // node-gyp's Makefile does not list librdkafka as a prerequisite of the addon: a static build would keep the old
  // library linked in unless the addon is linked again. Only the link's output goes: build/Release's copy is made
  // from it, and stays usable if the build below fails.
  if (linking === 'static')
    fs.rmSync(at('build', 'Release', 'obj.target', 'confluent-kafka-javascript.node'), {force: true})
}
if (mtime(at('binding.gyp')) > mtime(at('build', 'Makefile')))
  run(process.execPath, [nodeGyp, 'configure'], pkgDir, env)
run(process.execPath, [nodeGyp, 'build', '--jobs', 'max'], pkgDir, env)
if (!hasNewCalls()) give('the rebuilt client library lacks the new calls')
say(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`)
