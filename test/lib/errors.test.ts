// The one map from any error to its exit code, message and hint, fed the errors kcli really meets.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {describe, it} from 'node:test'

import {Errors, Flags, Parser} from '@oclif/core'

import {ExitCode, KcliError, errorReport, failedTo, isConfigurationError, isUnreachable} from '../../src/lib/errors.js'

const kafka = (code: number, message: string) => Object.assign(new Error(message), {code})
const system = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), {code, ...extra})

/** A real error of Node's file system, as a missing or unreadable file gives it. */
function fsError(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

async function parseError(argv: string[]): Promise<unknown> {
  try {
    await Parser.parse(argv, {flags: {count: Flags.integer()}, args: {}, strict: true})
  } catch (error) {
    return error
  }
  throw new Error('expected a parse error')
}

describe('errorReport', () => {
  const cases: Array<{name: string; error: unknown; exit: number; message?: RegExp; hint?: RegExp}> = [
    {
      name: 'a KcliError keeps its own exit, message and hint',
      error: new KcliError('group "g" does not exist', {exit: 2, hint: 'Check the name.'}),
      exit: ExitCode.usage,
      message: /^group "g" does not exist$/,
      hint: /^Check the name\.$/,
    },
    {name: 'a KcliError without an exit is a failure', error: new KcliError('boom'), exit: ExitCode.failure},
    {
      name: 'librdkafka -1 "all broker connections are down" is unreachable',
      error: kafka(-1, 'all broker connections are down'),
      exit: ExitCode.unreachable,
      message: /^all broker connections are down$/,
      hint: /broker running/,
    },
    {
      name: 'librdkafka -1 "1/1 brokers are down"-style transport text is unreachable',
      error: kafka(-1, 'localhost:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused'),
      exit: ExitCode.unreachable,
    },
    {name: 'ALL_BROKERS_DOWN (-187)', error: kafka(-187, 'Local: All broker connections are down'), exit: 3},
    {name: 'TRANSPORT (-195)', error: kafka(-195, 'Local: Broker transport failure'), exit: 3},
    {name: 'TIMED_OUT (-185)', error: kafka(-185, 'Local: Timed out'), exit: 3},
    {name: 'RESOLVE (-193)', error: kafka(-193, 'Local: Host resolution failure'), exit: 3},
    {name: 'SSL (-181)', error: kafka(-181, 'Local: SSL error'), exit: 3},
    {name: 'AUTHENTICATION (-169)', error: kafka(-169, 'Local: Authentication failure'), exit: 3},
    {name: 'SASL_AUTHENTICATION_FAILED (58)', error: kafka(58, 'Broker: SASL Authentication failed'), exit: 3},
    {name: 'COORDINATOR_NOT_AVAILABLE (15)', error: kafka(15, 'Broker: Coordinator not available'), exit: 3},
    {name: 'NOT_COORDINATOR (16)', error: kafka(16, 'Broker: Not coordinator'), exit: 3},
    {
      name: 'MSG_TIMED_OUT (-192) is a delivery failure, not an unreachable cluster, despite its text',
      error: kafka(-192, 'Local: Message timed out'),
      exit: ExitCode.failure,
      message: /^message timed out$/,
    },
    {name: 'INVALID_ARG (-186) is a usage error', error: kafka(-186, 'Local: Invalid argument'), exit: 2},
    {
      name: 'a configuration text is a usage error',
      error: kafka(-1, 'No such configuration property: "linger.mss"'),
      exit: ExitCode.usage,
    },
    {name: 'UNKNOWN_TOPIC_OR_PART (3)', error: kafka(3, 'Broker: Unknown topic or partition'), exit: 2},
    {name: 'UNKNOWN_TOPIC (-188)', error: kafka(-188, 'Local: Unknown topic'), exit: 2},
    {name: 'TOPIC_AUTHORIZATION_FAILED (29)', error: kafka(29, 'Broker: Topic authorization failed'), exit: 1},
    {name: 'GROUP_AUTHORIZATION_FAILED (30)', error: kafka(30, 'Broker: Group authorization failed'), exit: 1},
    {name: 'MSG_SIZE_TOO_LARGE (10)', error: kafka(10, 'Broker: Message size too large'), exit: 1},
    {name: 'an unknown librdkafka code with an unknown text', error: kafka(-42, 'Local: something odd'), exit: 1},
    {
      name: 'ENOENT names the path once',
      error: system('ENOENT', "ENOENT: no such file or directory, open '/x/in.jsonl'", {path: '/x/in.jsonl'}),
      exit: ExitCode.usage,
      message: /^\/x\/in\.jsonl: no such file or directory$/,
    },
    {
      name: 'a real ENOENT from fs',
      error: fsError(() => fs.readFileSync('/nonexistent/kcli-errors-test')),
      exit: ExitCode.usage,
      message: /^\/nonexistent\/kcli-errors-test: no such file or directory$/,
    },
    {
      name: 'a real EISDIR from fs',
      error: fsError(() => fs.readFileSync('/')),
      exit: ExitCode.usage,
      message: /illegal operation on a directory/,
    },
    {name: 'EACCES', error: system('EACCES', "EACCES: permission denied, open '/root/x'", {path: '/root/x'}), exit: 2},
    {
      name: 'ECONNREFUSED names the address',
      error: system('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', {address: '127.0.0.1', port: 1}),
      exit: ExitCode.unreachable,
      message: /^127\.0\.0\.1:1: /,
    },
    {name: 'ENOTFOUND', error: system('ENOTFOUND', 'getaddrinfo ENOTFOUND kafka.nowhere'), exit: 3},
    {name: 'ENOSPC is a runtime failure', error: system('ENOSPC', 'ENOSPC: no space left on device, write'), exit: 1},
    {
      name: 'an AbortError is an interruption',
      error: Object.assign(new Error('aborted'), {name: 'AbortError'}),
      exit: 130,
    },
    {name: 'any other Error', error: new TypeError('x is not a function'), exit: 1, message: /^x is not a function$/},
    {name: 'a thrown string', error: 'just text', exit: 1, message: /^just text$/},
    {
      name: 'a CLIError with its own exit',
      error: new Errors.CLIError('nope', {exit: 5}),
      exit: 5,
      message: /^nope$/,
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const report = errorReport(c.error)
      assert.equal(report.exit, c.exit)
      if (c.message) assert.match(report.message, c.message)
      if (c.hint) assert.match(report.hint ?? '', c.hint)
    })
  }

  it('an unknown flag (oclif) is a usage error on one line, without the help pointer', async () => {
    const report = errorReport(await parseError(['--nope']))
    assert.equal(report.exit, ExitCode.usage)
    assert.match(report.message, /--nope/)
    assert.doesNotMatch(report.message, /\n|See more help/)
    assert.match(report.hint ?? '', /--help/)
  })

  it('a flag value that does not parse (oclif) is a usage error', async () => {
    const report = errorReport(await parseError(['--count', 'many']))
    assert.equal(report.exit, ExitCode.usage)
    assert.match(report.message, /count/)
  })

  it('EPIPE (the reader of stdout went away) ends quietly with exit 0', () => {
    assert.deepEqual(errorReport(system('EPIPE', 'write EPIPE')), {message: '', exit: 0, code: 'EPIPE', silent: true})
  })
})

describe('isUnreachable', () => {
  it('follows the same map', () => {
    assert.equal(isUnreachable(kafka(-1, 'all broker connections are down')), true)
    assert.equal(isUnreachable(kafka(-192, 'Local: Message timed out')), false)
    assert.equal(isUnreachable(new Error('all broker connections are down')), false)
  })
})

describe('isConfigurationError', () => {
  it('is librdkafka refusing the properties, never a transport failure', () => {
    assert.equal(isConfigurationError(kafka(-186, 'Local: Invalid argument')), true)
    assert.equal(isConfigurationError(kafka(-1, '`acks` must be set to `all` when `enable.idempotence` is true')), true)
    assert.equal(isConfigurationError(kafka(-195, 'Local: Broker transport failure')), false)
    assert.equal(isConfigurationError(new Error('No such configuration property')), false)
  })
})

describe('failedTo', () => {
  it('says what failed, with the exit of the map', () => {
    const err = failedTo('list offsets', kafka(-187, 'Local: All broker connections are down'))
    assert.equal(err.message, 'cannot list offsets: all broker connections are down')
    assert.equal(err.exit, ExitCode.unreachable)
  })

  it('uses the caller hint for an unreachable cluster, and says "not allowed" for a refused ACL', () => {
    const slow = failedTo('describe group "g"', kafka(15, 'Broker: Coordinator not available'), {unreachable: 'wait'})
    assert.equal(slow.hint, 'wait')
    const denied = failedTo('describe group "g"', kafka(30, 'Broker: Group authorization failed'))
    assert.equal(denied.message, 'not allowed to describe group "g"')
    assert.equal(denied.exit, ExitCode.failure)
  })

  it('passes a KcliError through', () => {
    const original = new KcliError('already said', {exit: 2})
    assert.equal(failedTo('anything', original), original)
  })
})

describe('error codes (what --json errors name)', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a KcliError without a code: its exit code in words', new KcliError('no topic given', {exit: 2}), 'USAGE'],
    ['a KcliError with a code', new KcliError('x', {exit: 2, code: 'UNKNOWN_TOPIC'}), 'UNKNOWN_TOPIC'],
    ['librdkafka, by its own name', kafka(-195, 'Local: Broker transport failure'), 'ERR__TRANSPORT'],
    ['a broker error', kafka(3, 'Broker: Unknown topic or partition'), 'ERR_UNKNOWN_TOPIC_OR_PART'],
    ['a code kcli has no name for', kafka(-172, 'Local: Something'), 'ERR__172'],
    ['Node, by its own code', system('ENOENT', "ENOENT: no such file or directory, open '/x'"), 'ENOENT'],
    ['anything else', new Error('boom'), 'FAILURE'],
  ]
  for (const [what, error, code] of cases) it(what, () => assert.equal(errorReport(error).code, code))

  it('oclif parse errors are USAGE', async () => {
    assert.equal(errorReport(await parseError(['--nope'])).code, 'USAGE')
  })

  it('failedTo keeps the code of the cause, and names a refused ACL', () => {
    assert.equal(
      failedTo('list offsets', kafka(-187, 'Local: All broker connections are down')).code,
      'ERR__ALL_BROKERS_DOWN',
    )
    assert.equal(failedTo('describe group "g"', kafka(30, 'Broker: Group authorization failed')).code, 'NOT_ALLOWED')
  })
})
