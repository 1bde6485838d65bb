#!/usr/bin/env node
// `kcli --version` is answered here, before oclif and any command are loaded.

// Node's built-ins through getBuiltinModule rather than `import`: an ES-module import of node:fs builds a facade of
// every export, which runs fs's lazy getters (its streams, fs/promises): ~4 ms of every start. getBuiltinModule is
// in Node 20.16 and later; an older Node 20 takes require from node:module.
const builtin = process.getBuiltinModule?.bind(process) ?? (await import('node:module')).createRequire(import.meta.url)
const {readFileSync} = builtin('node:fs')
const {homedir} = builtin('node:os')
const {dirname, isAbsolute, join} = builtin('node:path')
const {fileURLToPath} = builtin('node:url')

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // V8's on-disk code cache (Node 22.1 and later; absent on Node 20): on before the bundle is imported. In the user's
  // own cache directory (XDG_CACHE_HOME as kcli's Kafka cache reads it): Node's default is a directory in the shared
  // temp folder, where another local user could plant compiled code for kcli to run.
  const module = builtin('node:module')
  if (module.enableCompileCache) {
    const cache = compileCacheDir()
    if (cache) module.enableCompileCache(cache)
  }
  // oclif's check of the running Node loads semver (~4 ms) to compare it with a package.json the bundle does not have
  // (it finds none and says nothing); package.json's engines are kcli's word.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
  // A command with a bundle of its own (scripts/bundle.mjs) runs from it, unless the rest of the line makes it
  // something else (a typo after it, say): then the full bundle decides, as for every other command.
  const solo = soloBundle(argv)
  if (!solo || !(await (await import(solo)).start(root, pjson))) {
    const {start} = await import('../dist/bundle/main.js')
    await start(root, pjson)
  }
}

/** The file of the command the arguments start with, when it has one: the longest run of words before any flag. */
function soloBundle(words) {
  let table
  try {
    table = JSON.parse(readFileSync(join(root, 'dist', 'bundle', 'solo.json'), 'utf8'))
  } catch {
    return undefined
  }
  const end = words.findIndex((w) => w.startsWith('-') || w.includes('='))
  for (let n = end === -1 ? words.length : end; n > 0; n--) {
    const id = words.slice(0, n).join(':')
    if (Object.hasOwn(table, id)) return `../dist/bundle/${table[id]}`
  }
  return undefined
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
