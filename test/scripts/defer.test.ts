// The rewrite scripts/bundle.mjs applies to @oclif/core and cosmiconfig: TypeScript's require declarations become
// getters that load the module on first use, and every use of the name goes through the getter.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import {describe, it} from 'node:test'
import path from 'node:path'
import vm from 'node:vm'

// @ts-expect-error: a build script in plain JavaScript, without type declarations
import {checkOclifUses, deferRequires, deferStreamClass, guardStdoutWhenUsed} from '../../scripts/defer.mjs'
import {root} from '../helpers.js'

const source = `"use strict";
const node_path_1 = require("node:path");
const thing_1 = __importDefault(require("./thing"));
const Errors = __importStar(require("./errors"));
class Loader {
  make() { return new thing_1.default(node_path_1.join("a", "b")); }
}
exports.make = () => new Loader().make();
exports.errors = Errors;
`

describe('deferRequires', () => {
  const out = deferRequires(source) as string

  it('turns each suffixed require declaration into a memoized getter', () => {
    assert.match(
      out,
      /let node_path_1\$m; const node_path_1\$get = \(\) => \(node_path_1\$m \?\?= require\("node:path"\)\);/,
    )
    assert.match(out, /thing_1\$m \?\?= __importDefault\(require\("\.\/thing"\)\)/)
    // Parenthesized, so that `new` still constructs thing_1.default.
    assert.ok(out.includes('new (thing_1$get()).default((node_path_1$get()).join("a", "b"))'), out)
  })

  it('leaves a declaration whose name TypeScript did not generate as it is', () => {
    assert.match(out, /const Errors = __importStar\(require\("\.\/errors"\)\);/)
  })

  it('loads a module only when first used, and builds the same thing', () => {
    const loaded: string[] = []
    class Thing {
      constructor(readonly at: string) {}
    }
    const fakeRequire = (id: string) => {
      loaded.push(id)
      if (id === './thing') return {default: Thing}
      if (id === './errors') return {}
      return createRequire(import.meta.url)(id)
    }
    const exports: {make?: () => Thing} = {}
    vm.runInNewContext(out, {
      require: fakeRequire,
      exports,
      __importDefault: (m: unknown) => m,
      __importStar: (m: unknown) => m,
    })
    assert.deepEqual(loaded, ['./errors'])
    assert.equal(exports.make!().at, 'a/b')
    assert.deepEqual(loaded, ['./errors', './thing', 'node:path'])
  })
})

describe('deferRequires refuses what it would get wrong at run time', () => {
  it('a spread of a deferred module, or its name in a string', () => {
    const head = 'const util_1 = require("./util");\n'
    assert.throws(() => deferRequires(`${head}exports.all = {...util_1};\n`), /util_1 is spread/)
    assert.throws(() => deferRequires(`${head}console.log("util_1", util_1.x);\n`), /util_1 appears in a string/)
    assert.doesNotThrow(() => deferRequires(`${head}exports.x = util_1.x;\n`))
  })
})

// scripts/defer.mjs stands in for oclif's `debug` and `wsl-utils` imports, for the uses oclif makes of them only.
describe('checkOclifUses', () => {
  const read = (file: string) => fs.readFileSync(path.join(root, 'node_modules', '@oclif', 'core', 'lib', file), 'utf8')

  it("accepts the installed oclif's uses", () => {
    assert.equal(checkOclifUses('debug', read('logger.js')), true)
    assert.equal(checkOclifUses('wsl-utils', read(path.join('util', 'os.js'))), true)
  })

  it('refuses any further use, so that a newer oclif fails the build', () => {
    const logger = read('logger.js')
    assert.equal(checkOclifUses('debug', `${logger}\nconst on = debug_1.default.enabled('oclif');`), false)
    const os = read(path.join('util', 'os.js'))
    assert.equal(
      checkOclifUses('wsl-utils', `${os}\nconst m = (await import('wsl-utils')).wslDrivesMountPoint;`),
      false,
    )
    assert.equal(checkOclifUses('wsl-utils', `${os}\nconst {isWsl} = await import('wsl-utils');`), false)
  })
})

// oclif's command module attaches its EPIPE guard to process.stdout through whenStdout in the bundle
// (src/lib/terminal/stdout-guard.ts): the guard stays, without building the stream as oclif loads.
describe('guardStdoutWhenUsed', () => {
  const command = fs.readFileSync(path.join(root, 'node_modules', '@oclif', 'core', 'lib', 'command.js'), 'utf8')

  it("puts kcli's guard, attached by whenStdout, where the installed oclif's was", () => {
    const out = guardStdoutWhenUsed(command) as string
    assert.ok(!out.includes('process.stdout.on('), out)
    const guard =
      /require\(("[^"]+")\)\.whenStdout\(\(stdout\) => stdout\.on\('error', \(err\) => require\(("[^"]+")\)\.stdoutFailed\(err\)\)\);/.exec(
        out,
      )
    assert.ok(guard, out)
    const module = path.join(root, 'dist', 'lib', 'terminal', 'stdout-guard.js')
    assert.equal(JSON.parse(guard[1]), module)
    assert.equal(JSON.parse(guard[2]), module)
  })

  it('refuses an oclif without the guard, or with two, so that the build fails', () => {
    assert.equal(
      guardStdoutWhenUsed(command.replace("process.stdout.on('error'", "process.stderr.on('error'")),
      undefined,
    )
    const guard = /process\.stdout\.on\('error'[^]*?\n\}\);/.exec(command)![0]
    assert.equal(guardStdoutWhenUsed(`${command}\n${guard}\n`), undefined)
  })
})

// The client library's stream classes load Node's stream modules: the bundle loads them on first use.
describe('deferStreamClass', () => {
  const read = (file: string) =>
    fs.readFileSync(path.join(root, 'node_modules', '@confluentinc', 'kafka-javascript', 'lib', file), 'utf8')

  for (const [file, name] of [
    ['kafka-consumer.js', 'KafkaConsumerStream'],
    ['producer.js', 'ProducerStream'],
  ]) {
    it(`${file}: ${name} through a getter, every use included`, () => {
      const out = deferStreamClass(read(file)) as string
      assert.ok(!new RegExp(`var ${name} = require`).test(out), out)
      assert.match(
        out,
        new RegExp(`const ${name}\\$get = \\(\\) => \\(${name}\\$m \\?\\?= require\\('\\./[a-z-]+-stream'\\)\\);`),
      )
      assert.match(out, new RegExp(`new \\(${name}\\$get\\(\\)\\)\\(`))
    })
  }

  it('refuses a module that does not require its stream class as expected', () => {
    assert.throws(() => deferStreamClass('var Readable = require("stream").Readable;\n'), /not required as expected/)
  })
})
