// Bundles dist/ (kcli's commands and libraries), @oclif/core and the pure-JS dependencies into dist/bundle/main.js, so
// that start-up reads and compiles one file instead of ~240 modules. What kcli imports only when needed (the schema
// registry's codecs and their avsc, protobufjs and ajv; ora) stays in chunks and in node_modules, loaded on first use,
// as is the native Kafka client. package.json's oclif.commands points oclif at the bundle's COMMANDS export (oclif's
// "explicit" strategy), and oclif.helpClass at its KcliHelp, so help runs on the bundle's @oclif/core rather than
// loading a second copy; `oclif manifest` then reads them from there.
import {build} from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const commandsDir = path.join(root, 'dist', 'commands')
const files = fs
  .readdirSync(commandsDir, {recursive: true, encoding: 'utf8'})
  .filter((f) => f.endsWith('.js'))
  .sort()
const imports = files.map((f, i) => `import C${i} from './commands/${f.split(path.sep).join('/')}'`)
const entries = files.map((f, i) => `  ${JSON.stringify(f.replace(/\.js$/, '').split(path.sep).join(':'))}: C${i},`)
const entry = path.join(root, 'dist', 'bundle-entry.js')
fs.writeFileSync(
  entry,
  `${imports.join('\n')}\nexport const COMMANDS = {\n${entries.join('\n')}\n}\nexport {execute} from '@oclif/core'\nexport {default as KcliHelp} from './lib/command/help.js'\n`,
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
    logLevel: 'warning',
  })
} finally {
  fs.rmSync(entry)
}
