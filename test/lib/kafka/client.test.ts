// What kcli makes of the native client: a binary built for another Node.js is one line naming the fix, and the
// log lines librdkafka writes when the cluster refuses a connection become a reason and a hint (from the lines the real
// broker made librdkafka write: wrong password, wrong CA, no client certificate, OAuth 401).
import assert from 'node:assert/strict'
import {EventEmitter} from 'node:events'
import {describe, it} from 'node:test'

import {KcliError} from '../../../src/lib/errors.js'
import {authenticationFailure, forwardDebugLog, nativeLoadError} from '../../../src/lib/kafka/client.js'

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

const prefix = '[thrd:sasl_ssl://localhost:29292/bootstrap]: sasl_ssl://localhost:29292/bootstrap: '

describe('authenticationFailure', () => {
  const cases: Array<[string, string, RegExp, RegExp]> = [
    [
      'a wrong SCRAM password',
      `${prefix}SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512 (after 302ms in state AUTH_REQ)`,
      /^the broker refused the user name or password$/,
      /password/,
    ],
    [
      'a wrong PLAIN password',
      `${prefix}SASL authentication error: Authentication failed: Invalid username or password (after 301ms in state AUTH_REQ, 1 identical error(s) suppressed)`,
      /^the broker refused the user name or password$/,
      /SASL mechanism/,
    ],
    [
      'another SASL refusal, in the broker words',
      `${prefix}SASL authentication error: Unsupported SASL mechanism FOO (after 3ms in state AUTH_HANDSHAKE)`,
      /^authentication failed: Unsupported SASL mechanism FOO$/,
      /mechanism/,
    ],
    [
      'a CA that did not sign the broker',
      `${prefix}SSL handshake failed: ../deps/openssl/openssl/ssl/statem/statem_clnt.c:1889:tls_post_process_server_certificate error:0A000086:SSL routines::certificate verify failed: broker certificate could not be verified, verify that ssl.ca.location is correctly configured or root CA certificates are installed (install ca-certificates package) (after 7ms in state SSL_HANDSHAKE)`,
      /could not be verified/,
      /--ssl-ca/,
    ],
    [
      'no client certificate for a broker that requires one',
      `${prefix}Receive failed: ../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:ssl3_read_bytes error:0A000412:SSL routines::sslv3 alert bad certificate: SSL alert number 42 (after 0ms in state APIVERSION_QUERY)`,
      /refused the client certificate/,
      /--ssl-cert/,
    ],
    [
      'TLS to a PLAINTEXT port',
      `${prefix}SSL handshake failed: Disconnected: SSL connection closed by peer: connecting to a PLAINTEXT broker listener? (after 5ms in state SSL_HANDSHAKE)`,
      /speaks PLAINTEXT/,
      /PLAINTEXT/,
    ],
    [
      'an OAuth token endpoint refusing the client (HTTP 401)',
      'Failed to retrieve OIDC token from "http://127.0.0.1:8080/token": {"error":"invalid_client"} (401)',
      /refused the client credentials \(HTTP 401\)/,
      /--oauth-client-id/,
    ],
    [
      'an OAuth token endpoint that does not answer',
      'Failed to retrieve OIDC token from "http://127.0.0.1:1/token": Couldn\'t connect to server',
      /no token from the OAuth token endpoint/,
      /--oauth-token-url/,
    ],
    [
      'a machine without libcurl, which librdkafka loads for its first token request',
      'Failed to retrieve OIDC token from "http://127.0.0.1:9/token": Failed to load libcurl: libcurl.so.4: ' +
        'cannot open shared object file: No such file or directory (-1)',
      /^libcurl, which OAuth token requests need, could not be loaded \(libcurl\.so\.4: cannot open shared object file: No such file or directory\)$/,
      /libcurl4/,
    ],
    [
      "an identity provider's answer that quotes a libcurl failure",
      'Failed to retrieve OIDC token from "https://idp/token": Failed to load libcurl: secret-ish (401)',
      /^the token endpoint refused the client credentials \(HTTP 401\)$/,
      /--oauth-client-id/,
    ],
  ]
  for (const [what, line, reason, hint] of cases) {
    it(what, () => {
      const failure = authenticationFailure(line)
      assert.match(failure.reason, reason)
      assert.match(failure.hint, hint)
    })
  }

  it('never repeats what the identity provider answered', () => {
    const failure = authenticationFailure('Failed to retrieve OIDC token from "u": {"secret":"s3cr3t"} (401)')
    assert.ok(!JSON.stringify(failure).includes('s3cr3t'))
  })
})

// librdkafka masks its secret properties in its own configuration dump (checked against a SASL broker in
// test/commands/security.test.ts); a line that quotes one anyway (a stand-in client: no real line does) is masked here.
describe('forwardDebugLog', () => {
  function forwarded(
    properties: Record<string, string | number>,
    line: {severity: number; fac: string; message: string},
  ) {
    const client = new EventEmitter()
    forwardDebugLog(client, 'producer', properties)
    const written: string[] = []
    const write = process.stderr.write
    process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write
    try {
      client.emit('event.log', line)
    } finally {
      process.stderr.write = write
    }
    return written.join('')
  }

  it('writes each line as librdkafka does, with secret values masked and control characters escaped', () => {
    const out = forwarded(
      {debug: 'security', 'sasl.password': 'Pa55', 'ssl.key.password': 'k3y-Pa55', 'client.id': 'kcli'},
      {severity: 7, fac: 'SASL', message: 'sent Pa55 and k3y-Pa55 for kcli\u001b[2J\nFAKE line'},
    )
    assert.match(out, /^%7\|\d+\.\d{3}\|SASL\|producer\| sent \*{8} and \*{8} for kcli\\u001b\[2J\\nFAKE line\n$/)
  })

  it('writes nothing without a debug property', () => {
    assert.equal(forwarded({'client.id': 'kcli'}, {severity: 3, fac: 'FAIL', message: 'broker down'}), '')
  })
})
