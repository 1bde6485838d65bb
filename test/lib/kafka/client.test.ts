// Loading the native client: a binary built for another Node.js is one line naming the fix, not five about ABIs.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {KcliError} from '../../../src/lib/errors.js'
import {nativeLoadError} from '../../../src/lib/kafka/client.js'

describe('nativeLoadError', () => {
  it('turns a NODE_MODULE_VERSION mismatch into one line with the versions and a rebuild hint', () => {
    // process.dlopen's text, as Node 24 prints it for a Node 20 build.
    const dlopen = Object.assign(
      new Error(
        "The module '/x/build/Release/confluent-kafka-javascript.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 137. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).",
      ),
      {code: 'ERR_DLOPEN_FAILED'},
    )
    const error = nativeLoadError(dlopen)
    assert.ok(error instanceof KcliError)
    assert.match(
      error.message,
      /^the Kafka client library was built for another Node\.js \(module version 115; Node v[\d.]+ needs 137\)$/,
    )
    assert.match(error.hint ?? '', /npm rebuild @confluentinc\/kafka-javascript/)
  })

  it('names a binary that is missing, and leaves other errors alone', () => {
    const missing = nativeLoadError(new Error('Could not locate the bindings file. Tried:\n → /x/build/Release/a.node'))
    assert.ok(missing instanceof KcliError)
    assert.match(
      missing.message,
      /^the Kafka client library cannot be loaded \(Could not locate the bindings file\. Tried:\)$/,
    )
    const other = new Error('something else')
    assert.equal(nativeLoadError(other), other)
  })
})
