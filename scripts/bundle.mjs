// Bundles dist/ (kcli's commands and libraries), @oclif/core and the pure-JS dependencies into dist/bundle/, so that
// start-up reads and compiles a few files instead of ~240 modules. Each command is a chunk of its own, imported by
// main.js's COMMANDS table only when it is the one invoked (src/lib/command/lazy-commands.ts); scripts/defer.mjs keeps
// what a run does not use from being compiled or evaluated. What kcli loads only when needed stays out of the
// command's chunks: the Kafka client library's JavaScript and kcli's registry codecs in chunks of their own, and avsc,
// protobufjs, ajv and ora in node_modules, each loaded on first use; the client library's native addon always loads
// from node_modules (scripts/defer.mjs). package.json's oclif.commands points oclif at the bundle's COMMANDS export
// (oclif's "explicit" strategy), and oclif.helpClass at its KcliHelp, so help runs on the bundle's @oclif/core rather
// than loading a second copy; `oclif manifest` then reads them from there.
//
// The commands scripts call once per event also get a bundle of their own (SOLO below): one file with the command,
// oclif and what the command uses, with no chunks. Node's ES module loader costs ~1 ms per module (resolve, link,
// evaluate), and the chunked bundle gives such a command ~20 modules: one file starts it ~20 ms sooner (Node 20, 22
// and 24, bench/README.md). Only for these, as each is ~0.7 MB of the same code again. They also start without
// loading oclif's Config (src/lib/command/start.ts). Each is CommonJS, which bin/run.js compiles through node:vm with a
// code cache written after a run: Node's own cache holds only what was compiled before the file ran, so every run
// compiled the functions it called again (~15 ms on Node 22 and 24, ~50 ms on Node 20, which has no cache at all).
import {tokenizer} from 'acorn'
import {build} from 'esbuild'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {
  builtinsByRequire,
  chalkWithoutDetection,
  clientLibraryAddonOutside,
  clientLibraryStreamsLazy,
  lazyRequires,
  lighterOclifImports,
  registryPackagesByRequire,
  separatePackages,
} from './defer.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const commandsDir = path.join(root, 'dist', 'commands')
const files = fs
  .readdirSync(commandsDir, {recursive: true, encoding: 'utf8'})
  .filter((f) => f.endsWith('.js'))
  .sort()
const ids = files.map((f) => f.replace(/\.js$/, '').split(path.sep).join(':'))
const importPath = (f) => `./commands/${f.split(path.sep).join('/')}`
const loaders = files.map((f, n) => `  ${JSON.stringify(ids[n])}: () => import('${importPath(f)}'),`)
const SOLO = ['produce', 'consume', 'group:describe']
const soloFile = (id) => `solo-${id.replace(/:/g, '-')}.cjs`
const outdir = path.join(root, 'dist', 'bundle')

const entry = path.join(root, 'dist', 'bundle-entry.js')
fs.writeFileSync(
  entry,
  [
    "import {loadCommands} from './lib/command/lazy-commands.js'",
    `const loaded = await loadCommands({\n${loaders.join('\n')}\n}, process.argv.slice(2))`,
    'export const COMMANDS = loaded.commands',
    "import {start as startCli} from './lib/command/start.js'",
    'export const start = (root, pjson) => startCli(root, pjson, loaded.invoked)',
    "export {default as KcliHelp} from './lib/command/help.js'",
    '',
  ].join('\n'),
)

// One instance for every build, so that a package's vendor file has the same name in all of them.
const vendored = separatePackages(
  [
    'js-yaml',
    'tinyglobby',
    'semver',
    'minimatch',
    'cli-spinners',
    'ejs',
    'parse-json',
    'wrap-ansi',
    'debug',
    'wsl-utils',
  ],
  outdir,
)
const options = {
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['ora', 'ajv', 'avsc', 'protobufjs', 'typescript'],
  // @oclif/core is CommonJS: give it require, __filename and __dirname inside the ES module.
  banner: {
    js: [
      "import {createRequire as __kcliRequire} from 'node:module'",
      "import {fileURLToPath as __kcliPath} from 'node:url'",
      "import {dirname as __kcliDir} from 'node:path'",
      'const require = __kcliRequire(import.meta.url)',
      'const __filename = __kcliPath(import.meta.url)',
      'const __dirname = __kcliDir(__filename);',
    ].join('; '),
  },
  // Measured on a one-message produce: these ~600 KB were compiled and never run.
  plugins: [
    lazyRequires,
    builtinsByRequire,
    registryPackagesByRequire,
    lighterOclifImports,
    chalkWithoutDetection,
    clientLibraryAddonOutside,
    clientLibraryStreamsLazy,
    vendored,
  ],
  logLevel: 'warning',
}

/**
 * What a solo file starts with. Strict, as the ES modules it is made of (esbuild's own "use strict" would come after a
 * banner, where it no longer counts). Its dynamic import()s go through __kcliImport (routeDynamicImports): compiled
 * through node:vm (bin/run.js), the file has none of its own that work with a code cache on every Node (Node 20 loses
 * the callback when the code comes from the cache, and the callback that loads as Node does prints an experimental
 * warning on 22 and 24), so bin/run.js lends it its own; required, it uses the file's own.
 */
const soloHeader = [
  "'use strict';",
  "const __kcliUrl = require('node:url').pathToFileURL(__filename).href;",
  "const __kcliImport = typeof __kcliDynamicImport === 'function' ? __kcliDynamicImport : (specifier) => import(specifier);",
  '',
].join(' ')

try {
  // Dynamic imports stay dynamic: their modules, and the packages those import, load only when used.
  await build({...options, entryPoints: {main: entry}, splitting: true, chunkNames: 'chunk-[hash]'})
  for (const id of SOLO) {
    const file = files[ids.indexOf(id)]
    if (file === undefined) throw new Error(`scripts/bundle.mjs: SOLO names ${id}, which is not a command`)
    const solo = {id, ids, file: `dist/bundle/${soloFile(id)}`}
    fs.writeFileSync(
      entry,
      [
        `import command from '${importPath(file)}'`,
        "import {startSolo} from './lib/command/start.js'",
        `export const COMMANDS = {${JSON.stringify(id)}: command}`,
        "export {default as KcliHelp} from './lib/command/help.js'",
        `const solo = {...${JSON.stringify(solo)}, command}`,
        'export const start = (root, pjson) => startSolo(root, pjson, solo, process.argv.slice(2))',
        '',
      ].join('\n'),
    )
    // Without splitting, what the command imports dynamically (the registry's code) is in the file too, evaluated
    // only when first imported.
    await build({
      ...options,
      format: 'cjs',
      outExtension: {'.js': '.cjs'},
      // CommonJS has no import.meta (soloHeader defines __kcliUrl); require, __filename and __dirname are its own.
      define: {'import.meta.url': '__kcliUrl'},
      banner: {},
      entryPoints: {[soloFile(id).replace(/\.cjs$/, '')]: entry},
    })
    const out = path.join(outdir, soloFile(id))
    fs.writeFileSync(out, soloHeader + routeDynamicImports(fs.readFileSync(out, 'utf8')))
  }
  // The addon's loader finds the addon next to itself, so it must stay in node_modules: a library version that required
  // it under another name than the plugin knows would have it bundled, and fail only at run time.
  for (const file of fs.readdirSync(outdir, {recursive: true, encoding: 'utf8'}).filter((f) => /\.c?js$/.test(f))) {
    const text = fs.readFileSync(path.join(outdir, file), 'utf8')
    if (text.includes('confluent-kafka-javascript.node'))
      throw new Error(`scripts/bundle.mjs: dist/bundle/${file} holds the client library's addon loader`)
    // One character outside ASCII (a regular expression of a colour package keeps its raw U+009B) makes V8 hold the
    // whole file as two bytes a character, decoded from UTF-8 at every start: ~4 ms for a solo file.
    const ascii = asciiOnly(text, file)
    if (ascii !== text) fs.writeFileSync(path.join(outdir, file), ascii)
    if (file.startsWith('solo-') && !ascii.startsWith(soloHeader))
      throw new Error(`scripts/bundle.mjs: dist/bundle/${file} would not run in strict mode`)
    // oclif's stdout guard goes through whenStdout (scripts/defer.mjs): one that moved elsewhere in oclif would build
    // process.stdout at every start again, or, worse, not be attached at all.
    if (/process\.stdout\.on\(["']error["']/.test(ascii))
      throw new Error(`scripts/bundle.mjs: dist/bundle/${file} guards process.stdout as it loads (scripts/defer.mjs)`)
    if (file.startsWith('solo-') && !ascii.includes('.whenStdout((stdout) => stdout.on("error"'))
      throw new Error(`scripts/bundle.mjs: dist/bundle/${file} lacks oclif's stdout guard (scripts/defer.mjs)`)
  }
  // bin/run.js reads which commands have a file of their own before it loads any bundle, and keys each file's code
  // cache with its hash: V8 checks a cache against the length of the source only.
  const table = SOLO.map((id) => {
    const file = soloFile(id)
    const hash = createHash('sha256')
      .update(fs.readFileSync(path.join(outdir, file)))
      .digest('hex')
    return [id, {file, hash: hash.slice(0, 32)}]
  })
  fs.writeFileSync(path.join(outdir, 'solo.json'), `${JSON.stringify(Object.fromEntries(table))}\n`)
} finally {
  fs.rmSync(entry)
}

/** Each dynamic import() of a CommonJS file's code, found with acorn's tokenizer, made a call of __kcliImport. */
function routeDynamicImports(text) {
  const calls = []
  let previous
  for (const token of tokenizer(text, {
    ecmaVersion: 'latest',
    sourceType: 'script',
    allowReturnOutsideFunction: true,
  })) {
    if (previous?.type.keyword === 'import' && token.type.label === '(') calls.push(previous)
    previous = token
  }
  let out = ''
  let at = 0
  for (const call of calls) {
    out += `${text.slice(at, call.start)}__kcliImport`
    at = call.end
  }
  return out + text.slice(at)
}

/**
 * JavaScript text with every character outside ASCII written as a \u escape, which means the same in a string, a
 * regular expression, a comment or a name. esbuild escapes strings, not regular expressions. Where the escape might
 * not mean the same (a template, whose raw text a tag can read; after a backslash; a line separator, which ends a
 * comment), the build stops instead.
 */
function asciiOnly(text, file) {
  if (!/[^\x00-\x7f]/.test(text)) return text
  const templates = []
  const sourceType = file.endsWith('.cjs') ? 'script' : 'module'
  for (const token of tokenizer(text, {ecmaVersion: 'latest', sourceType, allowReturnOutsideFunction: true}))
    if (token.type.label === 'template' || token.type.label === 'invalidTemplate') templates.push(token)
  return text.replace(/[^\x00-\x7f]/g, (c, at) => {
    const inTemplate = templates.some((t) => at >= t.start && at < t.end)
    if (inTemplate || text[at - 1] === '\\' || c === '\u2028' || c === '\u2029') {
      const line = text.slice(text.lastIndexOf('\n', at) + 1, text.indexOf('\n', at))
      throw new Error(
        `scripts/bundle.mjs: cannot escape U+${hex(c)} in dist/bundle/${file}: ${line.trim().slice(0, 80)}`,
      )
    }
    return `\\u${hex(c)}`
  })
}

function hex(c) {
  return c.charCodeAt(0).toString(16).padStart(4, '0')
}
