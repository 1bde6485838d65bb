// What kcli makes of librdkafka's log lines when the cluster refuses a connection: the reason and the hint a user gets,
// from the lines the real broker made librdkafka write (wrong password, wrong CA, no client certificate, OAuth 401).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {authenticationFailure} from '../../../src/lib/kafka/client.js'

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
