// Node built-ins that only some runs use, loaded when first asked for. An import of one is loaded at every start, and
// some are not cheap: node:crypto ~3 ms; node:net and node:tty load Node's stream and socket modules (~2-5 ms on Node
// 22 with the client library's stream classes, bench/README.md "one-shot commands").
import {createRequire} from 'node:module'

const load = createRequire(import.meta.url)

export const lazyBuiltin = {
  crypto: () => load('node:crypto') as typeof import('node:crypto'),
  net: () => load('node:net') as typeof import('node:net'),
  tty: () => load('node:tty') as typeof import('node:tty'),
}
