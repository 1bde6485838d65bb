// Bundles dist/ (kcli's commands and libraries), @oclif/core and the pure-JS dependencies into dist/bundle/, so that
// start-up reads and compiles a few files instead of ~240 modules. Each command is a chunk of its own, imported by
// main.js's COMMANDS table only when it is the one invoked (src/lib/command/lazy-commands.ts); scripts/defer.mjs keeps
// what a run does not use from being compiled or evaluated. What kcli imports only when needed (the schema registry's
// codecs and their avsc, protobufjs and ajv; ora) stays in chunks and in node_modules, loaded on first use, as is the
// native Kafka client. package.json's oclif.commands points oclif at the bundle's COMMANDS export (oclif's "explicit"
// strategy), and oclif.helpClass at its KcliHelp, so help runs on the bundle's @oclif/core rather than loading a
// second copy; `oclif manifest` then reads them from there.
import {build} from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {builtinsByRequire, lazyRequires, lighterOclifImports, separatePackages} from './defer.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const commandsDir = path.join(root, 'dist', 'commands')
const files = fs
  .readdirSync(commandsDir, {recursive: true, encoding: 'utf8'})
  .filter((f) => f.endsWith('.js'))
  .sort()
const loaders = files.map(
  (f) =>
    `  ${JSON.stringify(f.replace(/\.js$/, '').split(path.sep).join(':'))}: () => import('./commands/${f.split(path.sep).join('/')}'),`,
)
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

try {
  await build({
    entryPoints: {main: entry},
    outdir: path.join(root, 'dist', 'bundle'),
    // Dynamic imports stay dynamic: their modules, and the packages those import, load only when used.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@confluentinc/kafka-javascript', 'ora', 'ajv', 'avsc', 'protobufjs', 'typescript'],
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
      lighterOclifImports,
      separatePackages(
        ['js-yaml', 'tinyglobby', 'semver', 'minimatch', 'cli-spinners', 'ejs', 'parse-json', 'wrap-ansi', 'debug', 'wsl-utils'],
        path.join(root, 'dist', 'bundle'),
      ),
    ],
    logLevel: 'warning',
  })
} finally {
  fs.rmSync(entry)
}
