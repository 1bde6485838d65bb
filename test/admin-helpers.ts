// For the integration tests of the admin commands: their --json output validated against its schema in schemas/ (as
// test/commands/contracts.test.ts does for the rest, and checks that every --json command has a schema), and runs
// repeated until the cluster shows a change (configs, ACLs and SCRAM credentials reach brokers a little later).
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'

import {Ajv2020, type ValidateFunction} from 'ajv/dist/2020.js'

import {type RunOptions, type RunResult, kcli, lines, root} from './helpers.js'

const ajv = new Ajv2020({strict: true, allowUnionTypes: true, allErrors: true})
const compiled = new Map<string, ValidateFunction>()

/** Fails unless `data` fits schemas/<schema>. */
export function assertFitsSchema(schema: string, data: unknown): void {
  let validate = compiled.get(schema)
  if (!validate) {
    validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(root, 'schemas', schema), 'utf8')) as object)
    compiled.set(schema, validate)
  }
  assert.ok(validate(data), `${schema}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(data, null, 2)}`)
}

/** Runs `kcli <args> --json`, expects exit `exit` (0); returns the document (checked against its schema) and run. */
export async function kcliJson<T>(
  schema: string,
  args: string[],
  options: RunOptions & {exit?: number} = {},
): Promise<[T, RunResult]> {
  const run = await kcli([...args, '--json'], options)
  assert.equal(run.code, options.exit ?? 0, `kcli ${args.join(' ')} --json (signal ${run.signal}): ${run.stderr}`)
  const doc = JSON.parse(run.out) as T
  assertFitsSchema(schema, doc)
  return [doc, run]
}

/**
 * Runs `attempt` until `done` accepts its result, and returns that result; fails with the last one after `timeoutMs`.
 */
export async function eventually<T>(
  what: string,
  attempt: () => Promise<T>,
  done: (result: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const start = Date.now()
  for (;;) {
    const result = await attempt()
    if (done(result)) return result
    if (Date.now() - start > timeoutMs) assert.fail(`${what}: still not so after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
}

/** The run failed with exit `exit` and one `kcli:` line matching `message`. */
export function assertOneLine(result: RunResult, exit: number, message: RegExp): void {
  assert.equal(result.code, exit, result.stderr)
  const errors = lines(result.stderr).filter((l) => l.startsWith('kcli:'))
  assert.equal(errors.length, 1, result.stderr)
  assert.match(errors[0], message)
}
