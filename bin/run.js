#!/usr/bin/env node
// `kcli --version` is answered here: loading oclif costs ~100 ms for one line.
import {readFileSync} from 'node:fs'
import module from 'node:module'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {name, version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // V8's on-disk code cache (Node 22.1 and later; absent on Node 20): on before the bundle is imported.
  module.enableCompileCache?.()
  const {execute} = await import('../dist/bundle/main.js')
  await execute({dir: import.meta.url})
}
