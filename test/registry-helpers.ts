// Shared by the schema registry tests: the suite's registry (started by test/run.ts through
// `kcli local start --schema-registry`), a proxy in front of it that can ask for credentials or fail on purpose, and
// the raw bytes of what a topic holds.
import assert from 'node:assert/strict'
import http from 'node:http'
import type {AddressInfo} from 'node:net'

import {kcli, lines} from './helpers.js'

export const registryUrl = process.env.KCLI_TEST_REGISTRY_URL ?? 'http://127.0.0.1:19592/apis/ccompat/v7'

export interface SeenRequest {
  method: string
  path: string
  authorization?: string
}

export interface RegistryProxy {
  url: string
  requests: SeenRequest[]
  close(): Promise<void>
}

/**
 * An HTTP proxy to the suite's registry. `authorization`: the only Authorization header let through (others get
 * 401). `fail`: requests whose path it matches lose their connection, as when the registry goes away.
 */
export async function registryProxy(
  options: {authorization?: string; fail?: (path: string) => boolean} = {},
): Promise<RegistryProxy> {
  const upstream = new URL(registryUrl)
  const requests: SeenRequest[] = []
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/'
    requests.push({method: req.method ?? 'GET', path, authorization: req.headers.authorization})
    if (options.fail?.(path)) {
      req.socket.destroy()
      return
    }
    if (options.authorization !== undefined && req.headers.authorization !== options.authorization) {
      res.writeHead(401, {'Content-Type': 'application/json'})
      res.end('{"error_code":40101,"message":"Unauthorized"}')
      return
    }
    const forward = http.request(
      {host: upstream.hostname, port: upstream.port, method: req.method, path, headers: {...req.headers}},
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The exact bytes of each message's key and value, read without a registry (so nothing is decoded). */
export async function rawMessages(topic: string): Promise<Array<{key: Buffer | null; value: Buffer | null}>> {
  const result = await kcli(['consume', '-t', topic, '--from-beginning', '-e'])
  assert.equal(result.code, 0, result.stderr)
  const bytes = (line: Record<string, unknown>, name: 'key' | 'value') => {
    const v = line[name]
    if (v === null) return null
    if (line[`${name}Encoding`] === 'base64') return Buffer.from(v as string, 'base64')
    return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8')
  }
  return lines(result.out).map((l) => {
    const parsed = JSON.parse(l) as Record<string, unknown>
    return {key: bytes(parsed, 'key'), value: bytes(parsed, 'value')}
  })
}
