#!/usr/bin/env node
// `kcli --version` is answered here, before oclif and any command are loaded.
import {readFileSync} from 'node:fs'
import module from 'node:module'
import {homedir} from 'node:os'
import {dirname, isAbsolute, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // V8's on-disk code cache (Node 22.1 and later; absent on Node 20): on before the bundle is imported. In the user's
  // own cache directory (XDG_CACHE_HOME as kcli's Kafka cache reads it): Node's default is a directory in the shared
  // temp folder, where another local user could plant compiled code for kcli to run.
  if (module.enableCompileCache) {
    const cache = compileCacheDir()
    if (cache) module.enableCompileCache(cache)
  }
  // oclif's check of the running Node loads semver (~4 ms) to compare it with a package.json the bundle does not have
  // (it finds none and says nothing); package.json's engines are kcli's word.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
  const {start} = await import('../dist/bundle/main.js')
  await start(root, pjson)
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
