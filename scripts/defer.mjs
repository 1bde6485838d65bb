// esbuild plugins that keep code out of a one-shot command's start-up: V8 pre-parses every byte of a module it loads
// (~20 ms for the 1.1 MB a `kcli produce` loaded), and evaluates every module a module requires at its top.
import {build} from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const declaration =
  /^(?:const|var) ([A-Za-z_$][\w$]*_\d+) = ((?:__importDefault|__importStar)\()?require\(("[^"]+")\)\)?;$/gm

/**
 * The module's source with each TypeScript-emitted `const x_1 = require("...")` made a memoized getter and every use
 * of `x_1` a call to it ("inline requires", as React Native's bundler does): a module is evaluated on first use.
 */
export function deferRequires(source, declarations = declaration) {
  const names = []
  let out = source.replace(declarations, (_, name, wrapper, specifier) => {
    names.push(name)
    const value = wrapper ? `${wrapper}require(${specifier}))` : `require(${specifier})`
    return `let ${name}$m; const ${name}$get = () => (${name}$m ??= ${value});`
  })
  for (const name of names) {
    // Uses the rewrite would get wrong at run time rather than at build time are refused, so that a new version of the
    // package fails the build instead (a key, a shorthand or a shadowing local already fail to parse or to bundle).
    if (new RegExp(`\\.\\.\\.${name}(?![\\w$])`).test(out)) throw new Error(`${name} is spread (...${name})`)
    if (new RegExp(`['"\`]${name}['"\`]`).test(out)) throw new Error(`${name} appears in a string`)
    // Parenthesized, so that `new x_1.Thing()` stays a construction of x_1.Thing.
    out = out.replace(new RegExp(`(?<![\\w$.])${name}(?![\\w$])`, 'g'), `(${name}$get())`)
  }
  return out
}

/**
 * deferRequires for the TypeScript-compiled CommonJS of @oclif/core (its index loads all of oclif: help, the plugin
 * loader, the error formatter) and cosmiconfig (its loaders load crypto and import-fresh for JavaScript rc files); and
 * oclif's guard of process.stdout attached when stdout is first asked for (guardStdoutWhenUsed).
 */
export const lazyRequires = {
  name: 'lazy-requires',
  setup(b) {
    b.onLoad(
      {filter: /[\\/]node_modules[\\/](@oclif[\\/]core[\\/]lib|cosmiconfig[\\/]dist)[\\/].*\.js$/},
      async (args) => {
        try {
          let contents = deferRequires(await fs.promises.readFile(args.path, 'utf8'))
          if (/[\\/]@oclif[\\/]core[\\/]lib[\\/]command\.js$/.test(args.path)) {
            contents = guardStdoutWhenUsed(contents)
            if (contents === undefined) throw new Error("oclif's stdout guard is not as guardStdoutWhenUsed expects")
          }
          return {contents, loader: 'js'}
        } catch (error) {
          return {errors: [{text: `cannot defer the requires of ${args.path}: ${error.message}`}]}
        }
      },
    )
  },
}

// The client library's stream classes, as its consumer and producer modules require them.
const libraryStreamClass =
  /^var (KafkaConsumerStream|ProducerStream) = ()require\(('\.\/(?:kafka-consumer|producer)-stream')\);$/gm

/**
 * The client library's consumer or producer module with its stream class (createReadStream, createWriteStream; kcli
 * uses neither) loaded on first use: loaded with the library, it loads Node's stream modules (~2 ms of every produce
 * and consume). Throws for a module that does not require it once as expected, so that a newer library fails the
 * build.
 */
export function deferStreamClass(source) {
  if ((source.match(libraryStreamClass) ?? []).length !== 1)
    throw new Error('its stream class is not required as expected')
  return deferRequires(source, libraryStreamClass)
}

/** deferStreamClass for the client library's consumer and producer modules. */
export const clientLibraryStreamsLazy = {
  name: 'client-library-streams-lazy',
  setup(b) {
    b.onLoad(
      {filter: /[\\/]@confluentinc[\\/]kafka-javascript[\\/]lib[\\/](kafka-consumer|producer)\.js$/},
      async (args) => {
        try {
          return {contents: deferStreamClass(await fs.promises.readFile(args.path, 'utf8')), loader: 'js'}
        } catch (error) {
          return {errors: [{text: `cannot defer the stream class of ${args.path}: ${error.message}`}]}
        }
      },
    )
  },
}

/** An esbuild plugin that turns each `import` of a module `filter` matches into a require() of it. */
function importsByRequire(name, filter) {
  return {
    name,
    setup(b) {
      b.onResolve({filter}, (args) =>
        args.kind === 'import-statement' ? {path: args.path, namespace: name} : undefined,
      )
      // The require() in here is left to Node: built-ins are, and the packages are external to the bundle.
      b.onLoad({filter: /.*/, namespace: name}, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)})`,
        loader: 'js',
      }))
    },
  }
}

/**
 * Node's built-in modules through require(), not `import`: an ES module import of one makes Node build a facade of
 * every export, which runs the lazy getters behind them (node:fs loads its streams and promises, node:crypto its
 * WebCrypto) even where nothing uses them. esbuild reads the named imports from the CommonJS module object instead.
 */
export const builtinsByRequire = importsByRequire('builtins-by-require', /^node:/)

/**
 * The schema registry's CommonJS packages (external to the bundle) through require(), not `import`. An external
 * `import` is hoisted to the top of the file that holds the module: in a file with no chunks (scripts/bundle.mjs's
 * SOLO), every start would load avsc, ajv and protobufjs. A require() runs when the registry's code first does.
 */
export const registryPackagesByRequire = importsByRequire(
  'registry-packages-by-require',
  /^(avsc|ajv|protobufjs)(\/.*)?$/,
)

/**
 * Packages the bundle requires only on some paths (help's templates, glob and semver for plugins, YAML for a YAML rc
 * file) go to CommonJS files of their own under vendor/, which a require() loads synchronously when first needed,
 * instead of being compiled with the chunk that requires them. `names` are package names as required.
 */
export function separatePackages(names, outdir) {
  const pattern = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`)
  const files = new Map() // resolved path -> vendor file name
  const copies = new Map() // package name -> how many of its copies have a file
  return {
    name: 'separate-packages',
    setup(b) {
      b.onResolve({filter: pattern}, async (args) => {
        if (args.pluginData === 'separate-packages') return undefined
        const resolved = await b.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          pluginData: 'separate-packages',
        })
        if (resolved.errors.length > 0) return {errors: resolved.errors}
        if (!files.has(resolved.path)) {
          const base = args.path.replace(/^@/, '').replace(/\//g, '-')
          const copy = copies.get(base) ?? 0
          copies.set(base, copy + 1)
          files.set(resolved.path, `${base}${copy ? `-${copy}` : ''}.cjs`)
        }
        return {path: `./vendor/${files.get(resolved.path)}`, external: true}
      })
      b.onEnd(async (result) => {
        if (result.errors.length > 0 || files.size === 0) return
        await build({
          entryPoints: Object.fromEntries([...files].map(([file, name]) => [name.replace(/\.cjs$/, ''), file])),
          outdir: path.join(outdir, 'vendor'),
          outExtension: {'.js': '.cjs'},
          bundle: true,
          platform: 'node',
          format: 'cjs',
          target: 'node20',
          logLevel: 'warning',
        })
      })
    },
  }
}

// What two of @oclif/core's imports are replaced with in the bundle (each module requires the real package where that
// is still needed: the plugin below lets a require from these modules through).
const lighterModules = {
  // oclif's logger: `debug` reads the terminal's colour support and opens stderr as it loads (~2 ms of every start),
  // to print nothing unless DEBUG names what to log.
  debug: 'module.exports = process.env.DEBUG ? require("debug") : () => () => {}',
  // oclif asks it at every start whether Linux is WSL; the package also loads child_process and fs/promises for its
  // PowerShell helpers (~4 ms), which oclif uses only on Windows. is-wsl, which it re-exports, answers the question.
  // An ES module, as the package is: oclif imports it with import() and reads its named exports.
  'wsl-utils': [
    'export {default as isWsl} from "is-wsl"',
    'export const powerShellPath = (...args) => require("wsl-utils").powerShellPath(...args)',
  ].join('\n'),
}

/**
 * The stand-ins serve only these uses: a newer oclif that uses more of either package fails the build here, rather
 * than a user's command at run time (an undefined export, a logger without a method).
 */
export function checkOclifUses(name, source) {
  if (name === 'debug') {
    const uses = source.match(/\bdebug_1\b.{0,40}/g) ?? []
    const expected = ['debug_1 = __importDefault(require("debug"));', 'debug_1.default)(namespace);']
    return uses.length === 2 && uses.every((use, i) => use.startsWith(expected[i]))
  }
  const imports = source.split("import('wsl-utils')").length - 1
  const known = source.match(/\(await import\('wsl-utils'\)\)\.(isWsl|powerShellPath)\b/g) ?? []
  return imports > 0 && known.length === imports
}

/** The folder of package `name` as Node finds it from `from` (node_modules folders up the tree). */
function packageDir(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name)
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate
    if (path.dirname(dir) === dir) return undefined
  }
}

/** Lighter stand-ins for `debug` and `wsl-utils` where @oclif/core imports them (lighterModules says why). */
export const lighterOclifImports = {
  name: 'lighter-oclif-imports',
  setup(b) {
    b.onResolve({filter: /^(debug|wsl-utils)$/}, async (args) => {
      if (!/[\\/]node_modules[\\/]@oclif[\\/]core[\\/]/.test(args.importer)) return undefined
      if (!checkOclifUses(args.path, await fs.promises.readFile(args.importer, 'utf8')))
        return {errors: [{text: `${args.importer} uses ${args.path} beyond what scripts/defer.mjs stands in for`}]}
      // Resolved from the real package's folder, so that its own dependencies (is-wsl) are the ones it would use.
      const dir = packageDir(args.path, args.resolveDir)
      if (!dir) return {errors: [{text: `cannot find the package ${args.path} from ${args.resolveDir}`}]}
      return {path: args.path, namespace: 'lighter-oclif-imports', pluginData: dir}
    })
    b.onLoad({filter: /.*/, namespace: 'lighter-oclif-imports'}, (args) => ({
      contents: lighterModules[args.path],
      loader: 'js',
      resolveDir: args.pluginData,
    }))
  },
}

/**
 * chalk without its colour detection. chalk finds out at load whether stdout and stderr support colour, for its
 * default instance (node:tty and os probes, ~3 ms of every start); kcli never uses that instance: it decides the level
 * itself (NO_COLOR, a terminal or not) and builds each Chalk with it (src/lib/terminal/output.ts). Said to support
 * no colour here, the default instance would print plain text if anything used it.
 */
export const chalkWithoutDetection = {
  name: 'chalk-without-detection',
  setup(b) {
    b.onResolve({filter: /^#supports-color$/}, (args) =>
      /[\\/]node_modules[\\/]chalk[\\/]/.test(args.importer)
        ? {path: args.path, namespace: 'chalk-colours'}
        : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'chalk-colours'}, () => ({
      contents: 'export default {stdout: false, stderr: false}',
      loader: 'js',
    }))
  },
}

/**
 * The client library's JavaScript goes into the bundle, its native addon does not: the addon's loader
 * (librdkafka.js) looks for the addon next to itself, so each require of it stays a require of the package's file.
 */
export const clientLibraryAddonOutside = {
  name: 'client-library-addon-outside',
  setup(b) {
    b.onResolve({filter: /^\.\.\/librdkafka(\.js)?$/}, (args) =>
      /[\\/]@confluentinc[\\/]kafka-javascript[\\/]lib[\\/]/.test(args.importer)
        ? {path: '@confluentinc/kafka-javascript/librdkafka.js', external: true}
        : undefined,
    )
  },
}

// oclif's command module guards process.stdout against EPIPE as it loads: the statement, as oclif writes it.
const oclifStdoutGuard = /process\.stdout\.on\('error', (\(err\) => \{\n[^]*?\n\})\);/g
const stdoutGuardModule = fileURLToPath(new URL('../dist/lib/terminal/stdout-guard.js', import.meta.url))

/**
 * oclif's command module with its stdout guard attached through whenStdout, when something first asks for
 * process.stdout rather than as the module loads: building the stream costs runs that never use it. The guard is
 * kcli's stdoutFailed, which ignores EPIPE as oclif's does and reports any other failure in one line where oclif's
 * threw it (src/lib/terminal/stdout-guard.ts). Undefined when oclif's guard is not there once as expected (a newer
 * oclif: the build fails rather than guard twice or not at all).
 */
export function guardStdoutWhenUsed(source) {
  const guards = source.match(oclifStdoutGuard) ?? []
  if (guards.length !== 1) return undefined
  const guard = `require(${JSON.stringify(stdoutGuardModule)})`
  return source.replace(
    oclifStdoutGuard,
    () => `${guard}.whenStdout((stdout) => stdout.on('error', (err) => ${guard}.stdoutFailed(err)));`,
  )
}
