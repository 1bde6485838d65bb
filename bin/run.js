#!/usr/bin/env node
// `kcli --version` is answered here, before oclif and any command are loaded.
// CommonJS (bin/package.json says so): an ES module as the entry point has Node set up its ES module loader first. The
// solo files are CommonJS too, so a run of produce, consume or group describe never sets it up: 2-8 ms less a run on
// Node 20 and 22, ~2 on 24 (bench/README.md).
'use strict'
const fs = require('node:fs')
const {homedir} = require('node:os')
const {dirname, isAbsolute, join} = require('node:path')

const root = dirname(__dirname)
const pjson = JSON.parse(fs.readFileSync(join(root, 'package.json'), 'utf8'))
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  void main()
}

async function main() {
  // V8's on-disk code caches, in the user's own cache directory (XDG_CACHE_HOME as kcli's Kafka cache reads it): Node's
  // default is a directory in the shared temp folder, where another local user could plant compiled code for kcli to
  // run. Node's own (22.1 and later) is on before any bundle is imported; the solo files keep theirs in solo/
  // (runSolo).
  const {enableCompileCache} = require('node:module')
  const cache = process.env.NODE_DISABLE_COMPILE_CACHE === '1' ? undefined : compileCacheDir()
  if (cache && enableCompileCache) enableCompileCache(cache)
  // oclif's check of the running Node loads semver (~4 ms) to compare it with a package.json the bundle does not have
  // (it finds none and says nothing); package.json's engines are kcli's word.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
  // A command with a bundle of its own (scripts/bundle.mjs) runs from it, unless the rest of the line makes it
  // something else (a typo after it, say): then the full bundle decides, as for every other command.
  const solo = soloBundle(argv)
  if (!solo || !(await runSolo(solo, cache && join(cache, 'solo')))) {
    const {start} = await import('../dist/bundle/main.js')
    await start(root, pjson)
  }
}

/** The file of the command the arguments start with, when it has one: the longest run of words before any flag. */
function soloBundle(words) {
  let table
  try {
    table = JSON.parse(fs.readFileSync(join(root, 'dist', 'bundle', 'solo.json'), 'utf8'))
  } catch {
    return undefined
  }
  const end = words.findIndex((w) => w.startsWith('-') || w.includes('='))
  for (let n = end === -1 ? words.length : end; n > 0; n--) {
    const id = words.slice(0, n).join(':')
    // A table from before solo files had hashes (a checkout not built again) names none.
    if (Object.hasOwn(table, id)) return typeof table[id] === 'object' ? table[id] : undefined
  }
  return undefined
}

/**
 * Loads a solo file and starts it; false when the line is not its command's after all. The file is compiled through
 * node:vm with a code cache in `cacheDir` that holds every function the command's first successful run compiled (Node's
 * own cache holds only what was compiled before a file ran, scripts/bundle.mjs). Without a cache directory it is simply
 * required.
 */
async function runSolo({file, hash}, cacheDir) {
  const {Module, createRequire} = require('node:module')
  // The real path, as oclif's require.resolve of the same file for help finds it.
  const filename = fs.realpathSync(join(root, 'dist', 'bundle', file))
  const requireHere = createRequire(filename)
  if (!cacheDir) return (await requireHere(filename).start(root, pjson)) !== false

  // V8 checks a cache against the length of the source only: the key names the content (the hash from the build, and
  // the file's identity for a file changed since).
  const fd = fs.openSync(filename, 'r')
  const stat = fs.fstatSync(fd, {bigint: true})
  const source = fs.readFileSync(fd, 'utf8')
  fs.closeSync(fd)
  const key = `kcli code cache 1 ${hash} ${stat.size} ${stat.mtimeNs} ${stat.ino}\n`
  // One file per installation (its path) and Node: two kcli installed side by side keep a cache each.
  const cacheFile = join(cacheDir, `${file}-${process.version}-${process.arch}-${pathHash(root)}`)
  const cachedData = readCodeCache(cacheFile, key)
  // CommonJS's wrapper, and an import() of this module's for the file's own (scripts/bundle.mjs, soloHeader): this
  // folder and the file's resolve packages alike.
  const wrapped = `(function (exports, require, module, __filename, __dirname, __kcliDynamicImport) {${source}\n})`
  const script = new (require('node:vm').Script)(wrapped, {filename, cachedData})
  // Registered as require would have it, so that oclif, loading the commands from this file for help, finds it loaded.
  const loaded = new Module(filename)
  loaded.filename = filename
  requireHere.cache[filename] = loaded
  const run = script.runInThisContext()
  run.call(loaded.exports, loaded.exports, requireHere, loaded, filename, dirname(filename), (what) => import(what))
  loaded.loaded = true
  const ran = await loaded.exports.start(root, pjson)
  // Rejected also when V8's flags differ from those it was made with (NODE_OPTIONS): then made again.
  if (ran === 'command' && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', (code) => {
      if (code === 0) saveCodeCache(cacheFile, key, script)
    })
  }
  return ran !== false
}

/**
 * The code cache saved under `key`, if this user wrote it: a cache is code kcli runs, and one another user could write
 * (a home folder shared through sudo) is not taken.
 */
function readCodeCache(cacheFile, key) {
  let fd
  try {
    fd = fs.openSync(cacheFile, 'r')
    if (process.getuid && fs.fstatSync(fd).uid !== process.getuid()) return undefined
    const saved = fs.readFileSync(fd)
    return saved.toString('latin1', 0, key.length) === key ? saved.subarray(key.length) : undefined
  } catch {
    return undefined // none yet
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

/** FNV-1a of a path, in hex: short and stable, without loading node:crypto. */
function pathHash(path) {
  let hash = 0x811c9dc5
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, '0')
}

// A cache nobody wrote again for this long (another installation's, another Node's) is removed when one is written.
const staleCacheMs = 30 * 24 * 3600 * 1000

/** Writes a code cache whole or not at all; one that cannot be written only leaves the next start slower. */
function saveCodeCache(cacheFile, key, script) {
  const dir = dirname(cacheFile)
  const part = `${cacheFile}.${process.pid}`
  try {
    fs.mkdirSync(dir, {recursive: true, mode: 0o700})
    fs.writeFileSync(part, Buffer.concat([Buffer.from(key, 'latin1'), script.createCachedData()]), {mode: 0o600})
    fs.renameSync(part, cacheFile)
    for (const name of fs.readdirSync(dir)) {
      const other = join(dir, name)
      if (other !== cacheFile && fs.statSync(other).mtimeMs < Date.now() - staleCacheMs) fs.rmSync(other, {force: true})
    }
  } catch {
    fs.rmSync(part, {force: true})
  }
}

/** `${XDG_CACHE_HOME:-~/.cache}/kcli/compile-cache`, or nothing when no absolute home can be found. */
function compileCacheDir() {
  const xdg = process.env.XDG_CACHE_HOME
  let base = xdg && isAbsolute(xdg) ? xdg : undefined
  try {
    base ??= join(homedir(), '.cache')
  } catch {
    return undefined
  }
  return isAbsolute(base) ? join(base, 'kcli', 'compile-cache') : undefined
}
